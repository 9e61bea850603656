"""Orchestration: config → load → pages → render → write. Returns a report; never prints."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from newsarchive import archive, incremental, parallel, redirects, search, urls
from newsarchive.config import OPTIONS, Config, load_config
from newsarchive.errors import BuildFailed, ConfigError, Problem, display_path
from newsarchive.load import LoadResult, is_ignored, load_articles
from newsarchive.model import Page
from newsarchive.render import Renderer
from newsarchive.syndicate import extra_files
from newsarchive.write import Indexer, Output, WriteStats, check_output_folder, output_lock, write_site


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
    jobs: int = 0  # render worker processes; 0: one per core
    clean: bool = False  # ignore the build cache and render everything again


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
    rendered: int = 0  # pages rendered this build; the others were read back unchanged (see incremental.py)

    @property
    def problems(self) -> tuple[Problem, ...]:
        return self.loaded.problems + self.site_problems


def read_config(options: BuildOptions) -> Config:
    config = load_config(options.config, display_path(options.config))
    if options.base_url is not None:
        try:
            base_url = OPTIONS["base_url"].metadata["check"](options.base_url)
        except ValueError as error:
            raise ConfigError([Problem("--base-url", None, str(error))]) from None
        config = dataclasses.replace(config, base_url=base_url)
    return config


def static_files(folder: Path) -> Iterator[Output]:
    """Everything in static/ is copied to the site root as it is (static/style.css → /style.css)."""
    if not folder.is_dir():
        return
    for current, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not is_ignored(d))
        for name in sorted(files):
            if not is_ignored(name):
                path = Path(current) / name
                yield Output(path.relative_to(folder).as_posix(), path.read_bytes())


def asset_versions(files: list[Output]) -> dict[str, str]:
    return {"/" + f.path: hashlib.sha256(f.data).hexdigest()[:10] for f in files}


Progress = Callable[[str, int, int], None]  # phase, done, total


def build(options: BuildOptions, progress: Progress | None = None) -> BuildReport:
    """Build the site. Raises ConfigError or BuildFailed; problems in articles are in the report.

    Incremental: a page whose fingerprint (see incremental.py) is unchanged since the last build is
    read back from the live site instead of rendered; `options.clean` renders everything again.
    """
    started = time.perf_counter()
    inputs = [options.seeds, options.templates, options.static]
    check_output_folder(options.output, [options.config.parent, *inputs], inputs)
    with output_lock(options.output):  # held for the whole build: a second one is refused at once
        return _build(options, started, progress)


def _render_chunk(job: tuple[Renderer, list[Page]], indices: Sequence[int]) -> list[bytes]:
    renderer, pages = job
    return [renderer.render(pages[index]) for index in indices]


def _render_pages(options: BuildOptions, renderer: Renderer, pages: list[Page], site: str, articles: dict[int, str], progress: Progress | None) -> tuple[list[bytes], int, incremental.Entries]:
    """Every page's bytes: read back when its fingerprint is unchanged, else rendered in worker processes."""
    known = {} if options.clean else incremental.read_entries(options.output)
    paths = [urls.output_path(page.url) for page in pages]
    fingerprints = [incremental.page_fingerprint(page, site, articles) for page in pages]
    data: list[bytes | None] = [incremental.reuse(options.output, path, fp, known) for path, fp in zip(paths, fingerprints)]
    to_render = [index for index, item in enumerate(data) if item is None]
    for name in sorted({pages[index].template for index in to_render}):
        renderer.env.get_template(name)  # compile once, before the workers fork
    done = 0
    for count, results in parallel.map_chunks(_render_chunk, (renderer, pages), to_render, options.jobs or parallel.cpu_count()):
        for index, result in zip(to_render[done : done + count], results):
            data[index] = result
        done += count
        if progress:
            progress("render", done, len(to_render))
    made = [item for item in data if item is not None]
    assert len(made) == len(pages)
    entries = {path: (fp, incremental.bytes_digest(item)) for path, fp, item in zip(paths, fingerprints, made)}
    return made, len(to_render), entries


def _build(options: BuildOptions, started: float, progress: Progress | None) -> BuildReport:
    config = read_config(options)
    loaded = load_articles(options.seeds, display_path(options.seeds), config, drafts=options.drafts)
    report = BuildReport(options.output, loaded)
    report.timings["load"] = time.perf_counter() - started
    if options.strict and loaded.problems:
        raise BuildFailed(f"--strict: {len(loaded.problems)} problem(s) found; nothing was written", loaded.problems)
    if not loaded.articles:
        raise BuildFailed(f"no article could be loaded from {display_path(options.seeds)}; nothing was written", loaded.problems)

    mark = time.perf_counter()
    statics = list(static_files(options.static))
    assets = asset_versions(statics)
    indexer = _search_indexer(report, assets) if config.search else None
    pages = list(archive.build_pages(loaded.articles, config))
    extras = extra_files(pages, loaded.articles, config)
    taken = [urls.output_path(p.url) for p in pages] + [urls.output_path(url) for url, _ in extras.files] + [f.path for f in statics]
    moved, found = redirects.redirect_pages(loaded.articles, taken)
    report.site_problems = tuple(found)
    if options.strict and found:
        raise BuildFailed(f"--strict: {len(found)} problem(s) found; nothing was written", report.site_problems)
    renderer = Renderer(options.templates, config, assets)
    all_pages = [*pages, *moved]
    site = incremental.site_digest(config, options.templates, assets)
    report.timings["index"] = time.perf_counter() - mark

    mark = time.perf_counter()
    rendered, report.rendered, entries = _render_pages(options, renderer, all_pages, site, incremental.article_digests(loaded.articles), progress)
    outputs = [Output(urls.output_path(page.url), data) for page, data in zip(all_pages, rendered)]
    report.pages = len(outputs)
    outputs += [Output(urls.output_path(url), data) for url, data in extras.files]
    report.extras, report.left_out = extras.made, extras.left_out
    _check_collisions(outputs, statics)
    outputs.extend(statics)
    report.files = len(outputs)
    report.timings["render"] = time.perf_counter() - mark

    mark = time.perf_counter()
    report.stats = write_site(outputs, options.output, indexer)
    incremental.write_entries(options.output, entries)  # only once the site it describes is live
    report.timings["write"] = time.perf_counter() - mark - report.timings.get("search", 0)
    report.timings["total"] = time.perf_counter() - started
    return report


def _search_indexer(report: BuildReport, assets: dict[str, str]) -> Indexer:
    """The Pagefind step write_site runs on the staged site; adds the bundle's files to `assets`."""
    pagefind = search.find_pagefind()
    assets.update(search.asset_versions(pagefind))

    def index(staging: Path) -> None:
        mark = time.perf_counter()
        search.index_site(pagefind, staging)
        report.timings["search"] = time.perf_counter() - mark

    return Indexer(urls.SEARCH_BUNDLE_FOLDER, index)


def _check_collisions(generated: list[Output], statics: list[Output]) -> None:
    generated_paths = {item.path for item in generated}
    clashes = sorted(f.path for f in statics if f.path in generated_paths)
    if clashes:
        raise BuildFailed(f"static file(s) would replace generated files: {', '.join(clashes)}")
