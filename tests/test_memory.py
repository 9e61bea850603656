"""memory.py: freed heap memory goes back to the system (glibc, as on the machines we run on), and
a build runs with the cycle collector paused."""

from __future__ import annotations

import gc
from array import array

import pytest

from conftest import SiteFolder, text_article
from newsarchive import memory, pipeline


def _resident_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS in /proc/self/status")


def test_freed_memory_is_given_back() -> None:
    # Many mid-sized blocks, as the word counts (terms.py) are: glibc keeps them in its heap when
    # freed, and a block kept alive at the end stops the heap from shrinking by itself.
    blocks = [array("q", range(100)) for _ in range(200_000)]  # about 170 MiB
    keep = array("q", range(100))
    grown = _resident_kib()
    del blocks
    held = _resident_kib()
    memory.give_back()
    after = _resident_kib()
    assert keep[99] == 99
    assert held - after > (grown - held) + 50_000, f"RSS {grown} KiB grown, {held} after freeing, {after} after give_back"


def test_the_cycle_collector_is_paused_and_back_on_after() -> None:
    assert gc.isenabled()
    with memory.collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(KeyError), memory.collector_paused():
        raise KeyError("a build that fails")
    assert gc.isenabled()
    gc.disable()
    try:
        with memory.collector_paused():
            pass
        assert not gc.isenabled(), "a collector that was off stays off"
    finally:
        gc.enable()


def test_what_a_build_made_is_not_left_to_the_next_young_collection() -> None:
    """Back on, the collector does not start by walking everything made while it was off: that is
    moved to the oldest generation (a one-edit rebuild at 10^4 articles spent 19 ms on it)."""
    with memory.collector_paused():
        made = [[n] for n in range(20_000)]
        assert gc.get_count()[0] >= 20_000, "still young"
    oldest = {id(found) for found in gc.get_objects(generation=2)}
    assert id(made) in oldest and id(made[-1]) in oldest
    assert gc.isenabled() and gc.get_freeze_count() == 0, "nothing stays frozen"


def test_a_build_runs_without_the_cycle_collector(site: SiteFolder, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    load = pipeline.load_articles

    def watched(*args, **kwargs):
        seen.append(gc.isenabled())
        return load(*args, **kwargs)

    monkeypatch.setattr(pipeline, "load_articles", watched)
    site.add("a.txt", text_article("2022-03-01", "Story", "Body."))
    assert site.build().articles == 1
    assert seen == [False]
    assert gc.isenabled()
