"""The JSON export of the whole archive: one file, or one per year under an index."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import REPO
from syndication import BASE_URL, HOSTILE, fill

FIELDS = ["title", "date", "published", "updated", "url", "tags", "summary", "author"]


def _json(site, name: str) -> dict:
    return json.loads((site.dist / name).read_text(encoding="utf-8"))


def test_one_file_lists_every_article_with_its_fields(site) -> None:
    fill(site)
    site.build()
    data = _json(site, "articles.json")
    assert data["version"] == 1 and data["count"] == 5 and data["base_url"] == BASE_URL
    articles = data["articles"]
    assert [a["title"] for a in articles] == ["Oldest story", "Second story", "Budget talks", HOSTILE, "Newest story"]
    assert all(list(a) == FIELDS for a in articles)
    budget = articles[2]
    assert budget == {
        "title": "Budget talks",
        "date": "2022-12-10",
        "published": "2022-12-10T12:30:00+04:00",
        "updated": "2022-12-11T12:00:00+04:00",
        "url": BASE_URL + "2022/12/10/budget-talks/",
        "tags": ["Politics", "Economy"],
        "summary": "The budget was debated. See the chart.",
        "author": "Jane Doe",
    }
    for article in articles:
        assert (site.dist / article["url"].removeprefix(BASE_URL) / "index.html").is_file()


def test_past_export_split_there_is_one_file_per_year_and_an_index(site) -> None:
    fill(site, "export_split: 3\n")
    site.add("old.txt", " date 2021-06-01 Last year\n\nBody.\n")
    site.build()
    index = _json(site, "articles.json")
    assert "articles" not in index and index["count"] == 6
    assert index["parts"] == [
        {"year": 2021, "count": 1, "url": BASE_URL + "articles/2021.json"},
        {"year": 2022, "count": 5, "url": BASE_URL + "articles/2022.json"},
    ]
    total = []
    for part in index["parts"]:
        data = _json(site, part["url"].removeprefix(BASE_URL))
        assert data["year"] == part["year"] and data["count"] == len(data["articles"]) == part["count"]
        assert {a["date"][:4] for a in data["articles"]} == {str(part["year"])}
        total += data["articles"]
    assert len(total) == 6


def test_without_base_url_urls_are_relative_to_the_site_root(site) -> None:
    fill(site)
    site.config("title: Test Times\n")
    site.build()
    data = _json(site, "articles.json")
    assert data["base_url"] is None
    assert data["articles"][0]["url"] == "/2022/12/08/oldest-story/"


def test_the_cli_says_what_it_left_out_without_base_url(site) -> None:
    fill(site)
    site.config("title: Test Times\n")
    args = ["--seeds", str(site.seeds), "--output", str(site.dist), "--config", str(site.root / "site.yaml"),
            "--templates", str(REPO / "templates"), "--static", str(REPO / "static")]  # fmt: skip
    result = subprocess.run([sys.executable, str(REPO / "build.py"), *args], capture_output=True, text=True, cwd=site.root)
    assert result.returncode == 0, result.stderr
    [line] = [line for line in result.stdout.splitlines() if line.startswith("  left out")]
    assert "feed.xml" in line and "sitemap.xml" in line and "no base_url is set" in line and "--base-url" in line
    assert "articles.json (5 articles)" in result.stdout
    with_base = subprocess.run([sys.executable, str(REPO / "build.py"), *args, "--base-url", BASE_URL], capture_output=True, text=True, cwd=site.root)
    assert with_base.returncode == 0 and "left out" not in with_base.stdout
    assert "feed.xml, rss.xml and 2 tag feeds" in with_base.stdout
