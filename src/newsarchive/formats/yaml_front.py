"""YAML front matter between '---' lines: Jekyll, Hugo, Eleventy, Astro and newsarchive's own Markdown.

python-frontmatter finds and splits the block (blank lines before it are allowed); the YAML is read
with a safe loader of our own that also keeps each key's line. Dates stay text so that quoted and bare dates go through the same
parser (fields.parse_date_text); a key written twice is a warning and the last value is used, as
Jekyll and Hugo do.
"""

from __future__ import annotations

import frontmatter
import yaml

from newsarchive.errors import Problem, SourceError
from newsarchive.formats.fields import FrontMatter, duplicate_warning, shorten

_HANDLER = frontmatter.YAMLHandler()


class UnreadableValue(yaml.constructor.ConstructorError):
    """Valid YAML whose value Python cannot build (a 5,000-digit number); its message stands alone."""


class _KeysAndLines:
    """What both loaders below add to PyYAML's safe one: keys written twice are noted with their
    lines, and a value Python cannot build is an error at its line."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)  # type: ignore[call-arg]
        self.duplicates: list[tuple[str, int, int]] = []  # key, 0-based line, 0-based first line

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[object, int] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    self.duplicates.append((key_node.value, key_node.start_mark.line, seen[key_node.value]))
                else:
                    seen[key_node.value] = key_node.start_mark.line
        return super().construct_mapping(node, deep)  # type: ignore[misc]

    def construct_object(self, node: yaml.Node, deep: bool = False) -> object:
        try:
            return super().construct_object(node, deep)  # type: ignore[misc]
        except (ValueError, OverflowError) as error:  # int('9' * 5000) refuses, with no line
            value = node.value if isinstance(node, yaml.ScalarNode) else ""
            problem = f"number {shorten(value, 20)} is too long" if node.tag.endswith(":int") else f"cannot read {shorten(value)!r}: {error}"
            raise UnreadableValue(None, None, problem, node.start_mark) from None


class _Loader(_KeysAndLines, yaml.SafeLoader):
    """The pure-Python loader: its error messages and lines are the ones users are shown."""


# libyaml's parser, when PyYAML was built with it (its wheels are): ten times faster on valid front
# matter, with the same constructors. Its errors differ in wording and line, so a document it
# refuses is read again by _Loader, which says what is wrong.
_FastLoader = type("_FastLoader", (_KeysAndLines, yaml.CSafeLoader), {}) if yaml.__with_libyaml__ else None

for _loader in (_Loader, _FastLoader):
    if _loader is not None:
        _loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def _error_line(error: yaml.YAMLError, source: str, start: int) -> int:
    """The file line of a YAML error. An error found only at the end (an unclosed '[')
    is reported where the unclosed part began."""
    if isinstance(error, yaml.reader.ReaderError):
        return start + source.count("\n", 0, error.position)
    mark = getattr(error, "problem_mark", None)
    if mark is None:
        return start
    context = getattr(error, "context_mark", None)
    if context is not None and mark.line >= source.count("\n"):
        mark = context
    return start + mark.line


def _error_text(error: yaml.YAMLError) -> str:
    if isinstance(error, yaml.reader.ReaderError):
        return f"invalid YAML front matter: {error.reason}"
    if isinstance(error, UnreadableValue):
        return str(error.problem)
    reason = getattr(error, "problem", None) or "cannot be read"
    context = getattr(error, "context", None)
    return f"invalid YAML front matter: {reason}" + (f" ({context})" if context else "")


def _split(text: str, path: str) -> tuple[str, str, int, int] | None:
    """(front matter, body, file line of the first front matter line, file line of the body)."""
    lines = text.split("\n")
    lead = next((number for number, line in enumerate(lines) if line.strip()), len(lines))  # blank lines first
    rest = "\n".join(lines[lead:])
    if not _HANDLER.detect(rest):
        return None
    try:
        source, body = _HANDLER.split(rest)
    except ValueError:
        raise SourceError(path, lead + 1, "YAML front matter is not closed by a '---' line") from None
    # The split keeps the end of the opening and closing fence lines: drop them, count the lines.
    closing = lead + 1 + source.count("\n")
    return source[1:], body[1:] if body.startswith("\n") else body, lead + 2, closing + 1


Loaded = tuple[yaml.Node | None, object, list[tuple[str, int, int]]]  # node, values, duplicate keys


def _read_with(loader: _KeysAndLines) -> Loaded:
    """The one document's node, values and keys written twice; the loader is freed either way."""
    try:
        node = loader.get_single_node()  # type: ignore[attr-defined]
        return node, loader.construct_document(node) if node is not None else {}, loader.duplicates  # type: ignore[attr-defined]
    finally:
        loader.dispose()  # type: ignore[attr-defined]


def _load_fast(source: str) -> Loaded | None:
    """The front matter read with libyaml, or None when it cannot be (or should not be: the
    pure reader refuses some characters before parsing, and its message is the one to give)."""
    if _FastLoader is None or yaml.reader.Reader.NON_PRINTABLE.search(source):
        return None
    try:
        return _read_with(_FastLoader(source))
    except (yaml.YAMLError, RecursionError):
        return None


def _load(source: str, path: str, start: int) -> Loaded:
    """The front matter read with the pure-Python loader; a SourceError at the line of any error."""
    try:
        return _read_with(_Loader(source))  # the reader already refuses some characters when made
    except yaml.YAMLError as error:
        raise SourceError(path, _error_line(error, source, start), _error_text(error)) from None
    except RecursionError:  # the pure-Python loader recurses once per level of [[[...]]]
        raise SourceError(path, start, "invalid YAML front matter: nested too deeply") from None


def read(text: str, path: str) -> FrontMatter | None:
    """The YAML front matter at the top of `text`, or None when the file does not start with '---'."""
    split = _split(text, path)
    if split is None:
        return None
    source, body, start, body_line = split
    loaded = _load_fast(source)
    node, values, duplicates = loaded if loaded is not None else _load(source, path, start)
    if values is None:
        values = {}
    if not isinstance(values, dict):
        raise SourceError(path, start, f"front matter must be a mapping of key: value lines, not a {type(values).__name__}")
    lines = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                lines.setdefault(key_node.value, start + key_node.start_mark.line)
    warnings: tuple[Problem, ...] = tuple(
        duplicate_warning(path, str(key), start + line, start + first) for key, line, first in duplicates
    )
    return FrontMatter(values, lines, body, body_line, "YAML", warnings)
