"""Every file beside the HTML pages: feeds, sitemaps, robots.txt and the JSON export.

Says what it made and what it left out, and why, for the build's summary.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from newsarchive import archive, export, feeds, sitemap, urls
from newsarchive.config import Config
from newsarchive.model import Article, Page

NO_BASE_URL = (
    "feeds (feed.xml, rss.xml, tag feeds), sitemap.xml, sitemap-news.xml, the Sitemap lines of robots.txt, "
    "canonical links and og:url: they need absolute URLs and no base_url is set "
    "(set base_url in site.yaml or pass --base-url)"
)


@dataclass(frozen=True, slots=True)
class Extras:
    files: tuple[tuple[str, bytes], ...]  # (root-relative URL, bytes)
    made: tuple[str, ...]  # one phrase per family, for the summary
    left_out: tuple[str, ...]  # what could not be made, and why


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def extra_files(pages: Callable[[], Iterable[Page]], articles: Sequence[Article], config: Config,
                fragments: export.Fragments | None = None) -> Extras:  # fmt: skip
    """The whole-site files; `pages` gives every page, in order, if the sitemaps need them.
    `fragments`: the export's, kept by the build cache (see export.export_files)."""
    files: list[tuple[str, bytes]] = []
    made: list[str] = []
    left_out: list[str] = []
    base_url = config.base_url
    sitemaps: list[str] = []
    if base_url:
        groups = archive.tag_groups(articles)
        files += feeds.feed_files(articles, groups, config)
        made.append(f"feed.xml, rss.xml and {_count(len(groups), 'tag feed')} ({config.feed_content}, newest {config.feed_size:,})")
        entries = sitemap.page_entries(pages(), articles, config.tzinfo)
        site_files = sitemap.sitemap_files(entries, base_url, sitemap.MAX_URLS)
        files += site_files
        parts = f" in {len(site_files) - 1:,} parts" if len(site_files) > 1 else ""
        made.append(f"sitemap.xml ({_count(len(entries), 'URL')}{parts})")
        files += sitemap.news_sitemap_files(articles, config, base_url, sitemap.MAX_NEWS_URLS)
        made.append(f"sitemap-news.xml ({_count(len(sitemap.recent_articles(articles)), 'article')} of the last {sitemap.NEWS_DAYS} days)")
        sitemaps = [urls.absolute(urls.sitemap_url(), base_url), urls.absolute(urls.news_sitemap_url(), base_url)]
    else:
        left_out.append(NO_BASE_URL)
    files.append((urls.robots_url(), sitemap.robots_txt(sitemaps)))
    made.append("robots.txt")
    exported = list(export.export_files(articles, config, fragments))
    files += exported
    made.append(f"articles.json ({_count(len(articles), 'article')}" + (f", split into {len(exported) - 1:,} years)" if len(exported) > 1 else ")"))
    return Extras(tuple(files), tuple(made), tuple(left_out))
