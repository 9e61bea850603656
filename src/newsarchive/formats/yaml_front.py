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


class _Loader(yaml.SafeLoader):
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[str, int, int]] = []  # key, 0-based line, 0-based first line

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[object, int] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    self.duplicates.append((key_node.value, key_node.start_mark.line, seen[key_node.value]))
                else:
                    seen[key_node.value] = key_node.start_mark.line
        return super().construct_mapping(node, deep)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> object:
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as error:  # int('9' * 5000) refuses, with no line
            value = node.value if isinstance(node, yaml.ScalarNode) else ""
            problem = f"number {shorten(value, 20)} is too long" if node.tag.endswith(":int") else f"cannot read {shorten(value)!r}: {error}"
            raise UnreadableValue(None, None, problem, node.start_mark) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


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


def read(text: str, path: str) -> FrontMatter | None:
    """The YAML front matter at the top of `text`, or None when the file does not start with '---'."""
    split = _split(text, path)
    if split is None:
        return None
    source, body, start, body_line = split
    try:
        loader = _Loader(source)  # the reader already refuses some characters here
    except yaml.YAMLError as error:
        raise SourceError(path, _error_line(error, source, start), _error_text(error)) from None
    try:
        node = loader.get_single_node()
        values = loader.construct_document(node) if node is not None else {}
    except yaml.YAMLError as error:
        raise SourceError(path, _error_line(error, source, start), _error_text(error)) from None
    except RecursionError:  # the pure-Python loader recurses once per level of [[[...]]]
        raise SourceError(path, start, "invalid YAML front matter: nested too deeply") from None
    finally:
        loader.dispose()
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
        duplicate_warning(path, str(key), start + line, start + first) for key, line, first in loader.duplicates
    )
    return FrontMatter(values, lines, body, body_line, "YAML", warnings)
