"""Building the site: options, the report, and the short cut when no input changed.

The work itself (load → pages → render → write) is in pipeline.py, imported only when there is
work to do: a rebuild with nothing changed never loads Jinja2, Markdown or the article records.
Returns a report; never prints.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from newsarchive import cache, incremental
from newsarchive.config import OPTIONS, Config, config_text, parse_config_text
from newsarchive.errors import ConfigError, Problem, display_path
from newsarchive.model import LoadResult
from newsarchive.write import WriteStats, check_output_folder, discard_staging, empty_trash, output_lock, staging_folder, tree_id


@dataclass(frozen=True, slots=True)
class BuildOptions:
    seeds: Path
    output: Path
    config: Path
    templates: Path
    static: Path
    base_url: str | None = None
    strict: bool = False
    drafts: bool = False
    jobs: int = 0  # worker processes that parse and render; 0: one per core
    clean: bool = False  # ignore the build cache and render everything again
    shortcut: bool = True  # return the last report at once when no input changed (serve wants every article)


@dataclass(slots=True)
class BuildReport:
    output: Path
    loaded: LoadResult
    pages: int = 0
    files: int = 0
    stats: WriteStats | None = None
    extras: tuple[str, ...] = ()  # feeds, sitemaps, robots.txt, JSON export that were made
    left_out: tuple[str, ...] = ()  # outputs that could not be made, each with its reason
    timings: dict[str, float] = field(default_factory=dict)
    site_problems: tuple[Problem, ...] = ()  # found once every page is known (redirect clashes)
    rendered: int = 0  # pages rendered this build; the others were unchanged (see incremental.py)
    parsed: int = 0  # article files parsed this build; the others came from the build cache
    articles: int = 0
    per_year: tuple[tuple[int, int], ...] = ()
    unchanged: bool = False  # no input changed since the last build: nothing was done

    @property
    def problems(self) -> tuple[Problem, ...]:
        return self.loaded.problems + self.site_problems


def read_config(options: BuildOptions, kept: bool = False) -> Config:
    """The configuration of site.yaml and the options. `kept`: taken from the build cache when
    site.yaml is the same as when it was kept there (the caller holds the output's lock): a
    rebuild then needs no YAML parser, which takes 15 ms to import."""
    display = display_path(options.config)
    text = config_text(options.config, display)
    if text is None:
        config = Config()
    elif kept:
        key = incremental.digest(incremental.code_digest(), text)
        stored_key, config = cache.load(options.output, "config.pickle", ("", None))
        if stored_key != key or not isinstance(config, Config):
            config = parse_config_text(text, display)
            cache.save(options.output, "config.pickle", (key, config))
    else:
        config = parse_config_text(text, display)
    if options.base_url is not None:
        try:
            base_url = OPTIONS["base_url"].metadata["check"](options.base_url)
        except ValueError as error:
            raise ConfigError([Problem("--base-url", None, str(error))]) from None
        config = dataclasses.replace(config, base_url=base_url)
    return config


Progress = Callable[[str, int, int], None]  # phase, done, total


def build(options: BuildOptions, progress: Progress | None = None) -> BuildReport:
    """Build the site. Raises ConfigError or BuildFailed; problems in articles are in the report.

    Incremental (see incremental.py and cache.py): an unchanged article file is not parsed again,
    a page whose fingerprint is unchanged is not rendered again, and an unchanged file is not
    written again; when no input changed at all, the last build's report is returned at once.
    `options.clean` forgets the cache and does everything again.
    """
    started = time.perf_counter()
    inputs = [options.seeds, options.templates, options.static]
    check_output_folder(options.output, [options.config.parent, *inputs], inputs)
    with output_lock(options.output):  # held for the whole build: a second one is refused at once
        return _build(options, started, progress)


@dataclass(slots=True)
class LastBuild:
    """What a rebuild with nothing changed returns (cache.py, last.pickle)."""

    inputs: str
    trees: tuple[object, object]  # the output and staging folders' identities when it was made
    report: BuildReport


def _inputs(options: BuildOptions, config: Config, since_ns: int, stamps: dict[str, incremental.Stamp]) -> tuple[str, bool]:
    today = dt.datetime.now(config.tzinfo).date()  # the future-date warnings depend on it
    parts = (incremental.code_digest(), repr(config), options.strict, options.drafts, today.isoformat(),
             *(os.fspath(folder.resolve()) for folder in (options.seeds, options.templates, options.static)))  # fmt: skip
    return incremental.inputs_digest(parts, [options.seeds, options.templates, options.static], since_ns, stamps)


def _build(options: BuildOptions, started: float, progress: Progress | None) -> BuildReport:
    config = read_config(options, kept=not options.clean)
    if options.clean:  # what the staging folder holds is not known any more: start it afresh
        cache.clear(options.output)
        discard_staging(options.output)
    began_ns = time.time_ns()
    stamps: dict[str, incremental.Stamp] = {}  # what the walk of the inputs saw, for the loader
    inputs, recent = _inputs(options, config, began_ns - 2_000_000_000, stamps) if options.shortcut else ("", True)
    trees = (tree_id(options.output), tree_id(staging_folder(options.output)))
    last = cache.load(options.output, "last.pickle", None) if options.shortcut else None
    if isinstance(last, LastBuild) and last.inputs == inputs and last.trees == trees:
        report = last.report
        report.timings = {"total": time.perf_counter() - started}
        report.rendered = report.parsed = 0
        report.stats = WriteStats(0, report.files, 0)
        report.unchanged = True
        return report
    from newsarchive import memory, pipeline

    empty_trash(options.output)
    with memory.collector_paused():
        report = pipeline.run(options, config, progress, started, stamps)
    trees = (tree_id(options.output), tree_id(staging_folder(options.output)))
    if options.shortcut and not recent:
        kept = dataclasses.replace(report, loaded=dataclasses.replace(report.loaded, articles=(), sources={}), timings={})
        cache.save(options.output, "last.pickle", LastBuild(inputs, trees, kept))
    else:
        (cache.cache_folder(options.output) / "last.pickle").unlink(missing_ok=True)
    return report
