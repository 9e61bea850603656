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


def _whole_dump(data: dict) -> bytes:
    """The export's bytes as one json.dumps of the whole file (how it was made before fragments)."""
    return (json.dumps(data, ensure_ascii=False) + "\n").encode("utf-8")


def _articles(count: int) -> list:
    import datetime as dt

    from newsarchive.model import Article

    articles = []
    for n in range(count):
        day = dt.date(2019 + n // 4, 1 + n % 12, 1 + n % 28)
        tags = () if n % 3 else ("Économie", "日本")
        articles.append(Article(title=f"{HOSTILE} {n} \U0001f600", date=day, slug=f"story-{n}", body_html="<p>x</p>", tags=tags,
                                summary="" if n % 5 == 0 else f"Summary «{n}»\n\t\"quoted\"", author=None if n % 2 else "Jane Doe",
                                source_path=f"{n}.txt"))  # fmt: skip
    return articles


def test_a_file_made_of_fragments_is_the_dump_of_the_whole_file() -> None:
    """Byte for byte what one json.dumps of the whole record gives, single or split, with
    non-ASCII text, astral characters, escapes, empty tag lists and missing fields."""
    from newsarchive import export, urls
    from newsarchive.config import Config

    articles = _articles(13)
    for config in (Config(base_url=BASE_URL, timezone="Asia/Baku"), Config(export_split=5), Config(export_split=1)):
        made = dict(export.export_files(articles, config))
        if len(articles) <= config.export_split:
            assert made == {"/articles.json": _whole_dump({**export._header(config, 13), "articles": [export.record(a, config) for a in articles]})}
            continue
        years = sorted({a.date.year for a in articles})
        for year in years:
            group = [export.record(a, config) for a in articles if a.date.year == year]
            assert made[urls.export_url(year)] == _whole_dump({"version": 1, "year": year, "count": len(group), "articles": group})
        assert len(made) == len(years) + 1
    assert dict(export.export_files([], Config())) == {"/articles.json": _whole_dump({**export._header(Config(), 0), "articles": []})}


def test_fragments_read_only_the_configuration_fields_their_cache_key_names() -> None:
    """export.fragment_inputs keys the build cache's fragments: nothing else of the configuration may shape them."""
    from newsarchive import export
    from newsarchive.config import Config

    read: set[str] = set()

    class Spy:
        def __init__(self, config: Config) -> None:
            self.config = config

        def __getattr__(self, name: str):
            read.add(name)
            return getattr(self.config, name)

    config = Config(base_url=BASE_URL, timezone="Asia/Baku")
    for article in _articles(6):
        assert export.fragment(article, Spy(config)) == export.fragment(article, config)  # type: ignore[arg-type]
    assert read == {"base_url", "tzinfo"} and export.fragment_inputs(config) == (config.base_url, config.timezone)
