"""The sources' cache shards packed as columns (source_columns.py) come back as they were."""

from __future__ import annotations

import datetime as dt
import pickle

from newsarchive.bodies import Body
from newsarchive.errors import Problem
from newsarchive.load import SourceEntry
from newsarchive.model import Article, read_only
from newsarchive.source_columns import pack_sources, unpack_sources


def sources(body: object) -> dict[str, SourceEntry]:
    """Entries of every kind: plain and rich articles, a non-ASCII one, a file that gave none."""
    plain = Article(source_path="seeds/a.txt", slug="a", date=dt.date(2021, 5, 1), title="Plain", body_html=body("a"), summary="S")
    rich = Article(source_path="seeds/b.md", slug="b", date=dt.date(1999, 12, 31), title="Bakı: “Xəbər”", body_html=body("b"),
                   summary="Qısa ✓", tags=("x", "Yeni il"), word_count=812, author="Aynur", source="AzerTac",
                   published=dt.datetime(1999, 12, 31, 23, 59, tzinfo=dt.timezone.utc), updated=dt.datetime(2000, 1, 2, 8, 0),
                   draft=True, extra=read_only({"lang": "az", "n": [1, 2]}), redirect_from=("/old/b/",))  # fmt: skip
    return {
        "a.txt": SourceEntry(b"stamp-a", "digest-a", plain, (), "related-a", "metadata-a", "shape-a"),
        "b.md": SourceEntry(None, "digest-b", rich, (Problem("seeds/b.md", 3, "a warning", "warning"),), "related-b", "m", "s"),
        "bad.txt": SourceEntry(b"stamp-c", "digest-c", None, (Problem("seeds/bad.txt", 1, "impossible date 2022-02-30"),)),
    }


def roundtrip(part: dict[str, SourceEntry]) -> dict[str, SourceEntry]:
    return unpack_sources(pickle.loads(pickle.dumps(pack_sources(part), protocol=pickle.HIGHEST_PROTOCOL)))


def test_entries_with_bodies_in_the_store_come_back_equal_field_by_field() -> None:
    part = sources(lambda name: Body(f"d-{name}", "segment-1", len(name) * 100, 42, f"{name}.txt"))
    back = roundtrip(part)
    assert list(back) == list(part) and back == part
    for path, entry in part.items():
        again = back[path]
        assert type(again) is SourceEntry and again.problems == entry.problems and again.stamp == entry.stamp
        if entry.article is not None:
            body, body_back = entry.article.body_html, again.article.body_html
            assert (body_back.digest, body_back.segment, body_back.offset, body_back.length, body_back.owner) == (
                body.digest, body.segment, body.offset, body.length, body.owner)  # fmt: skip
            assert type(again.article.title) is str and type(again.article.summary) is str
            assert again.article.extra == entry.article.extra and type(again.article.date) is dt.date
    assert back["b.md"].article.title == "Bakı: “Xəbər”" and back["b.md"].article.published.tzinfo == dt.timezone.utc


def test_entries_with_their_bodies_as_text_come_back_equal() -> None:
    part = sources(lambda name: f"<p>Body {name}</p>")
    assert roundtrip(part) == part


def test_an_empty_shard() -> None:
    assert roundtrip({}) == {}
