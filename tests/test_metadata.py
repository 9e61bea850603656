"""Article-page metadata: canonical URL, description, Open Graph, Twitter card, NewsArticle JSON-LD."""

from __future__ import annotations

from browser import serve
from syndication import BASE_URL, HOSTILE, Head, fill

BUDGET = "/2022/12/10/budget-talks/"
HOSTILE_URL = "/2022/12/11/breaking-script-script-alert-1-script-more/"


def test_article_page_has_canonical_description_open_graph_and_twitter_card(site) -> None:
    fill(site)
    site.build()
    head = Head(site.page(BUDGET))
    assert head.canonical() == BASE_URL + BUDGET.lstrip("/")
    assert head.meta("description") == ["The budget was debated. See the chart."]
    assert head.meta("og:type") == ["article"]
    assert head.meta("og:title") == ["Budget talks"]
    assert head.meta("og:url") == [BASE_URL + BUDGET.lstrip("/")]
    assert head.meta("og:site_name") == ["Test Times"]
    assert head.meta("og:description") == ["The budget was debated. See the chart."]
    assert head.meta("article:published_time") == ["2022-12-10T12:30:00+04:00"]
    assert head.meta("article:modified_time") == ["2022-12-11T12:00:00+04:00"]
    assert head.meta("article:tag") == ["Politics", "Economy"]
    assert head.meta("twitter:card") == ["summary"]
    assert head.meta("twitter:title") == ["Budget talks"]


def test_news_article_json_ld_has_the_required_fields(site) -> None:
    fill(site)
    site.build()
    [data] = Head(site.page(BUDGET)).json_ld()
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Budget talks"
    assert data["datePublished"] == "2022-12-10T12:30:00+04:00"
    assert data["dateModified"] == "2022-12-11T12:00:00+04:00"
    assert data["author"] == {"@type": "Person", "name": "Jane Doe"}
    assert data["publisher"] == {"@type": "Organization", "name": "Test Times Ltd"}
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": BASE_URL + BUDGET.lstrip("/")}
    assert data["keywords"] == ["Politics", "Economy"]


def test_json_ld_states_only_what_is_known(site) -> None:
    fill(site)
    site.config(f"title: Test Times\nbase_url: {BASE_URL}\n")
    site.build()
    [data] = Head(site.page("/2022/12/12/newest-story/")).json_ld()
    assert data["datePublished"] == "2022-12-12T00:00:00+00:00"
    for unknown in ("dateModified", "author", "publisher", "keywords"):
        assert unknown not in data


def test_a_hostile_headline_gives_valid_json_ld_and_no_script(site) -> None:
    fill(site)
    site.build()
    html = site.page(HOSTILE_URL)
    head = Head(html)
    # One script element only, the JSON-LD; the headline did not open or close any.
    assert [attrs.get("type") for attrs, _ in head.scripts] == ["application/ld+json"]
    assert html.count("<script") == 1 and html.count("</script>") == 1
    [data] = head.json_ld()
    assert data["headline"] == HOSTILE
    assert head.meta("og:title") == [HOSTILE]
    assert "<title>Breaking &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; more · Test Times</title>" in html


def test_a_hostile_headline_runs_no_script_in_a_browser(site, browser) -> None:
    fill(site)
    site.build()
    dialogs: list[str] = []
    with serve(site.dist, mount="/news/") as base:
        page = browser.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(base + HOSTILE_URL.lstrip("/"))
        assert page.locator("h1").inner_text() == HOSTILE
        assert page.evaluate("document.scripts.length") == 1
        ld = page.evaluate("JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)")
        assert ld["headline"] == HOSTILE
        page.close()
    assert dialogs == []


def test_other_pages_have_a_canonical_url_and_website_cards_but_no_json_ld(site) -> None:
    fill(site)
    site.build()
    head = Head(site.page("/tags/politics/"))
    assert head.canonical() == BASE_URL + "tags/politics/"
    assert head.meta("og:type") == ["website"]
    assert head.json_ld() == []
    assert Head((site.dist / "404.html").read_text(encoding="utf-8")).canonical() is None


def test_without_base_url_absolute_metadata_is_left_out_and_the_rest_stays(site) -> None:
    fill(site)
    site.config("title: Test Times\n")
    site.build()
    head = Head(site.page(BUDGET))
    assert head.canonical() is None
    assert head.meta("og:url") == []
    assert head.meta("og:title") == ["Budget talks"]
    [data] = head.json_ld()
    assert data["headline"] == "Budget talks"
    assert "mainEntityOfPage" not in data and "url" not in data
