"""Full-text search without a browser: the index is built on the staged site before the swap,
always matches the published pages, fails with a clear error, and can be turned off."""

from __future__ import annotations

import re
import shutil
import stat
from pathlib import Path

import pytest

from conftest import REPO, SiteFolder, text_article
from searchindex import files as _files
from searchindex import stable_view
from newsarchive.build import BuildOptions, build
from newsarchive.cli import main
from newsarchive.errors import BuildFailed
from newsarchive.write import Indexer, Output, write_site

SEARCH_SITE = Path(__file__).parent / "search"


def _build(seeds: Path, output: Path) -> None:
    build(BuildOptions(seeds, output, SEARCH_SITE / "site.yaml", REPO / "templates", REPO / "static"))


def test_the_index_always_matches_the_published_site(tmp_path: Path) -> None:
    """Rebuilds swap the staging folder back and forth; no fragment of an older build may survive."""
    seeds = tmp_path / "seeds"
    shutil.copytree(SEARCH_SITE / "seeds", seeds)
    dist = tmp_path / "dist"
    _build(seeds, dist)
    first = _files(dist / "pagefind")
    assert sum(path.startswith("fragment/") for path in first) == 6

    (seeds / "2022-05-05-orchestra.md").unlink()
    (seeds / "2020-11-20-bridge.md").write_text(
        (seeds / "2020-11-20-bridge.md").read_text(encoding="utf-8").replace("The vote was close.", "The vote was unanimous."),
        encoding="utf-8",
    )
    for _ in range(3):  # the second and third builds reuse a staging folder that held an older index
        _build(seeds, dist)
        fresh = tmp_path / "fresh"
        shutil.rmtree(fresh, ignore_errors=True)
        _build(seeds, fresh)
        assert stable_view(_files(dist)) == stable_view(_files(fresh))
    assert stable_view(_files(dist / "pagefind")) != stable_view(first)


def test_indexer_runs_on_the_finished_staging_folder_before_the_swap(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    seen: list[tuple[list[str], bool]] = []

    def index(staging: Path) -> None:
        pages = sorted(_files(staging))
        seen.append((pages, any((dist / page).exists() for page in pages)))
        (staging / "idx").mkdir()
        (staging / "idx" / "index.bin").write_bytes(b"index")

    removed = [write_site([Output(name, name.encode())], dist, Indexer("idx", index)).removed for name in ("a.html", "b.html", "c.html")]
    # Each run sees exactly this build's pages, with no stale page and no index left from an older
    # build (or mkdir would fail), while the live folder does not have the new page yet.
    assert seen == [(["a.html"], False), (["b.html"], False), (["c.html"], False)]
    assert _files(dist) == {"c.html": b"c.html", "idx/index.bin": b"index"}
    assert removed == [0, 0, 1]  # a.html left the staging folder; the old index is not a removed page


def test_no_output_may_be_written_into_the_index_folder(tmp_path: Path) -> None:
    with pytest.raises(BuildFailed, match="refusing to write pagefind/x.js: pagefind/ holds the search index"):
        write_site([Output("pagefind/x.js", b"x")], tmp_path / "dist", Indexer("pagefind", lambda staging: None))
    assert not (tmp_path / "dist").exists()


def _fake_pagefind(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "fake-pagefind"
    script.write_text(f'#!/bin/sh\nif [ "$1" = --version ]; then echo "pagefind 1.5.2"; exit 0; fi\n{body}\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def test_a_failing_indexer_is_a_clear_error_and_the_live_site_is_kept(
    site: SiteFolder, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    site.add("a.txt", text_article("2022-01-02", "First story"))
    assert main(["--seeds", "seeds", "--output", "dist", "--config", "site.yaml", "--templates", str(REPO / "templates"), "--static", str(REPO / "static")]) == 0
    before = _files(site.dist)
    site.add("b.txt", text_article("2022-01-03", "Second story"))
    fake = _fake_pagefind(site.root, 'echo "Error: could not write the index: disk full" >&2\nexit 1')
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    capsys.readouterr()
    code = main(["--seeds", "seeds", "--output", "dist", "--config", "site.yaml", "--templates", str(REPO / "templates"), "--static", str(REPO / "static")])
    err = capsys.readouterr().err
    assert code == 1
    assert err == (
        "newsarchive: search index: Pagefind failed to index the site (exit code 1): "
        "Error: could not write the index: disk full; set `search: false` in site.yaml to build without search\n"
    )
    assert _files(site.dist) == before


def test_a_missing_pagefind_binary_is_a_clear_error(site: SiteFolder, monkeypatch: pytest.MonkeyPatch) -> None:
    site.add("a.txt", text_article("2022-01-02", "First story"))
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(site.root / "no-such-pagefind"))
    with pytest.raises(BuildFailed, match=r"^search index: Pagefind could not start: No such file or directory; set `search: false`"):
        site.build()
    assert not site.dist.exists()


def test_search_false_builds_no_index_no_search_page_and_no_search_box(site: SiteFolder) -> None:
    site.add("a.txt", text_article("2022-01-02", "First story"))
    site.build()
    assert (site.dist / "pagefind" / "pagefind-ui.js").is_file()
    assert 'action="../search/"' in site.page("/tags/") and "search/index.html" in _files(site.dist)
    site.config("search: false\n")
    site.build()
    files = _files(site.dist)
    assert not any(path.startswith(("pagefind/", "search/")) for path in files), files
    assert 'role="search"' not in site.page("/") and 'role="search"' not in site.page("/2022/01/02/first-story/")


def test_only_article_pages_are_marked_for_the_index(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    _build(SEARCH_SITE / "seeds", dist)
    marked = sorted(path for path, data in _files(dist).items() if path.endswith(".html") and b"data-pagefind-body" in data)
    assert len(marked) == 6 and all(path.count("/") == 4 for path in marked), marked  # YYYY/MM/DD/slug/index.html
    article = (dist / "2020/03/04/harbour-reopens-after-the-storm/index.html").read_text(encoding="utf-8")
    assert 'data-pagefind-filter="year:2020"' in article and 'data-pagefind-sort="date:2020-03-04"' in article
    assert '<a href="../../../../tags/transport/" rel="tag" data-pagefind-filter="tag">Transport</a>' in article
    assert '<span data-pagefind-meta="date"><time datetime="2020-03-04">4 March 2020</time></span>' in article


def test_the_search_page_loads_the_bundle_from_the_site_itself(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    build(BuildOptions(SEARCH_SITE / "seeds", dist, SEARCH_SITE / "site.yaml", REPO / "templates", REPO / "static", base_url="https://example.org/archive/"))
    page = (dist / "search" / "index.html").read_text(encoding="utf-8")
    assert '<script src="../pagefind/pagefind-ui.js?v=' in page and '<link rel="stylesheet" href="../pagefind/pagefind-ui.css?v=' in page
    scripts_and_styles = re.findall(r'<(?:script|link rel="stylesheet")[^>]*>', page)
    assert len(scripts_and_styles) == 4 and not any("//" in tag for tag in scripts_and_styles), scripts_and_styles
    assert "<noscript>" in page and "Search needs JavaScript" in page
    assert '<meta name="robots" content="noindex">' in page  # and so it is not in the sitemap:
    assert b"/search/" not in (dist / "sitemap.xml").read_bytes()
