"""No broken internal link or #anchor anywhere in the browser test site, whether it is served at a
domain root or under a sub-path. Every HTML file in the built site is read, so pages added by
later features are checked too."""

from __future__ import annotations

from pathlib import Path

from newsarchive.links import broken_links
from qa_site import page_urls


def test_no_broken_links_at_the_root(qa_site: Path) -> None:
    assert len(page_urls(qa_site)) > 50
    assert broken_links(qa_site) == []


def test_no_broken_links_under_a_sub_path(qa_site_under_sub_path: Path) -> None:
    assert broken_links(qa_site_under_sub_path, mount="/news/") == []


def test_the_sub_path_build_links_from_its_sub_path(qa_site: Path, qa_site_under_sub_path: Path) -> None:
    """404.html is served at any missing URL, so it links from the site's root: the one page whose
    links depend on where the site is published, and so the one the sub-path check must see."""
    assert 'href="/news/archive/"' in (qa_site_under_sub_path / "404.html").read_text(encoding="utf-8")
    assert 'href="/archive/"' in (qa_site / "404.html").read_text(encoding="utf-8")
