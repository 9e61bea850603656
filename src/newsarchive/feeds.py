"""Atom and RSS feeds: the newest articles of the site (Atom and RSS 2.0) and of each tag (Atom). Pure.

Feeds live outside the site and are read by programs that know nothing of relative links, so every
id, link and guid is an absolute URL under base_url; without one there are no feeds (see build).
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from newsarchive import dates, urls
from newsarchive.config import Config
from newsarchive.model import Article
from newsarchive.xmldoc import child, serialize

ATOM = "http://www.w3.org/2005/Atom"
DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"
GENERATOR = "newsarchive"


@dataclass(frozen=True, slots=True)
class Feed:
    """One feed: where it lives, the HTML page it mirrors, and its articles, newest first."""

    url: str
    page_url: str
    title: str
    articles: tuple[Article, ...]


def newest_first(articles: Sequence[Article], size: int) -> tuple[Article, ...]:
    return tuple(reversed(articles[-size:]))


def site_feed(articles: Sequence[Article], config: Config, url: str) -> Feed:
    return Feed(url, urls.home_url(), config.title, newest_first(articles, config.feed_size))


def tag_feeds(groups: Sequence[tuple[str, Sequence[Article]]], config: Config) -> Iterator[Feed]:
    """One feed per tag, from archive.tag_groups (passed in: grouping slugifies every tag)."""
    for name, group in groups:
        yield Feed(urls.tag_feed_url(name), urls.tag_url(name), f"{config.title}: {name}", newest_first(group, config.feed_size))


def _updated(feed: Feed, tz: dt.tzinfo) -> dt.datetime:
    """The newest change among the feed's articles: no build time, so rebuilding changes nothing."""
    moment = dates.newest(feed.articles, tz)
    if moment is None:
        raise ValueError(f"{feed.url}: a feed needs at least one article to take its date from")
    return moment


def atom(feed: Feed, config: Config) -> bytes:
    base, tz = _base_url(config), config.tzinfo
    root = ET.Element("feed", {"xmlns": ATOM, "xml:lang": config.language})
    child(root, "id", urls.absolute(feed.url, base))
    child(root, "title", feed.title)
    if config.description:
        child(root, "subtitle", config.description)
    child(root, "link", rel="self", type="application/atom+xml", href=urls.absolute(feed.url, base))
    child(root, "link", rel="alternate", type="text/html", href=urls.absolute(feed.page_url, base))
    child(root, "updated", dates.rfc3339(_updated(feed, tz)))
    # Atom needs an author for the feed unless every entry names one.
    child(child(root, "author"), "name", config.author or config.title)
    child(root, "generator", GENERATOR)
    for article in feed.articles:
        link = urls.absolute(urls.article_url(article), base)
        entry = child(root, "entry")
        child(entry, "id", link)
        child(entry, "title", article.title, type="text")
        child(entry, "link", rel="alternate", type="text/html", href=link)
        child(entry, "published", dates.rfc3339(dates.published(article, tz)))
        child(entry, "updated", dates.rfc3339(dates.modified(article, tz)))
        if article.author:
            child(child(entry, "author"), "name", article.author)
        for tag in article.tags:
            child(entry, "category", term=tag, scheme=urls.absolute(urls.tags_url(), base))
        if article.summary:
            child(entry, "summary", article.summary, type="text")
        if config.feed_content == "full":
            # xml:base makes any relative link or image in the body resolve against the article.
            child(entry, "content", str(article.body_html), type="html", **{"xml:base": link})
    return serialize(root)


def rss(feed: Feed, config: Config) -> bytes:
    base, tz = _base_url(config), config.tzinfo
    root = ET.Element("rss", {"version": "2.0", "xmlns:atom": ATOM, "xmlns:dc": DUBLIN_CORE})
    channel = child(root, "channel")
    child(channel, "title", feed.title)
    child(channel, "link", urls.absolute(feed.page_url, base))
    child(channel, "description", config.description or config.title)
    child(channel, "language", config.language)
    child(channel, "lastBuildDate", dates.rfc822(_updated(feed, tz)))
    child(channel, "generator", GENERATOR)
    child(channel, "atom:link", rel="self", type="application/rss+xml", href=urls.absolute(feed.url, base))
    for article in feed.articles:
        link = urls.absolute(urls.article_url(article), base)
        item = child(channel, "item")
        child(item, "title", article.title)
        child(item, "link", link)
        child(item, "guid", link, isPermaLink="true")
        child(item, "pubDate", dates.rfc822(dates.published(article, tz)))
        if article.author:
            child(item, "dc:creator", article.author)
        for tag in article.tags:
            child(item, "category", tag)
        description = str(article.body_html) if config.feed_content == "full" else article.summary
        if description:
            child(item, "description", description)
    return serialize(root)


def _base_url(config: Config) -> str:
    if config.base_url is None:
        raise ValueError("feeds need base_url: ids, links and guids must be absolute URLs")
    return config.base_url


def feed_files(articles: Sequence[Article], groups: Sequence[tuple[str, Sequence[Article]]], config: Config) -> Iterator[tuple[str, bytes]]:
    """(URL, bytes) of every feed: /feed.xml, /rss.xml and /tags/NAME/feed.xml for each tag group."""
    yield urls.feed_url(), atom(site_feed(articles, config, urls.feed_url()), config)
    yield urls.rss_url(), rss(site_feed(articles, config, urls.rss_url()), config)
    for feed in tag_feeds(groups, config):
        yield feed.url, atom(feed, config)
