"""Runs of values packed in flat arrays: run i of a column is column[ends[i - 1]:ends[i]].

The build cache keeps such runs by the hundred thousand (each page's skeleton, each term's
postings). Packed, they pickle as a few buffers, where as many small arrays take a quarter of a
second each way, and replacing a few runs costs a copy of the rest in C, not a loop over them all.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence

Column = array | bytes


def run(ends: Sequence[int], column: Column, number: int) -> Column:
    """The `number`th run of a column."""
    return column[ends[number - 1] if number else 0 : ends[number]]


def splice(ends: array, columns: Sequence[Column], at: Sequence[int], new_ends: Sequence[int],
           new_columns: Sequence[Column]) -> tuple[array, list[Column]]:  # fmt: skip
    """The runs numbered `at` (ascending) replaced by the new runs, in order: the new ends and
    columns (every column's runs end at the same `ends`)."""
    out_ends = array(ends.typecode)
    outs: list = [array(column.typecode) if isinstance(column, array) else bytearray() for column in columns]
    taken = 0  # runs copied or replaced so far
    for number, place in enumerate([*at, len(ends)]):
        start = ends[taken - 1] if taken else 0
        stop = ends[place - 1] if place else 0
        shift = len(outs[0]) - start
        for out, column in zip(outs, columns):
            out += column[start:stop]
        out_ends.extend(end + shift for end in ends[taken:place])
        if place == len(ends):
            break
        begin = new_ends[number - 1] if number else 0
        for out, column in zip(outs, new_columns):
            out += column[begin : new_ends[number]]
        out_ends.append(len(outs[0]))
        taken = place + 1
    return out_ends, [bytes(out) if isinstance(out, bytearray) else out for out in outs]
