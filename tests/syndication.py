"""A small dated site for the feed, sitemap, metadata and export tests, and readers for its files."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

from conftest import SiteFolder, text_article

BASE_URL = "https://example.org/news/"
HOSTILE = "Breaking </script><script>alert(1)</script> & more"
SCHEMAS = Path(__file__).parent / "schemas"
ATOM = "{http://www.w3.org/2005/Atom}"

RFC_3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


def is_rfc3339(text: str) -> bool:
    if not RFC_3339.fullmatch(text):
        return False
    return dt.datetime.fromisoformat(text).tzinfo is not None


def fill(site: SiteFolder, config: str = "") -> None:
    """Five articles over five days in Asia/Baku (UTC+4), two tags, one hostile headline."""
    site.config(f"title: Test Times\nbase_url: {BASE_URL}\ntimezone: Asia/Baku\nauthor: Test Times Ltd\n{config}")
    site.add("a.txt", text_article("2022-12-08", "Oldest story", "First paragraph of the oldest."))
    site.add("b.txt", text_article("2022-12-09", "Second story", "First paragraph of the second."))
    site.add(
        "c.md",
        "---\ntitle: Budget talks\ndate: 2022-12-10T09:30:00+01:00\ntags: [Politics, Economy]\n"
        "author: Jane Doe\nupdated: 2022-12-11T08:00:00Z\n---\nThe **budget** was debated. See [the chart](chart/).\n",
    )
    site.add("d.md", f"---\ntitle: {json.dumps(HOSTILE)}\ndate: 2022-12-11\ntags: [Politics]\n---\nFish & chips <b>bold</b>.\n")
    site.add("e.txt", text_article("2022-12-12", "Newest story", "First paragraph of the newest."))


def xml(path: Path) -> ET.Element:
    return ET.fromstring(path.read_bytes())


class Head(HTMLParser):
    """The <link>, <meta> and <script> elements of a page, as a browser's parser sees them."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[dict[str, str]] = []
        self.metas: list[dict[str, str]] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self._script: dict[str, str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "link":
            self.links.append(values)
        elif tag == "meta":
            self.metas.append(values)
        elif tag == "script":
            self._script = values
            self.scripts.append((values, ""))

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None

    def alternates(self) -> list[tuple[str, str]]:
        return [(link["type"], link["href"]) for link in self.links if link.get("rel") == "alternate"]

    def canonical(self) -> str | None:
        return next((link["href"] for link in self.links if link.get("rel") == "canonical"), None)

    def meta(self, key: str) -> list[str]:
        return [m["content"] for m in self.metas if m.get("property") == key or m.get("name") == key]

    def json_ld(self) -> list[dict]:
        return [json.loads(text) for attrs, text in self.scripts if attrs.get("type") == "application/ld+json"]
