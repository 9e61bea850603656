"""sitemap.xml (split under a sitemap index past 50,000 URLs), the Google News sitemap, robots.txt. Pure.

Sitemaps must hold absolute URLs, so they are made only with a base_url (see build). Every lastmod
is the newest change among the articles a page shows: the same archive gives the same sitemap.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from newsarchive import dates, urls
from newsarchive.config import Config
from newsarchive.model import (
    ArchivePage,
    Article,
    ArticlePage,
    DayPage,
    ListPage,
    MonthPage,
    NotFoundPage,
    OnThisDayIndexPage,
    OnThisDayPage,
    Page,
    SourceIndexPage,
    SearchPage,
    TagIndexPage,
    YearPage,
)
from newsarchive.xmldoc import child, serialize

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS = "http://www.google.com/schemas/sitemap-news/0.9"
MAX_URLS = 50_000  # sitemaps.org: at most 50,000 URLs in one sitemap file
MAX_NEWS_URLS = 1_000  # Google News: at most 1,000 articles in one news sitemap
NEWS_DAYS = 2  # Google News only reads articles of the last two days

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Entry:
    """One URL of a sitemap (root-relative) and when it last changed, if any article says so."""

    url: str
    lastmod: dt.datetime | None


def page_entries(pages: Iterable[Page], articles: Sequence[Article], tz: dt.tzinfo) -> list[Entry]:
    """Every page a search engine should index (all but 404 and search), in the build's fixed order."""
    by_year: dict[int, list[Article]] = {}
    for article in articles:
        by_year.setdefault(article.date.year, []).append(article)
    everything = dates.newest(articles, tz)
    tagged = dates.newest((a for a in articles if a.tags), tz)
    sourced = dates.newest((a for a in articles if a.source), tz) or everything  # the index exists even when empty

    def lastmod(page: Page) -> dt.datetime | None:
        match page:
            case ArticlePage():
                return dates.modified(page.article, tz)
            case ListPage() | DayPage() | MonthPage():
                return dates.newest(page.articles, tz)
            case YearPage():
                return dates.newest(by_year.get(page.year, ()), tz)
            case ArchivePage() | OnThisDayIndexPage():
                return everything
            case TagIndexPage():
                return tagged
            case SourceIndexPage():
                return sourced
            case OnThisDayPage():
                return dates.newest((a for group in page.years for a in group.articles), tz)
        return None  # a page kind that does not list articles: lastmod is optional

    return [Entry(page.url, lastmod(page)) for page in pages if not isinstance(page, NotFoundPage | SearchPage)]


def split(items: Sequence[T], limit: int) -> list[Sequence[T]]:
    """`items` in runs of at most `limit`, in order; never an empty run, and none for no items."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    return [items[start : start + limit] for start in range(0, len(items), limit)]


def _urlset(entries: Sequence[Entry], base_url: str) -> bytes:
    root = ET.Element("urlset", xmlns=SITEMAP)
    for entry in entries:
        url = child(root, "url")
        child(url, "loc", urls.absolute(entry.url, base_url))
        if entry.lastmod is not None:
            child(url, "lastmod", dates.rfc3339(entry.lastmod))
    return serialize(root)


def _index(parts: Sequence[tuple[str, dt.datetime | None]], base_url: str) -> bytes:
    root = ET.Element("sitemapindex", xmlns=SITEMAP)
    for url, lastmod in parts:
        sitemap = child(root, "sitemap")
        child(sitemap, "loc", urls.absolute(url, base_url))
        if lastmod is not None:
            child(sitemap, "lastmod", dates.rfc3339(lastmod))
    return serialize(root)


def split_files(
    items: Sequence[T],
    limit: int,
    url: Callable[[int | None], str],
    render: Callable[[Sequence[T]], bytes],
    lastmod: Callable[[Sequence[T]], dt.datetime | None],
    base_url: str,
) -> list[tuple[str, bytes]]:
    """One file at url(None) when `items` fit in `limit`; otherwise parts url(1), url(2), ...
    and a sitemap index at url(None) listing them, so the address to submit never changes."""
    parts = split(items, limit)
    if len(parts) <= 1:
        return [(url(None), render(items))]
    files = [(url(number), render(part)) for number, part in enumerate(parts, 1)]
    index = _index([(url(number), lastmod(part)) for number, part in enumerate(parts, 1)], base_url)
    return [*files, (url(None), index)]


def sitemap_files(entries: Sequence[Entry], base_url: str, limit: int = MAX_URLS) -> list[tuple[str, bytes]]:
    def newest(part: Sequence[Entry]) -> dt.datetime | None:
        return max((e.lastmod for e in part if e.lastmod is not None), default=None)

    return split_files(entries, limit, urls.sitemap_url, lambda part: _urlset(part, base_url), newest, base_url)


def recent_articles(articles: Sequence[Article], days: int = NEWS_DAYS) -> list[Article]:
    """The articles of the archive's last `days` calendar days (the newest article's day and the
    day before it, for two), newest first. The archive's own end, not the clock, so it is stable."""
    if not articles:
        return []
    first_day = articles[-1].date - dt.timedelta(days=days - 1)
    return [article for article in reversed(articles) if article.date >= first_day]


def news_language(language: str) -> str:
    """Google News wants an ISO 639 code ('en', 'az'), except 'zh-cn' and 'zh-tw' for Chinese."""
    subtags = language.lower().split("-")
    if subtags[0] != "zh":
        return subtags[0]
    return "zh-tw" if any(s in ("hant", "tw", "hk", "mo") for s in subtags[1:]) else "zh-cn"


def _news_urlset(articles: Sequence[Article], config: Config, base_url: str) -> bytes:
    root = ET.Element("urlset", {"xmlns": SITEMAP, "xmlns:news": NEWS})
    for article in articles:
        url = child(root, "url")
        child(url, "loc", urls.absolute(urls.article_url(article), base_url))
        news = child(url, "news:news")
        publication = child(news, "news:publication")
        child(publication, "news:name", config.title)
        child(publication, "news:language", news_language(config.language))
        child(news, "news:publication_date", dates.rfc3339(dates.published(article, config.tzinfo)))
        child(news, "news:title", article.title)
    return serialize(root)


def news_sitemap_files(articles: Sequence[Article], config: Config, base_url: str, limit: int = MAX_NEWS_URLS) -> list[tuple[str, bytes]]:
    recent = recent_articles(articles)
    return split_files(
        recent,
        limit,
        urls.news_sitemap_url,
        lambda part: _news_urlset(part, config, base_url),
        lambda part: dates.newest(part, config.tzinfo),
        base_url,
    )


def robots_txt(sitemaps: Sequence[str]) -> bytes:
    """Allow every crawler everywhere and name the sitemaps (absolute URLs; none without base_url)."""
    lines = ["User-agent: *", "Allow: /", ""]
    lines += [f"Sitemap: {url}" for url in sitemaps]
    return ("\n".join(lines).rstrip("\n") + "\n").encode("utf-8")
