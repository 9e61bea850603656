"""An article's moments in the site's time zone, and the date formats feeds and sitemaps need.

Every machine-readable date comes from the articles themselves, never from the clock, so the same
archive always gives the same feeds and sitemaps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from newsarchive.model import Article


def published(article: Article, tz: dt.tzinfo) -> dt.datetime:
    """When the article appeared: its exact time if known, else the start of its day in the site's zone."""
    return article.published or dt.datetime.combine(article.date, dt.time.min, tz)


def modified(article: Article, tz: dt.tzinfo) -> dt.datetime:
    """When the article last changed: `updated` if given and not before publication, else publication."""
    first = published(article, tz)
    return max(first, article.updated) if article.updated else first


def newest(articles: Iterable[Article], tz: dt.tzinfo) -> dt.datetime | None:
    """The latest change among `articles` (None for none): a page's or a feed's last update."""
    return max((modified(article, tz) for article in articles), default=None)


def rfc3339(moment: dt.datetime) -> str:
    """'2022-12-12T00:00:00+04:00' (Atom, sitemaps, JSON): whole seconds, always with an offset."""
    return moment.isoformat(timespec="seconds")


def rfc822(moment: dt.datetime) -> str:
    """'Mon, 12 Dec 2022 00:00:00 +0400' (RSS 2.0), with English names whatever the locale."""
    import email.utils  # here: only RSS needs it, and with its own imports it costs a build without feeds 10 ms

    return email.utils.format_datetime(moment.replace(microsecond=0))
