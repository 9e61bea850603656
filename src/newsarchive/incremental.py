"""Incremental builds: a fingerprint for every rendered page, kept between builds by output path.

A page's fingerprint is a digest of everything its bytes are made from:
  - the build's global inputs: newsarchive's own code, the configuration, every template file and
    the static files' versions (see `site_digest`);
  - its page record, where each article stands for the digest of all its fields (body included),
    so a list page depends on the set, order and contents of the articles it lists.
Equal fingerprints mean equal bytes, so a page whose fingerprint is unchanged, and whose previous
output is still in the live site with the bytes recorded for it, is read back instead of rendered.
Nothing here is specific to a page kind (article, list, redirect…): outputs are keyed by path.
Whole-site files (feeds, sitemaps, export) and static files are made every build, as before.

The cache is a hidden folder beside the output (`.newsarchive-cache/dist/` for `dist`): never
published, it only ever speeds a build up. Delete it, or build with --clean, and everything is
rendered again; a cache that cannot be read is ignored.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from newsarchive.model import Article

FORMAT = 1  # bump when what is stored changes shape
_PACKAGE = Path(__file__).resolve().parent


def digest(*parts: Any) -> str:
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def bytes_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


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


def article_digests(articles: Any) -> dict[int, str]:
    """Each article's digest, by identity: page records share the loaded Article objects."""
    return {id(a): digest(repr(a)) for a in articles}


def record_key(value: Any, articles: dict[int, str]) -> Any:
    """A page record as plain values, each Article replaced by its digest."""
    cls = type(value)
    if cls is Article:
        known = articles.get(id(value))
        if known is None:  # an article the page record made itself (none do today): digest it whole
            known = articles[id(value)] = digest(repr(value))
        return known
    if cls is tuple or cls is list:
        return tuple(record_key(item, articles) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (cls.__name__, tuple(record_key(getattr(value, f.name), articles) for f in dataclasses.fields(value)))
    if isinstance(value, Mapping):
        return tuple(sorted((repr(k), record_key(v, articles)) for k, v in value.items()))
    return repr(value)


def page_fingerprint(page: Any, site: str, articles: dict[int, str]) -> str:
    return digest(site, page.template, record_key(page, articles))


Entries = dict[str, tuple[str, str]]  # output path -> (fingerprint, digest of the bytes written)


def cache_file(output: Path) -> Path:
    return output.parent / ".newsarchive-cache" / output.name / "pages.json"


def read_entries(output: Path) -> Entries:
    try:
        stored = json.loads(cache_file(output).read_text(encoding="utf-8"))
        if stored.get("format") != FORMAT:
            return {}
        return {path: (entry[0], entry[1]) for path, entry in stored["pages"].items()}
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return {}  # no cache, or one that cannot be trusted: render everything


def write_entries(output: Path, entries: Entries) -> None:
    """Replace the cache atomically: a build stopped half-way leaves the old cache or the new one."""
    target = cache_file(output)
    target.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps({"format": FORMAT, "pages": {p: list(e) for p, e in sorted(entries.items())}}, separators=(",", ":"))
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".pages.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def reuse(output: Path, path: str, fingerprint: str, entries: Entries) -> bytes | None:
    """The live site's bytes for `path`, if they were made from the same fingerprint and are intact."""
    entry = entries.get(path)
    if entry is None or entry[0] != fingerprint:
        return None
    try:
        data = (output / path).read_bytes()
    except OSError:
        return None
    return data if bytes_digest(data) == entry[1] else None
