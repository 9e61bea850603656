"""Posts of other generators build as they are: a small sample per generator under tests/importers/,
each beside the dates, titles, URLs, redirects and exact problem lines it must give (expected.json).
"""

from __future__ import annotations

import html
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import REPO
from newsarchive.links import broken_links
from newsarchive.build import BuildOptions, build
from newsarchive.urls import article_url, output_path, relative

SAMPLES = Path(__file__).parent / "importers"
GENERATORS = sorted(p.name for p in SAMPLES.iterdir() if (p / "expected.json").is_file())


def _expected(generator: str) -> dict:
    return json.loads((SAMPLES / generator / "expected.json").read_text(encoding="utf-8"))


def _build(generator: str, output: Path, monkeypatch: pytest.MonkeyPatch, **options):
    """Build a sample from its own folder, so problems name files as its author sees them."""
    sample = SAMPLES / generator
    monkeypatch.chdir(sample)
    seeds = sample / _expected(generator)["seeds"]
    return build(BuildOptions(seeds=seeds, output=output, config=sample / "site.yaml", templates=REPO / "templates", static=REPO / "static", **options))


def test_every_generator_has_a_sample() -> None:
    assert GENERATORS == ["eleventy", "hugo", "jekyll", "pelican", "zola"]


@pytest.mark.parametrize("generator", GENERATORS)
def test_sample_builds_with_right_dates_titles_and_urls(generator: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _expected(generator)
    dist = tmp_path / "dist"
    report = _build(generator, dist, monkeypatch)
    assert [str(p) for p in report.problems] == expected["problems"]
    got = [
        {
            "url": article_url(a),
            "title": a.title,
            "date": a.date.isoformat(),
            "time": a.published.isoformat() if a.published else None,
            "tags": list(a.tags),
        }
        for a in report.loaded.articles
    ]
    assert got == expected["articles"]
    assert report.loaded.drafts == len(expected["drafts"])
    for article in expected["articles"]:
        page = (dist / output_path(article["url"])).read_text(encoding="utf-8")
        assert f"<h1>{html.escape(article['title'], quote=False)}</h1>" in page
    assert broken_links(dist) == []


@pytest.mark.parametrize("generator", GENERATORS)
def test_drafts_publish_only_with_the_drafts_option(generator: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _expected(generator)
    report = _build(generator, tmp_path / "dist", monkeypatch, drafts=True)
    urls = {article_url(a) for a in report.loaded.articles}
    assert urls == {a["url"] for a in expected["articles"]} | set(expected["drafts"])


@pytest.mark.parametrize("generator", GENERATORS)
def test_redirect_pages_lead_to_the_article(generator: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _expected(generator)
    dist = tmp_path / "dist"
    _build(generator, dist, monkeypatch, base_url="https://news.example.org/archive/")
    found = {
        "/" + p.relative_to(dist).as_posix().removesuffix("index.html"): p.read_text(encoding="utf-8")
        for p in dist.rglob("*.html")
        if 'http-equiv="refresh"' in p.read_text(encoding="utf-8")
    }
    assert sorted(found) == sorted(expected["redirects"])
    for old, target in expected["redirects"].items():
        link = relative(target, old)
        page = found[old]
        assert f'<meta http-equiv="refresh" content="0; url={link}">' in page
        assert f'<link rel="canonical" href="https://news.example.org/archive{target}">' in page
        assert f'<a href="{link}">' in page
        assert '<meta name="robots" content="noindex">' in page


class _Stack(HTMLParser):
    """Records the open elements when the site footer starts, and every end tag that closed
    something other than the element opened last: a body left unbalanced shows in either."""

    VOID = {"meta", "link", "br", "hr", "img", "input", "source", "wbr", "col", "area", "base", "embed", "track"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.at_footer: list[str] | None = None
        self.mismatched: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "footer" and ("class", "site-footer") in attrs:
            self.at_footer = list(self.stack)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
        else:
            self.mismatched.append(tag)


def test_template_tags_never_break_the_layout(site) -> None:
    site.add(
        "2022-01-05-layout.md",
        "---\ntitle: Layout survives\n---\n"
        "{{< rawhtml >}}<div><table><tr><td>{{< /rawhtml >}}\n\n"
        "{% if x %}<section><ul><li>open{% endif %}\n\n"
        "{{% details %}}<details><summary>{{ title }}</summary>{{% /details %}}\n\n"
        "Text after.\n",
    )
    report = site.build()
    assert [p.message[:16] for p in report.problems] == ["7 template tag(s"]
    page = site.page("/2022/01/05/layout-survives/")
    parser = _Stack()
    parser.feed(page)
    assert parser.at_footer == ["html", "body"]
    assert parser.mismatched == []
    assert "{{" not in page and "{%" not in page
    assert "Text after." in page


def test_same_named_posts_in_different_folders_both_publish(site) -> None:
    for folder, title in (("en/posts/hello", "Hello"), ("fr/posts/hello", "Bonjour"), ("az/posts/hello", "Salam")):
        site.add(f"{folder}/index.md", f"---\ntitle: {title}\ndate: 2022-03-01\n---\nBody.\n")
    report = site.build()
    assert sorted(article_url(a) for a in report.loaded.articles) == [
        "/2022/03/01/hello-2/", "/2022/03/01/hello-3/", "/2022/03/01/hello/"
    ]  # fmt: skip
    assert [p.level for p in report.problems] == ["warning", "warning"]
    titles = {article_url(a): a.title for a in report.loaded.articles}
    assert titles["/2022/03/01/hello/"] == "Salam"  # first by path: az/


def test_redirect_clashing_with_a_real_page_is_an_error_and_the_page_wins(site) -> None:
    site.add("a.md", "---\ntitle: First\ndate: 2022-03-01\naliases: [/2022/, /tags/, /404.html, /old/]\n---\nBody.\n")
    site.add("b.md", "---\ntitle: Second\ndate: 2022-03-02\nredirect_from: [/old/, /2022/03/02/second/, /404.html/x/]\n---\nBody.\n")
    report = site.build()
    assert [str(p) for p in report.problems] == [
        "seeds/a.md: redirect from /2022/ would replace a page or file of the site; not written",
        "seeds/a.md: redirect from /tags/ would replace a page or file of the site; not written",
        "seeds/a.md: redirect from /404.html would replace a page or file of the site; not written",
        "seeds/b.md: redirect from /old/ is already made for seeds/a.md; not written",
        "seeds/b.md: warning: redirect from /2022/03/02/second/ is this article's own URL; none is needed",
        "seeds/b.md: redirect from /404.html/x/ would replace a page or file of the site; not written",
    ]
    assert "First" in site.page("/old/")
    assert 'http-equiv="refresh"' not in site.page("/2022/")
    assert 'http-equiv="refresh"' not in (site.dist / "404.html").read_text(encoding="utf-8")


def test_strict_refuses_a_redirect_clash(site) -> None:
    site.add("a.md", "---\ntitle: First\ndate: 2022-03-01\naliases: [/2022/]\n---\nBody.\n")
    with pytest.raises(Exception, match="--strict"):
        site.build(strict=True)
    assert not site.dist.exists()


@pytest.mark.parametrize(
    "old, reason",
    [
        ("/../outside/", "is not a safe path inside the site"),
        ("/a/%2e%2e/%2e%2e/x/", "is not a safe path inside the site"),
        ("/a//b/", "is not a safe path inside the site"),
        ("/.hidden/", "is not a safe path inside the site"),
        ("relative/path/", "must start with '/' (the full old path from the site root)"),
        ("https://old.example.org/x/", "must be a path on this site such as /old/post/, not a full URL"),
        ("//old.example.org/x/", "must be a path on this site such as /old/post/, not a full URL"),
        ("/?p=123", "cannot hold '?' or '#': a static host serves neither a query nor a fragment"),
        ("/", "cannot be the home page"),
        ("/feed.xml", "ends in '.xml': only a folder or an .html page can redirect on a static host"),
    ],
)
def test_unsafe_redirect_paths_are_refused_with_their_line(site, old: str, reason: str) -> None:
    site.add("a.md", f"---\ntitle: First\ndate: 2022-03-01\nredirect_from:\n  - /fine/\n  - {json.dumps(old)}\n---\nBody.\n")
    report = site.build()
    assert [str(p) for p in report.problems] == [f"seeds/a.md:4: redirect_from {old!r} {reason}; no redirect is made"]
    assert [a.title for a in report.loaded.articles] == ["First"]
    assert 'http-equiv="refresh"' in site.page("/fine/")
    written = sorted(p.relative_to(site.root).as_posix() for p in site.root.rglob("*") if p.is_file())
    assert all(p.startswith(("dist/", "seeds/", ".dist", ".newsarchive-cache/dist/")) for p in written)  # and the build cache


def test_redirect_pages_are_left_out_for_articles_left_out(site) -> None:
    site.add("a.md", "---\ntitle: Draft\ndate: 2022-03-01\ndraft: true\naliases: [/old/]\n---\nBody.\n")
    site.add("b.md", "---\ntitle: Kept\ndate: 2022-03-02\n---\nBody.\n")
    site.build()
    assert not (site.dist / "old").exists()


def test_old_link_takes_a_browser_to_the_article_under_a_sub_path(tmp_path: Path, browser, monkeypatch: pytest.MonkeyPatch) -> None:
    from browser import serve

    dist = tmp_path / "dist"
    _build("jekyll", dist, monkeypatch)
    with serve(dist, mount="/archive/") as base:
        page = browser.new_page()
        for old, target in _expected("jekyll")["redirects"].items():
            page.goto(base + old.lstrip("/"))
            page.wait_for_url(base + target.lstrip("/"))
            assert page.locator("h1").inner_text() in {a["title"] for a in _expected("jekyll")["articles"]}
        page.close()


def test_an_old_path_without_an_ending_is_a_folder(site) -> None:
    site.add("a.md", "---\ntitle: First\ndate: 2022-03-01\naliases: /old-a\n---\nBody.\n")
    report = site.build()
    assert report.loaded.articles[0].redirect_from == ("/old-a/",)
    assert "First" in site.page("/old-a/")


def test_redirect_cannot_take_the_place_of_a_feed_or_sitemap(site) -> None:
    site.config("base_url: https://news.example.org/\n")
    site.add("a.md", "---\ntitle: First\ndate: 2022-03-01\ntags: [x]\naliases: [/feed.xml/, /tags/x/feed.xml/old/, /robots.txt/]\n---\nBody.\n")
    report = site.build()
    assert [str(p) for p in report.problems] == [
        f"seeds/a.md: redirect from {old} would replace a page or file of the site; not written"
        for old in ("/feed.xml/", "/tags/x/feed.xml/old/", "/robots.txt/")
    ]
    assert (site.dist / "feed.xml").is_file() and (site.dist / "robots.txt").is_file()


def test_imported_pages_and_redirect_pages_are_valid_html(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One Nu HTML checker run over every sample's site (drafts too); a canary proves it read them."""
    from test_html_valid import nu_errors

    for generator in GENERATORS:
        _build(generator, tmp_path / generator, monkeypatch, drafts=True, base_url="https://news.example.org/")
    (tmp_path / "canary.html").write_text("<!doctype html><html lang=en><title>canary</title><p><div></p>", encoding="utf-8")
    files = sorted({Path(m.get("url", "").removeprefix("file:")).name for m in nu_errors(tmp_path)})
    assert files == ["canary.html"]
