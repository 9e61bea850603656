"""`newsarchive new`: write a correctly formed article into seeds/ and say where it will be published.

The file is created exclusively (O_EXCL), so an existing file is never overwritten. Its future URL
comes from the loader's own parser and clash rule (load.unique_slugs) applied to the articles
already in seeds/, and its name is chosen so that no existing article's URL moves.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from newsarchive.config import Config
from newsarchive.errors import BuildFailed, Problem
from newsarchive.formats.fields import collapse_space
from newsarchive.load import load_articles, parser, unique_slugs
from newsarchive.model import Article
from newsarchive.urls import article_url, slugify

FORMATS = {"text": ".txt", "markdown": ".md"}
PLACEHOLDER = "Write the article here. Paragraphs are separated by a blank line."


@dataclass(frozen=True, slots=True)
class NewArticle:
    path: Path
    url: str
    problems: tuple[Problem, ...]


def article_text(headline: str, day: dt.date, kind: str) -> str:
    if kind == "text":
        return f" date {day.isoformat()} {headline}\n\n{headline}\n\n{PLACEHOLDER}\n"
    import yaml  # here: cli imports this module for every command, and a build needs no YAML

    # yaml.safe_dump quotes a headline that YAML would misread ('Yes', 'a: b', '#1 story').
    front = yaml.safe_dump({"title": headline, "date": day, "tags": []}, allow_unicode=True, sort_keys=False, width=10_000)
    return f"---\n{front}---\n{PLACEHOLDER}\n"


def candidate_names(stem: str, suffix: str, limit: int = 99) -> Iterator[str]:
    """stem.txt, stem_2.txt, stem_3.txt, ...: '_' sorts after '.', so a new file comes after the
    one it is named after, and the loader's clash rule (the later file gets '-2') leaves the
    existing article's URL alone."""
    yield f"{stem}{suffix}"
    for number in range(2, limit + 1):
        yield f"{stem}_{number}{suffix}"


def create_exclusively(path: Path, data: bytes) -> bool:
    """Write a new file; False if the name is taken. Never overwrites (O_EXCL)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    return True


def published_urls(articles: Iterable[Article]) -> dict[str, str]:
    """source path → URL after the loader's clash rule, exactly as a build would give them."""
    unique, _ = unique_slugs(list(articles))
    return {article.source_path: article_url(article) for article in unique}


def new_article(seeds: Path, display_root: str, config: Config, headline: str, day: dt.date, kind: str) -> NewArticle:
    headline = collapse_space(headline)
    if not headline:
        raise BuildFailed("the headline is empty")
    if kind not in FORMATS:
        raise BuildFailed(f"unknown format {kind!r} (use {' or '.join(FORMATS)})")
    suffix = FORMATS[kind]
    text = article_text(headline, day, kind)
    existing = load_articles(seeds, display_root, config).articles
    before = published_urls(existing)
    for name in candidate_names(f"{day.isoformat()}-{slugify(headline)}", suffix):
        path = seeds / name
        display = (Path(display_root) / name).as_posix()
        if path.exists():
            continue
        parsed = parser(suffix)(text, display, config)  # the loader's own parser: same slug
        after = published_urls([*existing, parsed.article])
        if any(after[source] != url for source, url in before.items()):
            continue  # this name would move an existing article to '-2'; try the next
        if create_exclusively(path, text.encode("utf-8")):
            return NewArticle(path, after[display], _clash_warnings([*existing, parsed.article], display))
    raise BuildFailed(f"no free file name for {headline!r} on {day.isoformat()} that leaves every existing URL alone")


def _clash_warnings(articles: list[Article], display: str) -> tuple[Problem, ...]:
    _, problems = unique_slugs(articles)
    return tuple(problem for problem in problems if problem.path == display)
