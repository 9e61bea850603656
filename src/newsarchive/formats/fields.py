"""Pieces every format parser shares: the parsed result, dates, tags, summaries."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass

from newsarchive.errors import Problem
from newsarchive.model import Article

SUMMARY_LENGTH = 300


@dataclass(frozen=True, slots=True)
class Parsed:
    article: Article
    warnings: tuple[Problem, ...] = ()


def to_site_day(value: dt.date | dt.datetime, tz: dt.tzinfo) -> tuple[dt.date, dt.datetime | None]:
    """The calendar day (in the site's zone) that a date or datetime falls on, and the moment if known.

    A naive datetime is read as site-local time; an aware one is converted first, so
    `2022-12-12T23:30:00-05:00` is filed on 13 December in UTC.
    """
    if isinstance(value, dt.datetime):
        local = value.replace(tzinfo=tz) if value.tzinfo is None else value.astimezone(tz)
        return local.date(), local
    return value, None


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date_text(text: str) -> dt.date | dt.datetime:
    """YYYY-MM-DD or an ISO 8601 date-time (with Z, fractions, or an offset). Raises ValueError."""
    text = text.strip()
    if _ISO_DATE.fullmatch(text):
        return dt.date.fromisoformat(text)
    return dt.datetime.fromisoformat(text)


def check_calendar_date(token: str) -> dt.date:
    """Turn 'YYYY-MM-DD' into a date, with a message a user can act on when it is wrong."""
    if not _ISO_DATE.fullmatch(token):
        raise ValueError(f"bad date {token!r}: expected YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(token)
    except ValueError:
        raise ValueError(f"impossible date {token}") from None


_SPACE = re.compile(r"\s+")


def collapse_space(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def summarize(text: str, limit: int = SUMMARY_LENGTH) -> str:
    """Plain text of at most `limit` characters, cut at a word boundary."""
    text = collapse_space(text)
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0].rstrip(" ,;:.-–—")
    return cut + "…"


_TAG = re.compile(r"<[^>]*>")
_FOOTNOTE_REF = re.compile(r"<sup[^>]*>.*?</sup>", re.S)
_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)


def first_paragraph_text(body_html: str) -> str:
    """The plain text of the first <p> of safe HTML, for summaries."""
    match = _FIRST_PARAGRAPH.search(body_html)
    if match is None:
        return ""
    return html.unescape(_TAG.sub("", _FOOTNOTE_REF.sub("", match.group(1))))


def paragraphs_html(paragraphs: list[str]) -> str:
    """Plain-text paragraphs as HTML: escaped, nothing interpreted."""
    return "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)


def word_count(text: str) -> int:
    return len(text.split())
