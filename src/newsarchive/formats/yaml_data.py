"""Free-form front matter values (an article's `extra`), made plain and bounded.

Whatever the syntax (YAML, TOML, Pelican lines), values are copied into plain, bounded data: text,
  numbers, booleans, dates, lists and text-keyed mappings, at most `MAX_DEPTH` deep and
  `MAX_VALUES` values once aliases are expanded. An alias bomb ("billion laughs") is cheap for
  YAML to load because it shares one list a billion times, but anything that later walks or
  serializes it (a template, a JSON export) would expand it; the copy stops at the limit instead.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from newsarchive.formats.fields import shorten, strip_unfit

MAX_DEPTH = 10
MAX_VALUES = 1_000

class TooComplex(ValueError):
    """A free-form value that is not plain data, too deep, or too big."""


_SCALARS = (str, bool, int, float, dt.date, dt.time, type(None))  # datetime is a date; TOML has times


def plain_data(value: Any) -> Any:
    """A bounded, independent copy of a free-form YAML value; raises TooComplex with the reason."""
    budget = [MAX_VALUES]
    return _copy(value, 0, budget)


def _copy(value: Any, depth: int, budget: list[int]) -> Any:
    budget[0] -= 1
    if budget[0] < 0:
        raise TooComplex(f"is too big: more than {MAX_VALUES:,} values once its aliases are expanded")
    if depth > MAX_DEPTH:
        raise TooComplex(f"is nested more than {MAX_DEPTH} levels deep")
    if isinstance(value, str):
        return strip_unfit(value)
    if isinstance(value, float) and not math.isfinite(value):
        raise TooComplex(f"holds {value}, which is not a number a page can show")
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, list):
        return [_copy(item, depth + 1, budget) for item in value]
    if isinstance(value, dict):
        copy = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TooComplex(f"has a key {shorten(str(key), 30)!r} that is not text")
            copy[strip_unfit(key)] = _copy(item, depth + 1, budget)
        return copy
    kinds = {bytes: "binary data (!!binary)", set: "a set (!!set)", tuple: "pairs (!!omap or !!pairs)"}
    raise TooComplex(f"holds {kinds.get(type(value), type(value).__name__)}, which is not supported")
