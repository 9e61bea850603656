"""Handing freed memory back to the system, where the C library allows it.

CPython gives large freed blocks back to the C library's heap, and glibc keeps most of them: after
the related-article computation has freed its word counts (about 100 MiB at 10^5 articles), the
build would hold that memory to the end, and a worker forked meanwhile would count the parent's
idle pages in its share. glibc's `malloc_trim` returns free heap pages to the system. Where there
is no glibc (musl, macOS) this does nothing: memory use is then only higher, never wrong.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable

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
