"""Run a function over chunks of work in forked worker processes, results in order.

Workers are forked after the caller has built its state (articles, page records, the compiled
templates), so they share it copy-on-write instead of receiving it through a pipe: only the small
chunks of work (indices, paths) and their results cross between processes.
"""

from __future__ import annotations

import gc
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_state: Any = None
_function: Callable[[Any, Any], Any] | None = None


def cpu_count() -> int:
    """The cores this process may run on (a container or `taskset` may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _run_chunk(chunk: Any) -> Any:
    assert _function is not None
    return _function(_state, chunk)


def chunks(items: Sequence[T], jobs: int, smallest: int = 16, largest: int = 512) -> list[Sequence[T]]:
    """Cut work into pieces small enough to balance the workers and show progress, big enough to be cheap."""
    size = max(smallest, min(largest, len(items) // (jobs * 8) or 1))
    return [items[i : i + size] for i in range(0, len(items), size)]


def map_chunks(function: Callable[[Any, Sequence[T]], R], state: Any, items: Sequence[T], jobs: int) -> Iterator[tuple[int, R]]:
    """`function(state, chunk)` for each chunk of `items`, yielding (items done, result) in order.

    With one job, or too little work to pay for starting processes, it runs here.
    """
    import multiprocessing  # here, not at the top: a rebuild with nothing to do never needs it

    global _state, _function
    pieces = chunks(items, jobs)
    if jobs <= 1 or len(pieces) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for piece in pieces:
            yield len(piece), function(state, piece)
        return
    _state, _function = state, function
    # Objects the workers inherit stay shared only while nothing writes to their memory; the
    # garbage collector would, so the parent's objects are moved out of its sight before forking.
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(min(jobs, len(pieces))) as pool:
            # A few chunks in flight per worker, not all: results wait in this process until the
            # caller takes them, and a caller slower than the workers (the writer) would otherwise
            # hold every rendered page at once.
            waiting: deque[tuple[Sequence[T], Any]] = deque()
            for piece in pieces:
                waiting.append((piece, pool.apply_async(_run_chunk, (piece,))))
                if len(waiting) > 2 * jobs:
                    done, result = waiting.popleft()
                    yield len(done), result.get()
            while waiting:
                done, result = waiting.popleft()
                yield len(done), result.get()
    finally:
        gc.unfreeze()
        _state = _function = None
