"""On this day: one page per calendar day with articles in any year, and an index of them."""

from __future__ import annotations

import datetime as dt

from conftest import text_article
from newsarchive.links import broken_links
from newsarchive import archive
from newsarchive.model import Article, OnThisDayIndexPage, OnThisDayPage
from searchindex import files, stable_view

DAYS = ["2019-12-12", "2020-02-29", "2021-12-12", "2022-12-12", "2022-12-12", "2023-01-01"]


def art(day: str, slug: str) -> Article:
    return Article(source_path=f"seeds/{slug}.txt", slug=slug, date=dt.date.fromisoformat(day), title=slug, body_html="", summary="")


def pages() -> list[OnThisDayPage | OnThisDayIndexPage]:
    articles = sorted((art(day, f"s{i}") for i, day in enumerate(DAYS)), key=lambda a: a.sort_key)
    return list(archive.on_this_day_pages(articles))


def test_one_page_per_calendar_day_with_articles_grouped_by_year_newest_first() -> None:
    *days, index = pages()
    assert [p.url for p in days] == ["/on-this-day/01-01/", "/on-this-day/02-29/", "/on-this-day/12-12/"]
    december = days[2]
    assert december.title == "On 12 December"
    assert [(g.year.label, [a.slug for a in g.articles]) for g in december.years] == [("2022", ["s3", "s4"]), ("2021", ["s2"]), ("2019", ["s0"])]
    assert december.prev.url == "/on-this-day/02-29/" and december.next is None
    assert december.up[0].url == index.url == "/on-this-day/"


def test_index_covers_all_366_days_and_links_those_with_articles() -> None:
    index = pages()[-1]
    assert [len(m.days) for m in index.months] == [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    linked = [(m.name, number, link.count) for m in index.months for number, link in enumerate(m.days, 1) if link]
    assert linked == [("January", 1, 1), ("February", 29, 1), ("December", 12, 4)]
    assert index.total_days == 3


def test_pages_link_both_ways_and_need_no_script(site) -> None:
    for i, day in enumerate(DAYS):
        site.add(f"{i}.txt", text_article(day, f"Story {i}"))
    site.build()
    day_page = site.page("/2021/12/12/")
    assert '<a href="../../../on-this-day/12-12/">12 December in other years</a>' in day_page
    assert '<a href="../../../on-this-day/">On this day, every day</a>' in day_page
    on_day = site.page("/on-this-day/12-12/")
    assert on_day.index("Story 3") < on_day.index("Story 2") < on_day.index("Story 0")
    assert '<a href="../../2022/12/12/">12 December 2022</a>' in on_day
    leap = site.page("/on-this-day/02-29/")
    assert "Story 1" in leap
    index = site.page("/on-this-day/")
    assert '<li data-day="12-12"><a href="12-12/" aria-label="12 December: 4 articles">12</a></li>' in index
    assert '<li data-day="12-13"><span>13</span></li>' in index
    assert "<script" not in on_day and index.count("<script") == 1  # only the optional today marker
    assert broken_links(site.dist) == []


def test_today_is_marked_by_the_optional_script_only(site, browser) -> None:
    from browser import serve

    site.add("a.txt", text_article("2022-12-12", "Story"))
    site.build()
    with serve(site.dist) as base:
        page = browser.new_page()
        page.clock.set_fixed_time(dt.datetime(2031, 12, 12, 12, 0))
        page.goto(base + "on-this-day/")
        assert page.locator(".today").get_attribute("data-day") == "12-12"
        assert page.locator(".today a").get_attribute("aria-current") == "date"
        page.close()
        without_script = browser.new_context(java_script_enabled=False).new_page()
        without_script.goto(base + "on-this-day/")
        assert without_script.locator(".today").count() == 0
        without_script.click('[data-day="12-12"] a')
        assert without_script.url == base + "on-this-day/12-12/"
        without_script.context.close()


def test_the_build_date_never_changes_the_site(site) -> None:
    """Built on two different days (the clock itself moved), the output is byte for byte the same."""
    import time_machine

    for i, day in enumerate(DAYS):
        site.add(f"{i}.txt", text_article(day, f"Story {i}"))
    outputs = []
    for now in (dt.datetime(2023, 1, 1, 9, tzinfo=dt.timezone.utc), dt.datetime(2031, 12, 12, 23, tzinfo=dt.timezone.utc)):
        with time_machine.travel(now, tick=False):
            assert dt.date.today() == now.date()
            site.build(output=site.root / f"dist-{now.year}")
        folder = site.root / f"dist-{now.year}"
        outputs.append(stable_view(files(folder)))  # Pagefind's filter files are unordered: see searchindex
    assert outputs[0] == outputs[1] and "on-this-day/12-12/index.html" in outputs[0]


def test_sitemap_dates_on_this_day_by_its_newest_article(site) -> None:
    site.add("a.txt", text_article("2019-12-12", "Old story"))
    site.add("b.txt", text_article("2022-12-12", "New story"))
    site.add("c.txt", text_article("2023-01-01", "Newest story"))
    site.build(base_url="https://example.org/")
    sitemap = site.page("/sitemap.xml")
    assert "<loc>https://example.org/on-this-day/12-12/</loc>\n  <lastmod>2022-12-12T00:00:00+00:00</lastmod>" in sitemap
    assert "<loc>https://example.org/on-this-day/</loc>\n  <lastmod>2023-01-01T00:00:00+00:00</lastmod>" in sitemap
