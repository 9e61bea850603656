"""Runs packed in flat arrays (packed.py): splicing equals packing the runs anew."""

from __future__ import annotations

import pickle
import random
from array import array

from newsarchive import packed


def pack(runs: list[list[int]]) -> tuple[array, array]:
    ends, values = array("I"), array("q")
    for values_of_run in runs:
        values.extend(values_of_run)
        ends.append(len(values))
    return ends, values


def test_splicing_any_runs_equals_packing_the_result() -> None:
    rng = random.Random(2)
    for _ in range(300):
        runs = [[rng.randrange(100) for _ in range(rng.randrange(4))] for _ in range(rng.randrange(8))]
        at = sorted(rng.sample(range(len(runs)), rng.randrange(len(runs) + 1)))
        new = [[rng.randrange(100) for _ in range(rng.randrange(4))] for _ in at]
        ends, values = pack(runs)
        new_ends, new_values = pack(new)
        expected = list(runs)
        for place, run in zip(at, new):
            expected[place] = run
        got_ends, (got_values,) = packed.splice(ends, [values], at, new_ends, [new_values])
        assert (got_ends, got_values) == pack(expected)
        assert [list(packed.run(got_ends, got_values, i)) for i in range(len(expected))] == expected


def test_a_bytes_column_comes_back_as_bytes() -> None:
    _, (digests,) = packed.splice(array("I", [2, 4, 6]), [b"aabbcc"], [1], array("I", [2]), [b"XY"])
    assert digests == b"aaXYcc"


def test_pairs_unpack_to_what_was_packed_and_splice_like_their_runs() -> None:
    rng = random.Random(4)
    for _ in range(200):
        pairs = [(array("q", [rng.randrange(-9, 9) for _ in range(n)]), array("f", [rng.random() for _ in range(n)]))
                 for n in (rng.randrange(5) for _ in range(rng.randrange(8)))]  # fmt: skip
        packed_pairs = packed.Pairs.of(pairs, "qf")
        assert len(packed_pairs) == len(pairs) and list(packed_pairs) == pairs
        assert [packed_pairs[i] for i in range(len(pairs))] == pairs
        assert pickle.loads(pickle.dumps(packed_pairs)) == packed_pairs
        at = sorted(rng.sample(range(len(pairs)), rng.randrange(len(pairs) + 1)))
        new = [(array("q", [rng.randrange(9)] * n), array("f", [0.5] * n)) for n in (rng.randrange(4) for _ in at)]
        expected = list(pairs)
        for place, pair in zip(at, new):
            expected[place] = pair
        assert packed_pairs.spliced(at, packed.Pairs.of(new, "qf")) == packed.Pairs.of(expected, "qf")
