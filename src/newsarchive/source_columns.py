"""A shard of the sources' cache (load.SourceEntry by path) packed as columns, and back.

Pickled an object at a time, each entry, its Article, the article's date and its Body were a call
of their own when a shard was loaded: at 10^4 articles, loading the 64 shards took about 70 ms of
a lede edit. As columns (a list per field) pickle writes and reads lists of strings and numbers in
C, and the objects are made again by mapping their classes over the columns.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from operator import attrgetter, itemgetter
from typing import Any

from newsarchive.bodies import Body
from newsarchive.load import SourceEntry, Sources
from newsarchive.model import Article, received_text, sendable_text

_FIELDS = [f.name for f in dataclasses.fields(Article)]
_TEXTS = frozenset({"title", "summary"})  # pickled as model.sendable_text makes them
_BODY = Body.__slots__  # its fields, in the order Body() takes them
_ARTICLE = SourceEntry._fields.index("article")
_OTHERS = [place for place in range(len(SourceEntry._fields)) if place != _ARTICLE]


def pack_sources(part: Sources) -> tuple[list[str], bytes, list[list[Any]], list[Any]]:
    """The paths, which entries have an article, the entries' other fields and their articles'
    fields, each a column."""
    entries = list(part.values())
    articles = [entry.article for entry in entries if entry.article is not None]
    present = bytes(entry.article is not None for entry in entries)
    others = [list(map(itemgetter(place), entries)) for place in _OTHERS]
    return list(part), present, others, [_column(name, articles) for name in _FIELDS]


def _column(name: str, articles: list[Article]) -> Any:
    values = list(map(attrgetter(name), articles))
    if name in _TEXTS:
        return list(map(sendable_text, values))
    if name == "date":
        return list(map(dt.date.toordinal, values))
    if name == "body_html":  # bodies in the store, as their columns; texts (no store) as they are
        stored = all(type(value) is Body for value in values)
        return stored, [list(map(attrgetter(field), values)) for field in _BODY] if stored else values
    return values


def unpack_sources(packed: tuple[list[str], bytes, list[list[Any]], list[Any]]) -> Sources:
    paths, present, others, columns = packed
    fields: list[Any] = []
    for name, column in zip(_FIELDS, columns):
        if name in _TEXTS:
            column = map(received_text, column)
        elif name == "date":
            column = map(dt.date.fromordinal, column)
        elif name == "body_html":
            stored, column = column
            column = map(Body, *column) if stored else column
        fields.append(column)
    made = map(Article, *fields)
    articles = [next(made) if has else None for has in present]
    return dict(zip(paths, map(SourceEntry, *others[:_ARTICLE], articles, *others[_ARTICLE:])))
