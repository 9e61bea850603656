"""The site configuration (site.yaml): a schema, not a bag. Unknown keys and bad values are errors."""

from __future__ import annotations

import dataclasses
import re
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping
from urllib.parse import urlsplit

from newsarchive.errors import ConfigError, Problem


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"must be text, not {type(value).__name__}")
    return value.strip()


def _optional_text(value: Any) -> str | None:
    return None if value is None else (_text(value) or None)


def _int_between(low: int, high: int) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"must be a whole number, not {type(value).__name__}")
        if not low <= value <= high:
            raise ValueError(f"must be between {low} and {high}, not {value}")
        return value

    return check


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _base_url(value: Any) -> str | None:
    """An absolute http(s) URL, normalised to end in '/' so paths can be appended."""
    text = _optional_text(value)
    if text is None:
        return None
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"must be an absolute http(s) URL such as https://example.org/, not {text!r}")
    if parts.query or parts.fragment:
        raise ValueError("must not have a query or fragment")
    return text if text.endswith("/") else text + "/"


_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*")


def _language(value: Any) -> str:
    text = _text(value)
    if not _LANGUAGE_TAG.fullmatch(text):
        raise ValueError(f"must be a language tag such as en or az-Latn, not {text!r}")
    return text


def _timezone(value: Any) -> str:
    text = _text(value)
    try:
        zoneinfo.ZoneInfo(text)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {text!r} (use a name such as UTC or Asia/Baku)") from None
    return text


def _choice(*allowed: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        text = _text(value)
        if text not in allowed:
            raise ValueError(f"must be one of {', '.join(allowed)}, not {text!r}")
        return text

    return check


def _option(default: Any, check: Callable[[Any], Any], doc: str) -> Any:
    return field(default=default, metadata={"check": check, "doc": doc})


@dataclass(frozen=True, slots=True)
class Config:
    title: str = _option("News archive", _text, "site name, shown in every header")
    description: str = _option("", _text, "one sentence about the archive")
    base_url: str | None = _option(None, _base_url, "absolute URL the site is published at")
    language: str = _option("en", _language, "language tag of the content")
    timezone: str = _option("UTC", _timezone, "time zone that decides an article's day")
    per_page: int = _option(20, _int_between(1, 1000), "articles per list page")
    author: str | None = _option(None, _optional_text, "publisher or default author")
    max_file_size: int = _option(5_000_000, _int_between(1, 1 << 31), "largest article file in bytes")
    feed_size: int = _option(20, _int_between(1, 10_000), "newest articles in each feed")
    feed_content: str = _option("summary", _choice("summary", "full"), "feed entries carry the summary or the full text")
    export_split: int = _option(10_000, _int_between(1, 1 << 31), "above this many articles the JSON export is split per year")
    allow_iframes: bool = _option(False, _flag, "keep <iframe> embeds in Markdown (sandboxed)")
    search: bool = _option(True, _flag, "full-text search: a Pagefind index and a /search/ page")

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def base_path(self) -> str:
        """The path part of base_url ('/' or '/archive/'): where the site root is served."""
        return urlsplit(self.base_url).path if self.base_url else "/"


OPTIONS = {f.name: f for f in dataclasses.fields(Config)}


def parse_config(mapping: Mapping[str, Any], path: str, lines: Mapping[str, int] | None = None) -> Config:
    """Validate every key of `mapping`; raise ConfigError listing all problems at once."""
    lines = lines or {}
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    for key, value in mapping.items():
        option = OPTIONS.get(key) if isinstance(key, str) else None
        if option is None:
            known = ", ".join(sorted(OPTIONS))
            problems.append(Problem(path, lines.get(key), f"unknown key {key!r} (known keys: {known})"))
            continue
        try:
            values[key] = option.metadata["check"](value)
        except ValueError as error:
            problems.append(Problem(path, lines.get(key), f"{key}: {error}"))
    if problems:
        raise ConfigError(problems)
    return Config(**values)


def load_config(path: Path, display: str) -> Config:
    """Read site.yaml (safe loader). A missing file means all defaults."""
    text = config_text(path, display)
    return Config() if text is None else parse_config_text(text, display)


def config_text(path: Path, display: str) -> str | None:
    """site.yaml's text, None when there is no such file."""
    if not path.exists():
        return None
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise ConfigError([Problem(display, None, f"not UTF-8 text ({error.reason})")]) from None


def parse_config_text(text: str, display: str) -> Config:
    """The configuration that site.yaml's text gives; ConfigError lists every problem."""
    import yaml  # here: a rebuild takes an unchanged site.yaml's configuration from the build cache

    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        reason = getattr(error, "problem", None) or str(error)
        raise ConfigError([Problem(display, line, f"invalid YAML: {reason}")]) from None
    if data is None:
        return Config()
    if not isinstance(data, dict):
        raise ConfigError([Problem(display, 1, "must be a mapping of key: value lines")])
    lines = {key.value: key.start_mark.line + 1 for key, _ in node.value if isinstance(key, yaml.ScalarNode)}
    return parse_config(data, display, lines)
