"""The build cache: a hidden folder beside the output (`.newsarchive-cache/dist/` for `dist`).

It is never published and only ever speeds a build up: delete it, or build with --clean, and
the next build does everything again; a part that cannot be read is ignored. It holds:
  sources/        what each article file gave when last read (load.SourceEntry), by path, in
                  shards (see save_shards): one edit rewrites one shard, not every entry
  bodies/         the article bodies those entries point to (bodies.py)
  site.pickle     what the output trees hold (write.Manifests), each page's fingerprint, the
                  related-articles lists and the whole-site files, with the keys they were made from
  export/         each article's fragment of the JSON export (export.fragment), by digest of its
                  metadata, in one file per year (see Pieces)
  bags/, related.pickle, related-lists.pickle
                  the related articles' word counts by digest of the text counted, the last
                  computation (layout._Kept), and its lists alone with the digest of their inputs
  last.pickle     a digest of every input of the last build and its report, so that a rebuild
                  with nothing changed returns at once
  templates/      the templates' compiled code (Jinja2's bytecode cache), one folder per version
                  of newsarchive's code (see compiled_templates)
Each pickle is replaced atomically, so a build stopped half-way leaves the old one or the new one.
"""

from __future__ import annotations

import os
import pickle
import shutil
import tempfile
import zlib
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMAT = 12  # bump when what is stored changes shape


def cache_folder(output: Path) -> Path:
    return output.parent / ".newsarchive-cache" / output.name


def compiled_templates(output: Path, code: str) -> Path:
    """The folder for the templates' compiled code made by newsarchive's code of digest `code`;
    other versions' folders are dropped (a few small files each)."""
    folder = cache_folder(output) / "templates"
    if folder.is_dir():
        for old in folder.iterdir():
            if old.name != code:
                shutil.rmtree(old, ignore_errors=True)
    (folder / code).mkdir(parents=True, exist_ok=True)
    return folder / code


def clear(output: Path) -> None:
    shutil.rmtree(cache_folder(output), ignore_errors=True)


@dataclass(slots=True)
class SiteState:
    """What the last build left, keyed by what it was made from."""

    trees: dict[Any, dict[str, str]] = field(default_factory=dict)  # write.TreeId -> path -> bytes digest
    live: Any = None  # the TreeId of the output folder the fingerprints describe
    fingerprints: dict[str, str] = field(default_factory=dict)  # output path -> page fingerprint
    body_reads: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)  # output path -> the bodies.Read it read
    related_key: str = ""
    related: list[tuple[int, ...]] = field(default_factory=list)  # the related lists the live pages were made with
    extras_key: str = ""
    extras: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]] = ((), (), ())  # paths, made, left out
    layout: tuple[str, int, int, tuple[Any, ...]] = ("", 0, 0, ())  # layout.Layout's key, listed, pages in all, problems
    skeletons: tuple[str, Any, list[str]] = ("", None, [])  # see layout.Layout.skeletons
    sections: tuple[int, ...] = ()  # how many pages each of archive.sections held
    sitemaps: tuple[str, tuple[tuple[str, ...], str]] = ("", ((), ""))  # layout.Layout.sitemaps

    def __reduce__(self) -> tuple:
        """Pickled with each output path and each bytes digest once, the dicts as numbers into
        them. The state is pickled without a memo (see save): its four dicts by path would come
        back each with its own copy of every path, and at 10^5 pages those copies took the build's
        memory past its peak while they were unpickled."""
        paths: dict[str, int] = {}
        digests: dict[str, int] = {}

        def numbered(mapping: dict[str, Any], table: dict[Any, int] | None = None) -> tuple[array, Any]:
            keys = array("I", [paths.setdefault(path, len(paths)) for path in mapping])
            values = mapping.values()
            return keys, (list(values) if table is None else array("I", [table.setdefault(v, len(table)) for v in values]))

        trees = {tree: numbered(manifest, digests) for tree, manifest in self.trees.items()}
        fingerprints, body_reads = numbered(self.fingerprints), numbered(self.body_reads)
        rest = {name: getattr(self, name) for name in self.__slots__ if name not in ("trees", "fingerprints", "body_reads")}
        return _site_state, (list(paths), list(digests), trees, fingerprints, body_reads, rest)


def _site_state(paths: list[str], digests: list[str], trees: dict[Any, tuple[array, array]], fingerprints: tuple[array, list[str]],
                body_reads: tuple[array, list[Any]], rest: dict[str, Any]) -> SiteState:  # fmt: skip
    """A SiteState from what its __reduce__ gave, every path and digest one string."""
    path = paths.__getitem__
    return SiteState(
        trees={tree: dict(zip(map(path, keys), map(digests.__getitem__, values))) for tree, (keys, values) in trees.items()},
        fingerprints=dict(zip(map(path, fingerprints[0]), fingerprints[1])),
        body_reads=dict(zip(map(path, body_reads[0]), body_reads[1])),
        **rest,
    )


def share_paths(state: SiteState) -> dict[str, str]:
    """The state's output paths, each the one string the state's records use (an unpickled state
    shares them: see SiteState.__reduce__), for the build's own list of paths to use too (at 10^5
    pages, a second copy of every path is about 10 MiB)."""
    paths: dict[str, str] = {}
    for mapping in (*state.trees.values(), state.fingerprints, state.body_reads):
        for path in mapping:
            paths.setdefault(path, path)
    return paths


@dataclass
class Parking:
    """The state's records by page (fingerprints and bodies read) set aside on disk while a build
    lays out every page anew, which needs none of them, and taken back for choosing the pages to
    render: at 10^5 pages, a template change's build held them beside every new page record and
    fingerprint, 50 MiB over the 600 MiB its peak must stay under. The state's skeletons are the
    last build's, replaced by the new ones: dropped."""

    output: Path
    state: SiteState
    parked: bool = False

    NAME = "parked.pickle"

    def park(self) -> None:
        save(self.output, self.NAME, SiteState(fingerprints=self.state.fingerprints, body_reads=self.state.body_reads), tree=True)
        self.state.fingerprints, self.state.body_reads, self.state.skeletons = {}, {}, ("", None, [])
        self.parked = True

    def take_back(self, shared: dict[str, str]) -> None:
        """Take the records back, their paths made the strings of `shared` (see share_paths)."""
        if self.parked:
            kept = load(self.output, self.NAME, SiteState())  # (lost: every page is rendered, none wrongly kept)
            self.state.fingerprints = {shared.get(path, path): value for path, value in kept.fingerprints.items()}
            self.state.body_reads = {shared.get(path, path): value for path, value in kept.body_reads.items()}
            (cache_folder(self.output) / self.NAME).unlink(missing_ok=True)
            self.parked = False


def load(output: Path, name: str, default: Any) -> Any:
    try:
        with open(cache_folder(output) / name, "rb") as handle:
            version, value = pickle.load(handle)
        return value if version == FORMAT else default
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError, IndexError):
        return default  # a missing or damaged cache only means a slower build


def save(output: Path, name: str, value: Any, tree: bool = False) -> None:
    """Store `value` atomically. `tree`: no object in it needs to come back shared (the site
    state: see SiteState.__reduce__), so it can be pickled without a memo, which for 10^5
    articles takes more memory than they do (a shard of them does not: see save_shards)."""
    target = cache_folder(output) / name
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "wb") as file:
            pickler = pickle.Pickler(file, protocol=pickle.HIGHEST_PROTOCOL)
            pickler.fast = tree
            pickler.dump((FORMAT, value))
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


SHARDS = 64


def _shard(key: str) -> int:
    return zlib.crc32(key.encode("utf-8", "surrogateescape")) % SHARDS


class Sharded(dict[str, Any]):
    """What load_shards gave: the merged mapping, and the keys each shard held (`keys_in`)."""

    keys_in: dict[int, list[str]]


def load_shards(output: Path, name: str, key: str, unpack: Callable[[Any], dict[str, Any]] | None = None) -> Sharded:
    """What save_shards stored under `name` with this `key` (a shard stored with another is ignored),
    each shard given to `unpack` when it was stored packed."""
    merged = Sharded()
    merged.keys_in = {}
    for number in range(SHARDS):
        stored_key, part = load(output, f"{name}/{number:02d}.pickle", ("", {}))
        if stored_key == key:
            part = unpack(part) if unpack is not None else part
            merged.update(part)
            merged.keys_in[number] = list(part)
    return merged


def save_shards(output: Path, name: str, key: str, mapping: dict[str, Any], stored: Sharded | None,
                pack: Callable[[dict[str, Any]], Any] | None = None) -> None:  # fmt: skip
    """Store `mapping` (str -> value) under `name`, split by key into SHARDS files, each atomically
    (as `pack` makes it of the shard's part of the mapping, when given: thousands of small values
    pickle and load much faster packed in a few).

    `stored` is what load_shards gave with this `key`: a shard where every value is that same
    object, and no key was added or dropped, is not written again. With None, every shard is.
    A build killed half-way leaves some shards new and some old, each whole: the cache's entries
    are each checked before use (load.py), so an old one costs time, never correctness."""
    if stored is None:
        parts: dict[int, dict[str, Any]] = {number: {} for number in range(SHARDS)}
        for item, value in mapping.items():
            parts[_shard(item)][item] = value
    else:
        # Only the changed shards are made: of the keys they held that are still there, and of
        # those new or changed (an edit's few), not by finding the shard of every key.
        new = [item for item, value in mapping.items() if stored.get(item) is not value]
        changed = {_shard(item) for item in new}
        changed.update(_shard(item) for item in stored if item not in mapping)
        parts = {number: {item: mapping[item] for item in stored.keys_in.get(number, ()) if item in mapping} for number in changed}
        for item in new:
            parts[_shard(item)][item] = mapping[item]
    for number in sorted(parts):
        # With pickle's memo: what a shard holds many times (a class, a body segment's name, the
        # empty tuple) is written once, and loading looks each class up once. A shard is small
        # enough for its memo.
        save(output, f"{name}/{number:02d}.pickle", (key, parts[number] if pack is None else pack(parts[number])))


@dataclass
class Shards:
    """A sharded entry (see save_shards) that is read only if asked for, and saved rewriting only
    the shards that changed since it was read."""

    output: Path
    name: str
    key: str
    stored: dict[str, Any] | None = None

    def load(self, unpack: Callable[[Any], dict[str, Any]] | None = None) -> dict[str, Any]:
        self.stored = load_shards(self.output, self.name, self.key, unpack)
        return self.stored

    def save(self, mapping: dict[str, Any], pack: Callable[[dict[str, Any]], Any] | None = None) -> None:
        save_shards(self.output, self.name, self.key, mapping, self.stored, pack)
        self.stored = None  # what it held is saved, or replaced: not kept for the rest of the build


@dataclass
class Pieces:
    """Pieces of an output (the articles' fragments of the JSON export), kept by a digest of what
    each is made from, in one file per group (a year): a build makes only the pieces of new
    digests, and holds, reads and rewrites one group at a time (at 10^5 articles all the export's
    pieces are about 50 MB). `key`: what every piece depends on besides its digest (the code, the
    configuration); pieces kept with another key are made again."""

    output: Path
    name: str
    key: str
    asked: set[str] = field(default_factory=set)

    def get(self, group: str, digests: list[str], make: Callable[[list[int]], list[bytes]]) -> list[bytes]:
        """The pieces of these digests, in order; `make` makes those at some indexes."""
        self.asked.add(group)
        stored_key, kept = load(self.output, self._file(group), ("", {}))
        if stored_key != self.key or not isinstance(kept, dict):
            kept = {}
        found = [kept.get(digest) for digest in digests]
        missing = [index for index, piece in enumerate(found) if type(piece) is not bytes]
        for index, piece in zip(missing, make(missing)):
            found[index] = piece
        mapping = dict(zip(digests, found))
        if missing or len(mapping) != len(kept):  # pieces made, or some no longer used
            save(self.output, self._file(group), (self.key, mapping), tree=True)
        return found  # type: ignore[return-value]

    def drop_others(self) -> None:
        """Delete the groups no call asked for since this was made (a year no article is of any more)."""
        for path in (cache_folder(self.output) / self.name).glob("*.pickle"):
            if path.stem not in self.asked:
                path.unlink(missing_ok=True)

    def _file(self, group: str) -> str:
        return f"{self.name}/{group}.pickle"
