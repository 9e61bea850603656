"""The only reader of article files: walk seeds/, decode, parse, and collect every problem."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import importlib
import os
import stat
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from newsarchive import incremental, parallel, terms
from newsarchive.bodies import BodyStore, body_digest, store_body
from newsarchive.config import Config
from newsarchive.errors import Problem, SourceError
from newsarchive.formats.fields import UNFIT_CHARACTERS, Parsed
from newsarchive.incremental import Stamp, stamp_of, stamp_time
from newsarchive.model import Article, LoadResult
from newsarchive.urls import article_url

Parser = Callable[[str, str, Config, str], Parsed]  # text, display path, config, path inside seeds/
# File ending -> the formats module and function that parse it. Imported when first needed: a
# rebuild with nothing to parse never pays for importing Markdown and the front matter readers.
PARSERS: dict[str, tuple[str, str]] = {
    ".txt": ("text", "parse"),
    ".md": ("markdown", "parse"),
    ".markdown": ("markdown", "parse"),
    ".mdx": ("markdown", "parse_mdx"),
    ".html": ("html", "parse"),
}


def parser(suffix: str) -> Parser:
    module, function = PARSERS[suffix.lower()]
    return getattr(importlib.import_module(f"newsarchive.formats.{module}"), function)


# Editor leftovers and system files that are never articles: skipped without a word.
_IGNORED_SUFFIXES = ("~", ".swp", ".swo", ".swx", ".tmp", ".bak", ".orig")
_IGNORED_PREFIXES = (".", "#")


class SourceEntry(NamedTuple):  # a tuple: 10^5 of them are pickled into the build cache every build
    """What one article file gave when it was last read; reused while the file is unchanged."""

    stamp: Stamp | None  # None: written too close to that read for its times to tell a later edit apart
    digest: str  # of the file's bytes: a file touched but not changed is not parsed again
    article: Article | None  # its body in the body store (bodies.py) when a store was given
    problems: tuple[Problem, ...]
    related: str = ""  # digest of the text related articles are computed from (terms.text_read)
    metadata: str = ""  # incremental.metadata_digest of the article
    shape: str = ""  # incremental.article_shape of the article


Sources = dict[str, SourceEntry]  # by path inside seeds/


def is_ignored(name: str) -> bool:
    return name.startswith(_IGNORED_PREFIXES) or name.endswith(_IGNORED_SUFFIXES)


_OUTSIDE = "symbolic link leads outside the seeds folder; refused"


def _link_problem(path: Path, real_root: Path) -> str | None:
    """Why a symbolic link is refused, or None when it stays inside seeds/."""
    try:
        target = path.resolve(strict=False)
    except (OSError, RuntimeError):
        return "symbolic link loops back on itself; refused"
    return None if target.is_relative_to(real_root) else _OUTSIDE


def discover(seeds: Path, display_root: str) -> Iterator[tuple[str, str, str] | Problem]:
    """Every candidate file under seeds/ as (path, display path, path inside seeds/), in a fixed
    order, or a Problem for a refused one.

    Links to folders are never followed (a folder reached twice would publish its articles
    twice; one outside seeds/ would publish files that were never meant to be); each is reported.
    Walks with os.scandir on strings: every build walks all of seeds/, even with nothing to parse.
    """
    shown = Path(display_root).as_posix()
    yield from _discover_in(os.fspath(seeds), "", "" if shown == "." else shown + "/", seeds.resolve())


def _discover_in(folder: str, inside: str, shown: str, real_root: Path) -> Iterator[tuple[str, str, str] | Problem]:
    try:
        with os.scandir(folder) as found:
            entries = sorted(found, key=lambda entry: entry.name)
    except OSError:
        return  # as os.walk does: a folder that cannot be listed holds nothing we can read
    folders = [entry for entry in entries if _is_folder(entry)]
    for entry in folders:
        if entry.is_symlink() and not is_ignored(entry.name):
            display = shown + inside + entry.name
            refused = _link_problem(Path(entry.path), real_root)
            yield Problem(display, None, refused) if refused else Problem(display, None, "symbolic link to a folder; not followed", "warning")
    for entry in entries:
        name = entry.name
        if is_ignored(name) or _is_folder(entry):
            continue
        display = shown + inside + name
        refused = _link_problem(Path(entry.path), real_root) if entry.is_symlink() else None
        if refused:
            yield Problem(display, None, refused)
            continue
        dot = name.rfind(".")  # os.path.splitext's ending, without its cost (10^5 calls); a leading dot is ignored above
        if dot <= 0 or name[dot:].lower() not in PARSERS:
            known = ", ".join(PARSERS)
            yield Problem(display, None, f"not an article file (known endings: {known}); skipped", "warning")
            continue
        if name.startswith("_index."):
            yield Problem(display, None, "a Hugo or Zola section page (_index), not an article; skipped", "warning")
            continue
        yield entry.path, display, inside + name
    for entry in folders:
        if not entry.is_symlink() and not is_ignored(entry.name):
            yield from _discover_in(entry.path, inside + entry.name + "/", shown, real_root)


def _is_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()  # follows links, as os.walk sorts them: a link to a folder is a folder
    except OSError:
        return False


def _line_at(data: bytes | str, offset: int) -> int:
    newline = b"\n" if isinstance(data, bytes) else "\n"
    return data.count(newline, 0, offset) + 1


def _check_binary(data: bytes, display: str) -> None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError(display, 1, "UTF-16 text; save the file as UTF-8")
    nul = data.find(b"\0", 0, 8192)
    if nul >= 0:
        raise SourceError(display, _line_at(data, nul), "binary file, not text (it holds a NUL byte)")


def _remove_unfit(content: str, display: str) -> tuple[str, tuple[Problem, ...]]:
    """Control characters cannot appear in HTML or XML: drop them, and say so."""
    found = UNFIT_CHARACTERS.search(content)
    if found is None:
        return content, ()
    count = len(UNFIT_CHARACTERS.findall(content))
    first = f"U+{ord(found.group()):04X}"
    what = f"a control character ({first})" if count == 1 else f"{count:,} control characters (the first is {first})"
    warning = Problem(display, _line_at(content, found.start()), f"removed {what}", "warning")
    return UNFIT_CHARACTERS.sub("", content), (warning,)


def decode(data: bytes, display: str) -> tuple[str, tuple[Problem, ...]]:
    """Bytes to text: UTF-8 (a BOM and CRLF are fine); legacy Windows-1252 is read with a warning.

    Bytes that are neither (0x81, 0x8d, 0x8f, 0x90, 0x9d are undefined in Windows-1252) reject
    the file, naming the first byte that is not UTF-8.
    """
    _check_binary(data, display)
    warnings: tuple[Problem, ...] = ()
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line, byte = _line_at(data, error.start), f"0x{data[error.start]:02x}"
        try:
            content = data.decode("cp1252")
        except UnicodeDecodeError:
            raise SourceError(display, line, f"not UTF-8 text (byte {byte}), nor Windows-1252; save the file as UTF-8") from None
        warnings = (Problem(display, line, f"not UTF-8 (byte {byte}); read as Windows-1252", "warning"),)
    content = content.replace("\r\n", "\n").replace("\r", "\n")
    content, removed = _remove_unfit(content, display)
    return content, warnings + removed


def parse_source(data: bytes, display: str, suffix: str, config: Config, relative: str) -> tuple[Parsed, tuple[Problem, ...]]:
    """An article file's bytes to a parsed article and its warnings. Raises SourceError only.
    `relative` is the file's path inside seeds/ (some formats take a date or slug from it)."""
    content, warnings = decode(data, display)
    parsed = parser(suffix)(content, display, config, relative)
    return parsed, warnings + parsed.warnings


def _read_file(path: str, display: str, config: Config) -> bytes:
    """The file's bytes, refusing anything but a regular file and anything over the size limit
    (reading at most one byte past it, even if the file grows while it is read).

    One open and one fstat on a string path: this runs for every file a build parses. O_NONBLOCK
    lets a FIFO be opened without waiting for a writer (it is then refused, never read); it changes
    nothing for a regular file. The read is sized from fstat, not the limit, so a small file never
    costs a buffer of the limit's size.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        if os.path.islink(path):
            raise SourceError(display, None, "broken symbolic link") from None
        raise
    with open(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise SourceError(display, None, "not a regular file; skipped")
        limit = config.max_file_size
        size = min(info.st_size, limit) + 1
        data = handle.read(size)
        if len(data) == size <= limit:  # it grew since fstat: read on, to one byte past the limit
            data += handle.read(limit + 1 - size)
    if len(data) > limit:
        raise SourceError(display, None, f"file is {max(info.st_size, len(data)):,} bytes, over the limit of {limit:,} (max_file_size)")
    return data


def read_article(path: Path, display: str, config: Config, relative: str | None = None) -> tuple[Parsed | None, tuple[Problem, ...]]:
    """One file to (Parsed or None, its problems). Never raises for a user's mistake."""
    try:
        return parse_source(_read_file(os.fspath(path), display, config), display, path.suffix, config, relative or path.name)
    except SourceError as error:
        return None, (error.problem,)
    except OSError as error:
        return None, (Problem(display, None, f"cannot be read: {error.strerror}"),)


_SAME = "same"  # what a worker says when a file's bytes are those of its cached entry
# digest of the file, its article (None: rejected; _SAME), problems, related, metadata and shape digests
ReadResult = tuple[str, Article | None | str, tuple[Problem, ...], str, str, str]


def _read_one(path: str, display: str, config: Config, relative: str, known: str, store: bool) -> ReadResult:
    """One file, read and parsed in a worker process. With `store`, its body goes to the body
    store from here (bodies.store_body): it never travels to the building process."""
    try:
        data = _read_file(path, display, config)
    except SourceError as error:
        return "", None, (error.problem,), "", "", ""
    except OSError as error:
        return "", None, (Problem(display, None, f"cannot be read: {error.strerror}"),), "", "", ""
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    if digest == known:
        return digest, _SAME, (), "", "", ""
    try:
        parsed, problems = parse_source(data, display, os.path.splitext(path)[1], config, relative)
    except SourceError as error:
        return digest, None, (error.problem,), "", "", ""
    article = parsed.article
    related_digest = body_digest(terms.text_read(article.title, article.body_html))
    if store:
        article = dataclasses.replace(article, body_html=store_body(article.body_html, relative))
    return digest, article, problems, related_digest, incremental.metadata_digest(article), incremental.article_shape(article)


def _read_chunk(state: tuple[Config, bool], items: Sequence[tuple[str, str, str, str]]) -> list[ReadResult]:
    config, store = state
    return [_read_one(path, display, config, relative, known, store) for path, display, relative, known in items]


def _stamp(path: str) -> Stamp | None:
    try:
        return stamp_of(os.stat(path))
    except OSError:
        return None


# A file changed again within the file system's timestamp granularity after it was read keeps its
# stamp (the "racy git" problem): entries stamped this close to the read are checked by content.
_RACY_NS = 2_000_000_000


def _read_sources(found: list[tuple[str, str, str]], config: Config, cached: Sources, store: BodyStore | None, jobs: int,
                  seen: dict[str, Stamp]) -> tuple[list[SourceEntry], int]:  # fmt: skip
    """An entry per found file: the cached one while its stamp is unchanged, else read again (in
    `jobs` worker processes). Returns the entries, in order, and how many files were parsed.

    `seen`: the stamps a walk just before this one saw (build.py's check for changed inputs): a
    file changed since then keeps its older stamp with what is read now, so the next build reads
    it again, as it would any file changed after the read."""
    started = time.time_ns()
    entries: list[SourceEntry | None] = []
    stamps: list[Stamp | None] = []
    to_read: list[int] = []
    for index, (path, _display, relative) in enumerate(found):
        stamp = seen.get(path) or _stamp(path)
        entry = cached.get(relative)
        reuse = entry is not None and stamp is not None and entry.stamp == stamp
        entries.append(entry if reuse else None)
        stamps.append(stamp)
        if not reuse:
            to_read.append(index)
    work = [(*found[i], cached[found[i][2]].digest if found[i][2] in cached else "") for i in to_read]
    parsed_count = done = 0
    for count, results in parallel.map_chunks(_read_chunk, (config, store is not None), work, jobs):
        for index, (digest, article, problems, related_digest, metadata, shape) in zip(to_read[done : done + count], results):
            stamp = stamps[index]
            if stamp is not None and stamp_time(stamp) > started - _RACY_NS:
                stamp = None
            if article == _SAME:
                old = cached[found[index][2]]
                entries[index] = old._replace(stamp=stamp)
                continue
            parsed_count += article is not None
            entries[index] = SourceEntry(stamp, digest, article, problems, related_digest, metadata, shape)  # type: ignore[arg-type]
        done += count
    return [entry for entry in entries if entry is not None], parsed_count


def _future_warning(article: Article, today: dt.date) -> Problem | None:
    if article.date > today:
        return Problem(article.source_path, 1, f"date {article.date.isoformat()} is in the future", "warning")
    return None


def unique_slugs(articles: list[Article]) -> tuple[list[Article], list[Problem]]:
    """Give every article its own URL: a clash on the same day gets '-2', '-3', ... in file order.

    An article's URL is its day's and its slug: (date, slug) stands for it, and the URL is made
    only for a clash (10^5 URLs took 0.2 s)."""
    taken: dict[tuple[dt.date, str], str] = {}
    result: list[Article] = []
    problems: list[Problem] = []
    for article in sorted(articles, key=lambda a: a.source_path):
        wanted = place = (article.date, article.slug)
        final = article
        number = 1
        while place in taken:
            number += 1
            final = dataclasses.replace(article, slug=f"{article.slug}-{number}")
            place = (final.date, final.slug)
        if final is not article:
            problems.append(Problem(article.source_path, 1, f"{article_url(article)} is already used by {taken[wanted]}; published at {article_url(final)}", "warning"))
        taken[place] = article.source_path
        result.append(final)
    return result, problems


def load_articles(seeds: Path, display_root: str, config: Config, *, drafts: bool = False,
                  cached: Sources | None = None, store: BodyStore | None = None, jobs: int = 1,
                  stamps: dict[str, Stamp] | None = None) -> LoadResult:
    """Parse every article file under `seeds`, keeping every problem; never stop at the first.

    `cached` holds the last build's entries (see SourceEntry): an unchanged file is not read again.
    With a `store`, bodies go to disk and the articles keep a reference (bodies.py). `stamps`:
    see _read_sources.
    """
    discovered = list(discover(seeds, display_root))
    found = [item for item in discovered if not isinstance(item, Problem)]
    entries, parsed = _read_sources(found, config, cached or {}, store, jobs, stamps or {})
    sources = {relative: entry for (_, _, relative), entry in zip(found, entries)}
    problems: list[Problem] = []
    articles: list[Article] = []
    rejected = draft_count = 0
    today = dt.datetime.now(config.tzinfo).date()  # only for a warning; never reaches the output
    next_entry = iter(entries)
    for item in discovered:  # problems in the order the files were found
        if isinstance(item, Problem):
            problems.append(item)
            rejected += item.level == "error"
            continue
        entry = next(next_entry)
        problems.extend(entry.problems)
        article = entry.article
        if article is None:
            rejected += 1
            continue
        if article.draft and not drafts:
            draft_count += 1
            continue
        if warning := _future_warning(article, today):
            problems.append(warning)
        articles.append(article)
    articles, clashes = unique_slugs(articles)
    problems.extend(clashes)
    articles.sort(key=lambda a: a.sort_key)
    return LoadResult(tuple(articles), tuple(problems), len(found), rejected, draft_count, sources, parsed)
