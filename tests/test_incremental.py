"""Incremental builds: after any sequence of edits, a rebuild equals a clean full build byte for byte
(pages, redirect pages, feeds, sitemaps), and it renders only the pages whose inputs changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import REPO, SiteFolder, text_article
from searchindex import stable_view
from newsarchive.build import build


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def md_article(day: str, title: str, tags: str, body: str = "Body text.") -> str:
    return f"---\ntitle: {title}\ndate: {day}\ntags: [{tags}]\n---\n{body}\n"


class Sites:
    """An incremental build in dist/ beside a clean full build of the same inputs in a fresh folder."""

    def __init__(self, site: SiteFolder, tmp_path: Path, jobs: int) -> None:
        self.site, self.tmp, self.jobs, self.clean_builds = site, tmp_path, jobs, 0
        self.templates = tmp_path / "templates"
        self.static = tmp_path / "static"
        shutil.copytree(REPO / "templates", self.templates)
        shutil.copytree(REPO / "static", self.static)

    def build(self):
        report = self.site.build(templates=self.templates, static=self.static, jobs=self.jobs)
        self.clean_builds += 1
        clean_output = self.tmp / f"clean{self.clean_builds}" / "dist"
        build(self.site.options(output=clean_output, templates=self.templates, static=self.static, jobs=1, clean=True))
        assert stable_view(tree(self.site.dist)) == stable_view(tree(clean_output))  # Pagefind's unordered files by kind
        return report


@pytest.fixture(params=[1, 2], ids=["1 job", "2 jobs"])
def sites(site: SiteFolder, tmp_path: Path, request: pytest.FixtureRequest) -> Sites:
    for day in range(1, 29):
        site.add(f"2022/02/{day:02d}.txt", text_article(f"2022-02-{day:02d}", f"Story of day {day}", "First.", "Second."))
    for n in range(12):
        site.add(f"tagged/{n}.md", md_article(f"2021-{n + 1:02d}-15", f"Tagged story {n}", "Energy, Politics" if n % 2 else "Energy"))
    site.config("title: Before\nper_page: 5\n")
    return Sites(site, tmp_path, request.param)


def test_every_kind_of_change_equals_a_clean_build(sites: Sites) -> None:
    site = sites.site
    first = sites.build()
    assert first.rendered == first.pages and first.stats.written == first.files

    unchanged = sites.build()
    assert unchanged.rendered == 0  # (it still writes: the staging folder was empty after the first build)
    again = sites.build()
    assert again.rendered == 0 and again.stats.written == 0

    site.add("2022/02/10.txt", text_article("2022-02-10", "Story of day 10", "First.", "Corrected."))  # same word count
    edited = sites.build()
    # Its own page and the pages listing it (an article's digest covers its body, as a template may show it).
    assert edited.stats.written == 1 and 1 <= edited.rendered < edited.pages / 4, "a body edit re-renders only the pages showing that article"

    site.add("2022/02/11.txt", text_article("2022-02-11", "A new headline for day 11", "First.", "Second."))
    sites.build()  # a headline edit: its page, its neighbours, and every list that shows it

    site.add("2022/03/01.txt", text_article("2022-03-01", "A new month begins", "Hello."))
    sites.build()  # add: a new month, day and year navigation

    (site.seeds / "2022/02/05.txt").unlink()
    sites.build()  # delete: its pages disappear

    (site.seeds / "tagged/3.md").rename(site.seeds / "tagged/renamed.md")
    sites.build()  # rename: same article, new source path

    site.add("tagged/4.md", md_article("2021-05-15", "Tagged story 4", "Culture"))
    sites.build()  # a tag change: tag pages appear and shrink

    (sites.templates / "macros.html").write_text((sites.templates / "macros.html").read_text() + "\n{# changed #}\n")
    sites.build()  # a template every page imports

    (sites.templates / "day.html").write_text((sites.templates / "day.html").read_text().replace("<h1>", "<h1 class='day'>"))
    only_days = sites.build()
    assert 0 < only_days.stats.written < only_days.files / 2, "a day template changes day pages only"

    site.config("title: After\nper_page: 3\nbase_url: https://example.org/news/\nfeed_content: full\n")
    sites.build()  # a config change: every page; now with feeds and sitemaps

    site.add("2022/02/13.txt", text_article("2022-02-13", "Story of day 13", "First.", "Changed."))
    sites.build()  # a body edit changes a full-text feed

    site.add("tagged/5.md", md_article("2021-06-15", "Tagged story 5", "Energy", "Moved.").replace("---\nBody", "---\nBody")
             .replace("tags:", "aliases: [/old/five/, /older/five.html]\ntags:"))
    with_redirects = sites.build()  # redirect pages appear
    assert (site.dist / "old/five/index.html").is_file() and (site.dist / "older/five.html").is_file()
    assert with_redirects.rendered < with_redirects.pages

    site.add("tagged/5.md", md_article("2021-06-15", "Tagged story 5, renamed", "Energy", "Moved.")
             .replace("tags:", "aliases: [/old/five/]\ntags:"))
    sites.build()  # a redirect's target moves (new slug); one redirect is gone
    assert not (site.dist / "older/five.html").exists()

    # What pages only show of an article (see incremental.SHOWN_ONLY): the pages stay the same,
    # fingerprinted again from their skeletons.
    site.add("tagged/5.md", md_article("2021-06-15", "A headline of its own", "Energy", "Moved.")
             .replace("tags:", "slug: tagged-story-5-renamed\nauthor: A. Writer\nsummary: Its summary.\naliases: [/old/five/]\ntags:"))
    sites.build()  # a headline with the slug kept, an author and a summary: the redirect page shows the headline too
    site.add("2022/02/14.txt", text_article("2022-02-14", "Story of day 14", "A new lede about the harbour pilots.", "Second."))
    sites.build()  # a lede: the summary of every list that shows the article
    for day in (15, 16, 17):
        site.add(f"2022/02/{day}.txt", text_article(f"2022-02-{day}", f"Story of day {day}", "Lighthouse keepers and harbour pilots.", "Second."))
        sites.build()  # shared words: related lists change, each on its article's page

    (sites.static / "style.css").write_text((sites.static / "style.css").read_text() + "\n/* v2 */\n")
    sites.build()  # a static file's version is in every page

    (site.seeds / "2022/03/01.txt").unlink()
    site.add("2022/02/12.txt", "not an article")
    report = sites.build()  # a month disappears; a broken file is reported, the rest still builds
    assert [p.message for p in report.problems if p.level == "error"]


def test_a_file_changed_behind_the_cache_is_read_again(sites: Sites) -> None:
    sites.build()
    path = sites.site.seeds / "2022/02/07.txt"
    path.write_text(text_article("2022-02-07", "Story of day 7", "First.", "Secnd."))  # same size, new bytes
    sites.build()


def test_clean_ignores_and_rebuilds_the_cache(sites: Sites) -> None:
    sites.build()
    report = sites.site.build(templates=sites.templates, static=sites.static, jobs=sites.jobs, clean=True)
    assert report.rendered == report.pages
    dist = sites.site.dist
    assert (dist.parent / ".newsarchive-cache" / "dist").is_dir() and not (dist / ".newsarchive-cache").exists()


def test_a_lost_cache_or_staging_folder_only_costs_time(sites: Sites) -> None:
    sites.build()
    sites.site.add("2022/02/03.txt", text_article("2022-02-03", "Story of day 3", "Changed."))
    sites.build()
    shutil.rmtree(sites.site.root / ".newsarchive-cache")
    sites.site.add("2022/02/04.txt", text_article("2022-02-04", "Story of day 4", "Changed."))
    sites.build()
    shutil.rmtree(sites.site.root / ".dist.staging")
    sites.site.add("2022/02/06.txt", text_article("2022-02-06", "Story of day 6", "Changed."))
    sites.build()


def _pages_and_skeletons(articles: list, related_lists: list) -> tuple[list, list[str], object]:
    from newsarchive import archive, incremental, redirects
    from newsarchive.config import parse_config
    from newsarchive.urls import output_path

    config = parse_config({"base_url": "https://example.org/", "per_page": 2}, "site.yaml")
    pages = list(archive.build_pages(articles, config, [tuple(articles[i] for i in found) for found in related_lists]))
    pages += redirects.redirect_pages(articles, [output_path(page.url) for page in pages])[0]
    fingerprints, skeletons = incremental.page_fingerprints(pages, "site", articles, [incremental.metadata_digest(a) for a in articles])
    return pages, fingerprints, skeletons


def test_what_pages_only_show_of_an_article_leaves_every_page_s_skeleton_as_it_was() -> None:
    """The layout's middle way (layout.layout) rests on this: no page record is made from a field
    of incremental.SHOWN_ONLY but through the article itself, so changing them leaves every page's
    skeleton as it was, and changes the fingerprint of each page that names the article."""
    import dataclasses
    import datetime as dt

    from newsarchive import incremental
    from newsarchive.model import Article

    def article(n: int) -> Article:
        return Article(source_path=f"seeds/{n}.md", slug=f"story-{n}", date=dt.date(2021 + n % 2, 1 + n % 3, 1 + n), title=f"Story {n}",
                       body_html=f"<p>Body {n}.</p>", summary=f"Summary {n}.", tags=("Energy",) if n % 2 else ("Energy", "Politics"),
                       word_count=100 + n, author="A. Writer", source="Wire" if n % 3 == 0 else None,
                       published=dt.datetime(2021 + n % 2, 1 + n % 3, 1 + n, 9, 30, tzinfo=dt.timezone.utc), updated=None,
                       redirect_from=(f"/old/{n}/",) if n % 4 == 0 else ())  # fmt: skip

    articles = sorted((article(n) for n in range(9)), key=lambda a: a.sort_key)
    lists = [tuple(j for j in range(len(articles)) if j != i)[:3] for i in range(len(articles))]
    assert set(incremental.SHOWN_ONLY) < {f.name for f in dataclasses.fields(Article)}
    pages, fingerprints, skeletons = _pages_and_skeletons(articles, lists)

    shown = [dataclasses.replace(a, title=a.title + " (corrected)", body_html="<p>Other.</p>", summary="Another summary.", word_count=7,
                                 author="B. Writer", updated=dt.datetime(2023, 1, 1, tzinfo=dt.timezone.utc), extra={"note": "x"})
             for a in articles]  # fmt: skip
    assert {f for f in incremental.SHOWN_ONLY if getattr(shown[0], f) == getattr(articles[0], f)} == set(), "every such field changed"
    _, shown_fingerprints, shown_skeletons = _pages_and_skeletons(shown, lists)
    assert shown_skeletons == skeletons
    naming = [index for index, end in enumerate(skeletons.ends) if end > (skeletons.ends[index - 1] if index else 0)]
    assert len(naming) > len(articles) and all(shown_fingerprints[i] != fingerprints[i] for i in naming)
    assert all(shown_fingerprints[i] == fingerprints[i] for i in range(len(pages)) if i not in naming)

    # What is not only shown does change skeletons: a tag, and a related list (on its article's page alone).
    tagged_articles = [dataclasses.replace(articles[0], tags=("Sport",)), *articles[1:]]
    _, _, tagged = _pages_and_skeletons(tagged_articles, lists)
    assert tagged.digests != skeletons.digests
    # The shape digest, which tells the layout it may reuse the skeletons, follows them; the loader's
    # per-article digests stand for an article only if they were made from that very object.
    known = {a.source_path: (a, incremental.article_shape(a)) for a in articles}
    shape = incremental.shape_digest("site", articles)
    assert incremental.shape_digest("site", articles, known) == incremental.shape_digest("site", shown, known) == shape
    assert incremental.shape_digest("site", tagged_articles, known) != shape != incremental.shape_digest("other site", articles, known)
    other_lists = [lists[0][::-1], *lists[1:]]
    _, _, related_skeletons = _pages_and_skeletons(articles, other_lists)
    moved = [i for i in range(len(pages)) if related_skeletons.digests[16 * i : 16 * i + 16] != skeletons.digests[16 * i : 16 * i + 16]
             or related_skeletons.positions[related_skeletons.ends[i - 1] if i else 0 : related_skeletons.ends[i]]
             != skeletons.positions[skeletons.ends[i - 1] if i else 0 : skeletons.ends[i]]]  # fmt: skip
    assert len(moved) == 1 and pages[moved[0]].article is articles[0]


def test_spliced_skeletons_are_those_of_the_pages_made_again() -> None:
    import datetime as dt

    from newsarchive import incremental
    from newsarchive.model import Article

    articles = [Article(source_path=f"seeds/{n}.txt", slug=f"s{n}", date=dt.date(2022, 1, 1 + n), title=f"T{n}", body_html="<p>b</p>", summary="")
                for n in range(6)]  # fmt: skip
    before = [(1, 2), (0,), (), (4, 5, 0), (3,), (0, 1)]
    after = [(2, 1), (0, 2, 3), (), (4,), (3,), (0, 1, 4)]  # articles 0, 1, 3 and 5 have new lists, of other lengths too
    _, _, old = _pages_and_skeletons(articles, before)
    pages, _, new = _pages_and_skeletons(articles, after)
    moved = {id(articles[k]) for k in (0, 1, 3, 5)}
    again = [i for i, page in enumerate(pages) if id(getattr(page, "article", None)) in moved and type(page).__name__ == "ArticlePage"]
    assert len(again) == 4
    metadata = [incremental.metadata_digest(a) for a in articles]
    made = incremental.page_fingerprints([pages[i] for i in again], "site", articles, metadata)[1]
    assert old != new and old.spliced(again, made) == new
    assert old.spliced([], made) == old


def test_fingerprints_made_again_only_where_an_article_or_a_skeleton_changed_are_all_made_again() -> None:
    import dataclasses
    import datetime as dt

    from newsarchive import incremental
    from newsarchive.model import Article

    articles = [Article(source_path=f"seeds/{n}.txt", slug=f"s{n}", date=dt.date(2022, 1 + n % 2, 1 + n), title=f"T{n}", body_html="<p>b</p>",
                        summary="", tags=("Energy",) if n % 3 else ()) for n in range(8)]  # fmt: skip
    lists = [tuple(j for j in range(8) if j != i)[i % 3 : i % 3 + 2] for i in range(8)]
    pages, last, skeletons = _pages_and_skeletons(articles, lists)
    before = [incremental.metadata_digest(a) for a in articles]
    assert skeletons.refingerprinted(last, before, before, []) == last
    for edited in ([3], [0, 7], list(range(8))):
        shown = [dataclasses.replace(a, summary="A new summary.") if n in edited else a for n, a in enumerate(articles)]
        metadata = [incremental.metadata_digest(a) for a in shown]
        every = skeletons.fingerprints(metadata)
        assert skeletons.refingerprinted(last, metadata, before, []) == every != last
    # A page spliced in (its related list changed) is digested again, whatever its articles.
    again = next(i for i, page in enumerate(pages) if type(page).__name__ == "ArticlePage")
    other = [f"stale {i}" for i in range(len(last))]
    made = skeletons.refingerprinted(other, before, before, [again])
    assert made[again] == last[again] and all(made[i] == other[i] for i in range(len(last)) if i != again)
