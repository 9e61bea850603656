"""The only reader of article files: walk seeds/, decode, parse, and collect every problem."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from newsarchive.config import Config
from newsarchive.errors import Problem, SourceError
from newsarchive.formats import html, markdown, text
from newsarchive.formats.fields import UNFIT_CHARACTERS, Parsed
from newsarchive.model import Article
from newsarchive.urls import article_url

Parser = Callable[[str, str, Config, str], Parsed]  # text, display path, config, path inside seeds/
PARSERS: dict[str, Parser] = {
    ".txt": text.parse,
    ".md": markdown.parse,
    ".markdown": markdown.parse,
    ".mdx": markdown.parse_mdx,
    ".html": html.parse,
}

# Editor leftovers and system files that are never articles: skipped without a word.
_IGNORED_SUFFIXES = ("~", ".swp", ".swo", ".swx", ".tmp", ".bak", ".orig")
_IGNORED_PREFIXES = (".", "#")


@dataclass(frozen=True, slots=True)
class LoadResult:
    articles: tuple[Article, ...]  # sorted oldest first, every output path unique
    problems: tuple[Problem, ...]
    files: int  # article files looked at
    rejected: int  # article files that could not be published
    drafts: int = 0

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.level == "error")


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


def discover(seeds: Path, display_root: str) -> Iterator[tuple[Path, str, str] | Problem]:
    """Every candidate file under seeds/, in a fixed order, or a Problem for a refused one.

    Links to folders are never followed (a folder reached twice would publish its articles
    twice; one outside seeds/ would publish files that were never meant to be); each is reported.
    """
    real_root = seeds.resolve()
    for folder, dirs, files in os.walk(seeds):
        rel_folder = Path(folder).relative_to(seeds)
        for name in sorted(dirs):
            path = Path(folder) / name
            if path.is_symlink() and not is_ignored(name):
                display = (Path(display_root) / rel_folder / name).as_posix()
                refused = _link_problem(path, real_root)
                yield Problem(display, None, refused) if refused else Problem(display, None, "symbolic link to a folder; not followed", "warning")
        dirs[:] = sorted(d for d in dirs if not is_ignored(d))
        for name in sorted(files):
            if is_ignored(name):
                continue
            path = Path(folder) / name
            display = (Path(display_root) / rel_folder / name).as_posix()
            refused = _link_problem(path, real_root) if path.is_symlink() else None
            if refused:
                yield Problem(display, None, refused)
                continue
            if path.suffix.lower() not in PARSERS:
                known = ", ".join(PARSERS)
                yield Problem(display, None, f"not an article file (known endings: {known}); skipped", "warning")
                continue
            if name.startswith("_index."):
                yield Problem(display, None, "a Hugo or Zola section page (_index), not an article; skipped", "warning")
                continue
            yield path, display, (rel_folder / name).as_posix()


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
    parsed = PARSERS[suffix.lower()](content, display, config, relative)
    return parsed, warnings + parsed.warnings


def _read_bounded(path: Path, display: str, limit: int) -> bytes:
    """The file's bytes, refusing anything but a regular file (a FIFO would block forever)
    and anything over the size limit (reading at most one byte past it, even if it grows)."""
    with open(path, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise SourceError(display, None, "not a regular file; skipped")
        data = handle.read(limit + 1)
    if len(data) > limit:
        size = max(info.st_size, len(data))
        raise SourceError(display, None, f"file is {size:,} bytes, over the limit of {limit:,} (max_file_size)")
    return data


def read_article(path: Path, display: str, config: Config, relative: str | None = None) -> tuple[Parsed | None, tuple[Problem, ...]]:
    """One file to (Parsed or None, its problems). Never raises for a user's mistake."""
    try:
        if not path.exists():
            raise SourceError(display, None, "broken symbolic link")
        if not path.is_file():
            raise SourceError(display, None, "not a regular file; skipped")
        data = _read_bounded(path, display, config.max_file_size)
        return parse_source(data, display, path.suffix, config, relative or path.name)
    except SourceError as error:
        return None, (error.problem,)
    except OSError as error:
        return None, (Problem(display, None, f"cannot be read: {error.strerror}"),)


def _future_warning(article: Article, today: dt.date) -> Problem | None:
    if article.date > today:
        return Problem(article.source_path, 1, f"date {article.date.isoformat()} is in the future", "warning")
    return None


def unique_slugs(articles: list[Article]) -> tuple[list[Article], list[Problem]]:
    """Give every article its own URL: a clash on the same day gets '-2', '-3', ... in file order."""
    taken: dict[str, str] = {}
    result: list[Article] = []
    problems: list[Problem] = []
    for article in sorted(articles, key=lambda a: a.source_path):
        wanted = article_url(article)
        final = article
        number = 1
        while article_url(final) in taken:
            number += 1
            final = dataclasses.replace(article, slug=f"{article.slug}-{number}")
        if final is not article:
            owner = taken[wanted]
            problems.append(Problem(article.source_path, 1, f"{wanted} is already used by {owner}; published at {article_url(final)}", "warning"))
        taken[article_url(final)] = article.source_path
        result.append(final)
    return result, problems


def load_articles(seeds: Path, display_root: str, config: Config, *, drafts: bool = False) -> LoadResult:
    """Parse every article file under `seeds`, keeping every problem; never stop at the first."""
    articles: list[Article] = []
    problems: list[Problem] = []
    files = rejected = draft_count = 0
    today = dt.datetime.now(config.tzinfo).date()  # only for a warning; never reaches the output
    for found in discover(seeds, display_root):
        if isinstance(found, Problem):
            problems.append(found)
            rejected += found.level == "error"
            continue
        files += 1
        path, display, relative = found
        parsed, found_problems = read_article(path, display, config, relative)
        problems.extend(found_problems)
        if parsed is None:
            rejected += 1
            continue
        if parsed.article.draft and not drafts:
            draft_count += 1
            continue
        if warning := _future_warning(parsed.article, today):
            problems.append(warning)
        articles.append(parsed.article)
    articles, clashes = unique_slugs(articles)
    problems.extend(clashes)
    articles.sort(key=lambda a: a.sort_key)
    return LoadResult(tuple(articles), tuple(problems), files, rejected, draft_count)
