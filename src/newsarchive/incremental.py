"""Incremental builds: a fingerprint for every rendered page, kept between builds by output path.

A page's fingerprint is a digest of everything its bytes are made from:
  - the build's global inputs: newsarchive's own code, the configuration, every template file and
    the static files' versions (see `site_digest`);
  - its page record, where each article stands for the digest of its metadata (a page that reads
    a body depends on it too: see pipeline._page_outputs), so a list page depends on the set,
    order and contents of the articles it lists. It is digested in two steps: the record with a
    mark for each article (its skeleton), then that with the digests of the articles marked, so
    a build whose pages have the same skeletons fingerprints them again without their records.
Equal fingerprints mean equal bytes, so a page whose fingerprint is unchanged, and whose previous
output is still in the live site with the bytes recorded for it, is read back instead of rendered.
Nothing here is specific to a page kind (article, list, redirect…): outputs are keyed by path.
The whole-site files (feeds, sitemaps, export) share one fingerprint made from every article and
every page's URL. What was last built is kept in the build cache (cache.py).
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import functools
import hashlib
import itertools
import operator
import os
import struct
from array import array
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from newsarchive import packed
from newsarchive.model import Article

_PACKAGE = Path(__file__).resolve().parent


def digest(*parts: Any) -> str:
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def bytes_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@functools.cache  # the code does not change during a build; several keys include it
def code_digest() -> str:
    """newsarchive's own source: a new version of the program may render anything differently."""
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(_PACKAGE.rglob("*.py")):
        h.update(path.relative_to(_PACKAGE).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def folder_digest(folder: Path) -> str:
    """Every file of a folder (the templates): any template may be extended, included or imported."""
    h = hashlib.blake2b(digest_size=16)
    if folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            h.update(path.relative_to(folder).as_posix().encode() + b"\0")
            h.update(bytes_digest(path.read_bytes()).encode())
    return h.hexdigest()


def site_digest(config: Any, templates: Path, assets: Mapping[str, str]) -> str:
    return digest(code_digest(), repr(config), folder_digest(templates), sorted(assets.items()))


_METADATA = operator.attrgetter(*(f.name for f in dataclasses.fields(Article) if f.name != "body_html"))


# What pages only show of an article: no page record is made from them but through the article
# itself (a test changes them all and checks that every page's skeleton stays the same).
SHOWN_ONLY = frozenset({"title", "body_html", "summary", "word_count", "author", "updated", "extra"})
_SHAPE = operator.attrgetter(*(f.name for f in dataclasses.fields(Article) if f.name not in SHOWN_ONLY))


def article_shape(article: Article) -> str:
    """A digest of what an article gives the page records but through itself (see shape_digest).
    The loader keeps it with each source entry (load.SourceEntry)."""
    return digest(_SHAPE(article))


def shape_digest(site: str, articles: Sequence[Article], known: Mapping[str, tuple[Article, str]] = {}) -> str:
    """A digest of all the page records are made from, but what they only show of each article
    and the related lists: two builds of equal shape make the same pages, with the same skeletons
    (see Skeletons) but for the article pages whose related lists differ. `known`: as for
    metadata_digests, with article_shape's digests."""
    shapes = []
    for article in articles:
        stored = known.get(article.source_path)
        shapes.append(stored[1] if stored is not None and stored[0] is article and stored[1] else article_shape(article))
    return digest(site, shapes)


def metadata_digest(article: Article) -> str:
    """A digest of every field but the body: what list pages, feeds in summary mode, sitemaps and
    the export are made of. The loader keeps it with each source entry (load.SourceEntry)."""
    return digest(_METADATA(article))


def article_digest(metadata: str, article: Article) -> str:
    """A digest of the whole article; a stored body's repr is its own digest (bodies.Body)."""
    return digest(metadata, article.body_html)


def metadata_digests(articles: Any, known: Mapping[str, tuple[Article, str]] = {}) -> dict[int, str]:
    """Each article's metadata digest, by identity: page records share the loaded Article objects.
    `known` maps a source path to an article and its metadata digest, when the loader has it (that
    exact object)."""
    metadata: dict[int, str] = {}
    for article in articles:
        stored = known.get(article.source_path)
        metadata[id(article)] = stored[1] if stored is not None and stored[0] is article else metadata_digest(article)
    return metadata


def whole_digests(articles: Any, metadata: Mapping[int, str]) -> dict[int, str]:
    """Each article's digest with its body, by identity (`metadata`: from metadata_digests)."""
    return {id(article): article_digest(metadata[id(article)], article) for article in articles}


_PLAIN = frozenset({str, int, float, bool, type(None), dt.date, dt.datetime})
_FIELDS: dict[type, Any] = {}  # a dataclass's field getter (values as a tuple), or None for other types


def _field_getter(cls: type) -> Any:
    """A function giving a dataclass's field values as a tuple (None for any other type), made once per class."""
    if cls not in _FIELDS:
        getter = None
        if dataclasses.is_dataclass(cls):
            names = [f.name for f in dataclasses.fields(cls)]
            if len(names) == 1:  # attrgetter of one name gives the value itself, not a tuple
                getter = lambda value, get=operator.attrgetter(names[0]): (get(value),)  # noqa: E731
            else:
                getter = operator.attrgetter(*names) if names else (lambda value: ())
        _FIELDS[cls] = getter
    return _FIELDS[cls]


# What stands for an article in a page's key: no plain value's repr is "Ellipsis" (a string's is
# quoted), and its repr is made in C.
_ARTICLE = Ellipsis


def record_key(value: Any, positions: dict[int, int], named: array, memo: dict[int, Any] | None = None) -> Any:
    """A page record as plain values (their repr is what is digested), each article in `positions`
    (by identity) replaced by a mark, its position appended to `named`.

    Called for every page of every build: plain values are returned as they are, the common shapes
    (tuples of articles, dataclasses) take the shortest path, and `memo` (by identity, for records
    that stay alive while it is used) makes a record shared by many pages, such as a link in a
    day's trail, cost once. Tuples and lists are not kept in it: a page's own tuples (its related
    articles, its teasers) are met once, and at 10^5 pages their keys would be the largest thing
    the build holds.
    """
    cls = type(value)
    if cls is Article:
        position = positions.get(id(value))
        if position is None:  # an article the page record made itself (none do today): digested whole
            return digest(repr(value))
        named.append(position)
        return _ARTICLE
    if cls in _PLAIN:
        return value
    if cls is tuple or cls is list:
        found = list(map(positions.get, map(id, value)))  # only articles are in `positions`
        if None not in found:  # articles only (related lists, a list page's teasers): in C
            named.extend(found)
            return [_ARTICLE] * len(found)
        return [item if type(item) in _PLAIN else record_key(item, positions, named, memo) for item in value]
    if memo is not None:
        known = memo.get(id(value))
        if known is not None:
            named.extend(known[1])
            return known[0]
    start = len(named)
    key: Any
    if (getter := _field_getter(cls)) is not None:
        key = (cls.__name__, [item if type(item) in _PLAIN else record_key(item, positions, named, memo) for item in getter(value)])
    elif isinstance(value, Mapping):
        key = sorted((repr(k), record_key(v, positions, named, memo)) for k, v in value.items())
    else:
        key = repr(value)
    if memo is not None:
        memo[id(value)] = (key, named[start:] if len(named) > start else ())  # most name no article
    return key


@dataclasses.dataclass(frozen=True, slots=True)
class Skeletons:
    """Every page's record as page_fingerprints digested it, without the articles it names: a
    digest of the record with a mark for each article, and the positions (in the build's order of
    articles) of the articles the marks stand for. A page's fingerprint is a digest of its
    skeleton and those articles' metadata digests, so a build whose pages are made of the same
    skeletons (see layout.layout) fingerprints them again from these alone."""

    digests: bytes  # 16 bytes a page
    positions: array  # ('I') of every page, one page after the other
    ends: array  # ('I') where each page's positions end

    def fingerprints(self, metadata: list[str]) -> list[str]:
        """Each page's fingerprint, for articles of these metadata digests (by position)."""
        return list(map(functools.partial(self._fingerprint, metadata.__getitem__), range(len(self.ends))))

    def _fingerprint(self, get: Any, page: int) -> str:
        named = "".join(map(get, self.positions[self.ends[page - 1] if page else 0 : self.ends[page]]))
        return hashlib.blake2b(self.digests[16 * page : 16 * page + 16] + named.encode(), digest_size=16).hexdigest()

    def refingerprinted(self, last: list[str], metadata: list[str], before: list[str], again: list[int]) -> list[str]:
        """The fingerprints for articles of these metadata digests, from the `last` ones, made with
        these skeletons for articles of the digests `before` but for the pages `again`: only those
        and the pages naming an article whose digest changed are digested again."""
        changed = {position for position, (now, then) in enumerate(zip(metadata, before)) if now != then}
        pages = set(again)
        if changed:  # where the changed articles are named, found in C; then whose page each place is
            places = itertools.compress(range(len(self.positions)), map(changed.__contains__, self.positions))
            pages.update(bisect.bisect_right(self.ends, place) for place in places)
        found = list(last)
        for page in pages:
            found[page] = self._fingerprint(metadata.__getitem__, page)
        return found

    def then(self, more: Skeletons) -> Skeletons:
        """These pages' skeletons followed by those of `more`."""
        ends = array("I", self.ends)
        ends.extend(end + len(self.positions) for end in more.ends)
        return Skeletons(self.digests + more.digests, self.positions + more.positions, ends)

    def spliced(self, pages: list[int], new: Skeletons) -> Skeletons:
        """These skeletons with those of the pages at `pages` (ascending) replaced by `new`'s, in order."""
        _, (digests,) = packed.splice(_every(16, len(self.ends)), [self.digests], pages, _every(16, len(new.ends)), [new.digests])
        ends, (positions,) = packed.splice(self.ends, [self.positions], pages, new.ends, [new.positions])
        return Skeletons(digests, positions, ends)  # type: ignore[arg-type]


def _every(size: int, count: int) -> array:
    """The ends of `count` runs of `size` values each."""
    return array("I", range(size, size * count + 1, size))


def page_fingerprints(pages: list[Any], site: str, articles: Sequence[Any], metadata: list[str]) -> tuple[list[str], Skeletons]:
    """Every page's fingerprint and skeleton (the page records stay alive meanwhile, so identities
    are stable); `metadata`: each article's metadata digest, by position in `articles`."""
    positions = {id(article): position for position, article in enumerate(articles)}
    memo: dict[int, Any] = {}
    digests = bytearray()
    named, ends = array("I"), array("I")
    for page in pages:
        key = record_key(page, positions, named, memo)
        digests += hashlib.blake2b(repr((site, page.template, key)).encode("utf-8", "surrogatepass"), digest_size=16).digest()
        ends.append(len(named))
    skeletons = Skeletons(bytes(digests), named, ends)
    return skeletons.fingerprints(metadata), skeletons


# A file's mtime and ctime (ns), size and inode, packed: 65 bytes, where a tuple of the four ints
# takes about 200, and a build holds one per article file, at 10^5 files while it forks its workers.
Stamp = bytes
_STAMP = struct.Struct("<qqQQ")
_MODE = struct.Struct("<I")  # a file's st_mode, in inputs_digest


def stamp_of(info: os.stat_result) -> Stamp:
    return _STAMP.pack(info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino)


def stamp_time(stamp: Stamp) -> int:
    """The later of a stamped file's modification and change times (ns)."""
    mtime, ctime, _, _ = _STAMP.unpack(stamp)
    return max(mtime, ctime)


def inputs_digest(parts: Any, folders: list[Path], since_ns: int, stamps: dict[str, Stamp] | None = None) -> tuple[str, bool]:
    """A digest of `parts` and of the name, size, times and inode of every file under `folders`,
    and whether any was changed after `since_ns` (then it cannot be trusted to tell a later edit
    apart, as a file's times are only as fine as the file system's clock tick). `stamps`, if given,
    gets each file's Stamp by path: the loader need not stat the files again.

    A rebuild whose digest equals the last build's has nothing to do (see build.py). Stat calls on
    strings with os.scandir: for 10^5 files this is the whole cost of a rebuild with no change.
    """
    h = hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16)
    recent = False
    for folder in folders:
        stack = [os.fspath(folder)]
        h.update(b"\1" + stack[0].encode("utf-8", "surrogateescape"))
        while stack:
            current = stack.pop()
            try:
                with os.scandir(current) as found:
                    entries = sorted(found, key=lambda entry: entry.name)
            except OSError as error:
                h.update(f"\2{current}\0{error.errno}".encode("utf-8", "surrogateescape"))
                continue
            for entry in entries:
                try:
                    info = entry.stat()
                except OSError:
                    h.update(f"\3{entry.path}".encode("utf-8", "surrogateescape"))
                    continue
                # The path, then fixed-width numbers: packed, not formatted (at 10^5 files,
                # formatting them was a fifth of the walk), and the stamp is the loader's too.
                stamp = stamp_of(info)
                h.update(b"%b\0%b%b" % (entry.path.encode("utf-8", "surrogateescape"), stamp, _MODE.pack(info.st_mode)))
                recent = recent or max(info.st_mtime_ns, info.st_ctime_ns) > since_ns
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                elif stamps is not None:
                    stamps[entry.path] = stamp
    return h.hexdigest(), recent
