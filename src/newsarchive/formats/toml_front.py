"""TOML front matter between '+++' lines: Zola, and Hugo sites that chose TOML. Read with tomllib."""

from __future__ import annotations

import re
import tomllib

from newsarchive.errors import SourceError
from newsarchive.formats.fields import FrontMatter, split_fenced

FENCE = "+++"

_KEY = re.compile(r"""\s*(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9_-]+))\s*=""")
_TABLE = re.compile(r"\s*\[\s*([A-Za-z0-9_-]+)\s*\]")
_ERROR_PLACE = re.compile(r"\s*\(at line (\d+), column \d+\)$")


def _key_lines(source: str, start: int) -> dict[str, int]:
    """File lines of the top-level keys and tables (tomllib does not report positions)."""
    lines: dict[str, int] = {}
    in_table = False
    for number, line in enumerate(source.split("\n"), start):
        if table := _TABLE.match(line):
            lines.setdefault(table[1], number)
            in_table = True
        elif not in_table and (key := _KEY.match(line)):
            lines.setdefault(next(g for g in key.groups() if g), number)
    return lines


def read(text: str, path: str) -> FrontMatter | None:
    """The TOML front matter at the top of `text`, or None when the file does not start with '+++'."""
    split = split_fenced(text, FENCE, path, "TOML")
    if split is None:
        return None
    source, body, start, body_line = split
    try:
        values = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        place = _ERROR_PLACE.search(message)
        # An error only found at the end (an unclosed '[') is reported on the last line written.
        line = start + int(place[1]) - 1 if place else start + len(source.rstrip().split("\n")) - 1
        reason = message[: place.start()] if place else message.replace(" (at end of document)", "")
        raise SourceError(path, line, f"invalid TOML front matter: {reason}") from None
    except ValueError as error:  # tomllib builds int(...) itself: a 5,000-digit number lands here
        raise SourceError(path, start, f"invalid TOML front matter: {error}") from None
    return FrontMatter(values, _key_lines(source, start), body, body_line, "TOML")
