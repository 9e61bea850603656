"""The site's layout: every page's record, output path and fingerprint, and the whole-site files.

All of it is a function of the articles' metadata (every field but the body), the order of the
articles, their related lists and the site's global inputs (see incremental.py); `Layout.key` is a
digest of exactly those. A build whose key equals the last one's, the common case of an edited
body, takes the last build's paths and fingerprints as they are and makes only the page records
it renders, so it neither builds 10^5 records nor fingerprints them. Any other build makes every
record; when only what pages show of some articles changed (a lede, a summary, an author: see
incremental.shape_digest), it digests again only the article pages whose related list changed
and makes every fingerprint from the last build's skeletons (incremental.Skeletons).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from newsarchive import archive, cache, export, incremental, parallel, redirects, related, terms, urls
from newsarchive.config import Config
from newsarchive.errors import Problem
from newsarchive.load import Sources
from newsarchive.model import Article, Page
from newsarchive.syndicate import KeptSitemaps, extra_files
from newsarchive.write import Output


@dataclass(frozen=True, slots=True)
class Layout:
    key: str
    records: Callable[[list[int]], list[Page]]  # page records by index into `paths`, made on demand
    paths: list[str]  # every page's output path, in page order; redirect pages last
    fingerprints: list[str]  # each page's fingerprint, in the same order
    listed: int  # how many of the pages are not redirect pages
    problems: tuple[Problem, ...]  # redirects that could not be made
    extras: list[Output]  # feeds, sitemaps, robots.txt, export: without bytes when the live ones still fit
    extras_key: str
    extras_kept: tuple[tuple[str, ...], ...]  # what the build cache keeps of them (see cache.SiteState.extras)
    # The pages' shape digest and skeletons (see incremental.Skeletons), and the articles' metadata
    # digests (by position) the fingerprints were made with.
    skeletons: tuple[str, incremental.Skeletons | None, list[str]]
    sections: tuple[int, ...]  # how many pages each of archive.sections holds
    sitemaps: tuple[str, KeptSitemaps]  # what the build cache keeps of the sitemaps, and their key (see _sitemaps_key)


RelatedLists = tuple[str, list[tuple[int, ...]]]  # a digest of what they were found from; per article, its related articles' positions


def layout(articles: tuple[Article, ...], sources: Sources, config: Config, site: str, statics: list[str],
           state: cache.SiteState, live: dict[str, str], known_paths: dict[str, str], found: RelatedLists,
           fragments: cache.Pieces | None = None, park: Callable[[], None] | None = None) -> Layout:  # fmt: skip
    """This build's layout: the last build's (state.layout) when its key is the same; its pages
    fingerprinted again from their skeletons when only what they show of some articles changed;
    else made anew.

    `site` is the digest of the global inputs, `statics` the static files' output paths, `live`
    the live site's manifest and `known_paths` the state's shared path strings (cache.share_paths).
    `found`: the related lists (see related_lists); `fragments`: where the export's fragments are
    kept between builds, by metadata digest (see export.py); `park`: called before every page is
    made anew, to set the state's records by page aside (cache.Parking).
    """
    known = {e.article.source_path: (e.article, e.metadata) for e in sources.values() if e.article is not None}
    metadata = incremental.metadata_digests(articles, known)
    last_related = state.related  # the lists the live pages were made with
    state.related_key, state.related = found
    related_lists = [tuple(map(articles.__getitem__, others)) for others in state.related]
    key = incremental.digest(site, state.related_key, [metadata[id(a)] for a in articles])
    # The whole-site files show no body, unless feeds carry the full text.
    shown = incremental.whole_digests(articles, metadata) if config.feed_content == "full" else metadata
    extras_key = incremental.digest(key, [shown[id(a)] for a in articles])
    last_key, listed, count, problems = state.layout
    extras_live = all(path in live for path in state.extras[0])
    # (A build killed after it dropped the last build's fingerprints left none to reuse.)
    pages_known = bool(live) and len(state.fingerprints) == count and sum(state.sections) == listed
    if key == last_key and extras_key == state.extras_key and extras_live and pages_known:
        paths = list(state.fingerprints)  # in page order: the last build stored them so
        extras = _live_extras(state, live)
        records = _made_on_demand(archive.sections(articles, config, related_lists), state.sections, articles,
                                  paths[:listed] + [o.path for o in extras] + statics)  # fmt: skip
        return Layout(key, records, paths, list(state.fingerprints.values()), listed, problems, extras, extras_key, state.extras,
                      state.skeletons, state.sections, state.sitemaps)  # fmt: skip

    by_position = [metadata[id(a)] for a in articles]
    shape = incremental.shape_digest(site, articles, {e.article.source_path: (e.article, e.shape) for e in sources.values() if e.article is not None})
    last_shape, skeletons, last_metadata = state.skeletons
    if shape == last_shape and skeletons is not None and pages_known and len(last_related) == len(last_metadata) == len(articles):
        # The same pages as last time, naming the same articles, but for the related lists that
        # changed: the same paths, and the last build's skeletons but for those lists' pages.
        paths = list(state.fingerprints)
        sections = archive.sections(articles, config, related_lists)
        if extras_key == state.extras_key and extras_live:
            extras, extras_kept, sitemaps = _live_extras(state, live), state.extras, state.sitemaps
        else:  # (only the sitemaps need the pages, and only with a base_url and pages or dates that changed)
            extras, extras_kept, sitemaps = _extras(lambda: itertools.chain.from_iterable(s.pages() for s in sections), articles, config,
                                                    metadata, fragments, _sitemaps_key(shape, articles), state, live)  # fmt: skip
        records = _made_on_demand(sections, state.sections, articles, paths[:listed] + [o.path for o in extras] + statics)
        # Only the article pages whose related list changed are digested again; the others'
        # skeletons are the last build's, and only their articles' metadata may differ.
        first = state.sections[0]  # the article pages come right after the home pages
        again = [first + i for i, (now, before) in enumerate(zip(state.related, last_related)) if now != before]
        skeletons = skeletons.spliced(again, incremental.page_fingerprints(records(again), site, articles, by_position)[1])
        # Only those pages and the pages naming an article whose metadata changed are fingerprinted again.
        fingerprints = skeletons.refingerprinted(list(state.fingerprints.values()), by_position, last_metadata, again)
        return Layout(key, records, paths, fingerprints, listed, problems, extras, extras_key, extras_kept,
                      (shape, skeletons, by_position), state.sections, sitemaps)  # fmt: skip

    # Every page anew: the last build's records by page are not needed until the pages to render
    # are chosen (pipeline._page_outputs), and at 10^5 pages they are about 65 MiB.
    del skeletons, last_metadata, last_related
    if park is not None:
        park()
    pages: list[Page] = []
    sizes = []
    for section in archive.sections(articles, config, related_lists):
        pages.extend(section.pages())
        sizes.append(len(pages) - sum(sizes))
    # Fingerprinted before the whole-site files are made, so their bytes (at 10^5 articles the
    # export alone is 57 MB) are not held beside the fingerprints' working memory.
    # Pages depend on the articles' metadata; on a body only if they read it (see pipeline._page_outputs).
    fingerprints, skeletons = incremental.page_fingerprints(pages, site, articles, by_position)
    if extras_key == state.extras_key and extras_live:
        extras, extras_kept, sitemaps = _live_extras(state, live), state.extras, state.sitemaps
    else:
        extras, extras_kept, sitemaps = _extras(lambda: pages, articles, config, metadata, fragments, _sitemaps_key(shape, articles), state, live)
    # One list for the whole build (10^5 strings), of the same strings as the state's records.
    paths = [known_paths.get(path, path) for path in map(urls.output_path, (p.url for p in pages))]
    moved, found = redirects.redirect_pages(articles, paths + [o.path for o in extras] + statics)
    all_pages = [*pages, *moved]
    paths += [urls.output_path(p.url) for p in moved]
    more_fingerprints, more_skeletons = incremental.page_fingerprints(moved, site, articles, by_position)
    return Layout(key, lambda indexes: [all_pages[i] for i in indexes], paths, fingerprints + more_fingerprints, len(pages), tuple(found),
                  extras, extras_key, extras_kept, (shape, skeletons.then(more_skeletons), by_position), tuple(sizes), sitemaps)  # fmt: skip


def _sitemaps_key(shape: str, articles: tuple[Article, ...]) -> str:
    """What the sitemaps are made of: the pages (their shape) and the dates their articles changed
    (`updated`, the one date a shape leaves out). A lede or a title edit keeps it."""
    return incremental.digest(shape, [a.updated for a in articles])


def _extras(pages: Callable[[], Iterable[Page]], articles: tuple[Article, ...], config: Config, metadata: dict[int, str],
            fragments: cache.Pieces | None, sitemaps_key: str, state: cache.SiteState, live: dict[str, str],
            ) -> tuple[list[Output], tuple[tuple[str, ...], ...], tuple[str, KeptSitemaps]]:  # fmt: skip
    """The whole-site files made anew, but the last build's sitemaps when their key is the same
    and they are live (at 10^4 pages, walking every page for them took longer than the rest of a
    lede edit's layout); what the build cache keeps of them, and of the sitemaps with their key."""
    last_key, kept = state.sitemaps
    still = kept if last_key == sitemaps_key and kept[0] and all(urls.output_path(url) in live for url in kept[0]) else None
    made = extra_files(pages, articles, config, _kept_fragments(fragments, metadata, config), still)
    if fragments is not None:
        fragments.drop_others()
    extras = [Output(path, data) if data is not None else Output(path, None, live[path])
              for path, data in ((urls.output_path(url), data) for url, data in made.files)]  # fmt: skip
    return extras, (tuple(o.path for o in extras), made.made, made.left_out), (sitemaps_key, made.sitemaps)


def _live_extras(state: cache.SiteState, live: dict[str, str]) -> list[Output]:
    """The last build's whole-site files, taken from the live site as they are."""
    return [Output(path, None, live[path]) for path in state.extras[0]]


def _kept_fragments(kept: cache.Pieces | None, metadata: dict[int, str], config: Config) -> export.Fragments | None:
    """The export's fragments taken from the build cache, and only those of articles whose
    metadata changed made again."""
    if kept is None:
        return None
    return lambda year, group: kept.get(str(year), [metadata[id(a)] for a in group],
                                        lambda wanted: [export.fragment(group[i], config) for i in wanted])  # fmt: skip


def _made_on_demand(sections: list[archive.Section], sizes: tuple[int, ...], articles: tuple[Article, ...],
                    taken: list[str]) -> Callable[[list[int]], list[Page]]:  # fmt: skip
    """The page records at some indexes of the last build's pages, made section by section
    (`sizes`: how many pages each of `sections` held in the last build) and the redirect pages
    after them; `taken`: the paths redirects may not replace."""

    def records(indexes: list[int]) -> list[Page]:
        found: dict[int, Page] = {}
        start = 0
        for section, size in zip(sections, sizes):
            offsets = [index - start for index in indexes if start <= index < start + size]
            if offsets:
                found.update(zip((start + offset for offset in offsets), section.at(offsets)))
            start += size
        if any(index >= start for index in indexes):
            moved = redirects.redirect_pages(articles, taken)[0]
            found.update((index, moved[index - start]) for index in indexes if index >= start)
        return [found[index] for index in indexes]

    return records


def related_lists(articles: tuple[Article, ...], sources: Sources, jobs: int, workers: parallel.Workers | None = None,
                  bags: cache.Shards | None = None) -> RelatedLists:  # fmt: skip
    """Related articles by position, with a digest of what they are found from: the last
    computation's lists when neither the code nor any article's words or place in the order
    changed. Else they are found again, from what the last computation left (see _Kept and
    related.related_indexes): an article whose text read is unchanged (its digest, `read`) is not
    counted again, a vector whose weights cannot have moved is not weighed again, and a list none
    of whose inputs changed is not scored again.

    `workers`: idle processes to count words in; `bags`: where the word counts are kept between
    builds, by digest of the text counted (the last computation and its lists are kept beside
    them), or None to find every list from nothing. A build calls this before it loads the last
    build's state (cache.SiteState, about 170 MiB at 10^5 pages): finding lists again holds every
    article's word counts, and the two together took a lede edit's peak over 600 MiB."""
    read = {entry.article.source_path: entry.related for entry in sources.values() if entry.article is not None}
    digests = [read.get(a.source_path) or "" for a in articles]
    key = incremental.digest(incremental.code_digest(), list(zip((a.source_path for a in articles), digests)))
    if bags is None:
        return key, related.related_indexes(articles, jobs=jobs, workers=workers)
    kept = _Kept(bags)
    last_key, found = kept.lists()
    if last_key != key:
        del found
        # The kept word counts are referred to only from the call: it lets them go before scoring.
        found = related.related_indexes(articles, jobs=jobs, workers=workers, digests=digests, stored=kept.bags(),
                                        last=kept.last(), keep_bags=kept.keep_bags, keep=kept.keep)  # fmt: skip
        kept.keep_lists(key, found)
    return key, found


class _Kept:
    """What the build cache keeps of the related articles' last computation: every article's word
    counts, by digest of its text read (`bags`, in shards, each packed: see terms.pack_bags; an
    edit rewrites few), the last computation's vectors and lists (one file, replaced at once, so they are never kept with
    another computation's document frequencies), and its lists alone with the digest of their
    inputs (a small file: a build whose inputs are the same reads only that)."""

    LAST = "related.pickle"
    LISTS = "related-lists.pickle"

    def __init__(self, bags: cache.Shards) -> None:
        self.shards = bags

    def bags(self) -> dict[str, terms.Bag]:
        return self.shards.load(terms.unpack_bags)

    def last(self) -> related.Scored | None:
        key, scored = cache.load(self.shards.output, self.LAST, ("", None))
        return scored if key == self.shards.key and isinstance(scored, related.Scored) else None

    def keep_bags(self, digests: list[str], bags: list[terms.Bag]) -> None:
        self.shards.save({digest: bag for digest, bag in zip(digests, bags) if digest}, terms.pack_bags)

    def keep(self, scored: related.Scored) -> None:
        cache.save(self.shards.output, self.LAST, (self.shards.key, scored), tree=True)

    def lists(self) -> RelatedLists:
        key, found = cache.load(self.shards.output, self.LISTS, ("", []))
        return (key, found) if isinstance(key, str) and isinstance(found, list) else ("", [])

    def keep_lists(self, key: str, found: list[tuple[int, ...]]) -> None:
        cache.save(self.shards.output, self.LISTS, (key, found), tree=True)
