"""Property tests (hypothesis): no input crashes the loader, and slugs are always safe.

For any bytes, `parse_source` returns an article or raises SourceError, nothing else; an article it
returns has a safe slug, a clean title and bounded, serializable `extra` data.
"""

from __future__ import annotations

import json
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsarchive.config import Config
from newsarchive.errors import SourceError
from newsarchive.formats.fields import UNFIT_CHARACTERS, Parsed
from newsarchive.formats.post import READ_KEYS
from newsarchive.load import parse_source
from newsarchive.urls import SLUG_MAX_LENGTH, article_url, is_safe_slug, output_path, slugify, tag_url
from newsarchive.write import safe_relative_path

CONFIG = Config()
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that reaches the interesting paths: real dates, near misses, markup, controls, any script.
dates = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["2022-02-30", "2022-13-01", "0000-01-01", "9999-12-31", "22-1-1", "2022-1-01", "", "date"]),
    st.text(max_size=12),
)
words = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["../../x", "/etc/passwd", "a\0b", "<script>alert(1)</script>", "\u202e", "\ud800", "   ", "\ufeff", "—", "北京"]),
)
lines = st.one_of(
    st.builds(lambda lead, day, head: f"{lead}date {day} {head}", st.sampled_from(["", " ", "\t", "  "]), dates, words),
    words,
    st.just(""),
)
newlines = st.sampled_from(["\n", "\r\n", "\r"])
text_files = st.builds(lambda ls, nl: nl.join(ls), st.lists(lines, max_size=8), newlines)

yaml_values = st.one_of(
    st.sampled_from([
        "2022-12-12", "2022-02-30", "2022-12-12T23:30:00-05:00", "2022-01-01 25:00:00", "[a, b]", "{a: 1}",
        "!!python/object/apply:os.system [echo]", "!!binary aGk=", "!!set {a}", "!!omap [a: 1]", ".nan", ".inf",
        "&a [*a]", "*missing", "&x [1, 2]", "*x", "'   '", '"\\0\\x1b\\ud800"', "yes", "~", "[[[[", "9" * 5000,
        "|\n  block\n  text", "-1e400", "0x1F", "!custom 1", "[2022-12-12]",
    ]),
    words.map(json.dumps),
    st.integers().map(str),
)
keys = st.one_of(st.sampled_from([*sorted(READ_KEYS), "photo"]), st.text(alphabet=string.ascii_letters + "_<>&\"'", min_size=1, max_size=8))
lines_of_yaml = st.builds(lambda k, v, indent: f"{indent}{k}: {v}", keys, yaml_values, st.sampled_from(["", "", "", "  ", "\t"]))
date_values = st.one_of(st.sampled_from(["2022-12-12", "2022-02-30", "2022-12-12T23:30:00-05:00", "2022-01-01 25:00:00", "'2022-12-12'", "'12/12/2022'", "[2022-12-12]", "2022"]), yaml_values)
# Most documents carry a title and a date, so most reach the article checks.
front_matter = st.builds(
    lambda title, date, rest, order: ([f"title: {title}", f"date: {date}"] + rest)[:: 1 if order else -1],
    yaml_values,
    date_values,
    st.lists(lines_of_yaml, max_size=6),
    st.booleans(),
)
markdown_files = st.builds(
    lambda fm, close, body: "---\n" + "\n".join(fm) + ("\n---\n" if close else "\n") + body,
    front_matter,
    st.integers(0, 9).map(lambda n: n > 0),
    st.lists(st.one_of(words, st.sampled_from(["<script>x</script>", "[a](javascript:x)", "> q", "- l", "<div>", "`c`"])), max_size=6).map("\n".join),
)


def _check(data: bytes, suffix: str) -> None:
    try:
        parsed, problems = parse_source(data, f"x{suffix}", suffix, CONFIG, f"x{suffix}")
    except SourceError as error:
        assert str(error).startswith(f"x{suffix}")
        return
    assert isinstance(parsed, Parsed)
    article = parsed.article
    assert is_safe_slug(article.slug)
    safe_relative_path(output_path(article_url(article)))
    assert article.title and article.title == article.title.strip()
    for text in (article.title, article.summary, article.body_html, *article.tags, article.author or "", article.source or ""):
        assert not UNFIT_CHARACTERS.search(text)
    for tag in article.tags:
        safe_relative_path(output_path(tag_url(tag)))
    serialized = json.dumps(dict(article.extra), default=str)
    assert len(serialized) < len(data) * 10 + 1000  # no alias bomb expanded into the output
    article.body_html.encode("utf-8")  # no lone surrogate reaches a page


@SETTINGS
@given(st.binary(max_size=400), st.sampled_from([".txt", ".md", ".mdx", ".html"]))
def test_any_bytes_give_an_article_or_a_source_error(data: bytes, suffix: str) -> None:
    _check(data, suffix)


@SETTINGS
@given(text_files, st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
def test_any_text_file_gives_an_article_or_a_source_error(text: str, encoding: str) -> None:
    _check(text.encode(encoding, errors="surrogatepass" if encoding.startswith("utf-8") else "replace"), ".txt")


@SETTINGS
@given(markdown_files)
def test_any_front_matter_gives_an_article_or_a_source_error(text: str) -> None:
    _check(text.encode("utf-8", errors="surrogatepass"), ".md")


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_slugs_are_always_safe_path_segments(text: str) -> None:
    slug = slugify(text)
    assert is_safe_slug(slug) and len(slug) <= SLUG_MAX_LENGTH
    assert slug not in (".", "..") and "/" not in slug and "\0" not in slug
    safe_relative_path(output_path(tag_url(text)))


any_characters = st.text(st.characters(exclude_categories=()), max_size=30)  # surrogates and controls too


@SETTINGS
@given(any_characters, any_characters, st.lists(any_characters, max_size=3), any_characters)
def test_any_field_text_is_cleaned_or_rejected(title: str, slug: str, tags: list[str], extra: str) -> None:
    fields = {"title": title, "date": "2022-12-12", "slug": slug, "tags": tags, "author": title, "note": extra}
    # JSON is YAML: every character, even a lone surrogate, arrives through a \\u escape.
    _check(("---\n" + json.dumps(fields) + "\n---\nBody.\n").encode("utf-8"), ".md")
