"""The only place that turns content into URLs and output paths.

Every URL here is root-relative and ends in '/' for a page ('/2022/12/12/slug/') or names a
file ('/404.html', '/style.css'). Templates turn them into relative links with `relative`,
so dist/ works at a domain root and under any sub-path.
"""

from __future__ import annotations

import datetime as dt
import functools
import posixpath
import re
from collections.abc import Callable
from urllib.parse import unquote

from slugify import slugify as _slugify

from newsarchive.model import Article

SLUG_MAX_LENGTH = 80
_SAFE_SEGMENT = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def slugify(text: str, fallback: str = "article") -> str:
    """A readable ASCII path segment from text in any script ('Azərbaycan' -> 'azerbaycan').

    The result only ever holds [a-z0-9-], so it can never climb out of its folder.
    """
    slug = _slugify(text, backend="anyascii")
    if len(slug) > SLUG_MAX_LENGTH:
        # Cut at the last word that fits; python-slugify's word_boundary skips long words instead.
        slug = slug[: SLUG_MAX_LENGTH + 1].rsplit("-", 1)[0] if "-" in slug[:SLUG_MAX_LENGTH] else slug[:SLUG_MAX_LENGTH]
    return slug if _SAFE_SEGMENT.fullmatch(slug) else fallback


def is_safe_slug(slug: str) -> bool:
    return bool(_SAFE_SEGMENT.fullmatch(slug)) and len(slug) <= SLUG_MAX_LENGTH + 8


def home_url(number: int = 1) -> str:
    return "/" if number == 1 else f"/page/{number}/"


def year_url(year: int) -> str:
    return f"/{year:04d}/"


def month_url(year: int, month: int) -> str:
    return f"/{year:04d}/{month:02d}/"


def day_url(day: dt.date) -> str:
    return f"/{day.year:04d}/{day.month:02d}/{day.day:02d}/"


def article_url(article: Article) -> str:
    return f"{day_url(article.date)}{article.slug}/"


def archive_url() -> str:
    return "/archive/"


def tags_url() -> str:
    return "/tags/"


def tag_url(tag: str, number: int = 1) -> str:
    base = f"/tags/{slugify(tag, fallback='tag')}/"
    return base if number == 1 else f"{base}page/{number}/"


def sources_url() -> str:
    return "/sources/"


def source_url(source: str, number: int = 1) -> str:
    base = f"/sources/{slugify(source, fallback='source')}/"
    return base if number == 1 else f"{base}page/{number}/"


def on_this_day_index_url() -> str:
    return "/on-this-day/"


def on_this_day_url(month: int, day: int) -> str:
    """One calendar day across all years: '/on-this-day/12-31/' (29 February has its own page)."""
    return f"/on-this-day/{month:02d}-{day:02d}/"


def search_url() -> str:
    return "/search/"


# Pagefind writes its search bundle (index, scripts, styles) into this folder of the site.
SEARCH_BUNDLE_FOLDER = "pagefind"


def search_bundle_url(name: str) -> str:
    return f"/{SEARCH_BUNDLE_FOLDER}/{name}"


def not_found_url() -> str:
    return "/404.html"


def feed_url() -> str:
    return "/feed.xml"


def rss_url() -> str:
    return "/rss.xml"


def tag_feed_url(tag: str) -> str:
    return tag_url(tag) + "feed.xml"


def sitemap_url(part: int | None = None) -> str:
    """The sitemap (or, once split, the sitemap index) and its numbered parts."""
    return "/sitemap.xml" if part is None else f"/sitemap-{part}.xml"


def news_sitemap_url(part: int | None = None) -> str:
    return "/sitemap-news.xml" if part is None else f"/sitemap-news-{part}.xml"


def robots_url() -> str:
    return "/robots.txt"


def export_url(year: int | None = None) -> str:
    """The JSON export (or, once split, its index) and one year's part."""
    return "/articles.json" if year is None else f"/articles/{year:04d}.json"


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_PAGE_ENDINGS = (".html", ".htm")


def redirect_source(path: str) -> str:
    """An old address another generator published ('/2010/01/old.html', '/posts/x/', '/posts/x')
    as a root-relative URL of a file inside the site. Raises ValueError when it cannot be one.

    Percent-escapes are decoded first (a static host decodes them too), so '%2e%2e' is '..' and refused.
    A path without an ending is a folder: '/posts/x' is served by '/posts/x/index.html'.
    """
    if _SCHEME.match(path) or path.startswith("//"):
        raise ValueError("must be a path on this site such as /old/post/, not a full URL")
    if "?" in path or "#" in path:
        raise ValueError("cannot hold '?' or '#': a static host serves neither a query nor a fragment")
    if not path.startswith("/"):
        raise ValueError("must start with '/' (the full old path from the site root)")
    decoded = unquote(path)
    segments = decoded.strip("/").split("/")
    if segments == [""]:
        raise ValueError("cannot be the home page")
    for segment in segments:
        if segment in ("", ".", "..") or segment.startswith(".") or any(c in segment for c in "\\\0") or not segment.isprintable():
            raise ValueError("is not a safe path inside the site")
    last = segments[-1]
    if decoded.endswith("/") or "." not in last:
        return "/" + "/".join(segments) + "/"
    if not last.lower().endswith(_PAGE_ENDINGS):
        raise ValueError(f"ends in {last[last.rindex('.'):]!r}: only a folder or an .html page can redirect on a static host")
    return "/" + "/".join(segments)


def output_path(url: str) -> str:
    """The file, relative to the output folder, that serves `url`."""
    path = url.lstrip("/")
    return path + "index.html" if url.endswith("/") else path


def relative(target: str, current: str) -> str:
    """A link from the page at `current` to `target`, both root-relative URLs."""
    return links_from(current)(target)


def links_from(current: str) -> Callable[[str], str]:
    """`relative` for the many links of one page: `links_from(page.url)(target)`.

    Rendering calls this for every link of every page, so the clean URLs this module makes (no
    empty, '.' or '..' segments) take a short path instead of `posixpath.relpath`, which
    normalizes both paths on each call; each target's link is made once per page. Anything else
    goes through `_relative_general`; tests/test_urls.py checks that both give the same links.
    """
    if "/." in current or "//" in current or not current.startswith("/"):
        return functools.partial(_relative_general, current=current)
    # The folders from the page's own up to the root, with how many '..' reach each one:
    # '/a/b/' and '/a/b/x.html' -> ('/a/b/', 0), ('/a/', 1), ('/', 2).
    parts = current.split("/")[:-1]
    folders = [("/".join(parts[:n]) + "/", len(parts) - n) for n in range(len(parts), 0, -1)]
    unslashed = {folder[:-1] for folder, _ in folders}
    made: dict[str, str] = {}

    def link(target: str) -> str:
        known = made.get(target)
        if known is not None:
            return known
        if not target.startswith("/"):
            made[target] = target  # already relative, an anchor, or an absolute URL
            return target
        path, hash_mark, fragment = target.partition("#")
        # posixpath.relpath('/a', '/a/') is '.': a target naming one of the page's folders
        # without its slash is left to it, as are '.', '..' and empty segments.
        if "/." in target or "//" in target or path in unslashed:
            made[target] = _relative_general(target, current)
            return made[target]
        for folder, ups in folders:  # the deepest folder the target is in ('/' always is)
            if path.startswith(folder):
                made[target] = ("../" * ups + path[len(folder) :] or "./") + hash_mark + fragment
                return made[target]
        raise AssertionError(target)  # unreachable: every root-relative path starts with '/'

    return link


def _relative_general(target: str, current: str) -> str:
    """`relative` for any pair of paths, through `posixpath.relpath`."""
    if not target.startswith("/"):
        return target
    path, hash_mark, fragment = target.partition("#")
    here = current if current.endswith("/") else posixpath.dirname(current) + "/"
    link = posixpath.relpath(path, here) if path != here else "."
    if path.endswith("/") and link != "." and not link.endswith("/"):
        link += "/"
    if link == ".":
        link = "./"
    return link + hash_mark + fragment


def absolute(target: str, base_url: str) -> str:
    """`target` (root-relative) under the site's base URL, for feeds, sitemaps and canonical links."""
    return base_url.rstrip("/") + target
