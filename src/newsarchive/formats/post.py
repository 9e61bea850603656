"""One article from front matter and a rendered body, read the way Jekyll, Hugo, Zola, Eleventy and
Pelican read their posts. Shared by every front-matter format (.md, .markdown, .mdx, .html).

- Date: the front matter's `date` (or `pubDate`, `published`, `publishDate`); else the file name
  `YYYY-MM-DD-slug.ext` (a page bundle's folder name); else `YYYY/MM/DD` in `permalink` or `path`,
  or in the folder path; else an error. A date that does not parse is an error at its line.
- Title: `title`; else the first heading (dropped from the body when it opens it); else the file name.
- Slug: `slug`; else a page bundle's folder name (`my-post/index.md`); else the title.
- Draft: `draft: true`, Jekyll's `published: false`, Pelican's `Status: draft`, or a `_drafts/` folder.
- Redirects: `aliases` (Hugo, Zola) and `redirect_from` (Jekyll) become old URLs of the article, and
  so does a literal `permalink` (Jekyll, Eleventy), `url` (Hugo, Pelican) or `path` (Zola).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import posixpath
import re
from types import MappingProxyType
from typing import Any

from newsarchive.config import Config
from newsarchive.errors import Problem, SourceError
from newsarchive.formats.fields import (
    FieldError,
    FrontMatter,
    Parsed,
    as_moment,
    check_calendar_date,
    collapse_space,
    first_paragraph_text,
    flag_field,
    html_text,
    moment_field,
    names_field,
    shorten,
    strip_unfit,
    summarize,
    text_field,
)
from newsarchive.formats.yaml_data import TooComplex, plain_data
from newsarchive.model import Article
from newsarchive.urls import article_url, redirect_source, slugify

DATE_KEYS = ("date", "pubDate", "published", "publishDate")
UPDATED_KEYS = ("updated", "lastmod", "modified", "last_modified_at")
SUMMARY_KEYS = ("summary", "description", "excerpt")
REDIRECT_KEYS = ("redirect_from", "aliases")
PATH_KEYS = ("permalink", "path")
OLD_ADDRESS_KEYS = ("permalink", "url", "path")  # Jekyll and Eleventy; Hugo and Pelican; Zola
READ_KEYS = frozenset(
    {"title", "tags", "author", "authors", "source", "slug", "draft", "taxonomies", "extra",
     *DATE_KEYS, *UPDATED_KEYS, *SUMMARY_KEYS, *REDIRECT_KEYS, *PATH_KEYS}
)  # fmt: skip
# Fields the supported generators define that mean nothing here: kept in `extra` without a warning.
OTHER_GENERATOR_KEYS = frozenset(
    {
        # Jekyll
        "layout", "categories", "category", "excerpt_separator", "comments", "image", "sitemap", "redirect_to", "lang",
        # Hugo
        "audio", "build", "cascade", "expiryDate", "headless", "images", "isCJKLanguage", "keywords",
        "linkTitle", "markup", "menu", "outputs", "params", "resources", "series", "translationKey", "type", "url",
        "videos", "weight", "toc",
        # Zola
        "in_search_index", "template", "render",
        # Eleventy
        "eleventyComputed", "eleventyExcludeFromCollections", "eleventyNavigation", "pagination", "templateEngineOverride",
        # Pelican
        "translation", "save_as", "status",
    }
)  # fmt: skip

_NAME_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[-_](.+))?")
_PATH_DATE = re.compile(r"(?<!\d)(\d{4})/(\d{2})/(\d{2})(?!\d)")
_PLACEHOLDER = re.compile(r":[A-Za-z_]|[{}]")  # /:year/:title/ or {{ page.fileSlug }}: filled in by the old site
_FIRST_HEADING = re.compile(r"\s*<h([1-6])\b[^>]*>(.*?)</h\1>\s*", re.S)
_ANY_HEADING = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1>", re.S)


def _name_parts(relative: str) -> tuple[str, bool]:
    """The name that stands for the article (the file's stem, or a bundle's folder) and whether it is a bundle."""
    folder, file_name = posixpath.split(relative)
    stem = file_name.split(".", 1)[0]
    if stem == "index" and folder:
        return posixpath.basename(folder), True
    return file_name.rsplit(".", 1)[0], False


def _split_name(name: str) -> tuple[str | None, str]:
    """The date text of a `YYYY-MM-DD-slug` name (Jekyll, Zola), if any, and the rest of the name."""
    match = _NAME_DATE.fullmatch(name)
    return (match[1], match[2] or name) if match else (None, name)


def _path_date(text: str, path: str, where: str) -> dt.date | None:
    match = _PATH_DATE.search(text)
    if match is None:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise SourceError(path, None, f"impossible date {match[0]} in {where}") from None


class _Reader:
    """Reads one file's fields, collecting warnings; FieldError names the key at fault."""

    def __init__(self, front: FrontMatter, path: str, relative: str, config: Config) -> None:
        self.front, self.values, self.path, self.config = front, front.values, path, config
        self.relative = relative
        self.warnings: list[Problem] = list(front.warnings)
        self.name, self.bundle = _name_parts(relative)
        self.name_date_text, self.short_name = _split_name(self.name)

    def name_date(self) -> dt.date | None:
        if self.name_date_text is None:
            return None
        try:
            return check_calendar_date(self.name_date_text)
        except ValueError as error:
            raise SourceError(self.path, None, f"{error} in the file name") from None

    def warn(self, line: int | None, message: str) -> None:
        self.warnings.append(Problem(self.path, line, message, "warning"))

    def date(self) -> tuple[dt.date, dt.datetime | None]:
        key = next((k for k in DATE_KEYS if self.values.get(k) is not None and not isinstance(self.values.get(k), bool)), None)
        if key is not None:
            (day, exact), written = moment_field(self.values, key, self.config.tzinfo)
            try:
                name_date = self.name_date()
            except SourceError:
                name_date = None  # the front matter's date is used; the name's is only compared
            if name_date is not None and name_date != written:
                self.warn(self.front.line(key), f"{key} {written.isoformat()} differs from the file name's {name_date.isoformat()}; the front matter's date is used")
            return day, exact
        if (name_date := self.name_date()) is not None:
            return name_date, None
        for path_key in PATH_KEYS:
            value = self.values.get(path_key)
            if isinstance(value, str) and (day := _path_date(value, self.path, f"the {path_key} field")):
                return day, None
        if day := _path_date(posixpath.dirname(self.relative), self.path, "the folder path"):
            return day, None
        raise SourceError(
            self.path, None,
            "no date: add 'date:' to the front matter, or name the file YYYY-MM-DD-slug, or keep it in a YYYY/MM/DD/ folder",
        )  # fmt: skip

    def draft(self) -> bool:
        draft = flag_field(self.values, "draft") or False
        if self.values.get("published") is False:  # Jekyll
            draft = True
        # Pelican's Status; elsewhere `status` is free (WordPress exports to Jekyll write 'publish').
        status = (text_field(self.values, "status") or "published").lower() if self.front.syntax == "Pelican" else "published"
        if status not in ("published", "draft"):
            self.warn(self.front.line("status"), f"status {status!r} has no equivalent here; the article is published and listed")
        in_drafts_folder = "_drafts" in posixpath.dirname(self.relative).split("/")  # Jekyll
        return draft or status == "draft" or in_drafts_folder

    def tags(self) -> tuple[str, ...]:
        tags = names_field(self.values, "tags")
        taxonomies = self.values.get("taxonomies")  # Zola: [taxonomies] tags = [...]
        if taxonomies is not None:
            if not isinstance(taxonomies, dict):
                raise FieldError("taxonomies", "taxonomies must be a table such as tags = [\"a\", \"b\"]")
            try:
                tags += names_field(taxonomies, "tags")
            except FieldError as error:
                raise FieldError("taxonomies", f"taxonomies.{error}") from None
        return tuple(dict.fromkeys(tags))

    def author(self) -> str | None:
        value = self.values.get("author")
        if isinstance(value, dict):  # Jekyll: author: {name: ..., email: ...}
            return text_field(value, "name") or self.config.author
        return text_field(self.values, "author") or ", ".join(names_field(self.values, "authors")) or self.config.author

    def updated(self) -> dt.datetime | None:
        key = next((k for k in UPDATED_KEYS if self.values.get(k) is not None), None)
        if key is None:
            return None
        moment, _ = moment_field(self.values, key, self.config.tzinfo)
        return as_moment(moment, self.config.tzinfo)

    def redirects(self) -> tuple[str, ...]:
        found: list[str] = []
        for key in REDIRECT_KEYS:
            value = self.values.get(key)
            if value is None:
                continue
            paths = [value] if isinstance(value, str) else value
            if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
                raise FieldError(key, f"{key} must be a path or a list of paths such as /old/post/")
            for old in paths:
                try:
                    found.append(redirect_source(old.strip()))
                except ValueError as error:  # an error, but the article itself still publishes
                    self.warnings.append(Problem(self.path, self.front.line(key), f"{key} {old!r} {error}; no redirect is made"))
        return tuple(dict.fromkeys(found))

    def old_addresses(self) -> list[str]:
        """The article's own address on the old site when the front matter spells it out."""
        found: list[str] = []
        for key in OLD_ADDRESS_KEYS:
            value = self.values.get(key)
            if not isinstance(value, str) or not value.strip() or _PLACEHOLDER.search(value):
                continue  # Eleventy's `permalink: false`, or a pattern the old site filled in
            path = value.strip() if value.strip().startswith("/") else "/" + value.strip()  # Zola and Pelican omit the '/'
            try:
                found.append(redirect_source(path))
            except ValueError as error:
                self.warn(self.front.line(key), f"{key} {value!r} {error}; no redirect is made")
        return found

    def extra(self) -> dict[str, Any]:
        """Every field not read above, for templates; unknown ones (a typo such as 'tittle') are reported."""
        nested = self.values.get("extra")
        extra = dict(nested) if isinstance(nested, dict) else {}  # Zola's [extra] table: custom fields
        unknown = []
        for key, value in self.values.items():
            if not isinstance(key, str):
                raise FieldError(str(key), f"front matter key {shorten(str(key), 30)!r} must be text")
            if key in READ_KEYS and key != "extra":
                continue  # read into the article's own fields
            if key == "extra" and isinstance(value, dict):
                continue  # merged above
            if key not in OTHER_GENERATOR_KEYS:
                unknown.append(key)
            extra[key] = value
        extra = self._plain(extra)
        if unknown:
            names = ", ".join(map(repr, unknown))
            self.warn(self.front.line(unknown[0]), f"unknown front matter field(s) {names}: kept for templates as extra (put custom fields under 'extra:' to silence this)")
        return extra


    @staticmethod
    def _plain(extra: dict[Any, Any]) -> dict[str, Any]:
        """Plain, bounded copies (see yaml_data): an alias bomb or a !!binary value cannot reach a template."""
        plain: dict[str, Any] = {}
        for key, value in extra.items():
            if not isinstance(key, str):
                raise FieldError("extra", f"front matter key {shorten(str(key), 30)!r} must be text")
            try:
                plain[strip_unfit(key)] = plain_data(value)
            except TooComplex as error:
                raise FieldError(key, f"front matter value {shorten(key, 30)!r} {error}") from None
        return plain

    def slug(self, title: str) -> str:
        """The `slug` field made safe (a changed one is a warning), else the bundle's folder or the title."""
        raw = self.values.get("slug")
        if raw is None:
            return slugify((self.short_name if self.bundle else None) or title)
        wanted = text_field(self.values, "slug") or ""
        shown = raw if isinstance(raw, str) else wanted  # a NUL or control character is shown, not hidden
        slug = slugify(wanted, fallback="")
        if slug and slug == shown:
            return slug
        if not slug:
            slug = slugify(title)
            self.warn(self.front.line("slug"), f"slug {shorten(shown)!r} has no letters or digits; using {slug!r} from the title")
        else:
            self.warn(self.front.line("slug"), f"slug {shorten(shown)!r} is not a plain URL segment; using {slug!r}")
        return slug


def _title_from_heading(body_html: str) -> tuple[str | None, str]:
    """The first heading's text, and the body without it when the heading opens the body."""
    opening = _FIRST_HEADING.match(body_html)
    heading = opening or _ANY_HEADING.search(body_html)
    if heading is None:
        return None, body_html
    title = html_text(heading[2]) or None
    if opening and title:
        body_html = body_html[opening.end() :]
    return title, body_html


def _title_from_name(name: str) -> str:
    return collapse_space(name.replace("-", " ").replace("_", " ")) or name


def build(front: FrontMatter, body_html: str, words: int, path: str, relative: str, config: Config) -> Parsed:
    """The article, or a SourceError at the line of the field at fault."""
    reader = _Reader(front, path, relative, config)
    try:
        return _build(reader, body_html, words)
    except FieldError as error:
        raise SourceError(path, front.line(error.key), str(error)) from None


def _build(reader: _Reader, body_html: str, words: int) -> Parsed:
    values = reader.values
    day, published = reader.date()
    title = text_field(values, "title")
    if not title:
        title, body_html = _title_from_heading(body_html)
    if not title:
        title = _title_from_name(reader.short_name)
        reader.warn(None, f"no title in the front matter and no heading; the file name is used: {title!r}")
    extra = reader.extra()  # checked first: a value too big to keep rejects the article
    summary = next((s for k in SUMMARY_KEYS if (s := text_field(values, k))), None) or first_paragraph_text(body_html)
    article = Article(
        source_path=reader.path,
        slug=reader.slug(title),
        date=day,
        title=title,
        body_html=body_html,
        summary=summarize(summary),
        tags=reader.tags(),
        word_count=words,
        author=reader.author(),
        source=text_field(values, "source"),
        published=published,
        updated=reader.updated(),
        draft=reader.draft(),
        extra=MappingProxyType(extra),
        redirect_from=reader.redirects(),
    )
    if old := [url for url in reader.old_addresses() if url != article_url(article)]:
        article = dataclasses.replace(article, redirect_from=tuple(dict.fromkeys(article.redirect_from + tuple(old))))
    return Parsed(article, tuple(reader.warnings))
