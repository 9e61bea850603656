"""The build cache's parts (cache.py): unchanged files are not parsed again, bodies live on disk,
unchanged outputs are hard-linked without ever changing the live site, and a rebuild with no
changed input returns at once. test_incremental.py checks that every rebuild equals a clean one."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from conftest import SiteFolder, text_article
from newsarchive import cache, incremental, load, parallel, pipeline, terms
from newsarchive.build import build, read_config
from newsarchive.bodies import Body, BodyStore, store_body
from newsarchive.errors import ConfigError, Problem
from newsarchive.write import Output


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def no_search(site: SiteFolder) -> None:
    site.config("search: false\n")  # Pagefind's own files are not byte-stable (see README); these tests compare bytes


def test_only_changed_files_are_parsed_again(site: SiteFolder) -> None:
    no_search(site)
    for day in range(1, 6):
        site.add(f"a{day}.txt", text_article(f"2022-03-0{day}", f"Story {day}", "Body."))
    assert site.build().parsed == 5
    time.sleep(0.01)
    site.add("a2.txt", text_article("2022-03-02", "Story 2", "A new body."))
    report = site.build()
    assert report.parsed == 1 and report.articles == 5
    assert "A new body." in site.page("/2022/03/02/story-2/")


def test_a_touched_file_with_the_same_bytes_is_not_parsed_again(site: SiteFolder) -> None:
    no_search(site)
    path = site.add("a.txt", text_article("2022-03-01", "Story", "Body."))
    site.build()
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    assert site.build().parsed == 0


def test_bodies_are_kept_on_disk_not_in_the_articles(site: SiteFolder) -> None:
    no_search(site)
    site.add("a.txt", text_article("2022-03-01", "Story", "A body on disk."))
    report = site.build()
    stored = cache.load_shards(site.dist, "sources", pipeline.source_cache_key(read_config(site.options())), pipeline.unpack_sources)
    body = stored["a.txt"].article.body_html
    assert isinstance(body, Body) and str(body) == "<p>A body on disk.</p>"
    assert report.loaded.articles[0].body_html == body
    segments = list((cache.cache_folder(site.dist) / "bodies").iterdir())
    assert [p.name for p in segments] == [body.segment]


def _store_in_a_worker(_state: None, texts: list[str]) -> list[tuple[int, Body]]:
    return [(os.getpid(), store_body(text, f"{n}.txt")) for n, text in enumerate(texts)]


def test_each_process_stores_the_bodies_it_parses_in_a_segment_of_its_own(tmp_path: Path) -> None:
    """Parse workers store the bodies they parse (load._read_one): each process appends to its own
    segment, and any process reads every body back."""
    store = BodyStore(tmp_path / "bodies")
    texts = [f"<p>Body {n}: é 能 \u2028</p>" for n in range(96)]
    stored = [row for _, chunk in parallel.map_chunks(_store_in_a_worker, None, texts, 2) for row in chunk]
    assert [str(body) for _, body in stored] == texts
    segments = {pid: {body.segment for p, body in stored if p == pid} for pid, _ in stored}
    assert os.getpid() not in segments and all(len(names) == 1 for names in segments.values())
    assert len({name for names in segments.values() for name in names}) == len(segments), "one segment per process"
    here = store_body("<p>Stored here.</p>")
    store.close()
    assert str(here) == "<p>Stored here.</p>" and all(here.segment not in names for names in segments.values())


def test_replaced_bodies_are_dropped_from_the_store(site: SiteFolder) -> None:
    no_search(site)
    for n in range(3):
        site.add("a.txt", text_article("2022-03-01", "Story", f"Body number {n}. " * 20000))
        site.build()
    folder = cache.cache_folder(site.dist) / "bodies"
    stored = sum(p.stat().st_size for p in folder.iterdir())
    assert stored < 2 * len("Body number 2. " * 20000) + (1 << 20)
    assert "Body number 2." in site.page("/2022/03/01/story/")


def test_a_linked_file_is_never_changed_in_place(site: SiteFolder) -> None:
    """Unchanged files are hard links shared by the live and staging trees; a rebuild must write
    a changed file anew, never through the link, or it would change the live site before the swap."""
    no_search(site)
    words = ["alpha", "bravo", "charlie", "delta", "echo"]  # no shared word: no article relates to another
    for day, word in enumerate(words, 1):
        site.add(f"{word}.txt", text_article(f"2022-03-0{day}", word.title(), f"{word} {word}."))
    site.build()
    site.add("alpha.txt", text_article("2022-03-01", "Alpha", "alpha again."))
    site.build()  # the staging tree now holds the first build, linked where unchanged
    page = site.dist / "2022/03/04/delta/index.html"
    staged = site.root / ".dist.staging/2022/03/04/delta/index.html"
    assert os.stat(page).st_ino == os.stat(staged).st_ino, "unchanged pages are hard links"
    live_before = files(site.dist)
    site.add("delta.txt", text_article("2022-03-04", "Delta", "delta changed."))
    site.build()
    assert "delta changed." in page.read_text()
    assert "delta changed." not in staged.read_text(), "the previous site (now staging) kept its own bytes"
    assert files(site.root / ".dist.staging") == live_before


def test_a_file_deleted_from_the_site_by_hand_comes_back(site: SiteFolder) -> None:
    no_search(site)
    site.add("a.txt", text_article("2022-03-01", "Story", "Body."))
    site.add("b.txt", text_article("2022-03-02", "Other", "Body."))
    site.build()
    (site.dist / "2022/03/01/story/index.html").unlink()
    site.add("b.txt", text_article("2022-03-02", "Other", "Changed body."))
    site.build()
    assert "Body." in site.page("/2022/03/01/story/")


def test_a_file_deleted_by_hand_comes_back_when_the_staging_tree_holds_an_older_one(site: SiteFolder) -> None:
    no_search(site)
    site.add("a.txt", text_article("2022-03-01", "Story", "First version."))
    site.add("b.txt", text_article("2022-03-02", "Weather", "Rain tomorrow."))
    site.build()
    site.add("a.txt", text_article("2022-03-01", "Story", "Second version."))
    site.build()  # the staging tree (the first build) holds the story's first bytes
    (site.dist / "2022/03/01/story/index.html").unlink()
    site.add("c.txt", text_article("2023-05-02", "Harbour", "Boats sail."))  # a year on, no word in common: the story's page is unchanged
    site.build()
    assert "Second version." in site.page("/2022/03/01/story/")


def test_a_rebuild_with_no_changed_input_does_nothing(site: SiteFolder) -> None:
    no_search(site)
    site.add("a.txt", text_article("2022-03-01", "Story", "Body."))
    site.add("bad.txt", "no date line")
    time.sleep(2.1)  # inputs changed less than 2 s before a build are not trusted to be settled
    first = site.build()
    second = site.build()
    assert second.unchanged and second.rendered == 0 and second.parsed == 0
    assert second.problems == first.problems and second.articles == 1, "the report, problems included, is the last build's"
    third = site.build(drafts=True)
    assert not third.unchanged, "a different option is a change"
    site.add("b.txt", text_article("2022-03-02", "Another", "Body."))
    fourth = site.build()
    assert not fourth.unchanged and fourth.articles == 2
    assert (site.dist / "2022/03/02/another/index.html").is_file()


def test_no_short_cut_when_the_site_was_swapped_by_another_build(site: SiteFolder) -> None:
    no_search(site)
    site.add("a.txt", text_article("2022-03-01", "Story", "Body."))
    time.sleep(2.1)
    site.build()
    assert site.build().unchanged
    os.rename(site.dist, site.root / "elsewhere")
    report = site.build()
    assert not report.unchanged and (site.dist / "2022/03/01/story/index.html").is_file()


def test_a_body_edit_re_renders_the_pages_that_show_that_body(site: SiteFolder, tmp_path: Path) -> None:
    """Pages depend on article metadata, and on a body only if they read it while rendering."""
    import shutil

    from conftest import REPO
    from newsarchive.build import build

    no_search(site)
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    for day, word in enumerate(["alpha", "bravo", "charlie"], 1):
        site.add(f"{word}.txt", text_article(f"2022-03-0{day}", word.title(), f"{word} first.", f"{word} end."))
    site.build(templates=templates)
    site.add("bravo.txt", text_article("2022-03-02", "Bravo", "bravo first.", "bravo END."))
    assert site.build(templates=templates).rendered == 1, "only the article's own page shows its body"

    day = templates / "day.html"
    day.write_text(day.read_text().replace("{% endblock %}", "{% for a in page.articles %}{{ a.body_html|safe }}{% endfor %}\n{% endblock %}"))
    site.build(templates=templates)
    site.add("bravo.txt", text_article("2022-03-02", "Bravo", "bravo first.", "bravo END!"))  # same words: same related lists
    report = site.build(templates=templates)
    assert report.rendered == 2 and "bravo END!" in site.page("/2022/03/02/")
    clean = tmp_path / "clean" / "dist"
    build(site.options(output=clean, templates=templates, clean=True))
    assert files(site.dist) == files(clean)


def _count_made_pages(monkeypatch) -> list[str]:
    """The URL of every page record the build makes from now on (through archive.sections)."""
    from newsarchive import archive

    made: list[str] = []
    sections = archive.sections

    def counted(section: archive.Section) -> archive.Section:
        def pages():
            for page in section.pages():
                made.append(page.url)
                yield page

        def page(offset: int):
            found = section.page(offset)
            made.append(found.url)
            return found

        return archive.Section(pages, page if section.page is not None else None)

    monkeypatch.setattr(archive, "sections", lambda *args: [counted(section) for section in sections(*args)])
    return made


def test_a_body_edit_reuses_the_last_layout(site: SiteFolder, monkeypatch) -> None:
    """With no article's metadata changed, the pages, paths and fingerprints are the last build's:
    only the records of the pages to render are made; an article page alone."""
    no_search(site)
    site.config("search: false\nper_page: 5\n")
    words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"]  # no shared word: no related lists
    for day, word in enumerate(words, 1):
        site.add(f"{word}.txt", text_article(f"2022-03-0{day}", word.title(), f"{word} first.", f"{word} end."))
    site.build()
    made = _count_made_pages(monkeypatch)
    site.add("charlie.txt", text_article("2022-03-03", "Charlie", "charlie first.", "charlie END."))
    report = site.build()
    assert report.rendered == 1 and "charlie END." in site.page("/2022/03/03/charlie/")
    assert made == ["/2022/03/03/charlie/"], "no home page, no other article page"


def _tagged(day: str, headline: str, tag: str) -> str:
    return f"---\ntitle: {headline}\nslug: {tag}\ndate: {day}\ntags: [{tag}]\n---\n\n{tag} first.\n"


def test_a_headline_edit_makes_only_the_records_of_the_pages_showing_it(site: SiteFolder, monkeypatch, tmp_path: Path) -> None:
    """Same pages, same articles on them (the shape: see incremental.shape_digest): the pages to
    render are made section by section, walking each only up to the last page it must make."""
    no_search(site)
    site.config("search: false\nper_page: 5\n")
    words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"]
    for day, word in enumerate(words, 1):
        site.add(f"{word}.md", _tagged(f"2022-03-0{day}", word.title(), word))
    site.build()
    made = _count_made_pages(monkeypatch)
    site.add("alpha.md", _tagged("2022-03-01", "Alpha again", "alpha"))
    report = site.build()
    assert "Alpha again" in site.page("/2022/03/01/alpha/") and "Alpha again" in site.page("/2022/03/02/bravo/")
    assert "Alpha again" in site.page("/tags/alpha/") and "Alpha again" in site.page("/page/2/")
    assert {"/2022/03/01/alpha/", "/2022/03/02/bravo/", "/tags/alpha/", "/page/2/"} <= set(made)
    assert len(made) <= report.rendered + 3, made  # (walking the tag and home sections up to a page costs a few more)
    assert "/2022/" not in made and "/archive/" not in made and "/2022/03/08/hotel/" not in made
    build(site.options(output=tmp_path / "clean", clean=True))
    assert files(site.dist) == files(tmp_path / "clean")


def test_an_edited_lede_has_only_its_article_s_words_counted_again(site: SiteFolder, monkeypatch, tmp_path: Path) -> None:
    no_search(site)
    for day in range(1, 21):
        place = ("lighthouse", "ferry", "market", "bridge", "school")[day % 5]  # four stories each: related to each other
        site.add(f"{day:02d}.txt", text_article(f"2022-03-{day:02d}", f"Story {day}", f"The {place} story {day}.", "More."))
    site.build(jobs=1)
    counted: list[int] = []
    count_terms = terms.count_terms
    monkeypatch.setattr(terms, "count_terms", lambda pairs: counted.append(len(pairs)) or count_terms(pairs))
    digested: list[str] = []
    page_fingerprints = incremental.page_fingerprints
    monkeypatch.setattr(incremental, "page_fingerprints", lambda pages, *rest: digested.extend(p.url for p in pages) or page_fingerprints(pages, *rest))
    last = cache.load(site.dist, "site.pickle", None).related
    site.add("05.txt", text_article("2022-03-05", "Story 5", "The school and the ferry story 5.", "More."))  # its related words change
    report = site.build(jobs=1)
    assert counted == [1], "the other articles' word counts are the build cache's"
    now = cache.load(site.dist, "site.pickle", None).related
    moved = sorted(f"/2022/03/{i + 1:02d}/story-{i + 1}/" for i in range(20) if now[i] != last[i])
    assert moved and sorted(digested) == moved and len(moved) < report.pages / 4, "only pages with a new related list are digested again"
    build(site.options(output=tmp_path / "clean", jobs=1, clean=True))
    assert files(site.dist) == files(tmp_path / "clean")
    counted.clear()
    build(site.options(jobs=1, clean=True))
    assert sum(counted) == 20, "--clean counts every article again"


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_first_build_s_pages_are_written_by_the_renderers_and_an_edit_s_by_the_writer(site: SiteFolder, monkeypatch, jobs: int) -> None:
    no_search(site)
    for day in range(1, 21):
        site.add(f"{day:02d}.txt", text_article(f"2022-03-{day:02d}", f"Story {day}", f"Body {day}."))
    seen: list[Output] = []
    write_site = pipeline.write_site
    monkeypatch.setattr(pipeline, "write_site", lambda outputs, *rest: write_site((seen.append(o) or o for o in outputs), *rest))
    report = site.build(jobs=jobs)
    staged = [o for o in seen if o.staged]
    assert len(staged) == report.pages == report.rendered and all(o.data is None and len(o.digest) == 32 for o in staged)
    assert all((site.dist / o.path).read_bytes() and incremental.bytes_digest((site.dist / o.path).read_bytes()) == o.digest for o in staged)
    inodes = {root: {p.relative_to(root): p.stat().st_ino for p in root.rglob("*") if p.is_file()} for root in (site.dist, site.root / ".dist.staging")}
    assert len(inodes[site.dist]) > 20 and inodes[site.dist] == inodes[site.root / ".dist.staging"], "the next staging tree: links to every file"
    seen.clear()
    site.add("05.txt", text_article("2022-03-05", "Story 5", "Body five."))
    report = site.build(jobs=jobs)
    assert not any(o.staged for o in seen) and "Body five." in site.page("/2022/03/05/story-5/")
    assert "2022/03/05/story-5/index.html" in [o.path for o in seen if o.data is not None] and report.rendered < report.pages


def test_the_search_index_is_kept_when_no_page_changed(site: SiteFolder) -> None:
    site.add("a.txt", text_article("2022-03-01", "Story", "Body."))
    site.build()
    index = site.dist / "pagefind" / "pagefind-entry.json"
    before = index.stat().st_ino
    site.add("a.txt", text_article("2022-03-01", "Story", "Body."))  # touched, same bytes: no page changes
    site.build()
    assert index.stat().st_ino == before, "the live index was linked, not made again"
    site.add("a.txt", text_article("2022-03-01", "Story", "Another body."))
    site.build()
    assert index.stat().st_ino != before and "Another" in site.page("/2022/03/01/story/")


def test_clean_starts_a_fresh_staging_folder_and_leaves_nothing_aside(site: SiteFolder) -> None:
    no_search(site)
    site.add("a.txt", text_article("2022-03-01", "Story", "Body."))
    site.build()
    site.add("a.txt", text_article("2022-03-01", "Story", "Changed."))
    site.build()  # a staging folder now holds the first build
    (site.root / ".dist.staging" / "stray.html").write_text("left by nobody")
    report = site.build(clean=True)
    assert report.rendered == report.pages and "Changed." in site.page("/2022/03/01/story/")
    assert not (site.root / ".dist.staging" / "stray.html").exists() and not (site.dist / "stray.html").exists()
    staging = site.root / ".dist.staging/2022/03/01/story/index.html"
    assert os.stat(staging).st_ino == os.stat(site.dist / "2022/03/01/story/index.html").st_ino, "the next staging tree is ready"


def test_compiled_templates_are_kept_and_follow_template_edits(site: SiteFolder, tmp_path: Path) -> None:
    import shutil

    from conftest import REPO
    from newsarchive import incremental

    no_search(site)
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    site.add("a.txt", text_article("2022-03-01", "Story", "Body."))
    site.build(templates=templates, jobs=1)
    compiled = cache.cache_folder(site.dist) / "templates" / incremental.code_digest()
    kept = {p.name: p.stat().st_mtime_ns for p in compiled.iterdir()}
    assert len(kept) >= 3, "base, article and the macros it imports, at least"
    article = templates / "article.html"
    article.write_text(article.read_text().replace("{% endblock %}", "<p>edited template</p>\n{% endblock %}", 1))
    site.build(templates=templates, jobs=1)
    assert "edited template" in site.page("/2022/03/01/story/")
    again = {p.name: p.stat().st_mtime_ns for p in compiled.iterdir()}
    assert {name for name in kept if again.get(name) != kept[name]}, "the edited template was compiled again"
    (compiled.parent / "an-older-version").mkdir()
    site.add("a.txt", text_article("2022-03-01", "Story", "Another body."))
    site.build(templates=templates, jobs=1)
    assert [p.name for p in compiled.parent.iterdir()] == [compiled.name], "another version's code is dropped"


def test_the_walk_of_the_inputs_gives_the_loader_the_stamps_it_would_take(site: SiteFolder) -> None:
    """build.py's check for changed inputs stats every file; the loader reuses those stamps."""
    site.add("a.txt", text_article("2022-03-01", "Story A", "Body."))
    site.add("deep/b.txt", text_article("2022-03-02", "Story B", "Body."))
    stamps: dict[str, incremental.Stamp] = {}
    incremental.inputs_digest((), [site.seeds], 0, stamps)
    found = [item[0] for item in load.discover(site.seeds, "seeds") if not isinstance(item, Problem)]
    assert sorted(found) == sorted(stamps)
    assert all(stamps[path] == load._stamp(path) for path in found)
    info = os.stat(found[0])  # packed in 32 bytes (a tuple of four ints takes about 200)
    assert len(stamps[found[0]]) == 32 and incremental.stamp_time(stamps[found[0]]) == max(info.st_mtime_ns, info.st_ctime_ns)


def test_the_inputs_digest_moves_with_every_name_time_size_and_mode_and_with_nothing_else(tmp_path: Path) -> None:
    """What decides that a rebuild has nothing to do: each change below must give a digest not seen before."""
    (tmp_path / "sub").mkdir()
    first, second = tmp_path / "a.txt", tmp_path / "sub" / "b.txt"
    first.write_text("one")
    second.write_text("two")
    digest = lambda: incremental.inputs_digest(("parts",), [tmp_path], 0)[0]  # noqa: E731
    seen = [digest()]
    assert digest() == seen[0], "the same files give the same digest"
    changes = [
        lambda: os.chmod(first, 0o600),
        lambda: os.utime(second, ns=(10**18, 10**18)),
        lambda: first.write_text("six"),  # same size: its times move
        lambda: second.write_text("longer"),
        lambda: first.rename(tmp_path / "c.txt"),
        lambda: (tmp_path / "sub" / "empty").mkdir(),
    ]
    for change in changes:
        change()
        seen.append(digest())
        assert seen[-1] not in seen[:-1]
    assert incremental.inputs_digest(("other parts",), [tmp_path], 0)[0] != seen[-1]


def test_the_export_is_made_again_only_for_articles_whose_metadata_changed(site: SiteFolder, monkeypatch, tmp_path: Path) -> None:
    """Each article's fragment of the export is kept by metadata digest, one cache file per year:
    after every edit of a sequence the export (split per year, then whole) is byte for byte a
    clean build's, and only the changed articles' fragments were made. A damaged cache file, or
    one of another configuration, costs time only."""
    from newsarchive import export

    site.config("search: false\nbase_url: https://example.org/\nexport_split: 4\n")
    for n in range(12):
        site.add(f"{n:02d}.txt", text_article(f"{2020 + n // 4}-03-{n + 1:02d}", f"Story {n}", f"The lede of story {n}.", "More."))
    site.build()
    made: list[str] = []
    fragment = export.fragment
    monkeypatch.setattr(export, "fragment", lambda article, config: made.append(article.slug) or fragment(article, config))
    kept = cache.cache_folder(site.dist) / "export"

    def rebuilt(step: str) -> list[str]:
        made.clear()
        site.build()
        remade = sorted(made)
        clean = tmp_path / step / "dist"
        build(site.options(output=clean, clean=True))
        assert files(site.dist) == files(clean), step
        return remade

    site.add("05.txt", text_article("2021-03-06", "Story 5", "An update follows. The lede of story 5.", "More."))
    assert rebuilt("lede") == ["story-5"]
    site.add("new.txt", text_article("2030-01-01", "A later year", "Lede."))
    assert rebuilt("year added") == ["a-later-year"] and (site.dist / "articles/2030.json").is_file()
    (site.seeds / "new.txt").unlink()
    assert rebuilt("year gone") == [] and not (kept / "2030.pickle").exists()
    (kept / "2021.pickle").write_bytes(b"not a pickle")
    cache.save(site.dist, "export/2022.pickle", ("another key", {"x": "not bytes"}))
    site.add("00.txt", text_article("2020-03-01", "Story 0", "A new lede of story 0.", "More."))
    assert rebuilt("damaged") == sorted(["story-0", *(f"story-{n}" for n in range(4, 12))])
    site.config("search: false\nbase_url: https://example.org/\nexport_split: 100\ntitle: Another\n")
    assert rebuilt("one file") == [], "neither the title nor export_split shapes a fragment"
    site.config("search: false\nbase_url: https://example.net/\nexport_split: 100\n")
    assert len(rebuilt("base_url")) == 12


def test_the_sitemaps_are_made_again_only_when_the_pages_or_their_dates_change(site: SiteFolder, monkeypatch, tmp_path: Path) -> None:
    """A lede or a headline edit keeps every page and date: the live sitemaps are taken as they
    are, without walking the pages. An `updated` date or a new article makes them again. After
    every step the site is byte for byte a clean build's."""
    from newsarchive import sitemap

    site.config("search: false\nbase_url: https://example.org/\nper_page: 3\n")
    for day in range(1, 8):
        site.add(f"{day}.md", f"---\ntitle: Story {day}\nslug: story-{day}\ndate: 2022-03-0{day}\ntags: [port]\n---\n\nThe lede {day}.\n")
    site.build()
    walked: list[int] = []
    entries = sitemap.page_entries
    monkeypatch.setattr(sitemap, "page_entries", lambda pages, *rest: walked.append(1) or entries(pages, *rest))

    def rebuilt(step: str) -> bool:
        walked.clear()
        report = site.build()
        made = bool(walked)
        clean = tmp_path / step / "dist"
        clean_report = build(site.options(output=clean, clean=True))
        assert files(site.dist) == files(clean), step
        assert report.extras == clean_report.extras, step  # the summary names the sitemaps kept as it did when they were made
        return made

    site.add("3.md", "---\ntitle: Story 3\nslug: story-3\ndate: 2022-03-03\ntags: [port]\n---\n\nA new lede 3.\n")
    assert not rebuilt("lede")
    site.add("3.md", "---\ntitle: Story three\nslug: story-3\ndate: 2022-03-03\ntags: [port]\n---\n\nA new lede 3.\n")
    assert not rebuilt("headline")
    before = (site.dist / "sitemap.xml").read_bytes()
    site.add("3.md", "---\ntitle: Story three\nslug: story-3\ndate: 2022-03-03\nupdated: 2022-04-01\ntags: [port]\n---\n\nA new lede 3.\n")
    assert rebuilt("updated") and (site.dist / "sitemap.xml").read_bytes() != before
    site.add("8.md", "---\ntitle: Story 8\nslug: story-8\ndate: 2022-03-08\ntags: [port]\n---\n\nThe lede 8.\n")
    assert rebuilt("added")
    assert not rebuilt("nothing")


def test_related_lists_kept_by_a_build_that_died_before_the_swap_are_used_rightly(site: SiteFolder, monkeypatch, tmp_path: Path) -> None:
    """The related lists are kept as soon as they are found, before the last build's state is
    loaded (layout.related_lists); the state keeps the lists the live pages were made with. A build
    that dies after finding new lists leaves the two apart: the next one must still tell which
    article pages changed list, and equal a clean build."""
    no_search(site)
    for day in range(1, 13):
        place = ("lighthouse", "ferry", "market")[day % 3]
        site.add(f"{day:02d}.txt", text_article(f"2022-03-{day:02d}", f"Story {day}", f"The {place} story {day}.", "More."))
    site.build()
    site.add("05.txt", text_article("2022-03-05", "Story 5", "The market and the ferry story 5.", "More."))

    def dies(*args, **kwargs):
        raise RuntimeError("killed while writing")

    monkeypatch.setattr(pipeline, "write_site", dies)
    with pytest.raises(RuntimeError):
        site.build()
    monkeypatch.undo()
    kept_key, kept = cache.load(site.dist, "related-lists.pickle", None)
    assert kept != cache.load(site.dist, "site.pickle", None).related, "the new lists are kept, the state has the live pages' ones"
    site.build()
    build(site.options(output=tmp_path / "clean", clean=True))
    assert files(site.dist) == files(tmp_path / "clean")


def test_the_site_state_comes_back_equal_with_each_path_one_string(tmp_path: Path) -> None:
    """Saved without a memo (cache.save), the state still comes back with one string per output
    path and per digest, shared by all its records, and the dicts in their order (page order)."""
    pages = [f"2022/03/{n:02d}/story/index.html" for n in range(1, 30)]
    state = cache.SiteState(
        trees={(1, 2): {p: f"d{n % 3}" for n, p in enumerate(pages)}, (1, 3): {p: f"d{n % 4}" for n, p in enumerate(reversed(pages))}},
        live=(1, 2), fingerprints={p: f"f{n}" for n, p in enumerate(pages)}, body_reads={pages[4]: (("a.txt", "b1"),)},
        related_key="k", related=[(1, 2)], sections=(3, 26), sitemaps=("s", (("/sitemap.xml",), "sitemap.xml (29 URLs)")),
    )  # fmt: skip
    cache.save(tmp_path / "dist", "site.pickle", state, tree=True)
    back = cache.load(tmp_path / "dist", "site.pickle", None)
    assert back == state and list(back.fingerprints) == pages and list(back.trees[(1, 3)]) == pages[::-1]
    one = {id(p) for p in back.fingerprints}
    assert {id(p) for tree in back.trees.values() for p in tree} == one and {id(p) for p in back.body_reads} <= one
    assert len({id(d) for tree in back.trees.values() for d in tree.values()}) == 4
    assert cache.share_paths(back) == {p: p for p in pages}


def test_a_build_that_lays_out_every_page_sets_the_page_records_aside_and_takes_them_back(site: SiteFolder, monkeypatch, tmp_path: Path) -> None:
    """A build that makes every page anew (here, an article added) sets the last build's
    fingerprints and bodies read aside on disk while it does (cache.Parking) and takes them back to
    choose the pages to render: only the pages the new article shows on are rendered. Lost in
    between, they only cost time: every page is rendered, and the site is a clean build's."""
    no_search(site)
    for day in range(1, 10):
        site.add(f"{day}.txt", text_article(f"2022-03-0{day}", f"Story {day}", f"Lede {day}.", "More."))
    site.build()
    parked: list[int] = []
    park = cache.Parking.park

    def counted(self: cache.Parking) -> None:
        park(self)
        parked.append(len(self.state.fingerprints))

    monkeypatch.setattr(cache.Parking, "park", counted)
    site.add("new.txt", text_article("2022-03-20", "A new story", "Its lede.", "More."))
    report = site.build()
    assert parked == [0] and not (cache.cache_folder(site.dist) / cache.Parking.NAME).exists()
    assert 0 < report.rendered < report.pages / 2, "the taken back fingerprints spare the unchanged pages"
    monkeypatch.setattr(cache.Parking, "park", lambda self: park(self) or (cache.cache_folder(self.output) / self.NAME).unlink())
    site.add("newer.txt", text_article("2022-03-21", "A newer story", "Its lede.", "More."))
    lost = site.build()
    assert lost.rendered == lost.pages
    build(site.options(output=tmp_path / "clean", clean=True))
    assert files(site.dist) == files(tmp_path / "clean")


def test_a_shard_of_sources_names_the_classes_of_its_entries_once(tmp_path: Path) -> None:
    """Each class an entry's objects are made of is named once per shard file (pickle's memo), not
    once per entry: loading a shard then looks each up once. The entries come back equal."""
    from newsarchive.model import Link

    mapping = {f"seeds/{n:03d}.txt": Link(f"/2022/{n:03d}/", f"Story {n}", n) for n in range(300)}
    cache.save_shards(tmp_path / "dist", "sources", "key", mapping, None)
    shards = sorted((cache.cache_folder(tmp_path / "dist") / "sources").glob("*.pickle"))
    assert sum(shard.read_bytes().count(b"Link") for shard in shards) == len(shards) == cache.SHARDS
    assert cache.load_shards(tmp_path / "dist", "sources", "key") == mapping


def test_saving_shards_rewrites_only_those_whose_entries_changed_and_each_comes_back_whole(tmp_path: Path) -> None:
    output = tmp_path / "dist"
    mapping = {f"seeds/{n:03d}.txt": f"entry {n}" for n in range(300)}
    cache.save_shards(output, "sources", "key", mapping, None)
    folder = cache.cache_folder(output) / "sources"
    before = {path.name: path.stat().st_ino for path in folder.glob("*.pickle")}
    stored = cache.load_shards(output, "sources", "key")
    edited = dict(stored)
    edited["seeds/007.txt"] = "entry 7, edited"
    del edited["seeds/100.txt"]
    edited["seeds/new.txt"] = "a new entry"
    cache.save_shards(output, "sources", "key", edited, stored)
    rewritten = {path.name for path in folder.glob("*.pickle") if path.stat().st_ino != before[path.name]}
    assert rewritten == {f"{cache._shard(item):02d}.pickle" for item in ("seeds/007.txt", "seeds/100.txt", "seeds/new.txt")}
    assert cache.load_shards(output, "sources", "key") == edited


def test_a_rebuild_takes_an_unchanged_site_yaml_from_the_cache_and_reads_a_changed_one(site: SiteFolder) -> None:
    import subprocess
    import sys

    site.config("title: First title\nsearch: false\n")
    site.add("a.txt", text_article("2022-03-01", "Story", "Body."))
    site.build()
    # A rebuild (an article edited) in a new process: its configuration comes from the cache,
    # so the YAML parser is never imported.
    site.add("a.txt", text_article("2022-03-01", "Story", "A new body."))
    script = ("import sys; from newsarchive.cli import main; main(sys.argv[1:]); print('yaml' in sys.modules)")
    args = ["--seeds", "seeds", "--output", "dist", "--config", "site.yaml", "--templates", str(site.options().templates),
            "--static", str(site.options().static), "--quiet", "build"]  # fmt: skip
    run = subprocess.run([sys.executable, "-c", script, *args], cwd=site.root, capture_output=True, text=True, check=True)
    assert run.stdout.split()[-1] == "False", run.stdout + run.stderr
    assert "A new body." in site.page("/2022/03/01/story/") and "First title" in site.page("/")
    site.config("title: Second title\nsearch: false\n")
    site.build()
    assert "Second title" in site.page("/") and "First title" not in site.page("/")
    site.config("title: [unclosed\n")
    with pytest.raises(ConfigError, match="invalid YAML"):
        site.build()
