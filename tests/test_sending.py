"""Page records sent to the render workers name their articles by place in a file (sending.py)."""

from __future__ import annotations

import dataclasses
import os
import pickle
from pathlib import Path

import pytest

from newsarchive import archive, parallel, sending
from newsarchive.config import Config
from newsarchive.errors import BuildFailed
from newsarchive.model import Article
from test_archive import ARTICLES


def _pages() -> list:
    related = [(ARTICLES[1],), (), (ARTICLES[0], ARTICLES[3]), ()]
    return list(archive.build_pages(ARTICLES, Config(), related))


def test_pages_come_back_equal_with_each_article_written_once(tmp_path: Path) -> None:
    pages = _pages()
    sender = sending.Sender(tmp_path)
    try:
        first, second = sender.pack(pages[:5]), sender.pack(pages[5:])
        files = list(tmp_path.glob("sent-*.articles"))
        assert len(files) == 1
        written = files[0].read_bytes()
        assert len(written) == sum(len(pickle.dumps(a, pickle.HIGHEST_PROTOCOL)) for a in ARTICLES), "each article once, whatever names it"
        assert len(first) + len(second) < len(pickle.dumps(pages[:5], pickle.HIGHEST_PROTOCOL)) + len(pickle.dumps(pages[5:], pickle.HIGHEST_PROTOCOL))
        loaded = sending.received(first) + sending.received(second)
        assert loaded == pages and [type(p) for p in loaded] == [type(p) for p in pages]
        # Every page kind holds articles somewhere: they come back as the same objects, read once.
        held = [value for page in loaded for value in _articles_in(page)]
        assert len(held) > len(ARTICLES) and len({id(a) for a in held}) == len(ARTICLES)
    finally:
        sender.close()
    assert list(tmp_path.glob("sent-*.articles")) == [], "closing deletes the file"


def _articles_in(value: object) -> list[Article]:
    if isinstance(value, Article):
        return [value]
    if isinstance(value, (tuple, list)):
        return [a for item in value for a in _articles_in(item)]
    if dataclasses.is_dataclass(value):
        return [a for field in dataclasses.fields(value) for a in _articles_in(getattr(value, field.name))]
    return []


def test_a_worker_keeps_at_most_kept_articles_and_still_reads_every_one(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(sending, "KEPT", 2)
    sender = sending.Sender(tmp_path)
    try:
        for _ in range(2):
            assert sending.received(sender.pack(list(ARTICLES))) == list(ARTICLES)
            assert 0 < len(sending._reading[3]) <= 2  # type: ignore[index]
    finally:
        sender.close()


def test_a_file_left_by_a_killed_build_goes_and_a_sender_with_nothing_sent_makes_none(tmp_path: Path) -> None:
    left = tmp_path / "sent-0123456789abcdef.articles"
    left.write_bytes(b"old")
    kept = tmp_path / "site.pickle"
    kept.write_bytes(b"state")
    idle = sending.Sender(tmp_path)
    assert not left.exists() and kept.exists(), "the next build deletes it, and nothing else"
    idle.close()
    assert list(tmp_path.iterdir()) == [kept], "a sender that sent nothing made no file"
    sender = sending.Sender(tmp_path / "new")
    sender.pack([ARTICLES[0]])
    assert len(list((tmp_path / "new").glob("sent-*.articles"))) == 1, "the folder is made when needed"
    sender.close()


def test_each_build_s_articles_are_told_apart_from_the_last_one_s(tmp_path: Path) -> None:
    """What a process keeps of one build's articles is never taken for the next build's, though
    their places in the two files are the same: a reference names its build's file."""
    one = sending.Sender(tmp_path)
    chunk = one.pack([ARTICLES[0]])
    assert sending.received(chunk) == [ARTICLES[0]]
    one.close()
    two = sending.Sender(tmp_path)
    try:
        assert sending.received(two.pack([ARTICLES[2], ARTICLES[0]])) == [ARTICLES[2], ARTICLES[0]]
    finally:
        two.close()
    with pytest.raises(BuildFailed, match="build cache changed"):
        sending.received(chunk)


def _kinds(state: str, chunk: object) -> list[str]:
    return [type(chunk).__name__, str(os.getpid())]


def test_workers_are_sent_chunks_packed_and_run_unpacked_ones_here() -> None:
    with parallel.Workers(_kinds, "state", jobs=2, largest=1) as workers:
        sent = [result for _, result in workers.map(list(range(40)), pack=bytes)]
    assert {kind for kind, _ in sent} == {"bytes"} and str(os.getpid()) not in {pid for _, pid in sent}
    with parallel.Workers(_kinds, "state", jobs=1) as workers:
        here = [result for _, result in workers.map(list(range(40)), pack=bytes)]
    assert {kind for kind, _ in here} == {"list"}, "what runs in this process is not packed"
