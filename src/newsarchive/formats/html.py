"""HTML posts (.html) with front matter, as Jekyll and Eleventy allow: the body is HTML, not Markdown.

The body goes through the same sanitizer as Markdown's raw HTML; other generators' tags are removed
as formats/foreign_tags.py says (<pre> and <code> are left as written).
"""

from __future__ import annotations

from newsarchive.config import Config
from newsarchive.formats import foreign_tags, front_matter, post
from newsarchive.formats.fields import Parsed, html_text, with_stripped_warning, word_count
from newsarchive.formats.markdown import sanitize_html


def parse(text: str, path: str, config: Config, relative: str | None = None) -> Parsed:
    front = front_matter.read(text, path)
    stripped = foreign_tags.strip_html(front.body)
    body_html = sanitize_html(stripped.text, allow_iframes=config.allow_iframes).strip()
    parsed = post.build(front, body_html, word_count(html_text(body_html)), path, relative or path, config)
    return with_stripped_warning(parsed, stripped, front.body_line)
