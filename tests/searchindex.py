"""Comparing builds that include a Pagefind search index.

Pagefind's fragments, word indexes and scripts are byte-stable between runs, but it writes its
filter indexes and the meta file that lists them in an arbitrary order (HashMap order; upstream
Pagefind issue #638), so those files, their hashed names and pagefind-entry.json, which names
them, can differ between two builds of the same input. Everything else must be byte-identical.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

_UNORDERED = re.compile(r"(?:^|/)pagefind/(?:filter/[a-z_-]+_[0-9a-f]+\.pf_filter|pagefind\.[a-z_-]+_[0-9a-f]+\.pf_meta|pagefind-entry\.json)$")


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def stable_view(found: dict[str, bytes]) -> dict[str, object]:
    """`found` with each unordered index file reduced to how many there are of its kind."""
    view: dict[str, object] = {}
    kinds: Counter[str] = Counter()
    for path, data in found.items():
        if _UNORDERED.search("/" + path):
            kinds[re.sub(r"_[0-9a-f]+\.", "_#.", path)] += 1
        else:
            view[path] = data
    view.update(kinds)
    return view
