"""`newsarchive check`: build into a throwaway folder, never the published one, and report what
is wrong with the archive: rejected files and warnings, broken internal links, duplicate
headlines, articles dated in the future, and (as information) days and months without articles.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path

from newsarchive import health, urls
from newsarchive.build import BuildOptions, BuildReport, build, read_config
from newsarchive.errors import Problem
from newsarchive.links import BrokenLink, find_broken_links


@dataclass(frozen=True, slots=True)
class CheckReport:
    report: BuildReport
    health: health.Health
    broken: tuple[BrokenLink, ...]
    problems: tuple[Problem, ...]  # every error and warning, loader's first

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.level == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.level == "warning")


def link_problem(broken: BrokenLink, sources: dict[str, str]) -> Problem:
    """A broken link, blamed on the article file it came from when there is one."""
    source = sources.get(broken.page_url)
    where = source if source is not None else f"page {broken.page_url}"
    on_page = "" if source is None else f" (on {broken.page_url})"
    return Problem(where, None, f"broken link {broken.link}{on_page}: {broken.reason}")


def check(options: BuildOptions) -> CheckReport:
    """Raises ConfigError or BuildFailed like a build; everything else is in the report."""
    config = read_config(options)
    today = dt.datetime.now(config.tzinfo).date()  # only for the future-date check
    with tempfile.TemporaryDirectory(prefix="newsarchive-check-") as folder:
        report = build(dataclasses.replace(options, output=Path(folder) / "site", strict=False))
        broken = tuple(find_broken_links(report.output, config.base_path))
    found = health.assess(report.loaded, today)
    sources = {urls.article_url(article): article.source_path for article in report.loaded.articles}
    problems = (
        *report.loaded.problems,
        *found.duplicate_warnings(),
        *(link_problem(item, sources) for item in broken),
    )
    return CheckReport(report, found, broken, problems)
