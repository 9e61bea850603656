"""Page records to HTML with Jinja2 (autoescape on, StrictUndefined: a typo in a template fails loudly)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jinja2
from markupsafe import Markup, escape

from newsarchive import archive, metadata, urls
from newsarchive.config import Config
from newsarchive.errors import BuildFailed
from newsarchive.model import Article, Link, NotFoundPage, Page

# Fixed places every template may link to; templates never build URLs from strings.
NAV = SimpleNamespace(home=urls.home_url(), archive=urls.archive_url(), tags=urls.tags_url(), search=urls.search_url(),
                      sources=urls.sources_url(), on_this_day=urls.on_this_day_index_url())  # fmt: skip
URL_BUILDERS = SimpleNamespace(
    article=urls.article_url, day=urls.day_url, month=urls.month_url, year=urls.year_url, tag=urls.tag_url,
    source=urls.source_url, on_this_day=urls.on_this_day_url,
)


def _target(value: str | Article | Link) -> str:
    if isinstance(value, Article):
        return urls.article_url(value)
    if isinstance(value, Link):
        return value.url
    return value


class _Environment(jinja2.Environment):
    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        """A template's globals as one flat dict, not Jinja2's ChainMap over the environment's.

        Jinja2 turns a template's globals into a set or dict for every render, include and import
        (Context, and the check an import makes before reusing a cached macro module); over a
        ChainMap each key costs Python calls. The Renderer sets every global before it loads a
        template, so a copy made at load time misses nothing (Jinja2 asks for that anyway).
        """
        return {**self.globals, **(d or {})}


def date_time(article: Article) -> Markup:
    """An article's day in words, as a <time> element with its moment (or day) in machine form.

    Called for every teaser and related link: as a macro in macros.html it cost about a tenth of
    rendering (Jinja2's macro calls), and through Markup.format (a Python formatter) more."""
    return Markup(f'<time datetime="{(article.published or article.date).isoformat()}">{escape(archive.format_day(article.date))}</time>')


def _outside_render(target: str) -> str:
    raise jinja2.TemplateRuntimeError("a link was asked for outside Renderer.render")


class Renderer:
    """Renders pages with one shared Jinja2 environment; `assets` maps a static URL to its version.

    `|href`, `asset()` and `canonical()` link from the page being rendered through the link maker
    `render` sets on the Renderer (one render at a time per process; forked workers each have
    their own copy), not through the template context: so templates import macros.html and
    chart.html without context, and Jinja2 builds those modules once instead of once per page.
    """

    def __init__(self, templates: Path, config: Config, assets: Mapping[str, str], compiled: Path | None = None) -> None:
        """`compiled`: a folder to keep the templates' compiled code in between builds (Jinja2 checks
        each against its template's source; the caller gives one folder per newsarchive version, as
        the code also depends on the environment's options set here)."""
        self.config = config
        self.assets = dict(assets)
        self._link: Callable[[str], str] = _outside_render
        self.env = _Environment(
            loader=jinja2.FileSystemLoader(str(templates)),
            autoescape=jinja2.select_autoescape(("html", "xml"), default_for_string=True),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            # Templates don't change during a build (serve makes a new Renderer for each one), so
            # get_template need not check every template file's time stamp for every page.
            auto_reload=False,
            bytecode_cache=jinja2.FileSystemBytecodeCache(str(compiled)) if compiled is not None else None,
        )
        self.env.filters["href"] = self._href
        self.env.filters["day"] = archive.format_day
        self.env.globals.update(site=config, nav=NAV, url=URL_BUILDERS, asset=self._asset, month_name=archive.format_month, date_time=date_time)
        self.env.globals.update(
            feed_links=lambda page: metadata.feed_links(page, config), page_meta=lambda page: metadata.page_meta(page, config)
        )
        self.env.globals["canonical"] = self._canonical

    def _href(self, value: str | Article | Link) -> str:
        """A link from the page being rendered to `value`, relative so any sub-path works."""
        return self._link(_target(value))

    def _link_from_root(self, target: str) -> str:
        """The 404 page is served at whatever URL was missing, so it links from the site root instead."""
        return self.config.base_path.rstrip("/") + target if target.startswith("/") else target

    def _canonical(self, value: str | Article | Link) -> str:
        """The absolute URL when base_url is known (what search engines want), else a relative link."""
        if self.config.base_url:
            return urls.absolute(_target(value), self.config.base_url)
        return self._href(value)

    def _asset(self, url: str) -> str:
        """A static file's link with its content version, so browsers never keep a stale copy."""
        version = self.assets.get(url)
        if version is None:
            raise jinja2.TemplateRuntimeError(f"no static file {url!r} (is it in static/?)")
        return f"{self._href(url)}?v={version}"

    def render(self, page: Page, **extra: Any) -> bytes:
        self._link = self._link_from_root if isinstance(page, NotFoundPage) else urls.links_from(page.url)
        try:
            template = self.env.get_template(page.template)
            return template.render(page=page, **extra).encode("utf-8")
        except jinja2.TemplateSyntaxError as error:
            where = f"{error.filename or error.name}:{error.lineno}"
            raise BuildFailed(f"{where}: template syntax error: {error.message}") from None
        except jinja2.TemplateError as error:
            raise BuildFailed(f"template {page.template} failed on {page.url}: {error}") from None
        finally:
            self._link = _outside_render
