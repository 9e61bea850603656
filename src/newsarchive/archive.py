"""Pure page building: sorted articles in, page records out. No I/O, no clock."""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from newsarchive import urls
from newsarchive.config import Config
from newsarchive.model import (
    ArchivePage,
    Article,
    ArticlePage,
    CalendarDay,
    DayPage,
    Link,
    ListPage,
    MonthPage,
    NotFoundPage,
    Page,
    Pager,
    SearchPage,
    TagIndexPage,
    YearPage,
    YearSummary,
)

MONTH_NAMES = ("", "January", "February", "March", "April", "May", "June", "July",
               "August", "September", "October", "November", "December")  # fmt: skip

K = TypeVar("K")


def format_day(day: dt.date) -> str:
    """'12 December 2022': fixed English names, never the machine's locale."""
    return f"{day.day} {MONTH_NAMES[day.month]} {day.year}"


def format_month(year: int, month: int) -> str:
    return f"{MONTH_NAMES[month]} {year}"


def _group(articles: Sequence[Article], key: Callable[[Article], K]) -> list[tuple[K, tuple[Article, ...]]]:
    """Consecutive runs of sorted articles that share a key."""
    return [(k, tuple(group)) for k, group in itertools.groupby(articles, key)]


def _neighbours(links: list[Link]) -> Iterator[tuple[Link | None, Link | None]]:
    """(previous, next) for each link: the nearest periods that have articles."""
    for i in range(len(links)):
        yield (links[i - 1] if i > 0 else None, links[i + 1] if i + 1 < len(links) else None)


def _year_link(year: int, count: int = 0) -> Link:
    return Link(urls.year_url(year), str(year), count)


def _month_link(year: int, month: int, count: int = 0) -> Link:
    return Link(urls.month_url(year, month), format_month(year, month), count)


def _day_link(day: dt.date, count: int = 0) -> Link:
    return Link(urls.day_url(day), format_day(day), count)


def _paginate(articles: Sequence[Article], per_page: int, url: Callable[[int], str]) -> Iterator[tuple[tuple[Article, ...], Pager]]:
    """Newest first, `per_page` a page; page 1 of an empty list still exists."""
    newest_first = tuple(reversed(articles))
    total = max(1, -(-len(newest_first) // per_page))
    for number in range(1, total + 1):
        prev = Link(url(number - 1), "Newer") if number > 1 else None
        next_ = Link(url(number + 1), "Older") if number < total else None
        chunk = newest_first[(number - 1) * per_page : number * per_page]
        yield chunk, Pager(number, total, prev, next_)


def _with_page_number(title: str, pager: Pager) -> str:
    return title if pager.number == 1 else f"{title} (page {pager.number} of {pager.total})"


def article_pages(articles: Sequence[Article]) -> Iterator[ArticlePage]:
    for i, article in enumerate(articles):
        yield ArticlePage(
            url=urls.article_url(article),
            article=article,
            older=articles[i - 1] if i > 0 else None,
            newer=articles[i + 1] if i + 1 < len(articles) else None,
            up=(_year_link(article.date.year), _month_link(article.date.year, article.date.month), _day_link(article.date)),
        )


def home_pages(articles: Sequence[Article], config: Config) -> Iterator[ListPage]:
    for chunk, pager in _paginate(articles, config.per_page, urls.home_url):
        yield ListPage(urls.home_url(pager.number), _with_page_number(config.title, pager), "Latest articles", chunk, pager)


def day_pages(articles: Sequence[Article]) -> Iterator[DayPage]:
    days = _group(articles, lambda a: a.date)
    links = [_day_link(day, len(group)) for day, group in days]
    for (day, group), link, (prev, next_) in zip(days, links, _neighbours(links)):
        up = (_year_link(day.year), _month_link(day.year, day.month))
        yield DayPage(link.url, link.label, day, group, prev, next_, up)


def _calendar(year: int, month: int, counts: dict[dt.date, int]) -> tuple[tuple[CalendarDay, ...], ...]:
    """Weeks (Monday first) of the month, each day linked when it has articles."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    return tuple(
        tuple(
            CalendarDay(day, day.month == month, counts.get(day, 0), urls.day_url(day) if counts.get(day) else None)
            for day in week
        )
        for week in weeks
    )


def month_pages(articles: Sequence[Article]) -> Iterator[MonthPage]:
    months = _group(articles, lambda a: (a.date.year, a.date.month))
    links = [_month_link(y, m, len(group)) for (y, m), group in months]
    for ((year, month), group), link, (prev, next_) in zip(months, links, _neighbours(links)):
        counts = {day: len(g) for day, g in _group(group, lambda a: a.date)}
        yield MonthPage(link.url, link.label, year, month, _calendar(year, month, counts), group, prev, next_, (_year_link(year),))


def _month_links(group: Sequence[Article]) -> tuple[Link, ...]:
    return tuple(_month_link(y, m, len(g)) for (y, m), g in _group(group, lambda a: (a.date.year, a.date.month)))


def year_pages(articles: Sequence[Article]) -> Iterator[YearPage]:
    years = _group(articles, lambda a: a.date.year)
    links = [_year_link(year, len(group)) for year, group in years]
    for (year, group), link, (prev, next_) in zip(years, links, _neighbours(links)):
        # Breadcrumbs always start at the archive, so a year has nothing more above it.
        yield YearPage(link.url, str(year), year, len(group), _month_links(group), prev, next_, up=())


def archive_page(articles: Sequence[Article]) -> ArchivePage:
    years = tuple(
        YearSummary(_year_link(year, len(group)), _month_links(group))
        for year, group in reversed(_group(articles, lambda a: a.date.year))
    )
    return ArchivePage(urls.archive_url(), "Archive", years, len(articles))


def tag_groups(articles: Sequence[Article]) -> list[tuple[str, tuple[Article, ...]]]:
    """Each tag's URL slug with the name first seen for it and its articles (oldest first).

    Tags that differ only in case or accents ('Energy', 'energy') share one page.
    """
    by_url: dict[str, list[Article]] = {}
    names: dict[str, str] = {}
    for article in articles:
        for tag in article.tags:
            url = urls.tag_url(tag)
            names.setdefault(url, tag)
            by_url.setdefault(url, []).append(article)
    return sorted(((names[url], tuple(group)) for url, group in by_url.items()), key=lambda item: urls.tag_url(item[0]))


def tag_pages(articles: Sequence[Article], config: Config) -> Iterator[TagIndexPage | ListPage]:
    groups = tag_groups(articles)
    links = tuple(Link(urls.tag_url(name), name, len(group)) for name, group in groups)
    yield TagIndexPage(urls.tags_url(), "Tags", links)
    for name, group in groups:
        for chunk, pager in _paginate(group, config.per_page, lambda n, name=name: urls.tag_url(name, n)):
            title = _with_page_number(f"Tagged “{name}”", pager)
            yield ListPage(urls.tag_url(name, pager.number), title, title, chunk, pager, tag=name)


def build_pages(articles: Sequence[Article], config: Config) -> Iterator[Page]:
    """Every page of the site, in a fixed order."""
    yield from home_pages(articles, config)
    yield from article_pages(articles)
    yield from day_pages(articles)
    yield from month_pages(articles)
    yield from year_pages(articles)
    yield archive_page(articles)
    yield from tag_pages(articles, config)
    if config.search:
        yield SearchPage(urls.search_url())
    yield NotFoundPage(urls.not_found_url())
