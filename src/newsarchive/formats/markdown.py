"""Markdown files with YAML front matter (read by python-frontmatter with the safe loader).

    ---
    title: Headline
    date: 2022-12-12            # or 2022-12-12T09:30:00+04:00
    tags: [politics, energy]
    summary: optional, else the first paragraph
    author / source / slug / draft / updated
    ---
    Markdown body (tables, fenced code and footnotes on; raw HTML is sanitized).

Any other front matter key is kept in `Article.extra`.
"""

from __future__ import annotations

import datetime as dt
import threading
from types import MappingProxyType
from typing import Any

import frontmatter
import markdown
import nh3
import yaml

from newsarchive.config import Config
from newsarchive.errors import SourceError
from newsarchive.formats.fields import (
    Parsed,
    collapse_space,
    first_paragraph_text,
    parse_date_text,
    summarize,
    to_site_day,
    word_count,
)
from newsarchive.model import Article
from newsarchive.urls import slugify

KNOWN_FIELDS = ("title", "date", "tags", "summary", "author", "source", "slug", "draft", "updated")
EXTENSIONS = ["tables", "fenced_code", "footnotes", "sane_lists"]

# The allow-list for raw HTML in Markdown: ammonia's safe defaults (no script, style, iframe,
# event handlers or javascript: URLs) plus the id/class attributes footnotes and code need.
_ALLOWED_ATTRIBUTES = {"*": {"id", "class", "lang", "title"}, "th": {"style"}, "td": {"style"}}
_ALLOWED_STYLES = {"text-align"}

_local = threading.local()


def _markdown() -> markdown.Markdown:
    """One converter per thread, reset between documents (building one costs more than using it)."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = markdown.Markdown(extensions=EXTENSIONS, output_format="html")
    return converter.reset()


def render_markdown(source: str) -> str:
    raw = _markdown().convert(source)
    return nh3.clean(
        raw,
        attributes={**nh3.ALLOWED_ATTRIBUTES, **_merge_attributes()},
        filter_style_properties=_ALLOWED_STYLES,
        link_rel="noopener noreferrer",
    )


def _merge_attributes() -> dict[str, set[str]]:
    merged: dict[str, set[str]] = {}
    for tag, names in _ALLOWED_ATTRIBUTES.items():
        merged[tag] = set(nh3.ALLOWED_ATTRIBUTES.get(tag, set())) | names
    return merged


class _FieldError(ValueError):
    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


def _key_line(front_matter: str, key: str) -> int | None:
    """The file line of `key` in the front matter (only computed when reporting an error)."""
    try:
        node = yaml.compose(front_matter, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                return key_node.start_mark.line + 1  # the split keeps the newline after the opening ---
    return None


def _text_field(meta: dict, key: str) -> str | None:
    value = meta.get(key)
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise _FieldError(key, f"{key} must be text, not {type(value).__name__}")
    return collapse_space(value) or None


def _tags_field(meta: dict) -> tuple[str, ...]:
    value = meta.get("tags")
    if value is None:
        return ()
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list) or not all(isinstance(tag, (str, int)) for tag in value):
        raise _FieldError("tags", "tags must be a list of words or a comma-separated text")
    tags = [collapse_space(str(tag)) for tag in value]
    return tuple(dict.fromkeys(tag for tag in tags if tag))


def _moment_field(meta: dict, key: str, tz: dt.tzinfo) -> tuple[dt.date, dt.datetime | None] | None:
    value = meta.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = parse_date_text(value)
        except ValueError:
            raise _FieldError(key, f"bad {key} {value.strip()!r}: expected YYYY-MM-DD or an ISO 8601 date-time") from None
    if not isinstance(value, dt.date):
        raise _FieldError(key, f"{key} must be a date such as 2022-12-12, not {type(value).__name__}")
    return to_site_day(value, tz)


def _as_moment(moment: tuple[dt.date, dt.datetime | None] | None, tz: dt.tzinfo) -> dt.datetime | None:
    """A date-only value as the start of that day in the site's zone."""
    if moment is None:
        return None
    day, exact = moment
    return exact or dt.datetime.combine(day, dt.time.min, tz)


def _split(text: str, path: str) -> tuple[str, str]:
    handler = frontmatter.YAMLHandler()
    if not handler.detect(text):
        raise SourceError(path, 1, "missing front matter: a Markdown article starts with '---' and a title and date")
    try:
        return handler.split(text)
    except ValueError:
        raise SourceError(path, 1, "front matter is not closed by a '---' line") from None


def _yaml_error_line(error: yaml.YAMLError, front_matter: str) -> int:
    """The file line of a YAML error. An error found only at the end (an unclosed '[')
    is reported where the unclosed part began."""
    mark = getattr(error, "problem_mark", None)
    if mark is None:
        return 1
    context = getattr(error, "context_mark", None)
    if context is not None and mark.line >= front_matter.count("\n"):
        mark = context
    return mark.line + 1  # the split keeps the newline after the opening ---


def _yaml_error_text(error: yaml.YAMLError) -> str:
    reason = getattr(error, "problem", None) or "cannot be read"
    context = getattr(error, "context", None)
    return f"invalid YAML front matter: {reason}" + (f" ({context})" if context else "")


def parse(text: str, path: str, config: Config) -> Parsed:
    front_matter, content = _split(text, path)
    try:
        meta = frontmatter.YAMLHandler().load(front_matter)
    except yaml.YAMLError as error:
        raise SourceError(path, _yaml_error_line(error, front_matter), _yaml_error_text(error)) from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise SourceError(path, 2, f"front matter must be a mapping of key: value lines, not a {type(meta).__name__}")
    try:
        return _build(meta, content, path, config)
    except _FieldError as error:
        raise SourceError(path, _key_line(front_matter, error.key) or 1, str(error)) from None


def _build(meta: dict[str, Any], content: str, path: str, config: Config) -> Parsed:
    title = _text_field(meta, "title")
    if not title:
        raise _FieldError("title", "missing title in front matter")
    moment = _moment_field(meta, "date", config.tzinfo)
    if moment is None:
        raise _FieldError("date", "missing date in front matter")
    day, published = moment
    updated = _moment_field(meta, "updated", config.tzinfo)
    draft = meta.get("draft", False)
    if not isinstance(draft, bool):
        raise _FieldError("draft", "draft must be true or false")
    slug_text = _text_field(meta, "slug")
    body_html = render_markdown(content)
    summary = _text_field(meta, "summary") or first_paragraph_text(body_html)
    extra = {key: value for key, value in meta.items() if key not in KNOWN_FIELDS}
    article = Article(
        source_path=path,
        slug=slugify(slug_text or title),
        date=day,
        title=title,
        body_html=body_html,
        summary=summarize(summary),
        tags=_tags_field(meta),
        word_count=word_count(content),
        author=_text_field(meta, "author") or config.author,
        source=_text_field(meta, "source"),
        published=published,
        updated=_as_moment(updated, config.tzinfo),
        draft=draft,
        extra=MappingProxyType(extra),
    )
    return Parsed(article)
