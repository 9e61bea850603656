"""Run a function over chunks of work in forked worker processes, results in order.

The function and its state (a Renderer, the scoring index) are inherited by the fork, never
pickled; only the chunks of work and their results cross between processes. `map_chunks` forks
when it is called; `Workers` forks when it is made and takes work later (see its doc).
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


def _run_other(function: Callable[[Any], Any], chunk: Any) -> Any:
    return function(chunk)


SMALLEST_CHUNK = 16  # less work than this is never sent to a worker


def chunks(items: Sequence[T], jobs: int, smallest: int = SMALLEST_CHUNK, largest: int = 512,
           weight: Callable[[T], float] | None = None) -> list[Sequence[T]]:  # fmt: skip
    """Cut work into pieces small enough to balance the workers and show progress, big enough to be cheap.

    With `weight` (how much work or result an item makes, 1 for a typical one), a piece ends once
    its items weigh `largest`, so a few heavy items travel alone instead of 512 at a time."""
    size = max(smallest, min(largest, len(items) // (jobs * 8) or 1))
    if weight is None:
        return [items[i : i + size] for i in range(0, len(items), size)]
    pieces, start, load = [], 0, 0.0
    for index, item in enumerate(items):
        heavy = weight(item)
        if index > start and (load + heavy > size or index - start >= size):
            pieces.append(items[start:index])
            start, load = index, 0.0
        load += heavy
    if start < len(items):
        pieces.append(items[start:])
    return pieces


def map_chunks(function: Callable[[Any, Sequence[T]], R], state: Any, items: Sequence[T], jobs: int) -> Iterator[tuple[int, R]]:
    """`function(state, chunk)` for each chunk of `items`, yielding (items done, result) in order.

    The workers are forked now, sharing the caller's state as it is. With one job, or too little
    work to pay for starting processes, it runs here.
    """
    pieces = chunks(items, jobs)
    with Workers(function, state, max(1, min(jobs, len(pieces)))) as workers:
        yield from workers.map(items)


class Workers:
    """Processes forked when this is made, each running `function(state, chunk)` on the chunks
    that `map` later sends them (pickled); results come back in order, in chunks of at most
    `largest` items (results wait in this process until taken: big ones want small chunks).

    Made early, before a build holds its articles and page records, workers stay small: they
    share only what existed when they were forked, and what `map` sends them is their own. Workers
    forked late share the parent's records copy-on-write only until they touch them, and touching
    is writing (reference counts, new objects placed in the parent's half-empty memory pools):
    each such worker ended up with a private copy of most of the parent's memory.
    """

    def __init__(self, function: Callable[[Any, Sequence[T]], R], state: Any, jobs: int, largest: int = 512) -> None:
        import multiprocessing  # here, not at the top: a rebuild with nothing to do never needs it

        global _state, _function
        self.function, self.state, self.jobs, self.largest = function, state, jobs, largest
        self._pool = None
        if jobs > 1 and "fork" in multiprocessing.get_all_start_methods():
            _state, _function = state, function
            # While workers share this process's objects, the collector must not write to them
            # (in either process: a written page is copied); it is let back in when they end.
            gc.freeze()
            try:
                self._pool = multiprocessing.get_context("fork").Pool(jobs)
            except BaseException:
                gc.unfreeze()
                raise
            finally:
                _state = _function = None

    def map(self, items: Sequence[T], weight: Callable[[T], float] | None = None,
            other: Callable[[Sequence[T]], Any] | None = None, largest: int | None = None,
            pack: Callable[[Sequence[T]], Any] | None = None) -> Iterator[tuple[int, Any]]:  # fmt: skip
        """(items done, result) for each chunk of `items`, in order (see `chunks` for `weight`
        and `largest`, which defaults to the one the workers were made with).

        `other`: a module-level function to run on each chunk instead of the workers' own, so
        idle workers can take other work; it crosses to them by name, with no state. `pack`: what
        a chunk sent to a worker is made into first, here, just before it is sent (the function
        then gets that); a chunk run in this process is given as it is."""
        pieces = chunks(items, self.jobs, largest=largest or self.largest, weight=weight)
        if self._pool is None or len(pieces) <= 1:
            for piece in pieces:
                yield len(piece), (other(piece) if other is not None else self.function(self.state, piece))
            return
        # A few chunks in flight per worker, not all: results wait in this process until the
        # caller takes them, and a caller slower than the workers (the writer) would otherwise
        # hold every rendered page at once.
        waiting: deque[tuple[Sequence[T], Any]] = deque()
        for piece in pieces:
            sent = pack(piece) if pack is not None else piece
            task = (_run_chunk, (sent,)) if other is None else (_run_other, (other, sent))
            waiting.append((piece, self._pool.apply_async(*task)))
            if len(waiting) > 2 * self.jobs:
                done, result = waiting.popleft()
                yield len(done), result.get()
        while waiting:
            done, result = waiting.popleft()
            yield len(done), result.get()

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """End the workers (their memory with them); `map` then runs here."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
            gc.unfreeze()
