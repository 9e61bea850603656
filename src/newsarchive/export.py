"""The JSON export: every article's title, date, URL, tags and summary, for scripts. Pure.

Small archives get one file, /articles.json. Past `export_split` articles, /articles.json becomes an
index of one file per year (/articles/2022.json), so nobody has to download everything at once.
Works without base_url too: URLs are then relative to the site root ('/2022/12/12/slug/').

Each file is made of its articles' fragments (their records as JSON text), which the build cache
keeps between builds by digest of the article's metadata (see layout.py): a rebuild after one
article changed makes one fragment, not 10^5 records.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from newsarchive import dates, urls
from newsarchive.config import Config
from newsarchive.model import Article

FORMAT_VERSION = 1


def _url(url: str, config: Config) -> str:
    return urls.absolute(url, config.base_url) if config.base_url else url


def record(article: Article, config: Config) -> dict[str, Any]:
    """One article, with a fixed key order so the file is the same on every build."""
    tz = config.tzinfo
    return {
        "title": article.title,
        "date": article.date.isoformat(),
        "published": dates.rfc3339(dates.published(article, tz)),
        "updated": dates.rfc3339(article.updated) if article.updated else None,
        "url": _url(urls.article_url(article), config),
        "tags": list(article.tags),
        "summary": article.summary,
        "author": article.author,
    }


def fragment(article: Article, config: Config) -> bytes:
    """The article's record as JSON, as it stands in the export. Bytes: joining them is a copy,
    where joining text of mixed widths (the archive's scripts) and encoding it took longer."""
    return json.dumps(record(article, config), ensure_ascii=False).encode("utf-8")


def fragment_inputs(config: Config) -> tuple[Any, ...]:
    """All that record() reads of the configuration (tzinfo is made from timezone): a kept
    fragment is good while these, the code and the article's metadata are the same."""
    return config.base_url, config.timezone


# One year's articles (in order) -> their fragments: made here, or taken from the build cache.
Fragments = Callable[[int, Sequence[Article]], list[bytes]]


def _dump(data: dict[str, Any]) -> bytes:
    # Compact: `indent` would switch json to its pure-Python encoder, many times slower on big archives.
    return (json.dumps(data, ensure_ascii=False) + "\n").encode("utf-8")


def _joined(head: dict[str, Any], fragments: list[bytes]) -> bytes:
    """The dump of `head` with the articles' list last, from their fragments: json.dumps with its
    default separators writes a list as "[" + ", ".join(items) + "]", so this is byte for byte
    _dump({**head, "articles": records})."""
    opening = json.dumps({**head, "articles": []}, ensure_ascii=False)[: -len("]}")].encode("utf-8")
    return b"".join((opening, b", ".join(fragments), b"]}\n"))


def _years(articles: Sequence[Article]) -> Iterator[tuple[int, list[Article]]]:
    for year, group in itertools.groupby(articles, lambda a: a.date.year):
        yield year, list(group)


def _header(config: Config, count: int) -> dict[str, Any]:
    return {"version": FORMAT_VERSION, "title": config.title, "base_url": config.base_url, "count": count}


def export_files(articles: Sequence[Article], config: Config, fragments: Fragments | None = None) -> Iterator[tuple[str, bytes]]:
    """(URL, bytes) of the export: oldest article first, like the archive itself. `fragments`
    gives a year's fragments (by default they are made here)."""
    made = fragments or (lambda year, group: [fragment(a, config) for a in group])
    if len(articles) <= config.export_split:
        every = [piece for year, group in _years(articles) for piece in made(year, group)]
        yield urls.export_url(), _joined(_header(config, len(articles)), every)
        return
    parts = []
    for year, group in _years(articles):
        # One year's fragments at a time: at 10^5 articles all of them would be about 50 MB more.
        yield urls.export_url(year), _joined({"version": FORMAT_VERSION, "year": year, "count": len(group)}, made(year, group))
        parts.append({"year": year, "count": len(group), "url": _url(urls.export_url(year), config)})
    yield urls.export_url(), _dump({**_header(config, len(articles)), "parts": parts})
