"""The archive's health: how many articles per year, what was rejected and why, duplicate
headlines, articles dated in the future, and the days and months without articles.

Pure: it reads a LoadResult and returns values. `today` is passed in, so nothing here reads the
clock, and none of it ever reaches the published site.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from newsarchive.errors import Problem
from newsarchive.formats.fields import collapse_space
from newsarchive.model import Article, LoadResult

DateRange = tuple[dt.date, dt.date]  # first and last day, both included


@dataclass(frozen=True, slots=True)
class Health:
    per_year: tuple[tuple[int, int], ...]  # (year, articles), oldest first
    rejected: tuple[Problem, ...]  # one error per file that could not be published
    warnings: tuple[Problem, ...]
    duplicates: tuple[tuple[Article, ...], ...]  # articles sharing a headline, each group in file order
    future: tuple[Article, ...]
    empty_months: tuple[DateRange, ...]  # runs of months with no article, between the first and last
    empty_days: tuple[DateRange, ...]  # runs of days with no article, inside months that have some

    @property
    def articles(self) -> int:
        return sum(count for _, count in self.per_year)

    def duplicate_warnings(self) -> list[Problem]:
        """One warning for every article whose headline an earlier file already used."""
        problems = []
        for group in self.duplicates:
            first = group[0]
            for article in group[1:]:
                message = f"duplicate headline {article.title!r}: also used by {first.source_path}"
                problems.append(Problem(article.source_path, 1, message, "warning"))
        return problems


def articles_per_year(articles: Iterable[Article]) -> tuple[tuple[int, int], ...]:
    return tuple(sorted(Counter(article.date.year for article in articles).items()))


def rejected_files(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    return tuple(problem for problem in problems if problem.level == "error")


def duplicate_headlines(articles: Sequence[Article]) -> tuple[tuple[Article, ...], ...]:
    """Groups of articles whose headlines match, ignoring case and spacing."""
    groups: dict[str, list[Article]] = {}
    for article in sorted(articles, key=lambda a: a.source_path):
        groups.setdefault(collapse_space(article.title).casefold(), []).append(article)
    found = [tuple(group) for group in groups.values() if len(group) > 1]
    return tuple(sorted(found, key=lambda group: group[0].source_path))


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _month_start(index: int) -> dt.date:
    return dt.date(index // 12, index % 12 + 1, 1)


def _runs(values: Iterable[int]) -> list[tuple[int, int]]:
    """Consecutive integers grouped into (first, last) runs."""
    runs = []
    for _, group in itertools.groupby(enumerate(values), key=lambda pair: pair[1] - pair[0]):
        numbers = [value for _, value in group]
        runs.append((numbers[0], numbers[-1]))
    return runs


def empty_months(days: set[dt.date]) -> tuple[DateRange, ...]:
    if not days:
        return ()
    active = {_month_index(day) for day in days}
    missing = [index for index in range(min(active), max(active) + 1) if index not in active]
    return tuple((_month_start(first), _month_start(last + 1) - dt.timedelta(days=1)) for first, last in _runs(missing))


def empty_days(days: set[dt.date]) -> tuple[DateRange, ...]:
    """Days without articles in the months that have some, between the first and last article."""
    if not days:
        return ()
    active = {_month_index(day) for day in days}
    first, last = min(days).toordinal(), max(days).toordinal()
    ordinals = {day.toordinal() for day in days}
    missing = (
        number
        for number in range(first, last + 1)
        if number not in ordinals and _month_index(dt.date.fromordinal(number)) in active
    )
    return tuple((dt.date.fromordinal(a), dt.date.fromordinal(b)) for a, b in _runs(missing))


def assess(loaded: LoadResult, today: dt.date) -> Health:
    articles = loaded.articles
    days = {article.date for article in articles}
    return Health(
        per_year=articles_per_year(articles),
        rejected=rejected_files(loaded.problems),
        warnings=tuple(problem for problem in loaded.problems if problem.level == "warning"),
        duplicates=duplicate_headlines(articles),
        future=tuple(article for article in articles if article.date > today),
        empty_months=empty_months(days),
        empty_days=empty_days(days),
    )


def format_range(span: DateRange, unit: str = "day") -> str:
    """'2022-03-04', '2022-03-04 to 2022-03-09'; months as '2022-03' or '2022-03 to 2022-05'."""
    first, last = span
    if unit == "month":
        a, b = f"{first.year:04d}-{first.month:02d}", f"{last.year:04d}-{last.month:02d}"
    else:
        a, b = first.isoformat(), last.isoformat()
    return a if a == b else f"{a} to {b}"


def span_length(span: DateRange) -> int:
    return (span[1] - span[0]).days + 1
