"""Typed, immutable records: the articles that were loaded and the pages built from them."""

from __future__ import annotations

import copyreg
import datetime as dt
import math
import operator
from dataclasses import dataclass, field, fields
from functools import partial
from types import MappingProxyType
from typing import Any, ClassVar, Mapping

from newsarchive.errors import Problem

WORDS_PER_MINUTE = 220

EMPTY: Mapping[str, Any] = MappingProxyType({})

def sendable_text(text: str) -> str | bytes:
    """Text as pickle should carry it when the str lives on in this process: pickle writes a str
    through its UTF-8 form, which CPython then keeps inside the str for good (a curly quote or an
    accent is enough to need one). As bytes, it is encoded and let go. At 10^5 articles, the
    headlines and summaries grew by 34 MiB once every page had gone to the render workers, or
    every source had been saved to the build cache (a first build, a new version of the program)."""
    return text if text.isascii() else text.encode("utf-8", "surrogatepass")


def received_text(text: str | bytes) -> str:
    return text.decode("utf-8", "surrogatepass") if isinstance(text, bytes) else text


def _with_texts(cls: type, places: tuple[int, ...], values: tuple) -> Any:
    listed = list(values)
    for place in places:  # received_text, inline: the build cache loads 10^5 articles so
        text = listed[place]
        if text.__class__ is bytes:
            listed[place] = text.decode("utf-8", "surrogatepass")
    return cls(*listed)


def _pickled_as_values(cls: type, texts: tuple[str, ...] = ()) -> type:
    """Pickle a frozen, slotted dataclass as its class and a tuple of its values. Articles go into
    the build cache and page records to the render workers, 10^5 at a time: loading them back
    this way calls the class, where the field-by-field state dataclasses give such a class calls
    `fields()` in Python for each object (pages then load about 10 % faster).

    `texts`: the fields of long text (str), pickled with `sendable_text` when not ASCII."""
    names = [f.name for f in fields(cls)]
    values = operator.attrgetter(*names) if len(names) > 1 else (lambda record: (getattr(record, names[0]),))
    places = tuple(names.index(name) for name in texts)

    def __reduce__(self: Any) -> tuple:
        return (cls, values(self))

    def __reduce_with_texts__(self: Any) -> tuple:
        found = values(self)
        if all(found[place].isascii() for place in places):
            return (cls, found)
        listed = list(found)
        for place in places:
            listed[place] = sendable_text(listed[place])
        return (_with_texts, (cls, places, tuple(listed)))

    # Chosen here, not per object: every page record and link sent to the workers is pickled so.
    cls.__reduce__ = __reduce_with_texts__ if places else __reduce__  # type: ignore[method-assign]
    return cls


# Read-only mappings (an article's `extra`) travel between processes and into the build cache.
def read_only(mapping: dict[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(mapping)


copyreg.pickle(MappingProxyType, lambda proxy: (read_only, (dict(proxy),)))


@partial(_pickled_as_values, texts=("title", "summary"))
@dataclass(frozen=True, slots=True)
class Article:
    """One published article. `body_html` is already safe HTML; every other text is plain."""

    source_path: str
    slug: str
    date: dt.date
    title: str
    body_html: str
    summary: str
    tags: tuple[str, ...] = ()
    word_count: int = 0
    author: str | None = None
    source: str | None = None
    published: dt.datetime | None = None
    updated: dt.datetime | None = None
    draft: bool = False
    extra: Mapping[str, Any] = field(default_factory=lambda: EMPTY)
    redirect_from: tuple[str, ...] = ()  # old URLs (root-relative) that redirect here

    @property
    def reading_minutes(self) -> int:
        return max(1, math.ceil(self.word_count / WORDS_PER_MINUTE))

    @property
    def sort_key(self) -> tuple:
        """Oldest first; a time of day, when known, orders a day's articles."""
        time = self.published.time() if self.published else dt.time.min
        return (self.date, time, self.slug, self.source_path)


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What loading seeds/ gave: the articles to publish and every problem found on the way."""

    articles: tuple[Article, ...]  # sorted oldest first, every output path unique
    problems: tuple[Problem, ...]
    files: int  # article files looked at
    rejected: int  # article files that could not be published
    drafts: int = 0
    sources: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)  # load.SourceEntry by path, for the next build
    parsed: int = 0  # files read and parsed this time; the others came from `sources`

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.level == "error")



@_pickled_as_values
@dataclass(frozen=True, slots=True)
class Link:
    """A navigation target: a root-relative URL and the text that names it."""

    url: str
    label: str
    count: int = 0


@_pickled_as_values
@dataclass(frozen=True, slots=True)
class Pager:
    """Where one page of a paginated list stands among its siblings."""

    number: int
    total: int
    prev: Link | None
    next: Link | None


@_pickled_as_values
@dataclass(frozen=True, slots=True)
class ArticlePage:
    template: ClassVar[str] = "article.html"
    url: str
    article: Article
    older: Article | None
    newer: Article | None
    up: tuple[Link, ...]  # year, month, day
    related: tuple[Article, ...] = ()  # most similar first

    @property
    def title(self) -> str:
        return self.article.title


@_pickled_as_values
@dataclass(frozen=True, slots=True)
class ListPage:
    """A paginated list of articles: the home page or one tag's pages."""

    template: ClassVar[str] = "list.html"
    url: str
    title: str
    heading: str
    articles: tuple[Article, ...]
    pager: Pager
    tag: str | None = None
    source: str | None = None


@_pickled_as_values
@dataclass(frozen=True, slots=True)
class DayPage:
    template: ClassVar[str] = "day.html"
    url: str
    title: str
    date: dt.date
    articles: tuple[Article, ...]
    prev: Link | None
    next: Link | None
    up: tuple[Link, ...]
    on_this_day: Link | None = None  # the same calendar day in every year


@_pickled_as_values
@dataclass(frozen=True, slots=True)
class CalendarDay:
    date: dt.date
    in_month: bool
    count: int
    url: str | None


@_pickled_as_values
@dataclass(frozen=True, slots=True)
class MonthPage:
    template: ClassVar[str] = "month.html"
    url: str
    title: str
    year: int
    month: int
    weeks: tuple[tuple[CalendarDay, ...], ...]
    articles: tuple[Article, ...]
    prev: Link | None
    next: Link | None
    up: tuple[Link, ...]


@_pickled_as_values
@dataclass(frozen=True, slots=True)
class ChartRow:
    """One year of a chart's table fallback: the year and its twelve months (None: no articles)."""

    year: Link
    months: tuple[Link | None, ...]


@_pickled_as_values
@dataclass(frozen=True, slots=True)
class Chart:
    """An inline SVG built at build time (`svg` is escaped, well-formed markup), its title and
    description for readers who cannot see it, and the same numbers as a table."""

    id: str
    title: str
    description: str
    svg: str
    rows: tuple[ChartRow, ...] = ()


@_pickled_as_values
@dataclass(frozen=True, slots=True)
class YearPage:
    template: ClassVar[str] = "year.html"
    url: str
    title: str
    year: int
    count: int
    months: tuple[Link, ...]
    prev: Link | None
    next: Link | None
    up: tuple[Link, ...]
    timeline: Chart | None = None  # articles per month
    heatmap: Chart | None = None  # articles per day, each day linked


@_pickled_as_values
@dataclass(frozen=True, slots=True)
class YearSummary:
    link: Link
    months: tuple[Link, ...]


@_pickled_as_values
@dataclass(frozen=True, slots=True)
class ArchivePage:
    template: ClassVar[str] = "archive.html"
    url: str
    title: str
    years: tuple[YearSummary, ...]
    total: int
    timeline: Chart | None = None  # articles per month over all years


@_pickled_as_values
@dataclass(frozen=True, slots=True)
class TagIndexPage:
    template: ClassVar[str] = "tags.html"
    url: str
    title: str
    tags: tuple[Link, ...]


@_pickled_as_values
@dataclass(frozen=True, slots=True)
class SourceIndexPage:
    template: ClassVar[str] = "sources.html"
    url: str
    title: str
    sources: tuple[Link, ...]


@_pickled_as_values
@dataclass(frozen=True, slots=True)
class YearGroup:
    year: Link
    articles: tuple[Article, ...]


@_pickled_as_values
@dataclass(frozen=True, slots=True)
class OnThisDayPage:
    """One calendar day (month, day) in every year that has articles on it, newest year first."""

    template: ClassVar[str] = "on_this_day.html"
    url: str
    title: str
    month: int
    day: int
    years: tuple[YearGroup, ...]
    prev: Link | None
    next: Link | None
    up: tuple[Link, ...]


@_pickled_as_values
@dataclass(frozen=True, slots=True)
class OnThisDayMonth:
    """A month of the on-this-day index: its days (1..31 as the calendar allows), each linked when it has articles."""

    name: str
    days: tuple[Link | None, ...]


@_pickled_as_values
@dataclass(frozen=True, slots=True)
class OnThisDayIndexPage:
    template: ClassVar[str] = "on_this_day_index.html"
    url: str
    title: str
    months: tuple[OnThisDayMonth, ...]
    total_days: int


@_pickled_as_values
@dataclass(frozen=True, slots=True)
class SearchPage:
    """The full-text search page; the Pagefind UI fills it in the browser."""

    template: ClassVar[str] = "search.html"
    url: str
    title: str = "Search"


@_pickled_as_values
@dataclass(frozen=True, slots=True)
class NotFoundPage:
    template: ClassVar[str] = "404.html"
    url: str
    title: str = "Page not found"


@_pickled_as_values
@dataclass(frozen=True, slots=True)
class RedirectPage:
    """A page at an old URL that sends readers (and search engines) to an article's URL."""

    template: ClassVar[str] = "redirect.html"
    url: str
    article: Article

    @property
    def title(self) -> str:
        return self.article.title


Page = (ArticlePage | ListPage | DayPage | MonthPage | YearPage | ArchivePage | TagIndexPage | SourceIndexPage
        | OnThisDayPage | OnThisDayIndexPage | SearchPage | NotFoundPage | RedirectPage)  # fmt: skip
