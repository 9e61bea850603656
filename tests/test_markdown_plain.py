"""Markdown that is only paragraphs is converted without Python-Markdown (formats/markdown.py,
plain_paragraphs): the result must be exactly Python-Markdown's, for any text it accepts."""

from __future__ import annotations

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st

from newsarchive.formats.markdown import EXTENSIONS, plain_paragraphs, render_markdown

# Pieces of text that are Markdown syntax, near misses of it, or harmless: what the fast path must
# either convert exactly as Python-Markdown does or leave to it.
PIECES = st.sampled_from([
    "word", "Wörter", "слово", "词", "2014", "1.", "1)", "12.", "a.", "-", "- ", "--", "---", "+", "+ ", "=", "==",
    "#", "# ", "##", "*", "**", "_", "__", "`", "```", "~~~", "~", ">", "<", "<b>", "</p>", "&", "&amp;", "&#169;",
    "[", "]", "[x]", "[^1]", "[a]: http://x", "(", ")", "!", "![", ":", "|", "| a |", "\\", "\\*", '"', "'", ".", ",",
    "?", "%", "/", "http://example.com", "<http://x>", " ", "  ", "\t", "\u00a0", "\u2003", "\u2028", "\x0b", "\x0c",
    "\x85", "\r", "\n", "\n\n", "\n\n\n", "\n ", " \n", "  \n", "\n    ", "\n\t",
])  # fmt: skip
TEXTS = st.lists(PIECES, max_size=30).map("".join)
PLAIN_PIECES = st.sampled_from(["word", "Wörter", "слово", "词", " ", ".", ",", "a 2014", '"quoted"', "it's", "well-known", "\n", "\n\n", "\n\n\n"])


def _python_markdown(text: str) -> str:
    return markdown.Markdown(extensions=EXTENSIONS, output_format="html").convert(text)


@settings(max_examples=3000, deadline=None)
@given(TEXTS)
def test_plain_paragraphs_are_what_python_markdown_makes(text: str) -> None:
    made = plain_paragraphs(text)
    if made is not None:
        assert made == _python_markdown(text)


@settings(max_examples=500, deadline=None)
@given(st.lists(PLAIN_PIECES, max_size=40).map("".join))
def test_text_without_syntax_takes_the_fast_path(text: str) -> None:
    """Words, spaces inside lines, punctuation with no Markdown meaning and blank lines: accepted."""
    lines = [line.strip(" ") for line in text.split("\n")]
    text = "\n".join(lines)
    made = plain_paragraphs(text)
    if text.strip():
        assert made is not None
        assert made == _python_markdown(text)
    else:
        assert made is None


def test_a_news_article_takes_the_fast_path() -> None:
    article = 'The minister said "no".\nIt was 2014, a well-known year.\n\n\nSecond paragraph: 40% more.\n'
    assert plain_paragraphs(article) == '<p>The minister said "no".\nIt was 2014, a well-known year.</p>\n<p>Second paragraph: 40% more.</p>'
    assert render_markdown(article) == _python_markdown(article)


def test_syntax_goes_to_python_markdown() -> None:
    for text in ["*a*", "a  \nb", "1. a", "# a", "a\n===", "- a", "    code", "a & b", "[a](b)", "| a |\n|---|", "\u00a0a", "a\u00a0"]:
        assert plain_paragraphs(text) is None, text
