"""The JSON export: every article's title, date, URL, tags and summary, for scripts. Pure.

Small archives get one file, /articles.json. Past `export_split` articles, /articles.json becomes an
index of one file per year (/articles/2022.json), so nobody has to download everything at once.
Works without base_url too: URLs are then relative to the site root ('/2022/12/12/slug/').
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator, Sequence
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


def _dump(data: dict[str, Any]) -> bytes:
    # Compact: `indent` would switch json to its pure-Python encoder, many times slower on big archives.
    return (json.dumps(data, ensure_ascii=False) + "\n").encode("utf-8")


def _header(config: Config, count: int) -> dict[str, Any]:
    return {"version": FORMAT_VERSION, "title": config.title, "base_url": config.base_url, "count": count}


def export_files(articles: Sequence[Article], config: Config) -> Iterator[tuple[str, bytes]]:
    """(URL, bytes) of the export: oldest article first, like the archive itself."""
    if len(articles) <= config.export_split:
        yield urls.export_url(), _dump({**_header(config, len(articles)), "articles": [record(a, config) for a in articles]})
        return
    parts = []
    for year, group in itertools.groupby(articles, lambda a: a.date.year):
        records = [record(a, config) for a in group]
        yield urls.export_url(year), _dump({"version": FORMAT_VERSION, "year": year, "count": len(records), "articles": records})
        parts.append({"year": year, "count": len(records), "url": _url(urls.export_url(year), config)})
    yield urls.export_url(), _dump({**_header(config, len(articles)), "parts": parts})
