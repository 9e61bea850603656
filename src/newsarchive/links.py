"""Find broken internal links and anchors in a built site, the way a browser would resolve them.

Used by `newsarchive check` and by the tests; it reads a finished output folder, never writes one.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


# Every attribute that makes the browser (or the reader) fetch another URL of the site.
LINK_ATTRIBUTES = {
    "a": ("href",), "area": ("href",), "link": ("href",), "form": ("action",),
    "script": ("src",), "img": ("src",), "source": ("src",), "iframe": ("src",),
    "video": ("src", "poster"), "audio": ("src",), "track": ("src",), "embed": ("src",),
}  # fmt: skip


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"])
        for attribute in LINK_ATTRIBUTES.get(tag, ()):
            if values.get(attribute):
                self.links.append(values[attribute])
        if tag in ("img", "source") and values.get("srcset"):
            # "a.png 1x, b.png 2x": each candidate is a URL followed by an optional descriptor.
            self.links.extend(candidate.split()[0] for candidate in values["srcset"].split(",") if candidate.strip())


def _url_of(page: str) -> str:
    return "/" + (page[: -len("index.html")] if page.endswith("index.html") else page)


def _target_file(root: Path, url_path: str) -> Path | None:
    candidate = root / url_path.lstrip("/")
    if url_path.endswith("/"):
        candidate = candidate / "index.html"
    if candidate.is_file():
        return candidate
    return None


@dataclass(frozen=True, slots=True)
class BrokenLink:
    page: str  # the HTML file holding the link, relative to the site root ('2022/index.html')
    link: str  # the link exactly as written
    reason: str

    @property
    def page_url(self) -> str:
        """The root-relative URL of the page holding the link ('/2022/')."""
        return _url_of(self.page)

    def __str__(self) -> str:
        return f"{self.page} -> {self.link}: {self.reason}"


def broken_links(root: Path, mount: str = "/") -> list[str]:
    """Every internal link or #anchor in root's HTML that leads nowhere, as 'page -> link: why'."""
    return [str(broken) for broken in find_broken_links(root, mount)]


def find_broken_links(root: Path, mount: str = "/") -> list[BrokenLink]:
    """Every internal link or #anchor in root's HTML that leads nowhere, in file order.

    `mount` is the sub-path the site is served under; root-relative links must start with it.
    """
    pages = {path: _parse(path) for path in sorted(root.rglob("*.html"))}
    problems: list[BrokenLink] = []
    for path, collected in pages.items():
        page = path.relative_to(root).as_posix()
        here = mount.rstrip("/") + _url_of(page)
        for link in collected.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                continue  # external: not ours to check offline
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(here) + "/", unquote(parts.path))) if parts.path else here
            if parts.path.endswith("/") or (not parts.path and here.endswith("/")):
                resolved = resolved.rstrip("/") + "/"
            if not resolved.startswith(mount):
                problems.append(BrokenLink(page, link, f"leaves the site's sub-path {mount}"))
                continue
            target = _target_file(root, "/" + resolved[len(mount) :].lstrip("/") if resolved != mount.rstrip("/") else "/")
            if target is None:
                problems.append(BrokenLink(page, link, "no such file"))
            elif parts.fragment and target.suffix == ".html" and parts.fragment not in pages[target].ids:
                problems.append(BrokenLink(page, link, f"no element with id {parts.fragment!r}"))
    return problems


def _parse(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector
