"""Which front matter a file starts with: YAML ('---'), TOML ('+++'), Pelican `Key: value` lines, or none."""

from __future__ import annotations

from newsarchive.formats import pelican_front, toml_front, yaml_front
from newsarchive.formats.fields import FrontMatter


def read(text: str, path: str) -> FrontMatter:
    for reader in (yaml_front.read, toml_front.read, pelican_front.read):
        if (front := reader(text, path)) is not None:
            return front
    return FrontMatter({}, {}, text, 1, "none")
