"""The browser test site has every page kind, and new kinds are recognised without editing the tests."""

from __future__ import annotations

from pathlib import Path

from qa_site import KINDS, one_page_per_kind, page_kind


def test_test_site_has_every_known_page_kind_with_pagination(qa_site: Path) -> None:
    chosen = one_page_per_kind(qa_site)
    assert set(chosen) >= {name for name, _ in KINDS}
    assert chosen["home-page"].startswith("/page/") and chosen["tag-page"].startswith("/tags/")


def test_page_kinds_by_url() -> None:
    assert [page_kind(url) for url in ("/", "/page/3/", "/2022/12/31/some-story/", "/2022/12/31/", "/2022/12/",
                                       "/2022/", "/archive/", "/tags/", "/tags/energy/", "/tags/energy/page/2/",
                                       "/404.html")] == [name for name, _ in KINDS]  # fmt: skip


def test_unknown_pages_become_kinds_of_their_own() -> None:
    assert page_kind("/search/") == "search"
    assert page_kind("/timeline/2022/") == "timeline-N"
    assert page_kind("/authors/jane-doe/") == "authors-x"
