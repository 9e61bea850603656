"""Page records on their way to the render workers: the articles they name go by reference.

A page names articles: an article page its own, its older and newer neighbours and its related
articles; a day, month or tag page dozens. Pickled by value, each chunk of pages carried every
article it named, so a full build at 10^4 articles sent 62 MB of records, mostly the same
articles over and over; pickling them took 0.6 s of the building process and unpickling them 0.9 s
of the workers', both while the pages were rendered.

Instead, the first chunk that names an article appends the article, pickled, to a file in the build
cache (`Sender`), and the chunk names it by its place there: a reference of a few bytes. As a
worker unpickles a chunk (`received`), each reference reads its article from the file the first
time and keeps it, up to `KEPT` of them, so that the worker's memory does not grow with the
archive. The file is written before the chunk is sent, so every article a worker is asked for is
already there.
"""

from __future__ import annotations

import copyreg
import io
import os
import pickle
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newsarchive.errors import BuildFailed
from newsarchive.model import Article

KEPT = 4096  # articles a worker keeps (about 7 MiB): past that it starts again with none

_PREFIX, _SUFFIX = "sent-", ".articles"
# A place is (offset << _LENGTH_BITS) | length, one int: Python's ints do not overflow, and no
# article's pickle reaches 2^48 bytes (its file is at most max_file_size, under 2^31).
_LENGTH_BITS = 48
_LENGTH_MASK = (1 << _LENGTH_BITS) - 1


class Sender:
    """Pickles chunks of work for the workers, each article in them by its place in a file of
    articles in `folder`, written as the chunks are (see the module's doc). One per build; the file
    is made with the first chunk (a build that renders in its own process never makes one), and
    `close` deletes it. Making one deletes what a killed build left."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        for left in folder.glob(f"{_PREFIX}*{_SUFFIX}"):
            left.unlink(missing_ok=True)
        self.path = ""
        self._fd = -1
        self._size = 0
        self._pending = bytearray()
        # id(article) -> its place in the file and its length, as one int (a tuple per article
        # was 11 MiB at 10^5; this is about 110 bytes an article); `_kept` keeps each article
        # alive, so that no other object can take its id while it is known. Every article is
        # kept: related articles are spread over the whole archive, and an article forgotten
        # would be written again each time it is named (at 10^6 articles, gigabytes).
        self._places: dict[int, int] = {}
        self._kept: list[Article] = []
        self._dispatch = {**copyreg.dispatch_table, Article: self._reference}

    def _open(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        # A new name for every build: what a process keeps of a file's articles is found by the
        # file's name and place, and must never be taken for another build's article.
        self.path = os.fspath(self.folder / f"{_PREFIX}{os.urandom(8).hex()}{_SUFFIX}")
        self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)

    def pack(self, items: Sequence[Any]) -> bytes:
        """`items` pickled, with the articles new to the file written to it first."""
        if self._fd < 0:
            self._open()
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, pickle.HIGHEST_PROTOCOL)
        pickler.dispatch_table = self._dispatch
        pickler.dump(items)
        view = memoryview(self._pending)
        while view:
            view = view[os.write(self._fd, view) :]
        view.release()
        self._size += len(self._pending)
        self._pending.clear()
        return buffer.getvalue()

    def _reference(self, article: Article) -> tuple:
        place = self._places.get(id(article))
        if place is None:
            data = pickle.dumps(article, pickle.HIGHEST_PROTOCOL)
            place = self._places[id(article)] = (self._size + len(self._pending)) << _LENGTH_BITS | len(data)
            self._pending += data
            self._kept.append(article)
        return (_article_at, (self.path, place >> _LENGTH_BITS, place & _LENGTH_MASK))

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            os.unlink(self.path)
            self._fd = -1
        self._places.clear()
        self._kept.clear()


def received(data: bytes) -> Any:
    """A chunk `Sender.pack` made, unpickled (in a worker)."""
    return pickle.loads(data)


# The articles file this process reads, its descriptor and the articles it keeps by place.
_reading: tuple[str, int, int, dict[int, Article]] | None = None  # (path, pid, descriptor, articles)


def _article_at(path: str, offset: int, length: int) -> Article:
    global _reading
    if _reading is None or _reading[0] != path or _reading[1] != os.getpid():
        if _reading is not None and _reading[1] == os.getpid():
            os.close(_reading[2])
        try:
            fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        except OSError as error:
            raise BuildFailed(f"the build cache changed during the build ({path}: {error.strerror}); build again") from None
        _reading = (path, os.getpid(), fd, {})
    kept = _reading[3]
    article = kept.get(offset)
    if article is None:
        data = os.pread(_reading[2], length, offset)
        if len(data) != length:
            raise BuildFailed(f"the build cache changed during the build ({path} is shorter); build again")
        if len(kept) >= KEPT:
            kept.clear()
        article = kept[offset] = pickle.loads(data)
    return article
