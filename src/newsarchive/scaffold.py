"""`newsarchive new`: write a correctly formed article into seeds/ and say where it will be published.

The file is created exclusively (O_EXCL), so an existing file is never overwritten. Its future URL
is found by loading the seeds folder the way the build does, so the slug and the '-2' clash rule
cannot disagree with the loader.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from newsarchive.config import Config
from newsarchive.errors import BuildFailed, Problem
from newsarchive.formats.fields import collapse_space
from newsarchive.load import load_articles
from newsarchive.urls import article_url, slugify

FORMATS = {"text": ".txt", "markdown": ".md"}
PLACEHOLDER = "Write the article here. Paragraphs are separated by a blank line."


@dataclass(frozen=True, slots=True)
class NewArticle:
    path: Path
    url: str | None  # None when the loader refused the file (its problems say why)
    problems: tuple[Problem, ...]


def article_text(headline: str, day: dt.date, kind: str) -> str:
    if kind == "text":
        return f" date {day.isoformat()} {headline}\n\n{headline}\n\n{PLACEHOLDER}\n"
    # yaml.safe_dump quotes a headline that YAML would misread ('Yes', 'a: b', '#1 story').
    front = yaml.safe_dump({"title": headline, "date": day, "tags": []}, allow_unicode=True, sort_keys=False, width=10_000)
    return f"---\n{front}---\n{PLACEHOLDER}\n"


def create_exclusively(folder: Path, stem: str, suffix: str, data: bytes) -> Path:
    """Write `data` to folder/stem.suffix, or stem-2, stem-3, ... if taken; never overwrite."""
    folder.mkdir(parents=True, exist_ok=True)
    number = 1
    while True:
        path = folder / (f"{stem}{suffix}" if number == 1 else f"{stem}-{number}{suffix}")
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            number += 1
            continue
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        return path


def new_article(seeds: Path, display_root: str, config: Config, headline: str, day: dt.date, kind: str) -> NewArticle:
    headline = collapse_space(headline)
    if not headline:
        raise BuildFailed("the headline is empty")
    if kind not in FORMATS:
        raise BuildFailed(f"unknown format {kind!r} (use {' or '.join(FORMATS)})")
    stem = f"{day.isoformat()}-{slugify(headline)}"
    path = create_exclusively(seeds, stem, FORMATS[kind], article_text(headline, day, kind).encode("utf-8"))
    display = (Path(display_root) / path.relative_to(seeds)).as_posix()
    loaded = load_articles(seeds, display_root, config, drafts=True)
    url = next((article_url(a) for a in loaded.articles if a.source_path == display), None)
    return NewArticle(path, url, tuple(p for p in loaded.problems if p.path == display))
