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


# The sitemap files' URLs and the phrase that names them in the summary: what a build keeps of
# them, to take them from the live site as they are when the next build's pages and dates are the same.
KeptSitemaps = tuple[tuple[str, ...], str]


@dataclass(frozen=True, slots=True)
class Extras:
    files: tuple[tuple[str, bytes | None], ...]  # (root-relative URL, bytes; None: the live site's file, unchanged)
    made: tuple[str, ...]  # one phrase per family, for the summary
    left_out: tuple[str, ...]  # what could not be made, and why
    sitemaps: KeptSitemaps = ((), "")


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def extra_files(pages: Callable[[], Iterable[Page]], articles: Sequence[Article], config: Config,
                fragments: export.Fragments | None = None, kept_sitemaps: KeptSitemaps | None = None) -> Extras:  # fmt: skip
    """The whole-site files; `pages` gives every page, in order, if the sitemaps need them.
    `fragments`: the export's, kept by the build cache (see export.export_files). `kept_sitemaps`:
    the live site's sitemap files, still right (the caller knows the pages and their dates are
    the same): listed without bytes, and neither the pages nor the sitemaps are made."""
    files: list[tuple[str, bytes | None]] = []
    made: list[str] = []
    left_out: list[str] = []
    base_url = config.base_url
    named: list[str] = []  # the sitemaps robots.txt names
    if base_url:
        groups = archive.tag_groups(articles)
        files += feeds.feed_files(articles, groups, config)
        made.append(f"feed.xml, rss.xml and {_count(len(groups), 'tag feed')} ({config.feed_content}, newest {config.feed_size:,})")
        if kept_sitemaps is None:
            site_files, kept_sitemaps = _sitemaps(pages, articles, config, base_url)
            files += site_files
        else:
            files += [(url, None) for url in kept_sitemaps[0]]
        made.append(kept_sitemaps[1])
        files += sitemap.news_sitemap_files(articles, config, base_url, sitemap.MAX_NEWS_URLS)
        made.append(f"sitemap-news.xml ({_count(len(sitemap.recent_articles(articles)), 'article')} of the last {sitemap.NEWS_DAYS} days)")
        named = [urls.absolute(urls.sitemap_url(), base_url), urls.absolute(urls.news_sitemap_url(), base_url)]
    else:
        left_out.append(NO_BASE_URL)
    files.append((urls.robots_url(), sitemap.robots_txt(named)))
    made.append("robots.txt")
    exported = list(export.export_files(articles, config, fragments))
    files += exported
    made.append(f"articles.json ({_count(len(articles), 'article')}" + (f", split into {len(exported) - 1:,} years)" if len(exported) > 1 else ")"))
    return Extras(tuple(files), tuple(made), tuple(left_out), kept_sitemaps or ((), ""))


def _sitemaps(pages: Callable[[], Iterable[Page]], articles: Sequence[Article], config: Config,
              base_url: str) -> tuple[list[tuple[str, bytes]], KeptSitemaps]:  # fmt: skip
    """The sitemap files (sitemap.xml, or its parts and their index), and what a build keeps of them."""
    entries = sitemap.page_entries(pages(), articles, config.tzinfo)
    site_files = sitemap.sitemap_files(entries, base_url, sitemap.MAX_URLS)
    parts = f" in {len(site_files) - 1:,} parts" if len(site_files) > 1 else ""
    return site_files, (tuple(url for url, _ in site_files), f"sitemap.xml ({_count(len(entries), 'URL')}{parts})")
