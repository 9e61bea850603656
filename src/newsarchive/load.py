"""The only reader of article files: walk seeds/, decode, parse, and collect every problem."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from newsarchive.config import Config
from newsarchive.errors import Problem, SourceError
from newsarchive.formats import html, markdown, text
from newsarchive.formats.fields import Parsed
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


def discover(seeds: Path, display_root: str) -> Iterator[tuple[Path, str, str] | Problem]:
    """Every candidate file under seeds/, in a fixed order, or a Problem for a refused one."""
    real_root = seeds.resolve()
    for folder, dirs, files in os.walk(seeds):
        dirs[:] = sorted(d for d in dirs if not is_ignored(d))
        rel_folder = Path(folder).relative_to(seeds)
        for name in sorted(files):
            if is_ignored(name):
                continue
            path = Path(folder) / name
            display = (Path(display_root) / rel_folder / name).as_posix()
            if path.is_symlink() and not path.resolve().is_relative_to(real_root):
                yield Problem(display, None, "symbolic link leads outside the seeds folder; refused")
                continue
            if path.suffix.lower() not in PARSERS:
                known = ", ".join(PARSERS)
                yield Problem(display, None, f"not an article file (known endings: {known}); skipped", "warning")
                continue
            if name.startswith("_index."):
                yield Problem(display, None, "a Hugo or Zola section page (_index), not an article; skipped", "warning")
                continue
            yield path, display, (rel_folder / name).as_posix()


def _first_bad_line(data: bytes, error: UnicodeDecodeError) -> int:
    return data.count(b"\n", 0, error.start) + 1


def decode(data: bytes, display: str) -> tuple[str, tuple[Problem, ...]]:
    """Bytes to text: UTF-8 (a BOM and CRLF are fine); legacy Windows-1252 is read with a warning."""
    if b"\0" in data[:8192]:
        raise SourceError(display, None, "binary file, not text")
    warnings: tuple[Problem, ...] = ()
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = _first_bad_line(data, error)
        try:
            content = data.decode("cp1252")
        except UnicodeDecodeError:
            raise SourceError(display, line, f"not UTF-8 text (byte 0x{data[error.start]:02x})") from None
        warnings = (Problem(display, line, "not UTF-8; read as Windows-1252", "warning"),)
    return content.replace("\r\n", "\n").replace("\r", "\n"), warnings


def read_article(path: Path, display: str, config: Config, relative: str | None = None) -> tuple[Parsed | None, tuple[Problem, ...]]:
    """One file to (Parsed or None, its problems). Never raises for a user's mistake."""
    try:
        size = path.stat().st_size
        if size > config.max_file_size:
            raise SourceError(display, None, f"file is {size:,} bytes, over the limit of {config.max_file_size:,} (max_file_size)")
        content, warnings = decode(path.read_bytes(), display)
        parsed = PARSERS[path.suffix.lower()](content, display, config, relative or path.name)
    except SourceError as error:
        return None, (error.problem,)
    except OSError as error:
        return None, (Problem(display, None, f"cannot be read: {error.strerror}"),)
    return parsed, warnings + parsed.warnings


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
