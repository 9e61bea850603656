"""Redirect pages at the old URLs that other generators published (`aliases`, `redirect_from`).

Pure: articles and the output files the site already has in, redirect pages and problems out. An
old URL is a file or folder inside the site by construction (urls.redirect_source checked it when
the article was read). One that would replace a page or file of the site, or need a folder where
a file is, is an error and is not written: a real page always wins over a redirect.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Sequence

from newsarchive import urls
from newsarchive.errors import Problem
from newsarchive.model import Article, RedirectPage


def _folders(path: str) -> Iterable[str]:
    """'a/b/index.html' -> 'a/b', 'a'."""
    folder = posixpath.dirname(path)
    while folder:
        yield folder
        folder = posixpath.dirname(folder)


def redirect_pages(articles: Sequence[Article], taken: Iterable[str]) -> tuple[list[RedirectPage], list[Problem]]:
    """One page per old URL, in a fixed order; `taken` holds the site's other output paths."""
    if not any(article.redirect_from for article in articles):
        return [], []
    files = set(taken)
    folders = {folder for path in files for folder in _folders(path)}
    claimed: dict[str, str] = {}
    pages: list[RedirectPage] = []
    problems: list[Problem] = []
    for article in sorted(articles, key=lambda a: a.source_path):
        own = urls.output_path(urls.article_url(article))
        for old in article.redirect_from:
            path = urls.output_path(old)
            if path == own:
                problems.append(Problem(article.source_path, None, f"redirect from {old} is this article's own URL; none is needed", "warning"))
                continue
            if path in claimed:
                problems.append(Problem(article.source_path, None, f"redirect from {old} is already made for {claimed[path]}; not written"))
                continue
            if path in files or path in folders or any(folder in files for folder in _folders(path)):
                problems.append(Problem(article.source_path, None, f"redirect from {old} would replace a page or file of the site; not written"))
                continue
            claimed[path] = article.source_path
            files.add(path)
            folders.update(_folders(path))
            pages.append(RedirectPage(old, article))
    return pages, problems
