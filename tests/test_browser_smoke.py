"""The sample archive in a real browser: pages load, navigation works by clicking, no console errors."""

from __future__ import annotations

from pathlib import Path

from browser import serve, watch
from conftest import REPO
from newsarchive.build import BuildOptions, build


def test_sample_archive_navigates_in_chromium(tmp_path: Path, browser) -> None:
    dist = tmp_path / "dist"
    build(BuildOptions(seeds=REPO / "seeds", output=dist, config=REPO / "site.yaml", templates=REPO / "templates", static=REPO / "static"))
    errors: list[str] = []
    with serve(dist, mount="/archive/") as base:
        page = browser.new_page()
        watch(page, errors)
        page.goto(base)
        page.click(".teaser-title a")
        assert page.locator("h1").inner_text().startswith("Baku stresses need")
        page.click(".breadcrumbs >> text=12 December 2022")
        assert page.url == base + "2022/12/12/"
        page.click(".breadcrumbs >> text=December 2022")
        page.click(".calendar a")
        assert page.url == base + "2022/12/12/"
        page.click(".site-nav >> text=Archive")
        assert page.url == base + "archive/"
        page.close()
    assert errors == []
