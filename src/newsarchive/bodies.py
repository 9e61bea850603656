"""Article bodies kept on disk, in the build cache, from the moment they are parsed.

Only an article's own page (and a full-text feed) shows its body; every other page needs
metadata only. So during a build each parsed body is appended to a segment file of the build
cache and the Article in memory holds a `Body`: where the text is, and a digest of it. Memory
then grows with the number of articles, not with their length (issue 6: 10^5–10^6 articles).

A `Body` reads its text back when a page asks for it (`str(body)`, which Jinja2's `|safe` and
autoescaping both call), from any process: forked render workers open the file themselves.
Its `repr` is its digest, so an article's digest (incremental.py) still covers its text.
Reads can be recorded (`track_reads`): a page that read no body does not depend on any body, so a
body edit re-renders only the pages that showed that body (see pipeline.py).

Each process appends to a segment of its own (`store_body`): the parse workers store the bodies
they parse, so a body never travels to the building process, which only gets its `Body`.

Segments outlive a build: an unchanged article is neither read from seeds/ nor parsed again, its
Body still points into an older segment. `BodyStore.compact` deletes segments nothing points to
and rewrites the live bodies when most of the bytes on disk are no longer used.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

from newsarchive.errors import BuildFailed


class Body:
    """An article's safe HTML body, stored in a segment file; `str()` gives the text."""

    __slots__ = ("digest", "segment", "offset", "length", "owner")

    def __init__(self, digest: str, segment: str, offset: int, length: int, owner: str = "") -> None:
        self.digest, self.segment, self.offset, self.length = digest, segment, offset, length
        self.owner = owner  # the article file it came from (load.SourceEntry's key)

    def moved(self, to: Body) -> Body:
        """This body at another place in the store (after compaction), same owner."""
        return Body(to.digest, to.segment, to.offset, to.length, self.owner)

    def __str__(self) -> str:
        return _read(self)

    def __repr__(self) -> str:
        return f"Body({self.digest})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Body) and other.digest == self.digest

    def __hash__(self) -> int:
        return hash(self.digest)

    def __reduce__(self) -> tuple:
        return (Body, (self.digest, self.segment, self.offset, self.length, self.owner))


def body_digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


_folder = Path(".")  # the store's folder; a Body names its segment file only, so the project may move
_readers: dict[str, int] = {}  # segment name -> open file, per process
_reader_pid = -1


Read = tuple[str, str]  # a body's owner and digest
_reads: set[Read] | None = None  # the bodies read since track_reads(), in this process


def track_reads() -> None:
    global _reads
    _reads = set()


def reads() -> frozenset[Read]:
    """The bodies read since track_reads(); recording stops."""
    global _reads
    found = frozenset(_reads or ())
    _reads = None
    return found


def _read(body: Body) -> str:
    global _reader_pid
    if _reads is not None:
        _reads.add((body.owner, body.digest))
    if _reader_pid != os.getpid():  # a forked worker: never share the parent's descriptors
        _readers.clear()
        _reader_pid = os.getpid()
    try:
        fd = _readers.get(body.segment)
        if fd is None:
            fd = _readers[body.segment] = os.open(_folder / body.segment, os.O_RDONLY | os.O_CLOEXEC)
        data = os.pread(fd, body.length, body.offset)
    except OSError as error:
        raise BuildFailed(f"the build cache changed during the build ({body.segment}: {error.strerror}); build again") from None
    if len(data) != body.length:
        raise BuildFailed(f"the build cache changed during the build ({body.segment} is shorter); build again")
    return data.decode("utf-8", "surrogatepass")


def forget_readers() -> None:
    """Close this process's open segments (before they are deleted, and at the end of a build)."""
    global _reader_pid
    if _reader_pid == os.getpid():
        for fd in _readers.values():
            os.close(fd)
    _readers.clear()
    _reader_pid = -1


# This process's segment: (pid, descriptor, segment name, bytes written). A forked worker sees its
# parent's and opens its own: two processes never append to one file.
_writer: tuple[int, int, str, int] | None = None


def store_body(text: str, owner: str = "") -> Body:
    """Append `text` to this process's segment of the store (see BodyStore) and return its Body.

    Unbuffered appends: once this returns, any process can read the body back."""
    global _writer
    if _writer is None or _writer[0] != os.getpid():
        _folder.mkdir(parents=True, exist_ok=True)
        segment = f"{os.urandom(8).hex()}.bodies"
        fd = os.open(_folder / segment, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND | os.O_CLOEXEC, 0o666)
        _writer = (os.getpid(), fd, segment, 0)
    pid, fd, segment, size = _writer
    data = text.encode("utf-8", "surrogatepass")
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    _writer = (pid, fd, segment, size + len(data))
    return Body(body_digest(text), segment, size, len(data), owner)


def _close_writer() -> None:
    """End this process's segment: the next body stored starts a new one."""
    global _writer
    if _writer is not None and _writer[0] == os.getpid():
        os.close(_writer[1])
    _writer = None


class BodyStore:
    """The body store of a build, in `folder`. Making one sets the folder every process of the
    build stores bodies in (workers forked later inherit it) and starts a new segment."""

    def __init__(self, folder: Path) -> None:
        global _folder
        forget_readers()
        _close_writer()
        self.folder = _folder = folder

    def put(self, text: str, owner: str = "") -> Body:
        return store_body(text, owner)

    def close(self) -> None:
        _close_writer()

    def compact(self, live: Iterable[Body]) -> dict[str, Body]:
        """Delete the segments no live body is in; when most stored bytes are dead, copy the live
        bodies into a fresh segment. Returns the moved bodies by digest (callers swap them in)."""
        self.close()
        live = list(live)
        used = {body.segment for body in live}
        segments = [path for path in self.folder.glob("*.bodies")] if self.folder.is_dir() else []
        stored = sum(path.stat().st_size for path in segments if path.name in used)
        moved: dict[str, Body] = {}
        if stored > 2 * sum(body.length for body in live) + (1 << 20):
            for body in live:
                if body.digest not in moved:
                    moved[body.digest] = self.put(str(body))
            self.close()
            used = {body.segment for body in moved.values()}
        forget_readers()
        for path in segments:
            if path.name not in used:
                path.unlink(missing_ok=True)
        return moved
