"""The build's work: load → pages → render → write, each step skipping what is unchanged.

See incremental.py for what decides that a page is unchanged and cache.py for what is kept
between builds. Called by build.py once it knows that some input changed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import os
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from newsarchive import cache, export, health, incremental, memory, parallel, search, urls
from newsarchive.bodies import BodyStore, Read, forget_readers, reads, track_reads
from newsarchive.build import BuildOptions, BuildReport, Progress
from newsarchive.config import Config
from newsarchive.errors import BuildFailed, display_path
from newsarchive.layout import layout as site_layout
from newsarchive.layout import related_lists
from newsarchive.load import Sources, is_ignored, load_articles
from newsarchive.model import OnThisDayPage, Page
from newsarchive.render import Renderer
from newsarchive.sending import Sender, received
from newsarchive.source_columns import pack_sources, unpack_sources
from newsarchive.write import Indexer, Manifests, Output, discard_staging, mirror, staging_folder, tree_id, write_new, write_site


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


# Rendered pages wait in this process for the writer, a few chunks per worker (see
# parallel.Workers): 64 pages are about 2 MB, and enough work to make sending them cheap.
_PAGES_PER_CHUNK = 64


def _page_weight(page: Page) -> float:
    """A page's HTML in article pages' worth: about twenty teasers make one article page."""
    if isinstance(page, OnThisDayPage):
        return 1 + sum(len(group.articles) for group in page.years) / 20
    return 1 + len(getattr(page, "articles", ())) / 20


Rendered = tuple[bytes | None, frozenset[Read], str]  # bytes, or None once written with this digest; bodies read


def _render_chunk(renderer: Renderer, work: Sequence[tuple[str, str, Page]] | bytes) -> list[Rendered]:
    """Render (staging tree or "", output path, page) items, in a worker process: one forked before
    the pages existed, which receives them pickled by sending.Sender (see parallel.Workers).

    With a staging tree (one just made, in a first or clean build) the worker writes the page there
    itself and returns only its digest: the writer would otherwise receive and write every byte
    of the site alone, while the workers wait for it. Without one, or when the page cannot simply
    be created there, its bytes go back to the writer."""
    results: list[Rendered] = []
    for stage, path, page in received(work) if isinstance(work, bytes) else work:
        track_reads()
        data = renderer.render(page)
        if stage and write_new(stage, path, data):
            results.append((None, reads(), incremental.bytes_digest(data)))
        else:
            results.append((data, reads(), ""))
    return results


def _page_outputs(options: BuildOptions, renderers: parallel.Workers, records: Callable[[list[int]], list[Page]], paths: list[str], fingerprints: list[str], bodies: dict[str, Read],
                  live: dict[str, str], state: cache.SiteState, progress: Progress | None, timings: dict[str, float],
                  body_reads: dict[str, tuple[Read, ...]]) -> tuple[Iterator[Output], int]:  # fmt: skip
    """Every page as an Output, in page order, and how many are rendered.

    A page is unchanged since the live build when its fingerprint (made from the articles'
    metadata) is the same and every body it read then (`state.body_reads`) is still that
    article's body (`bodies`: owner -> (owner, body digest)). Then it has no bytes: it is hard-linked
    from the live site. The others are rendered in worker processes while the writer consumes
    the stream, so the site's bytes are never all in memory at once. Fills `body_reads` for every
    page that read a body; time spent waiting for workers adds to timings["render"]."""
    live_root = os.fspath(options.output)
    current = set(bodies.values())  # a (owner, digest) pair read then is still the owner's body if it is here
    staging = staging_folder(options.output)
    # An unchanged page the staging tree already holds is taken from there (see write_site); only
    # the others are linked from the live site, so only they must still be there (a file deleted
    # from the site by hand is rendered again). A stat per page would cost more than the rest here.
    staged = state.trees.get(tree_id(staging), {}) if staging.exists() else {}  # type: ignore[arg-type]
    reused: list[Output | None] = []
    for path, fingerprint in zip(paths, fingerprints):
        digest = live.get(path)
        read = state.body_reads.get(path, ())
        same = (digest is not None and state.fingerprints.get(path) == fingerprint and current.issuperset(read)
                and (staged.get(path) == digest or os.path.isfile(f"{live_root}/{path}")))  # fmt: skip
        if same and read:
            body_reads[path] = read
        reused.append(Output(path, None, digest) if same else None)  # type: ignore[arg-type]
    to_render = [index for index, item in enumerate(reused) if item is None]
    if len(to_render) < parallel.SMALLEST_CHUNK:
        renderers.close()  # too little to send: it renders here, and idle workers hold memory

    stage = "" if staging.exists() else os.fspath(staging)  # as write_site decides, before it makes the folder

    def stream() -> Iterator[Output]:
        work = [(stage, paths[index], page) for index, page in zip(to_render, records(to_render))]
        sender = Sender(cache.cache_folder(options.output))
        try:
            yield from in_order(renderers.map(work, weight=lambda item: _page_weight(item[2]), pack=sender.pack))
        finally:
            sender.close()

    def in_order(chunks: Iterator[tuple[int, list[Rendered]]]) -> Iterator[Output]:
        pending: deque[Rendered] = deque()
        done = 0
        for path, item in zip(paths, reused):
            if item is not None:
                yield item
                continue
            while not pending:
                mark = time.perf_counter()
                count, results = next(chunks)
                timings["render"] = timings.get("render", 0.0) + time.perf_counter() - mark
                pending.extend(results)
                done += count
                if progress:
                    progress("render", done, len(to_render))
            data, read, digest = pending.popleft()
            if read:
                # Kept as this process's own pairs from `bodies`: 10^5 pages each holding a set
                # of unpickled copies would cost about 300 bytes a page.
                body_reads[path] = tuple(sorted(_own(bodies, pair) for pair in read))
            yield Output(path, data) if data is not None else Output(path, None, digest, staged=True)
        renderers.close()  # all rendered: the rest of the build needs no workers

    return stream(), len(to_render)


def _own(bodies: dict[str, Read], pair: Read) -> Read:
    found = bodies.get(pair[0])
    return found if found == pair else pair


def _jobs(options: BuildOptions) -> int:
    return options.jobs or parallel.cpu_count()


def source_cache_key(config: Config) -> str:
    """What the build cache's source entries were made with: the parsers and the configuration."""
    return incremental.digest(incremental.code_digest(), repr(config))


def _loaded_sources(options: BuildOptions, key: str) -> tuple[cache.Sharded, Sources]:
    """The last build's source entries, if made by the same code and configuration, as stored and
    as usable: those whose bodies are all still in the store (a build killed while the store was
    compacted loses some)."""
    sources = cache.load_shards(options.output, "sources", key, unpack_sources)
    folder = cache.cache_folder(options.output) / "bodies"
    segments = {entry.article.body_html.segment for entry in sources.values() if entry.article is not None}
    missing = {segment for segment in segments if not (folder / segment).is_file()}
    if missing:
        return sources, {path: e for path, e in sources.items() if e.article is None or e.article.body_html.segment not in missing}
    return sources, sources


def run(options: BuildOptions, config: Config, progress: Progress | None, started: float, stamps: dict[str, incremental.Stamp] | None = None) -> BuildReport:
    """Build the site into options.output (the caller holds its lock). Raises BuildFailed.
    `stamps`: the article files' stamps by path, as the caller's walk of the inputs just saw them."""
    store = BodyStore(cache.cache_folder(options.output) / "bodies")
    statics = list(static_files(options.static))
    assets = asset_versions(statics)
    pagefind = search.find_pagefind() if config.search else None
    if pagefind is not None:
        assets.update(search.asset_versions(pagefind))
    renderer = Renderer(options.templates, config, assets, cache.compiled_templates(options.output, incremental.code_digest()))
    # The render workers are forked now, while this process holds no articles (see parallel.Workers).
    with parallel.Workers(_render_chunk, renderer, _jobs(options), largest=_PAGES_PER_CHUNK) as renderers:
        return _run(options, config, progress, started, _Ready(store, statics, assets, pagefind, renderers, stamps or {}))


@dataclasses.dataclass(frozen=True)
class _Ready:
    """What a build sets up before it loads anything."""

    store: BodyStore
    statics: list[Output]
    assets: dict[str, str]
    pagefind: search.Pagefind | None
    renderers: parallel.Workers
    stamps: dict[str, incremental.Stamp]


def _run(options: BuildOptions, config: Config, progress: Progress | None, started: float, ready: _Ready) -> BuildReport:
    store, statics, assets = ready.store, ready.statics, ready.assets
    sources_key = source_cache_key(config)
    stored, cached = _loaded_sources(options, sources_key)
    loaded = load_articles(options.seeds, display_path(options.seeds), config, drafts=options.drafts,
                           cached=cached, store=store, jobs=_jobs(options), stamps=ready.stamps)  # fmt: skip
    ready.stamps.clear()  # used: at 10^5 files they are 30 MiB the rest of the build has no use for
    cache.save_shards(options.output, "sources", sources_key, loaded.sources, stored if stored else None, pack_sources)
    del stored, cached
    report = BuildReport(options.output, loaded, parsed=loaded.parsed, articles=len(loaded.articles),
                         per_year=health.articles_per_year(loaded.articles))  # fmt: skip
    report.timings["load"] = time.perf_counter() - started
    if options.strict and loaded.problems:
        raise BuildFailed(f"--strict: {len(loaded.problems)} problem(s) found; nothing was written", loaded.problems)
    if not loaded.articles:
        raise BuildFailed(f"no article could be loaded from {display_path(options.seeds)}; nothing was written", loaded.problems)

    mark = time.perf_counter()
    # Before the last build's state is loaded: see related_lists.
    found = related_lists(loaded.articles, loaded.sources, _jobs(options), ready.renderers,
                          cache.Shards(options.output, "bags", incremental.code_digest()))  # fmt: skip
    live_tree = tree_id(options.output)
    state: cache.SiteState = cache.load(options.output, "site.pickle", cache.SiteState())
    known_paths = cache.share_paths(state)
    live = state.trees.get(live_tree, {}) if state.live == live_tree and live_tree is not None else {}
    indexer = _search_indexer(report, ready.pagefind) if ready.pagefind else None
    parking = cache.Parking(options.output, state)
    layout = site_layout(loaded.articles, loaded.sources, config, incremental.site_digest(config, options.templates, assets),
                     [f.path for f in statics], state, live, known_paths, found,
                     cache.Pieces(options.output, "export", incremental.digest(incremental.code_digest(), export.fragment_inputs(config))),
                     parking.park)  # fmt: skip
    del found
    memory.give_back()  # what the layout worked with (the fingerprints' memo): before rendering
    parking.take_back(known_paths)
    del known_paths
    report.site_problems = layout.problems
    if options.strict and layout.problems:
        raise BuildFailed(f"--strict: {len(layout.problems)} problem(s) found; nothing was written", report.site_problems)
    paths, fingerprints, extras = layout.paths, layout.fingerprints, layout.extras
    bodies = {path: (path, e.article.body_html.digest) for path, e in loaded.sources.items() if e.article is not None}
    report.timings["index"] = time.perf_counter() - mark

    body_reads: dict[str, tuple[Read, ...]] = {}
    page_outputs, report.rendered = _page_outputs(options, ready.renderers, layout.records, paths, fingerprints, bodies, live, state, progress,
                                                  report.timings, body_reads)  # fmt: skip
    # The last build's page records are replaced when this one ends, and are no longer needed:
    # dropped now, their memory holds this build's (at 10^5 pages, about 50 MiB). A build killed
    # from here on leaves none, so the next one renders every page: slower, never wrong.
    state.fingerprints, state.body_reads, state.skeletons = {}, {}, ("", None, [])
    report.pages = len(paths)
    report.extras, report.left_out = layout.extras_kept[1], layout.extras_kept[2]
    _check_collisions(paths + [o.path for o in extras], statics)
    report.files = report.pages + len(extras) + len(statics)

    mark = time.perf_counter()

    def keep(manifests: Manifests) -> None:
        state.trees = manifests
        cache.save(options.output, "site.pickle", state, tree=True)

    report.stats = write_site(itertools.chain(_handed_over(extras), page_outputs, statics), options.output, indexer, state.trees, keep)
    # What the live site was made from, saved only now that it is live (a killed build keeps the old).
    state.live = tree_id(options.output)
    state.fingerprints = dict(zip(paths, fingerprints))
    state.extras_key, state.extras = layout.extras_key, layout.extras_kept
    state.layout = (layout.key, layout.listed, len(paths), layout.problems)
    state.skeletons = layout.skeletons
    state.sections = layout.sections
    state.sitemaps = layout.sitemaps
    state.body_reads = body_reads
    cache.save(options.output, "site.pickle", state, tree=True)
    if tree_id(staging_folder(options.output)) not in state.trees:  # a first or clean build: ready the next one's staging tree
        discard_staging(options.output)
        manifest = mirror(options.output, state.trees[state.live], _jobs(options))
        state.trees[tree_id(staging_folder(options.output))] = manifest
        cache.save(options.output, "site.pickle", state, tree=True)
    _compact_bodies(options, store, sources_key, loaded.sources)
    report.timings["write"] = time.perf_counter() - mark - report.timings.get("search", 0) - report.timings.get("render", 0)
    report.timings["total"] = time.perf_counter() - started
    return report


def _handed_over(outputs: list[Output]) -> Iterator[Output]:
    """The outputs in order, each dropped from the list as the writer takes it: the whole-site
    files are written first, so their bytes (at 10^5 articles the export alone is 57 MB) are gone
    before the pages render, instead of waiting for the last page."""
    outputs.reverse()
    while outputs:
        yield outputs.pop()


def _compact_bodies(options: BuildOptions, store: BodyStore, key: str, sources: Sources) -> None:
    """Drop the bodies no article file gives any more (see bodies.py); save the moved references."""
    moved = store.compact(entry.article.body_html for entry in sources.values() if entry.article is not None)
    if moved:
        for path, entry in sources.items():
            if entry.article is not None:
                body = entry.article.body_html
                article = dataclasses.replace(entry.article, body_html=body.moved(moved[body.digest]))
                sources[path] = entry._replace(article=article)
        cache.save_shards(options.output, "sources", key, sources, None, pack_sources)
    forget_readers()


def _search_indexer(report: BuildReport, pagefind: search.Pagefind) -> Indexer:
    """The Pagefind step write_site runs on the staged site."""

    def index(staging: Path) -> None:
        mark = time.perf_counter()
        search.index_site(pagefind, staging)
        report.timings["search"] = time.perf_counter() - mark

    return Indexer(urls.SEARCH_BUNDLE_FOLDER, index)


def _check_collisions(generated: list[str], statics: list[Output]) -> None:
    generated_paths = set(generated)
    clashes = sorted(f.path for f in statics if f.path in generated_paths)
    if clashes:
        raise BuildFailed(f"static file(s) would replace generated files: {', '.join(clashes)}")
