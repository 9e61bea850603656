"""What a page tells machines about itself: feed links, canonical URL, Open Graph, Twitter card,
and schema.org NewsArticle data for article pages. Pure records; templates write the tags.

Values here are plain text: the template escapes them for their attribute, and the JSON-LD is
written with Jinja's `tojson`, which escapes `<`, `>`, `&` and `'` so no headline can close the
`<script>` element it sits in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from newsarchive import dates, urls
from newsarchive.config import Config
from newsarchive.model import Article, ArticlePage, ListPage, NotFoundPage, Page

ATOM_TYPE = "application/atom+xml"
RSS_TYPE = "application/rss+xml"


@dataclass(frozen=True, slots=True)
class FeedLink:
    url: str  # root-relative; templates make it relative with |href
    type: str
    title: str


@dataclass(frozen=True, slots=True)
class PageMeta:
    canonical: str | None  # absolute; None without base_url
    properties: tuple[tuple[str, str], ...]  # Open Graph: <meta property=... content=...>
    names: tuple[tuple[str, str], ...]  # Twitter card: <meta name=... content=...>
    json_ld: dict[str, Any] | None  # schema.org data, article pages only


def feed_links(page: Page, config: Config) -> tuple[FeedLink, ...]:
    """The feeds every page announces, plus the tag's own feed on a tag page.
    None without base_url: there are no feeds to point to then."""
    if config.base_url is None:
        return ()
    links = [FeedLink(urls.feed_url(), ATOM_TYPE, f"{config.title} (Atom)"), FeedLink(urls.rss_url(), RSS_TYPE, f"{config.title} (RSS)")]
    if isinstance(page, ListPage) and page.tag is not None:
        links.append(FeedLink(urls.tag_feed_url(page.tag), ATOM_TYPE, f"{config.title}: {page.tag} (Atom)"))
    return tuple(links)


def _absolute(url: str, config: Config) -> str | None:
    return urls.absolute(url, config.base_url) if config.base_url else None


def page_meta(page: Page, config: Config) -> PageMeta:
    if isinstance(page, NotFoundPage):
        return PageMeta(None, (), (), None)  # served at any missing address: it has no URL of its own
    canonical = _absolute(page.url, config)
    article = page.article if isinstance(page, ArticlePage) else None
    title = article.title if article else page.title
    description = (article.summary if article else "") or config.description
    properties = [("og:type", "article" if article else "website"), ("og:title", title), ("og:site_name", config.title)]
    if canonical:
        properties.append(("og:url", canonical))
    if description:
        properties.append(("og:description", description))
    if article:
        tz = config.tzinfo
        properties.append(("article:published_time", dates.rfc3339(dates.published(article, tz))))
        if article.updated:
            properties.append(("article:modified_time", dates.rfc3339(dates.modified(article, tz))))
        properties += [("article:tag", tag) for tag in article.tags]
    names = [("twitter:card", "summary"), ("twitter:title", title)]
    if description:
        names.append(("twitter:description", description))
    return PageMeta(canonical, tuple(properties), tuple(names), news_article(article, config, canonical) if article else None)


def news_article(article: Article, config: Config, canonical: str | None) -> dict[str, Any]:
    """schema.org NewsArticle: what is known, and nothing made up (no author, no dateModified
    unless the article says so). mainEntityOfPage and url need an absolute address (base_url)."""
    tz = config.tzinfo
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": dates.rfc3339(dates.published(article, tz)),
    }
    if article.updated:
        data["dateModified"] = dates.rfc3339(dates.modified(article, tz))
    if article.summary:
        data["description"] = article.summary
    if article.author:
        # The site-wide default author (site.yaml `author`) is the publishing organisation.
        kind = "Organization" if article.author == config.author else "Person"
        data["author"] = {"@type": kind, "name": article.author}
    if config.author:
        data["publisher"] = {"@type": "Organization", "name": config.author}
    if canonical:
        data["mainEntityOfPage"] = {"@type": "WebPage", "@id": canonical}
        data["url"] = canonical
    if article.tags:
        data["keywords"] = list(article.tags)
    data["inLanguage"] = config.language
    data["wordCount"] = article.word_count
    return data
