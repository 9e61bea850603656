"""Memory work for a build: handing freed memory back to the system, where the C library
allows it, and keeping Python's cycle collector out of the build's way.

CPython gives large freed blocks back to the C library's heap, and glibc keeps most of them: after
the related-article computation has freed its word counts (about 100 MiB at 10^5 articles), the
build would hold that memory to the end, and a worker forked meanwhile would count the parent's
idle pages in its share. glibc's `malloc_trim` returns free heap pages to the system. Where there
is no glibc (musl, macOS) this does nothing: memory use is then only higher, never wrong.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
from collections.abc import Callable, Iterator

_trim: Callable[[int], int] | None = None
_looked_up = False


def give_back() -> None:
    """Return the process's free heap memory to the system (glibc only)."""
    global _trim, _looked_up
    if not _looked_up:
        _looked_up = True
        try:
            _trim = ctypes.CDLL("libc.so.6").malloc_trim
        except (OSError, AttributeError):
            _trim = None
    if _trim is not None:
        _trim(0)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for a build, and back on after it.

    A build makes millions of objects that live to its end (source entries, articles, pages,
    fingerprints) and almost no reference cycles: 793 unreachable objects at the end of a
    10,000-article build, none from rendering its 13,072 pages (reference counting frees the rest
    at once). The collector would walk every one of them again each time enough new ones were
    made: at 10^5 articles, a fifth of a one-edit rebuild (18.1 → 14.2 s). Worker
    processes forked meanwhile inherit the pause and end with the build. `serve` builds again and
    again in one process: the collector is back on between its builds."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            # Everything the build made is still the youngest generation: the first collection
            # after enable() would walk it all (19 ms at 10^4 articles, in a process about to
            # exit). Moved through the permanent generation into the oldest one instead, which is
            # collected only after many younger collections.
            gc.freeze()
            gc.enable()
            gc.unfreeze()
