"""Readers get around the browser test site by clicking, the way a person would: links are found by
their role and accessible name inside their named navigation landmark, never by URL.

The site is served under /news/, so every click also proves the relative links work under a sub-path.
"""

from __future__ import annotations

import pytest

from browser import watch


@pytest.fixture
def reader(browser, qa_served: str):
    """A fresh Chromium tab with helpers to click a link and check where it led."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    tab = context.new_page()
    problems: list[str] = []
    watch(tab, problems)
    yield Reader(tab, qa_served)
    context.close()
    assert problems == []


class Reader:
    def __init__(self, tab, base: str) -> None:
        self.tab, self.base = tab, base

    def open(self, path: str) -> None:
        self.tab.goto(self.base + path.lstrip("/"))

    def click(self, name: str, *, within: str | None = None, expect: str) -> None:
        """Click the link named `name` (inside the navigation landmark `within`) and land on `expect`."""
        scope = self.tab.get_by_role("navigation", name=within, exact=True) if within else self.tab.get_by_role("main")
        scope.get_by_role("link", name=name, exact=True).click()
        self.tab.wait_for_url(self.base + expect.lstrip("/"))

    def heading(self) -> str:
        return self.tab.get_by_role("heading", level=1).inner_text()


def test_home_to_article_day_month_year_and_archive(reader: Reader) -> None:
    reader.open("/")
    reader.tab.get_by_role("main").get_by_role("link").first.click()
    reader.tab.wait_for_url(reader.base + "2022/12/31/2022-in-pictures-words-and-numbers/")
    assert reader.heading() == "2022 in pictures, words and numbers"
    reader.click("31 December 2022", within="Breadcrumb", expect="/2022/12/31/")
    assert reader.heading() == "31 December 2022"
    reader.click("December 2022", within="Breadcrumb", expect="/2022/12/")
    reader.click("2022", within="Breadcrumb", expect="/2022/")
    assert reader.heading() == "2022"
    reader.click("Archive", within="Breadcrumb", expect="/archive/")
    reader.click("July 2020", expect="/2020/07/")
    reader.click("Latest", within="Site", expect="/")


def test_previous_and_next_articles_days_months_and_years(reader: Reader) -> None:
    reader.open("/2022/12/31/2022-in-pictures-words-and-numbers/")
    older_newer = "Older and newer articles"
    reader.click("Older Ice breaker called in for the first time in a decade", within=older_newer, expect="/2022/12/12/ice-breaker-called-in-for-the-first-time-in-a-decade/")
    reader.click("Newer 2022 in pictures, words and numbers", within=older_newer, expect="/2022/12/31/2022-in-pictures-words-and-numbers/")
    reader.open("/2022/12/31/")
    reader.click("12 December 2022", within="Previous and next day with articles", expect="/2022/12/12/")
    reader.click("31 December 2022", within="Previous and next day with articles", expect="/2022/12/31/")
    reader.open("/2022/12/")
    reader.click("May 2022", within="Previous and next month with articles", expect="/2022/05/")
    reader.click("December 2022", within="Previous and next month with articles", expect="/2022/12/")
    reader.open("/2021/")
    reader.click("2020", within="Previous and next year with articles", expect="/2020/")
    reader.click("2021", within="Previous and next year with articles", expect="/2021/")
    reader.click("2022", within="Previous and next year with articles", expect="/2022/")


def test_month_calendar_leads_to_its_days(reader: Reader) -> None:
    reader.open("/2020/03/")
    table = reader.tab.get_by_role("table", name="Days of March 2020 with articles")
    table.get_by_role("link", name="15 March 2020, 1 article", exact=True).click()
    reader.tab.wait_for_url(reader.base + "2020/03/15/")
    assert reader.heading() == "15 March 2020"


def test_home_pagination_to_the_last_page_and_back(reader: Reader) -> None:
    reader.open("/")
    for number in range(2, 7):
        reader.click("Older", within="Pages", expect=f"/page/{number}/")
        assert reader.tab.get_by_role("navigation", name="Pages").inner_text().count(f"Page {number} of 6") == 1
    assert reader.tab.get_by_role("navigation", name="Pages").get_by_role("link", name="Older").count() == 0
    reader.click("Newer", within="Pages", expect="/page/5/")


def test_tags_from_an_article_with_pagination(reader: Reader) -> None:
    reader.open("/2022/12/31/2022-in-pictures-words-and-numbers/")
    reader.tab.get_by_role("link", name="Harbour", exact=True).click()
    reader.tab.wait_for_url(reader.base + "tags/harbour/")
    reader.click("Older", within="Pages", expect="/tags/harbour/page/2/")
    reader.click("Older", within="Pages", expect="/tags/harbour/page/3/")
    reader.click("Newer", within="Pages", expect="/tags/harbour/page/2/")
    reader.click("All tags", expect="/tags/")
    reader.click("Culture", expect="/tags/culture/")
    reader.click("Tags", within="Site", expect="/tags/")


def test_not_found_page_leads_back_into_the_site(reader: Reader) -> None:
    reader.open("/404.html")
    assert reader.heading() == "Page not found"
    reader.click("Browse the archive by date", expect="/archive/")
