"""Pieces every format parser shares: the parsed result, dates, tags, summaries."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from typing import Any, Mapping

from newsarchive.errors import Problem, SourceError
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

# Every date form the generators write, quoted or bare: 2021-03-04, 2021-03-04 9:05:00 +0100 (Jekyll),
# 2021-03-04 10:20 (Pelican), 2021-03-04T10:00:00.000Z (Eleventy), 2021-03-04T10:00:00+01:00 (Hugo, Zola).
_DATE_TIME = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:(?:[Tt]|\s+)(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?P<fraction>[.,]\d+)?)?"
    r"\s*(?P<zone>[Zz]|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)?"
)


def _zone(text: str | None) -> dt.tzinfo | None:
    if text is None:
        return None
    if text in ("Z", "z", "UTC", "GMT"):
        return dt.timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 23 or minutes > 59:
        raise ValueError(f"impossible time zone offset {text}")
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))


def parse_date_text(text: str) -> dt.date | dt.datetime:
    """A date or date-time in any form the supported generators write. Raises ValueError with the reason."""
    text = text.strip()
    match = _DATE_TIME.fullmatch(text)
    if match is None:
        raise ValueError("expected YYYY-MM-DD, YYYY-MM-DD HH:MM:SS ±HHMM or an ISO 8601 date-time")
    day = check_calendar_date(match["date"])
    if match["hour"] is None:
        return day
    hour, minute, second = int(match["hour"]), int(match["minute"]), int(match["second"] or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(f"impossible time {match['hour']}:{match['minute']}" + (f":{match['second']}" if match["second"] else ""))
    micro = int((match["fraction"] or ".0")[1:7].ljust(6, "0"))
    return dt.datetime(day.year, day.month, day.day, hour, minute, second, micro, tzinfo=_zone(match["zone"]))


def check_calendar_date(token: str) -> dt.date:
    """Turn 'YYYY-MM-DD' into a date, with a message a user can act on when it is wrong."""
    if not _ISO_DATE.fullmatch(token):
        raise ValueError(f"bad date {token!r}: expected YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(token)
    except ValueError:
        raise ValueError(f"impossible date {token}") from None


_SPACE = re.compile(r"\s+")

# Characters no HTML page or XML feed may carry: C0 and C1 controls other than tab and newline,
# lone surrogates (reachable only through YAML escapes such as "\ud800") and the two
# non-characters XML forbids. They are removed from every text an article holds.
UNFIT_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def strip_unfit(text: str) -> str:
    return UNFIT_CHARACTERS.sub("", text)


def collapse_space(text: str) -> str:
    return _SPACE.sub(" ", strip_unfit(text)).strip()


def shorten(text: str, limit: int = 60) -> str:
    """A value quoted in a message: never the whole of a huge one."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


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


def html_text(fragment: str) -> str:
    """The plain text of an HTML fragment, spaces collapsed."""
    return collapse_space(html.unescape(_TAG.sub(" ", fragment)))


def paragraphs_html(paragraphs: list[str]) -> str:
    """Plain-text paragraphs as HTML: escaped, nothing interpreted."""
    return "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)


def word_count(text: str) -> int:
    return len(text.split())


# --- Front matter, whatever its syntax (YAML, TOML or Pelican lines), read into one shape ----------


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """Metadata read from the top of a file, the body after it, and where things are in the file."""

    values: dict[str, Any]
    lines: dict[str, int]  # file line of each top-level key
    body: str
    body_line: int  # file line where the body starts
    syntax: str  # "YAML", "TOML", "Pelican" or "none"
    warnings: tuple[Problem, ...] = ()

    def line(self, key: str) -> int:
        return self.lines.get(key, max(1, self.body_line - 1))


class FieldError(ValueError):
    """A front matter value that cannot be used; reported at the key's line."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


def text_field(values: Mapping[str, Any], key: str) -> str | None:
    value = values.get(key)
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise FieldError(key, f"{key} must be text, not {type(value).__name__}")
    return collapse_space(value) or None


def names_field(values: Mapping[str, Any], key: str) -> tuple[str, ...]:
    """A list of names, or one text of names separated by commas (or semicolons, as Pelican allows)."""
    value = values.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        value = re.split(r"[,;]", value) if ";" in value and "," not in value else value.split(",")
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in value):
        raise FieldError(key, f"{key} must be a list of words or a comma-separated text")
    names = [collapse_space(str(v)) for v in value]
    return tuple(dict.fromkeys(n for n in names if n))


def flag_field(values: Mapping[str, Any], key: str) -> bool | None:
    value = values.get(key)
    if value is None or isinstance(value, bool):
        return value
    raise FieldError(key, f"{key} must be true or false")


Moment = tuple[dt.date, dt.datetime | None]


def moment_field(values: Mapping[str, Any], key: str, tz: dt.tzinfo) -> tuple[Moment, dt.date] | None:
    """(day and moment in the site's zone, the calendar day as written) of a date field, if present."""
    value = values.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = parse_date_text(value)
        except ValueError as error:
            raise FieldError(key, f"bad {key} {shorten(value.strip())!r}: {error}") from None
    if not isinstance(value, dt.date):
        raise FieldError(key, f"{key} must be a date such as 2022-12-12, not {type(value).__name__}")
    written = value.date() if isinstance(value, dt.datetime) else value
    return to_site_day(value, tz), written


def as_moment(moment: Moment | None, tz: dt.tzinfo) -> dt.datetime | None:
    """A date-only value as the start of that day in the site's zone."""
    if moment is None:
        return None
    day, exact = moment
    return exact or dt.datetime.combine(day, dt.time.min, tz)


def split_fenced(text: str, fence: str, path: str, syntax: str) -> tuple[str, str, int, int] | None:
    """(front matter, body, file line of the first front matter line, file line of the body) when the
    first non-blank line is `fence` (blank lines before it are fine); None when it is not."""
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or lines[first].rstrip() != fence:
        return None
    for end in range(first + 1, len(lines)):
        if lines[end].rstrip() == fence:
            return "\n".join(lines[first + 1 : end]) + "\n", "\n".join(lines[end + 1 :]), first + 2, end + 2
    raise SourceError(path, first + 1, f"{syntax} front matter is not closed by a '{fence}' line")


def duplicate_warning(path: str, key: str, line: int, first_line: int) -> Problem:
    return Problem(path, line, f"duplicate front matter key {key!r} (first on line {first_line}); the last one is used", "warning")


def with_stripped_warning(parsed: Parsed, stripped: Any, body_line: int) -> Parsed:
    """Add the one warning a file gets when other generators' template tags were removed from it."""
    if not stripped.count:
        return parsed
    line = body_line + stripped.first_line - 1
    message = (
        f"{stripped.count} template tag(s) of another generator removed, not run; any text they wrapped"
        f" is kept (first: {stripped.first_tag!r})"
    )
    return Parsed(parsed.article, parsed.warnings + (Problem(parsed.article.source_path, line, message, "warning"),))
