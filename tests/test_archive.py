"""Page building is pure: sorted articles in, page records out."""

import dataclasses
import datetime as dt

from newsarchive import archive
from newsarchive.config import Config
from newsarchive.model import Article, DayPage, ListPage, MonthPage, YearPage


def art(day: str, slug: str, tags: tuple[str, ...] = ()) -> Article:
    return Article(source_path=f"seeds/{slug}.txt", slug=slug, date=dt.date.fromisoformat(day), title=slug.title(),
                   body_html="<p>x</p>", summary="x", tags=tags, word_count=1)  # fmt: skip


ARTICLES = sorted([art("2020-01-05", "a"), art("2020-01-05", "b"), art("2020-03-01", "c", ("Energy",)),
                   art("2022-07-09", "d", ("energy", "Gas"))], key=lambda a: a.sort_key)  # fmt: skip


def test_date_navigation_skips_empty_periods() -> None:
    months = list(archive.month_pages(ARTICLES))
    assert [m.url for m in months] == ["/2020/01/", "/2020/03/", "/2022/07/"]
    assert months[1].prev.url == "/2020/01/" and months[1].next.url == "/2022/07/"
    years = list(archive.year_pages(ARTICLES))
    assert years[0].next.url == "/2022/" and years[1].prev.url == "/2020/" and years[1].next is None
    days = list(archive.day_pages(ARTICLES))
    assert [len(d.articles) for d in days] == [2, 1, 1]
    assert days[0].prev is None and days[0].next.url == "/2020/03/01/"


def test_month_calendar_links_only_days_with_articles() -> None:
    january = next(archive.month_pages(ARTICLES))
    cells = [day for week in january.weeks for day in week if day.in_month]
    assert len(cells) == 31
    linked = [(d.date.day, d.count, d.url) for d in cells if d.url]
    assert linked == [(5, 2, "/2020/01/05/")]
    assert all(len(week) == 7 and week[0].date.weekday() == 0 for week in january.weeks)


def test_home_pages_paginate_newest_first() -> None:
    pages = list(archive.home_pages(ARTICLES, Config(per_page=3)))
    assert [p.url for p in pages] == ["/", "/page/2/"]
    assert [a.slug for a in pages[0].articles] == ["d", "c", "b"]
    assert pages[0].pager.next.url == "/page/2/" and pages[1].pager.prev.url == "/"


def test_tags_that_differ_only_in_case_share_a_page() -> None:
    pages = list(archive.tag_pages(ARTICLES, Config()))
    index, *tag_pages = pages
    assert [(link.label, link.count) for link in index.tags] == [("Energy", 2), ("Gas", 1)]
    assert [p.url for p in tag_pages] == ["/tags/energy/", "/tags/gas/"]


def test_article_pages_link_older_and_newer() -> None:
    pages = list(archive.article_pages(ARTICLES))
    assert pages[0].older is None and pages[0].newer.slug == "b"
    assert pages[-1].newer is None and pages[-1].url == "/2022/07/09/d/"
    assert [link.url for link in pages[0].up] == ["/2020/", "/2020/01/", "/2020/01/05/"]


def test_links_up_never_repeat_the_archive_breadcrumbs_start_from() -> None:
    """Templates put the archive first in every breadcrumb trail; `up` holds only what lies between."""
    pages = [p for p in archive.build_pages(ARTICLES, Config()) if hasattr(p, "up")]
    assert {type(p).__name__ for p in pages} == {"ArticlePage", "DayPage", "MonthPage", "YearPage", "OnThisDayPage"}
    assert [link for p in pages for link in p.up if link.url == "/archive/"] == []
    assert next(archive.year_pages(ARTICLES)).up == ()


def test_every_page_kind_is_built() -> None:
    kinds = {type(page).__name__ for page in archive.build_pages(ARTICLES, Config())}
    assert kinds == {"ListPage", "ArticlePage", "DayPage", "MonthPage", "YearPage", "ArchivePage", "TagIndexPage", "NotFoundPage",
                     "SourceIndexPage", "OnThisDayPage", "OnThisDayIndexPage", "SearchPage"}
    without_search = {type(page).__name__ for page in archive.build_pages(ARTICLES, Config(search=False))}
    assert kinds - without_search == {"SearchPage"}
    assert DayPage and ListPage and MonthPage and YearPage


def test_page_records_travel_to_the_render_workers_unchanged() -> None:
    """Pages are pickled to the render workers as tuples of values (model._pickled_as_values):
    every kind of page, with everything it holds, loads back equal and of the same types."""
    import pickle

    pages = list(archive.build_pages(ARTICLES, Config(), [(ARTICLES[1],), (), (ARTICLES[0], ARTICLES[3]), ()]))
    loaded = pickle.loads(pickle.dumps(pages, pickle.HIGHEST_PROTOCOL))
    assert loaded == pages
    assert [type(page) for page in loaded] == [type(page) for page in pages]
    assert {type(page).__name__ for page in loaded} >= {"ArticlePage", "DayPage", "MonthPage", "YearPage", "OnThisDayPage"}


def test_pickling_an_article_leaves_its_text_as_small_as_it_was() -> None:
    """Pickle writes a str through its UTF-8 form, which CPython keeps inside a str that is not
    ASCII; an article's headline and summary travel as bytes instead, so the build's own copies
    do not grow each time pages are sent to the render workers (model.sendable_text)."""
    import pickle
    import sys

    article = dataclasses.replace(art("2020-01-05", "z"), title="".join(["Zürich’s ", "vote"]) * 20,
                                  summary="".join(["Élection — ", "résumé"]) * 20, tags=("Genève",))  # fmt: skip
    sizes = [sys.getsizeof(article.title), sys.getsizeof(article.summary)]
    loaded = pickle.loads(pickle.dumps(article, pickle.HIGHEST_PROTOCOL))
    assert [sys.getsizeof(article.title), sys.getsizeof(article.summary)] == sizes
    assert loaded == article and type(loaded.title) is str and type(loaded.summary) is str
    plain = art("2020-01-05", "plain")
    assert pickle.loads(pickle.dumps(plain)) == plain


def test_date_time_gives_the_day_and_the_moment_when_known() -> None:
    from newsarchive.render import date_time

    day_only = art("2020-03-04", "a")
    assert date_time(day_only) == '<time datetime="2020-03-04">4 March 2020</time>'
    moment = dt.datetime(2021, 3, 4, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=4)))
    timed = dataclasses.replace(day_only, published=moment)
    assert date_time(timed) == '<time datetime="2021-03-04T23:30:00+04:00">4 March 2020</time>'
    assert hasattr(date_time(timed), "__html__"), "safe markup: autoescape leaves it as it is"


def test_a_section_s_pages_made_alone_are_those_of_its_walk() -> None:
    """Article, day, month and on-this-day pages are made alone by offset (Section.page) when a
    rebuild renders a few of them: each equals the page walking the section gives at that place."""
    articles = sorted([*ARTICLES, art("2020-01-06", "e"), art("2021-01-05", "f", ("Gas",)), art("2022-07-09", "g")],
                      key=lambda a: a.sort_key)  # fmt: skip
    related = [tuple(articles[:1]) for _ in articles]
    alone = [section for section in archive.sections(articles, Config(per_page=2), related) if section.page is not None]
    assert len(alone) == 4
    for section in alone:
        walked = list(section.pages())
        assert section.at(list(reversed(range(len(walked))))) == walked[::-1]
