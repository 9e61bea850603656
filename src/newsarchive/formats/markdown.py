"""Markdown files (.md, .markdown, .mdx) with front matter, and the Markdown renderer and HTML
sanitizer every format shares.

    ---
    title: Headline
    date: 2022-12-12            # or 2022-12-12T09:30:00+04:00
    tags: [politics, energy]
    summary: optional, else the first paragraph
    author / source / slug / draft / updated
    ---
    Markdown body (tables, fenced code and footnotes on; raw HTML is sanitized).

Front matter may also be TOML between '+++' lines or Pelican `Key: value` lines; formats/post.py
says how fields, dates and titles are found, formats/foreign_tags.py how other generators' tags are
treated. Other front matter keys are kept in `Article.extra`.
"""

from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING

import nh3

from newsarchive.config import Config
from newsarchive.errors import SourceError
from newsarchive.formats import foreign_tags, front_matter, post
from newsarchive.formats.fields import Parsed, with_stripped_warning, word_count

if TYPE_CHECKING:
    import markdown

# Full module names: a short name makes Python-Markdown scan every installed package's entry points
# (about 70 ms in each process that converts Markdown).
EXTENSIONS = ["markdown.extensions.tables", "markdown.extensions.fenced_code", "markdown.extensions.footnotes", "markdown.extensions.sane_lists"]

# The allow-list for raw HTML in Markdown: ammonia's safe defaults (no script, style, iframe,
# event handlers or javascript: URLs) plus the id/class attributes footnotes and code need.
_ALLOWED_ATTRIBUTES = {"*": {"id", "class", "lang", "title"}, "th": {"style"}, "td": {"style"}}
_ALLOWED_STYLES = {"text-align"}

_local = threading.local()


def _markdown() -> markdown.Markdown:
    """One converter per thread, reset between documents (building one costs more than using it)."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        import markdown  # here: a process whose articles are all plain paragraphs never needs it (60 ms)

        converter = _local.converter = markdown.Markdown(extensions=EXTENSIONS, output_format="html")
    return converter.reset()


# With `allow_iframes: true` in site.yaml, <iframe> embeds are kept, with only these attributes,
# a URL that passes the same scheme allow-list as links (no javascript: or data:) and a sandbox.
_IFRAME_ATTRIBUTES = {"src", "width", "height", "title", "allowfullscreen", "loading", "referrerpolicy"}
_IFRAME_SANDBOX = {"iframe": {"sandbox": "allow-scripts allow-same-origin allow-popups allow-presentation"}}


def render_markdown(source: str, *, allow_iframes: bool = False) -> str:
    """Markdown to safe HTML. Raises RecursionError for pathologically nested input."""
    html = plain_paragraphs(source)
    if html is None:
        html = _markdown().convert(source)
    return sanitize_html(html, allow_iframes=allow_iframes)


# Anything that could mean something to Python-Markdown or its tables, fenced code and footnotes
# extensions: anywhere, a character of inline syntax or one it escapes, or a tab (it expands tabs);
# at a line's start, white space (indented code) or what opens a block (a digit or '-' '+' a list,
# '#' a heading, '=' '-' an underline or rule); white space ending a line (two spaces make a line
# break). [^\S\n] is white space but a newline, Unicode's included: Python-Markdown's str.strip()
# calls remove those too.
_SYNTAX = re.compile(r"[\\`*_\[\]<>&|~\t\r\x02\x03]|^[^\S\n]|^[\d#+=-]|[^\S\n]$", re.M)
_BLANK_LINES = re.compile(r"\n{2,}")


def plain_paragraphs(source: str) -> str | None:
    """What Python-Markdown makes of text with none of its syntax, made without it: each run of
    lines between blank lines becomes <p>those lines</p>. None for any other text.

    Most news articles are only paragraphs, and this takes a hundredth of the 3 ms that
    Python-Markdown spends on a 700-word article. tests/test_markdown_plain.py checks that the
    result is Python-Markdown's own on generated text, syntax and near misses included."""
    text = source.strip("\n")
    if not text or _SYNTAX.search(text):
        return None
    return "\n".join(f"<p>{paragraph}</p>" for paragraph in _BLANK_LINES.split(text))


def sanitize_html(raw: str, *, allow_iframes: bool = False) -> str:
    """Safe HTML from any HTML: the allow-list above; unknown tags go, their text stays."""
    attributes = {**nh3.ALLOWED_ATTRIBUTES, **_merge_attributes()}
    tags = set(nh3.ALLOWED_TAGS)
    if allow_iframes:
        tags.add("iframe")
        attributes["iframe"] = _IFRAME_ATTRIBUTES
    return nh3.clean(
        raw,
        tags=tags,
        attributes=attributes,
        filter_style_properties=_ALLOWED_STYLES,
        link_rel="noopener noreferrer",
        set_tag_attribute_values=_IFRAME_SANDBOX if allow_iframes else None,
    )


def _merge_attributes() -> dict[str, set[str]]:
    merged: dict[str, set[str]] = {}
    for tag, names in _ALLOWED_ATTRIBUTES.items():
        merged[tag] = set(nh3.ALLOWED_ATTRIBUTES.get(tag, set())) | names
    return merged


def parse(text: str, path: str, config: Config, relative: str | None = None) -> Parsed:
    return _parse(text, path, config, relative or path, mdx=False)


def parse_mdx(text: str, path: str, config: Config, relative: str | None = None) -> Parsed:
    """MDX: Markdown whose imports, exports and JSX components are removed, never run."""
    return _parse(text, path, config, relative or path, mdx=True)


def _parse(text: str, path: str, config: Config, relative: str, *, mdx: bool) -> Parsed:
    front = front_matter.read(text, path)
    stripped = foreign_tags.strip_markdown(front.body, mdx=mdx)
    try:
        body_html = render_markdown(stripped.text, allow_iframes=config.allow_iframes)
    except RecursionError:
        raise SourceError(path, front.body_line, "Markdown nested too deeply to convert") from None
    parsed = post.build(front, body_html, word_count(stripped.text), path, relative, config)
    return with_stripped_warning(parsed, stripped, front.body_line)
