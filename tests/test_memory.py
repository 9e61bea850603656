"""memory.give_back: freed heap memory goes back to the system (glibc, as on the machines we run on)."""

from __future__ import annotations

from array import array

from newsarchive import memory


def _resident_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS in /proc/self/status")


def test_freed_memory_is_given_back() -> None:
    # Many mid-sized blocks, as related.py's word counts are: glibc keeps them in its heap when
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
