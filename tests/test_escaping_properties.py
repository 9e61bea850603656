"""Property tests: whatever text an article holds, feeds stay well-formed XML and the JSON-LD stays
inside its <script> element, with the text coming back unchanged (less what XML 1.0 forbids)."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO
from newsarchive import feeds
from newsarchive.config import parse_config
from newsarchive.model import Article, ArticlePage
from newsarchive.render import Renderer
from syndication import ATOM, Head

CONFIG = parse_config({"title": "T & <T>", "base_url": "https://example.org/", "feed_content": "full"}, "site.yaml")
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def as_xml_reads_it(text: str) -> str:
    """Forbidden characters gone, and '\r' read as '\n' (XML end-of-line handling)."""
    return NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
TRICKY = st.sampled_from(["</script>", "<script>", "<!--", "]]>", "&amp;", "&", "\u2028", "'", '"', "\x1b"])
TEXT = st.lists(st.text(st.characters(codec="utf-8"), min_size=1) | TRICKY, min_size=1, max_size=6).map("".join)


def _article(title: str, summary: str, tag: str) -> Article:
    return Article(
        source_path="x.md", slug="x", date=dt.date(2022, 12, 12), title=title,
        body_html="<p>body</p>", summary=summary, tags=(tag,), author=title,
    )  # fmt: skip


@settings(max_examples=80, deadline=None)
@given(TEXT, TEXT, TEXT)
def test_any_text_gives_well_formed_feeds_that_give_it_back(title: str, summary: str, tag: str) -> None:
    article = _article(title, summary, tag)
    feed = feeds.Feed("/feed.xml", "/", CONFIG.title, (article,))
    atom = ET.fromstring(feeds.atom(feed, CONFIG))
    entry = atom.find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == as_xml_reads_it(title)
    assert entry.findtext(f"{ATOM}summary") == as_xml_reads_it(summary)
    assert entry.find(f"{ATOM}category").get("term") == as_xml_reads_it(tag)
    item = ET.fromstring(feeds.rss(feed, CONFIG)).find("channel/item")
    assert item.findtext("title") == as_xml_reads_it(title)


RENDERER = Renderer(REPO / "templates", CONFIG, {"/style.css": "0", "/favicon.svg": "0"})


@settings(max_examples=40, deadline=None)
@given(TEXT)
def test_any_headline_stays_inside_the_json_ld(title: str) -> None:
    article = _article(title, "summary", "tag")
    html = RENDERER.render(ArticlePage("/2022/12/12/x/", article, None, None, ())).decode("utf-8")
    head = Head(html)
    assert [attrs.get("type") for attrs, _ in head.scripts] == ["application/ld+json"]
    [data] = head.json_ld()
    assert data["headline"] == title
