"""Search in a real browser: the search test site (tests/search: three years, four tags), built with
its Pagefind index and served at the domain root and under the sub-path /archive/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from browser import serve, watch
from conftest import REPO
from newsarchive.build import BuildOptions, build

SEARCH_SITE = Path(__file__).parent / "search"
RESULT = ".pagefind-ui__result"
MESSAGE = ".pagefind-ui__message"


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("search-site") / "dist"
    build(BuildOptions(SEARCH_SITE / "seeds", output, SEARCH_SITE / "site.yaml", REPO / "templates", REPO / "static"))
    return output


@pytest.fixture(scope="module", params=["/", "/archive/"], ids=["root", "sub-path"])
def base(request: pytest.FixtureRequest, dist: Path) -> Iterator[str]:
    with serve(dist, mount=request.param) as url:
        yield url


@pytest.fixture
def page(browser, base: str):
    """A fresh tab that records every console error, page error and failed request (browser.watch:
    a favicon fetch that the next navigation cancels is not one; this module's own watcher counted
    it, and failed when a search was submitted before Chromium had the favicon)."""
    tab = browser.new_page()
    tab.errors = []
    watch(tab, tab.errors)
    yield tab
    tab.close()
    assert tab.errors == []


def _wait_for_message(page, pattern: str) -> None:
    page.wait_for_function(
        "([selector, pattern]) => new RegExp(pattern).test(document.querySelector(selector)?.textContent ?? '')",
        arg=[MESSAGE, pattern],
    )


def _results(page, count: int) -> list[tuple[str, str]]:
    """(headline, date) of each result, once all `count` of them have loaded their data."""
    page.wait_for_function(
        "count => document.querySelectorAll('.pagefind-ui__result-link').length === count"
        " && !document.querySelector('.pagefind-ui__results .pagefind-ui__loading')",
        arg=count,
    )
    titles = page.locator(".pagefind-ui__result-title").all_inner_texts()
    dates = page.locator(".pagefind-ui__result-tag").all_inner_texts()
    return [(title.strip(), date.strip()) for title, date in zip(titles, dates, strict=True)]


def test_the_header_box_finds_the_one_article_with_a_rare_word(page, base: str) -> None:
    page.goto(base + "2021/")
    page.get_by_label("Search the archive").fill("xylophonist")
    page.get_by_label("Search the archive").press("Enter")
    page.wait_for_url(base + "search/?q=xylophonist")
    _wait_for_message(page, "^1 result for xylophonist$")
    assert _results(page, 1) == [("Orchestra gives a premiere", "Date: 5 May 2022")]
    first = page.locator(RESULT).first
    assert first.locator(".pagefind-ui__result-excerpt mark").inner_text() == "xylophonist"
    assert "A new piece for a xylophonist and strings" in first.locator(".pagefind-ui__result-excerpt").inner_text()
    first.locator("a").click()
    page.wait_for_url(base + "2022/05/05/orchestra-gives-a-premiere/")
    assert page.locator("h1").inner_text() == "Orchestra gives a premiere"


def test_filtering_by_year_narrows_the_results(page, base: str) -> None:
    page.goto(base + "search/?q=council")
    _wait_for_message(page, "^6 results for council$")
    assert len({date for _, date in _results(page, 6)}) == 6
    page.get_by_label(re.compile(r"^2021 \(\d+\)$")).check()
    _wait_for_message(page, "^2 results for council$")
    assert sorted(_results(page, 2)) == [
        ("Heatwave breaks records", "Date: 30 July 2021"),
        ("Library extends its opening hours", "Date: 14 February 2021"),
    ]


def test_filtering_by_tag_narrows_the_results(page, base: str) -> None:
    page.goto(base + "search/?q=council")
    _wait_for_message(page, "^6 results for council$")
    page.locator("summary", has_text="Tag").click()
    page.get_by_label(re.compile(r"^Transport \(\d+\)$")).check()
    _wait_for_message(page, "^2 results for council$")
    assert sorted(_results(page, 2)) == [
        ("Council votes for a new bridge", "Date: 20 November 2020"),
        ("Harbour reopens after the storm", "Date: 4 March 2020"),
    ]


def test_results_can_be_ordered_by_date_keeping_the_search_and_filters(page, base: str) -> None:
    page.goto(base + "search/?q=council&order=oldest")
    _wait_for_message(page, "^6 results for council$")
    assert [date for _, date in _results(page, 6)] == [
        "Date: 4 March 2020", "Date: 20 November 2020", "Date: 14 February 2021",
        "Date: 30 July 2021", "Date: 5 May 2022", "Date: 12 December 2022",
    ]  # fmt: skip
    page.get_by_label(re.compile(r"^2022 \(\d+\)$")).check()
    _wait_for_message(page, "^2 results for council$")
    page.get_by_label("Order").select_option("newest")
    page.wait_for_url(base + "search/?q=council&order=newest")
    _wait_for_message(page, "^2 results for council$")
    # The count and the address change no sooner than the old order may still be on screen: wait
    # for the newest result to come first (a timeout if the order never changes).
    page.wait_for_function("() => document.querySelector('.pagefind-ui__result-title')?.textContent.trim() === 'Budget approved for schools'")
    assert _results(page, 2) == [("Budget approved for schools", "Date: 12 December 2022"), ("Orchestra gives a premiere", "Date: 5 May 2022")]
    assert page.get_by_label("Search articles").input_value() == "council"


def test_list_pages_and_navigation_are_not_indexed(page, base: str) -> None:
    page.goto(base + "search/?q=tagged")  # "Tagged" heads every tag page, and no article says it
    _wait_for_message(page, "^No results for tagged$")
    page.goto(base + "search/?q=chronicle")  # the site title, in every header
    _wait_for_message(page, "^No results for chronicle$")


def test_search_works_from_the_keyboard_alone(page, base: str) -> None:
    page.goto(base + "search/")
    box = page.get_by_label("Search articles")
    assert box.evaluate("input => input.labels.length === 1 && !input.hasAttribute('title') && input.id === 'search-input'")
    _tab_until(page, "input.id === 'search-input'")
    page.keyboard.type("council")
    _wait_for_message(page, "^6 results for council$")
    page.wait_for_url(base + "search/?q=council")  # the address keeps the search (updated after typing)
    page.locator("#year-2020").wait_for()  # the filters render after the results; tabbing earlier skips them
    _tab_until(page, "input.id === 'year-2020'")
    page.keyboard.press("Space")
    _wait_for_message(page, "^2 results for council$")
    _tab_until(page, "input.closest('.pagefind-ui__result') !== null")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(base) + r"2020/\d\d/\d\d/[a-z-]+/$"))


def _tab_until(page, condition: str, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(input => !!input && {condition})(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached an element where {condition}")


def test_without_javascript_the_page_says_search_needs_it(browser, base: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(base + "search/?q=council")
        notice = tab.locator("noscript .notice")  # Playwright's text matching skips <noscript>
        assert notice.is_visible()
        assert notice.inner_text().startswith("Search needs JavaScript, and it is turned off in this browser.")
        assert not tab.locator("#search-label").is_visible()
        tab.get_by_role("link", name="archive by date").click()
        tab.wait_for_url(base + "archive/")
    finally:
        context.close()
