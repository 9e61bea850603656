"""Worker processes: results in order, and render workers that own only what they are sent."""

from __future__ import annotations

import os

from newsarchive import parallel

_made_after_the_fork: str | None = None


def _probe(state: str, chunk: list[int]) -> list[tuple[str, str | None, int, int]]:
    return [(state, _made_after_the_fork, os.getpid(), item * 10) for item in chunk]


def test_workers_are_forked_when_made_and_receive_their_work() -> None:
    global _made_after_the_fork
    _made_after_the_fork = None
    try:
        with parallel.Workers(_probe, "state", jobs=2, largest=1) as workers:
            # Made after the workers exist: the build's articles and pages, which workers must
            # not share (see parallel.Workers), are made at this point.
            _made_after_the_fork = "made after the fork"
            results = [row for _, chunk in workers.map(list(range(40))) for row in chunk]
    finally:
        _made_after_the_fork = None
    assert [row[3] for row in results] == [item * 10 for item in range(40)], "results come back in order"
    assert {row[0] for row in results} == {"state"}, "the state is inherited"
    assert {row[1] for row in results} == {None}, "workers see this process as it was when they were forked"
    pids = {row[2] for row in results}
    assert pids and os.getpid() not in pids, "the work is done in the workers"


def _other_work(chunk: list[int]) -> list[tuple[int, int]]:
    return [(os.getpid(), -item) for item in chunk]


def test_workers_take_other_work_by_name() -> None:
    with parallel.Workers(_probe, "state", jobs=2, largest=1) as workers:
        results = [row for _, chunk in workers.map(list(range(20)), other=_other_work) for row in chunk]
        assert [row[1] for row in results] == [-item for item in range(20)], "the other function's results, in order"
        assert os.getpid() not in {row[0] for row in results}, "run in the workers"
        own = [row[3] for _, chunk in workers.map([1, 2]) for row in chunk]
    assert own == [10, 20], "the workers' own function is still theirs afterwards"


def test_one_job_runs_here() -> None:
    with parallel.Workers(_probe, "state", jobs=1) as workers:
        results = [row for _, chunk in workers.map([1, 2, 3]) for row in chunk]
    assert {row[2] for row in results} == {os.getpid()}
    assert [row[3] for row in results] == [10, 20, 30]


def test_closed_workers_leave_the_work_to_this_process() -> None:
    workers = parallel.Workers(_probe, "state", jobs=2, largest=1)
    workers.close()
    results = [row for _, chunk in workers.map(list(range(5))) for row in chunk]
    assert {row[2] for row in results} == {os.getpid()}
    assert [row[3] for row in results] == [0, 10, 20, 30, 40]


def test_map_chunks_gives_every_item_once_in_order() -> None:
    done = list(parallel.map_chunks(_probe, "s", list(range(100)), 2))
    assert sum(count for count, _ in done) == 100
    assert [row[3] for _, chunk in done for row in chunk] == [item * 10 for item in range(100)]


def test_heavy_items_travel_in_smaller_chunks() -> None:
    items = [1] * 100 + [50] * 4 + [1] * 10
    pieces = parallel.chunks(items, jobs=1, smallest=1, largest=20, weight=float)
    assert [item for piece in pieces for item in piece] == items, "every item once, in order"
    assert all(len(piece) <= 20 for piece in pieces)
    assert [len(piece) for piece in pieces if 50 in piece] == [1, 1, 1, 1], "a heavy item goes alone"
    unweighted = parallel.chunks(items, jobs=1, smallest=1, largest=20)
    assert any(piece.count(50) > 1 for piece in unweighted), "without weights, pieces are cut by count only"
