"""Runs of values packed in flat arrays: run i of a column is column[ends[i - 1]:ends[i]].

The build cache keeps such runs by the hundred thousand (each page's skeleton, each term's
postings). Packed, they pickle as a few buffers, where as many small arrays take a quarter of a
second each way, and replacing a few runs costs a copy of the rest in C, not a loop over them all.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence

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
        kept = ends[taken:place]
        out_ends.extend((end + shift for end in kept) if shift else kept)  # (runs replaced by as long ones: copied in C)
        if place == len(ends):
            break
        begin = new_ends[number - 1] if number else 0
        for out, column in zip(outs, new_columns):
            out += column[begin : new_ends[number]]
        out_ends.append(len(outs[0]))
        taken = place + 1
    return out_ends, [bytes(out) if isinstance(out, bytearray) else out for out in outs]


class Pairs:
    """A list of pairs of runs, packed: run i of `first` and of `second`, both ending at ends[i]
    (a related article's vector: its terms and their weights; an article's terms and counts).
    An item is unpacked when asked for, each time anew: compare items by value, not identity."""

    __slots__ = ("ends", "first", "second")

    def __init__(self, ends: array, first: array, second: array) -> None:
        self.ends, self.first, self.second = ends, first, second

    def __reduce__(self) -> tuple:
        return Pairs, (self.ends, self.first, self.second)

    @classmethod
    def of(cls, pairs: Iterable[tuple[array, array]], codes: str) -> Pairs:
        """`pairs` packed, into arrays of the two type codes given."""
        ends, first, second = array("I"), array(codes[0]), array(codes[1])
        for one, other in pairs:
            first += one
            second += other
            ends.append(len(first))
        return cls(ends, first, second)

    def __len__(self) -> int:
        return len(self.ends)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Pairs) and (self.ends, self.first, self.second) == (other.ends, other.first, other.second)

    def __getitem__(self, number: int) -> tuple[array, array]:
        return run(self.ends, self.first, number), run(self.ends, self.second, number)  # type: ignore[return-value]

    def __iter__(self) -> Iterator[tuple[array, array]]:
        first, second, start = self.first, self.second, 0
        for stop in self.ends:
            yield first[start:stop], second[start:stop]  # type: ignore[misc]
            start = stop

    def firsts(self) -> Iterator[array]:
        """The runs of `first` alone."""
        first, start = self.first, 0
        for stop in self.ends:
            yield first[start:stop]  # type: ignore[misc]
            start = stop

    def spliced(self, at: Sequence[int], new: Pairs) -> Pairs:
        """These pairs with those numbered `at` (ascending) replaced by `new`'s, in order."""
        ends, (first, second) = splice(self.ends, [self.first, self.second], at, new.ends, [new.first, new.second])
        return Pairs(ends, first, second)  # type: ignore[arg-type]
