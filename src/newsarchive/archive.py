"""Pure page building: sorted articles in, page records out. No I/O, no clock."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from newsarchive import related, timeline, urls
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
    OnThisDayIndexPage,
    OnThisDayMonth,
    OnThisDayPage,
    Page,
    Pager,
    SourceIndexPage,
    SearchPage,
    TagIndexPage,
    YearGroup,
    YearPage,
    YearSummary,
)
from newsarchive.timeline import MONTH_NAMES

K = TypeVar("K")


def format_day(day: dt.date) -> str:
    """'12 December 2022': fixed English names, never the machine's locale."""
    return f"{day.day} {MONTH_NAMES[day.month]} {day.year}"


def format_month(year: int, month: int) -> str:
    return f"{MONTH_NAMES[month]} {year}"


def _group(articles: Sequence[Article], key: Callable[[Article], K]) -> list[tuple[K, tuple[Article, ...]]]:
    """Consecutive runs of sorted articles that share a key."""
    return [(k, tuple(group)) for k, group in itertools.groupby(articles, key)]


def _around(links: list[Link], i: int) -> tuple[Link | None, Link | None]:
    """The links before and after the `i`th: the nearest periods that have articles."""
    return (links[i - 1] if i > 0 else None, links[i + 1] if i + 1 < len(links) else None)


def _neighbours(links: list[Link]) -> Iterator[tuple[Link | None, Link | None]]:
    """(previous, next) for each link."""
    for i in range(len(links)):
        yield _around(links, i)


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


def _trail(day: dt.date) -> tuple[Link, ...]:
    return (_year_link(day.year), _month_link(day.year, day.month), _day_link(day))


def article_page(articles: Sequence[Article], related_lists: Sequence[tuple[Article, ...]] | None, i: int,
                 up: tuple[Link, ...] | None = None) -> ArticlePage:  # fmt: skip
    """The page of the `i`th article; `up`: its day's trail, when already made."""
    article = articles[i]
    return ArticlePage(
        url=urls.article_url(article),
        article=article,
        older=articles[i - 1] if i > 0 else None,
        newer=articles[i + 1] if i + 1 < len(articles) else None,
        up=up or _trail(article.date),
        related=related_lists[i] if related_lists else (),
    )


def article_pages(articles: Sequence[Article], related_lists: Sequence[tuple[Article, ...]] | None = None) -> Iterator[ArticlePage]:
    ups: dict[dt.date, tuple[Link, ...]] = {}  # one year/month/day trail per day, shared by its articles
    for i, article in enumerate(articles):
        day = article.date
        up = ups.get(day)
        if up is None:
            up = ups[day] = _trail(day)
        yield article_page(articles, related_lists, i, up)


def home_pages(articles: Sequence[Article], config: Config) -> Iterator[ListPage]:
    for chunk, pager in _paginate(articles, config.per_page, urls.home_url):
        yield ListPage(urls.home_url(pager.number), _with_page_number(config.title, pager), "Latest articles", chunk, pager)


_Groups = tuple[list[tuple[Any, tuple[Article, ...]]], list[Link]]  # the groups of a section's pages, and their links


def _day_groups(articles: Sequence[Article]) -> _Groups:
    days = _group(articles, lambda a: a.date)
    return days, [_day_link(day, len(group)) for day, group in days]


def _day_page(groups: _Groups, number: int) -> DayPage:
    days, links = groups
    day, group = days[number]
    prev, next_ = _around(links, number)
    up = (_year_link(day.year), _month_link(day.year, day.month))
    return DayPage(links[number].url, links[number].label, day, group, prev, next_, up, _on_this_day_link(day.month, day.day))


def day_pages(articles: Sequence[Article]) -> Iterator[DayPage]:
    groups = _day_groups(articles)
    return map(functools.partial(_day_page, groups), range(len(groups[0])))


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


def _month_groups(articles: Sequence[Article]) -> _Groups:
    months = _group(articles, lambda a: (a.date.year, a.date.month))
    return months, [_month_link(y, m, len(group)) for (y, m), group in months]


def _month_page(groups: _Groups, number: int) -> MonthPage:
    months, links = groups
    (year, month), group = months[number]
    prev, next_ = _around(links, number)
    counts = {day: len(g) for day, g in _group(group, lambda a: a.date)}
    link = links[number]
    return MonthPage(link.url, link.label, year, month, _calendar(year, month, counts), group, prev, next_, (_year_link(year),))


def month_pages(articles: Sequence[Article]) -> Iterator[MonthPage]:
    groups = _month_groups(articles)
    return map(functools.partial(_month_page, groups), range(len(groups[0])))


def _month_links(group: Sequence[Article]) -> tuple[Link, ...]:
    return tuple(_month_link(y, m, len(g)) for (y, m), g in _group(group, lambda a: (a.date.year, a.date.month)))


def _month_counts(articles: Sequence[Article]) -> dict[tuple[int, int], int]:
    return {key: len(group) for key, group in _group(articles, lambda a: (a.date.year, a.date.month))}


def year_pages(articles: Sequence[Article]) -> Iterator[YearPage]:
    years = _group(articles, lambda a: a.date.year)
    links = [_year_link(year, len(group)) for year, group in years]
    for (year, group), link, (prev, next_) in zip(years, links, _neighbours(links)):
        chart = timeline.month_chart(_month_counts(group), range(year, year + 1), "months", f"Articles per month in {year}")
        day_counts = {day: len(g) for day, g in _group(group, lambda a: a.date)}
        heatmap = timeline.day_heatmap(year, day_counts, link.url, "days")
        # Breadcrumbs always start at the archive, so a year has nothing more above it.
        yield YearPage(link.url, str(year), year, len(group), _month_links(group), prev, next_, (), chart, heatmap)


def archive_page(articles: Sequence[Article]) -> ArchivePage:
    years = tuple(
        YearSummary(_year_link(year, len(group)), _month_links(group))
        for year, group in reversed(_group(articles, lambda a: a.date.year))
    )
    span = range(articles[0].date.year, articles[-1].date.year + 1) if articles else range(0)
    chart = timeline.month_chart(_month_counts(articles), span, "months", "Articles per month") if articles else None
    return ArchivePage(urls.archive_url(), "Archive", years, len(articles), chart)


def _named_groups(articles: Sequence[Article], names_of: Callable[[Article], Sequence[str]], url_of: Callable[[str], str]) -> list[tuple[str, tuple[Article, ...]]]:
    """Each name's URL with the spelling first seen for it and its articles (oldest first), by URL.

    Names that differ only in case or accents ('Energy', 'energy') share one page.
    """
    by_url: dict[str, list[Article]] = {}
    names: dict[str, str] = {}
    url_of_name: dict[str, str] = {}  # a slug once per spelling, not once per article
    for article in articles:
        for name in names_of(article):
            url = url_of_name.get(name)
            if url is None:
                url = url_of_name[name] = url_of(name)
            names.setdefault(url, name)
            by_url.setdefault(url, []).append(article)
    return [(names[url], tuple(by_url[url])) for url in sorted(by_url)]


def tag_groups(articles: Sequence[Article]) -> list[tuple[str, tuple[Article, ...]]]:
    return _named_groups(articles, lambda a: a.tags, urls.tag_url)


def source_groups(articles: Sequence[Article]) -> list[tuple[str, tuple[Article, ...]]]:
    return _named_groups(articles, lambda a: (a.source,) if a.source else (), urls.source_url)


def tag_pages(articles: Sequence[Article], config: Config) -> Iterator[TagIndexPage | ListPage]:
    groups = tag_groups(articles)
    links = tuple(Link(urls.tag_url(name), name, len(group)) for name, group in groups)
    yield TagIndexPage(urls.tags_url(), "Tags", links)
    for name, group in groups:
        for chunk, pager in _paginate(group, config.per_page, lambda n, name=name: urls.tag_url(name, n)):
            title = _with_page_number(f"Tagged “{name}”", pager)
            yield ListPage(urls.tag_url(name, pager.number), title, title, chunk, pager, tag=name)


def source_pages(articles: Sequence[Article], config: Config) -> Iterator[SourceIndexPage | ListPage]:
    """/sources/ and one paginated list per reporting outlet."""
    groups = source_groups(articles)
    yield SourceIndexPage(urls.sources_url(), "Sources", tuple(Link(urls.source_url(name), name, len(group)) for name, group in groups))
    for name, group in groups:
        for chunk, pager in _paginate(group, config.per_page, lambda n, name=name: urls.source_url(name, n)):
            title = _with_page_number(f"Reported by {name}", pager)
            yield ListPage(urls.source_url(name, pager.number), title, title, chunk, pager, source=name)


def _on_this_day_link(month: int, day: int, count: int = 0) -> Link:
    return Link(urls.on_this_day_url(month, day), f"{day} {MONTH_NAMES[month]}", count)


def _on_this_day_groups(articles: Sequence[Article]) -> _Groups:
    by_day = _group(sorted(articles, key=lambda a: (a.date.month, a.date.day)), lambda a: (a.date.month, a.date.day))
    return by_day, [_on_this_day_link(month, day, len(group)) for (month, day), group in by_day]


def _on_this_day_page(groups: _Groups, number: int) -> OnThisDayPage | OnThisDayIndexPage:
    """The page of the `number`th calendar day with articles, or after the last, the index."""
    by_day, links = groups
    index = Link(urls.on_this_day_index_url(), "On this day")
    if number == len(by_day):
        return _on_this_day_index(groups, index)
    (month, day), group = by_day[number]
    prev, next_ = _around(links, number)
    years = tuple(YearGroup(_year_link(year, len(g)), g) for year, g in reversed(_group(group, lambda a: a.date.year)))
    return OnThisDayPage(links[number].url, f"On {links[number].label}", month, day, years, prev, next_, (index,))


def on_this_day_pages(articles: Sequence[Article]) -> Iterator[OnThisDayPage | OnThisDayIndexPage]:
    """/on-this-day/MM-DD/ for each calendar day with articles in any year, and the index of them.

    Only the articles decide these pages, never the build date, so every build is the same.
    """
    groups = _on_this_day_groups(articles)
    return map(functools.partial(_on_this_day_page, groups), range(len(groups[0]) + 1))


def _on_this_day_index(groups: _Groups, index: Link) -> OnThisDayIndexPage:
    by_day, links = groups
    linked = {key: link for (key, _), link in zip(by_day, links)}
    months = tuple(
        OnThisDayMonth(MONTH_NAMES[month], tuple(linked.get((month, day)) for day in range(1, calendar.monthrange(2000, month)[1] + 1)))
        for month in range(1, 13)
    )  # 2000 is a leap year, so February has its 29th
    return OnThisDayIndexPage(index.url, "On this day", months, len(links))


@dataclass(frozen=True, slots=True)
class Section:
    """A run of the site's pages of one kind (see sections), made only when asked for."""

    pages: Callable[[], Iterator[Page]]
    page: Callable[[int], Page] | None = None  # the page at an offset, made alone: when cheaper than walking up to it

    def at(self, offsets: Sequence[int]) -> list[Page]:
        """The pages at these offsets into the section."""
        if self.page is not None:
            return list(map(self.page, offsets))
        wanted = set(offsets)
        found = {offset: page for offset, page in enumerate(itertools.islice(self.pages(), max(offsets) + 1)) if offset in wanted}
        return [found[offset] for offset in offsets]


def _indexed(groups: Callable[[], _Groups], page: Callable[[_Groups, int], Page]) -> Callable[[int], Page]:
    """A section's page by offset, its groups made at the first call and shared by the next."""
    once = functools.cache(groups)
    return lambda number: page(once(), number)


def sections(articles: Sequence[Article], config: Config, related_lists: Sequence[tuple[Article, ...]]) -> list[Section]:
    """The site's pages in build_pages's order, by kind. A build that knows how many pages each
    section held last time, and that they are the same pages, makes only those it renders (see
    layout.py): an edit shows on a few list pages, but they are spread over the whole order."""
    return [
        Section(lambda: home_pages(articles, config)),
        Section(lambda: article_pages(articles, related_lists), lambda i: article_page(articles, related_lists, i)),
        Section(lambda: day_pages(articles), _indexed(lambda: _day_groups(articles), _day_page)),
        Section(lambda: month_pages(articles), _indexed(lambda: _month_groups(articles), _month_page)),
        Section(lambda: year_pages(articles)),
        Section(lambda: iter((archive_page(articles),))),
        Section(lambda: tag_pages(articles, config)),
        Section(lambda: source_pages(articles, config)),
        Section(lambda: on_this_day_pages(articles), _indexed(lambda: _on_this_day_groups(articles), _on_this_day_page)),
        Section(lambda: iter((SearchPage(urls.search_url()),) if config.search else ())),
        Section(lambda: iter((NotFoundPage(urls.not_found_url()),))),
    ]


def build_pages(articles: Sequence[Article], config: Config, related_lists: Sequence[tuple[Article, ...]] | None = None) -> Iterator[Page]:
    """Every page of the site, in a fixed order. `related_lists` may be given when already known."""
    for section in sections(articles, config, related.related_articles(articles) if related_lists is None else related_lists):
        yield from section.pages()
