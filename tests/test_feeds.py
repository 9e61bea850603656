"""Atom and RSS feeds: parse with feedparser, and our own checks on ids, links, dates and escaping."""

from __future__ import annotations

import datetime as dt
import email.utils
from urllib.parse import urlsplit

import feedparser
import pytest

from conftest import text_article
from newsarchive.links import broken_links
from syndication import ATOM, BASE_URL, HOSTILE, Head, fill, is_rfc3339, xml


def is_absolute(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme == "https" and bool(parts.netloc)


def test_atom_feed_parses_and_every_entry_has_id_title_link_and_rfc3339_updated(site) -> None:
    fill(site)
    site.build()
    raw = (site.dist / "feed.xml").read_bytes()
    parsed = feedparser.parse(raw)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert [e.title for e in parsed.entries] == ["Newest story", HOSTILE, "Budget talks", "Second story", "Oldest story"]
    root = xml(site.dist / "feed.xml")
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 5
    for entry in entries:
        assert is_absolute(entry.findtext(f"{ATOM}id"))
        assert entry.findtext(f"{ATOM}title")
        assert is_absolute(entry.find(f"{ATOM}link[@rel='alternate']").get("href"))
        assert is_rfc3339(entry.findtext(f"{ATOM}updated"))
        assert is_rfc3339(entry.findtext(f"{ATOM}published"))
    assert root.findtext(f"{ATOM}id") == BASE_URL + "feed.xml"
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == BASE_URL + "feed.xml"


def test_dates_are_in_the_site_time_zone_and_feed_updated_is_the_newest_change(site) -> None:
    fill(site)
    site.build()
    root = xml(site.dist / "feed.xml")
    by_title = {e.findtext(f"{ATOM}title"): e for e in root.findall(f"{ATOM}entry")}
    # A date-only article starts at midnight in Asia/Baku (+04:00).
    assert by_title["Newest story"].findtext(f"{ATOM}updated") == "2022-12-12T00:00:00+04:00"
    # 09:30+01:00 is 12:30 in Baku; updated 08:00Z is 12:00 in Baku the next day.
    budget = by_title["Budget talks"]
    assert budget.findtext(f"{ATOM}published") == "2022-12-10T12:30:00+04:00"
    assert budget.findtext(f"{ATOM}updated") == "2022-12-11T12:00:00+04:00"
    assert root.findtext(f"{ATOM}updated") == "2022-12-12T00:00:00+04:00"
    rss = xml(site.dist / "rss.xml")
    dates = [item.findtext("pubDate") for item in rss.iter("item")]
    assert dates[0] == "Mon, 12 Dec 2022 00:00:00 +0400"
    assert all(email.utils.parsedate_to_datetime(d).utcoffset() == dt.timedelta(hours=4) for d in dates)
    assert rss.findtext("channel/lastBuildDate") == "Mon, 12 Dec 2022 00:00:00 +0400"


def test_rss_parses_and_every_item_has_an_absolute_permalink_guid(site) -> None:
    fill(site)
    site.build()
    parsed = feedparser.parse((site.dist / "rss.xml").read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    assert len(parsed.entries) == 5
    items = list(xml(site.dist / "rss.xml").iter("item"))
    assert len(items) == 5
    for item in items:
        guid = item.find("guid")
        assert guid is not None and is_absolute(guid.text)
        assert guid.get("isPermaLink") == "true"
        assert guid.text == item.findtext("link")
        assert item.findtext("title")
        assert email.utils.parsedate_to_datetime(item.findtext("pubDate")).tzinfo is not None


def test_one_atom_feed_per_tag_with_only_that_tags_articles(site) -> None:
    fill(site)
    site.build()
    politics = feedparser.parse((site.dist / "tags/politics/feed.xml").read_bytes())
    economy = feedparser.parse((site.dist / "tags/economy/feed.xml").read_bytes())
    assert politics.bozo == 0 and economy.bozo == 0
    assert [e.title for e in politics.entries] == [HOSTILE, "Budget talks"]
    assert [e.title for e in economy.entries] == ["Budget talks"]
    assert politics.feed.links[0].href == BASE_URL + "tags/politics/feed.xml"
    assert sorted(p.parent.name for p in (site.dist / "tags").glob("*/feed.xml")) == ["economy", "politics"]


def test_feed_size_keeps_the_newest_articles(site) -> None:
    fill(site, "feed_size: 2\n")
    site.build()
    for name in ("feed.xml", "rss.xml"):
        parsed = feedparser.parse((site.dist / name).read_bytes())
        assert [e.title for e in parsed.entries] == ["Newest story", HOSTILE]


def test_summary_mode_has_no_full_text_and_full_mode_has_escaped_html(site) -> None:
    fill(site)
    site.build()
    budget = next(e for e in xml(site.dist / "feed.xml").findall(f"{ATOM}entry") if e.findtext(f"{ATOM}title") == "Budget talks")
    assert budget.find(f"{ATOM}content") is None
    assert budget.findtext(f"{ATOM}summary") == "The budget was debated. See the chart."

    fill(site, "feed_content: full\n")
    site.build()
    budget = next(e for e in xml(site.dist / "feed.xml").findall(f"{ATOM}entry") if e.findtext(f"{ATOM}title") == "Budget talks")
    content = budget.find(f"{ATOM}content")
    assert content.get("type") == "html"
    assert "<strong>budget</strong>" in content.text
    # Relative links in the body resolve against the article, not the feed.
    assert content.get("{http://www.w3.org/XML/1998/namespace}base") == BASE_URL + "2022/12/10/budget-talks/"
    parsed = feedparser.parse((site.dist / "feed.xml").read_bytes())
    entry = next(e for e in parsed.entries if e.title == "Budget talks")
    assert 'href="https://example.org/news/2022/12/10/budget-talks/chart/"' in entry.content[0].value
    rss_item = next(i for i in xml(site.dist / "rss.xml").iter("item") if i.findtext("title") == "Budget talks")
    assert "<strong>budget</strong>" in rss_item.findtext("description")


def test_a_hostile_headline_stays_text_in_every_feed(site) -> None:
    fill(site, "feed_content: full\n")
    site.build()
    for path in ("feed.xml", "rss.xml", "tags/politics/feed.xml"):
        raw = (site.dist / path).read_bytes()
        assert feedparser.parse(raw).bozo == 0, path
        assert b"<script>" not in raw and b"</script>" not in raw, path
        root = xml(site.dist / path)
        titles = [t.text for t in root.iter() if t.tag in (f"{ATOM}title", "title")]
        assert HOSTILE in titles, path
    body = next(i for i in xml(site.dist / "rss.xml").iter("item") if i.findtext("title") == HOSTILE).findtext("description")
    assert body == "<p>Fish &amp; chips <b>bold</b>.</p>"


def test_control_characters_cannot_break_the_xml(site) -> None:
    fill(site)
    site.add("z.txt", text_article("2022-12-13", "Bell \x07 and escape \x1b in a headline", "Text \x0b here."))
    site.build()
    for path in ("feed.xml", "rss.xml"):
        assert feedparser.parse((site.dist / path).read_bytes()).bozo == 0, path
    for path in ("feed.xml", "rss.xml", "sitemap-news.xml"):
        xml(site.dist / path)  # well-formed: XML 1.0 forbids these characters even escaped
        # (the loader already drops them from every text, with a warning)
        assert "Bell and escape in a headline" in (site.dist / path).read_text(encoding="utf-8"), path


def test_every_page_links_its_feeds_and_the_links_resolve(site) -> None:
    fill(site)
    site.build()
    pages = sorted(site.dist.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        alternates = Head(page.read_text(encoding="utf-8")).alternates()
        types = [kind for kind, _ in alternates]
        assert types[:2] == ["application/atom+xml", "application/rss+xml"], page
    tag_page = Head(site.page("/tags/politics/")).alternates()
    assert ("application/atom+xml", "feed.xml") in tag_page
    assert ("application/atom+xml", "../../feed.xml") in tag_page
    # The Budget article's own relative link to chart/ leads nowhere on purpose (see fill()).
    assert [link for link in broken_links(site.dist, mount="/news/") if not link.endswith("-> chart/: no such file")] == []


@pytest.mark.parametrize("base_url", [None, BASE_URL])
def test_feeds_need_a_base_url(site, base_url) -> None:
    fill(site)
    site.config("title: Test Times\n")
    report = site.build(base_url=base_url)
    made = (site.dist / "feed.xml").exists()
    assert made == (base_url is not None)
    assert (site.dist / "rss.xml").exists() == made
    assert (site.dist / "tags/politics/feed.xml").exists() == made
    assert bool(Head(site.page("/")).alternates()) == made
    assert bool(report.left_out) != made


def test_feed_settings_are_checked() -> None:
    from newsarchive.config import parse_config
    from newsarchive.errors import ConfigError

    with pytest.raises(ConfigError) as caught:
        parse_config({"feed_content": "both", "feed_size": 0, "export_split": "many"}, "site.yaml", {"feed_content": 3, "feed_size": 4, "export_split": 5})
    assert [str(p) for p in caught.value.problems] == [
        "site.yaml:3: feed_content: must be one of summary, full, not 'both'",
        "site.yaml:4: feed_size: must be between 1 and 10000, not 0",
        "site.yaml:5: export_split: must be a whole number, not str",
    ]


def test_build_py_makes_every_feed_sitemap_and_export_for_the_sample(tmp_path) -> None:
    from test_e2e import copy_project, run_build

    project = copy_project(tmp_path)
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    dist = project / "dist"
    for name in ("feed.xml", "rss.xml", "sitemap.xml", "sitemap-news.xml", "robots.txt", "articles.json"):
        assert (dist / name).is_file(), name
    assert feedparser.parse((dist / "feed.xml").read_bytes()).bozo == 0
    assert "left out" not in result.stdout
    assert broken_links(dist) == []
