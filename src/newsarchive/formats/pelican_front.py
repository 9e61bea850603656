"""Pelican's Markdown metadata: `Key: value` lines at the top of the file, up to the first blank line.

    Title: Council approves the budget
    Date: 2010-12-03 10:20
    Tags: politics, budget
    Summary: A long summary can go on
        on lines indented by four spaces.

Keys are case-insensitive (read in lower case, as Pelican does). So that a first paragraph such as
"Note: the polls close at 8" is never taken for metadata, the block must end at a blank line and
name at least one field Pelican defines.
"""

from __future__ import annotations

import re

from newsarchive.errors import Problem
from newsarchive.formats.fields import FrontMatter, duplicate_warning

PELICAN_FIELDS = frozenset(
    {"title", "date", "modified", "tags", "category", "slug", "author", "authors", "summary", "status",
     "lang", "translation", "save_as", "url", "template"}
)  # fmt: skip

_META_LINE = re.compile(r" {0,3}([A-Za-z][A-Za-z0-9_-]*):\s*(.*)")
_CONTINUATION = re.compile(r" {4,}(\S.*)")


def read(text: str, path: str) -> FrontMatter | None:
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return None
    values: dict[str, str] = {}
    key_lines: dict[str, int] = {}
    warnings: list[Problem] = []
    key = None
    end = first
    while end < len(lines) and lines[end].strip():
        line, number = lines[end], end + 1
        if (more := _CONTINUATION.fullmatch(line)) and key is not None:
            values[key] = f"{values[key]} {more[1].strip()}".strip()
        elif meta := _META_LINE.fullmatch(line):
            key = meta[1].lower()
            if key in values:
                warnings.append(duplicate_warning(path, key, number, key_lines[key]))
            key_lines.setdefault(key, number)
            values[key] = meta[2].strip()
        else:
            return None  # a paragraph, not a metadata block
        end += 1
    if not PELICAN_FIELDS.intersection(values):
        return None
    return FrontMatter(values, key_lines, "\n".join(lines[end:]), end + 1, "Pelican", tuple(warnings))
