"""sitemap.xml against the sitemaps.org schema, its split past 50,000 URLs, the news sitemap, robots.txt."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import xmlschema

from conftest import text_article
from newsarchive import sitemap
from newsarchive.config import parse_config
from newsarchive.load import load_articles
from syndication import BASE_URL, SCHEMAS, fill, is_rfc3339, xml

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@pytest.fixture(scope="module")
def schemas() -> dict[str, xmlschema.XMLSchema]:
    return {
        "urlset": xmlschema.XMLSchema(str(SCHEMAS / "sitemap.xsd")),
        "index": xmlschema.XMLSchema(str(SCHEMAS / "siteindex.xsd")),
        "news": xmlschema.XMLSchema([str(SCHEMAS / "sitemap.xsd"), str(SCHEMAS / "sitemap-news.xsd")]),
    }


def _page_urls(dist: Path) -> set[str]:
    """The address of every HTML page in the build except 404.html and `noindex` pages (search)."""
    indexable = (path for path in dist.rglob("index.html") if b'<meta name="robots" content="noindex">' not in path.read_bytes())
    folders = (path.parent.relative_to(dist).as_posix() for path in indexable)
    return {BASE_URL if folder == "." else f"{BASE_URL}{folder}/" for folder in folders}


def test_sitemap_validates_and_lists_every_page_with_lastmod(site, schemas) -> None:
    fill(site)
    site.build()
    schemas["urlset"].validate(str(site.dist / "sitemap.xml"))
    root = xml(site.dist / "sitemap.xml")
    urls = root.findall(f"{SM}url")
    locs = [u.findtext(f"{SM}loc") for u in urls]
    assert len(locs) == len(set(locs))
    assert set(locs) == _page_urls(site.dist)
    assert all(is_rfc3339(u.findtext(f"{SM}lastmod")) for u in urls)
    lastmod = {u.findtext(f"{SM}loc"): u.findtext(f"{SM}lastmod") for u in urls}
    assert lastmod[BASE_URL + "2022/12/10/budget-talks/"] == "2022-12-11T12:00:00+04:00"
    assert lastmod[BASE_URL + "2022/12/08/"] == "2022-12-08T00:00:00+04:00"
    assert lastmod[BASE_URL] == "2022-12-12T00:00:00+04:00"
    assert lastmod[BASE_URL + "tags/economy/"] == "2022-12-11T12:00:00+04:00"


def test_the_schema_rejects_what_it_should(schemas, tmp_path: Path) -> None:
    """The committed schema is not a rubber stamp."""
    bad = tmp_path / "bad.xml"
    bad.write_text(
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://example.org/</loc>'
        "<lastmod>12 Dec 2022</lastmod></url></urlset>",
        encoding="utf-8",
    )
    assert not schemas["urlset"].is_valid(str(bad))


def test_split_keeps_order_and_never_exceeds_the_limit() -> None:
    assert sitemap.split(list(range(7)), 3) == [[0, 1, 2], [3, 4, 5], [6]]
    assert sitemap.split(list(range(6)), 3) == [[0, 1, 2], [3, 4, 5]]
    assert sitemap.split([], 3) == []
    with pytest.raises(ValueError):
        sitemap.split([1], 0)


def _entries(n: int) -> list[sitemap.Entry]:
    start = dt.datetime(2022, 1, 1, tzinfo=dt.timezone.utc)
    return [sitemap.Entry(f"/2022/01/{i:05d}/", start + dt.timedelta(hours=i)) for i in range(n)]


def test_up_to_the_limit_there_is_one_sitemap(tmp_path: Path, schemas) -> None:
    files = sitemap.sitemap_files(_entries(5), BASE_URL, limit=5)
    assert [url for url, _ in files] == ["/sitemap.xml"]
    (tmp_path / "sitemap.xml").write_bytes(files[0][1])
    schemas["urlset"].validate(str(tmp_path / "sitemap.xml"))


def test_past_the_limit_sitemap_xml_becomes_an_index_of_valid_parts(tmp_path: Path, schemas) -> None:
    entries = _entries(7)
    files = dict(sitemap.sitemap_files(entries, BASE_URL, limit=3))
    assert sorted(files) == ["/sitemap-1.xml", "/sitemap-2.xml", "/sitemap-3.xml", "/sitemap.xml"]
    listed = []
    for number in (1, 2, 3):
        path = tmp_path / f"sitemap-{number}.xml"
        path.write_bytes(files[f"/sitemap-{number}.xml"])
        schemas["urlset"].validate(str(path))
        part = [u.findtext(f"{SM}loc") for u in xml(path).findall(f"{SM}url")]
        assert 1 <= len(part) <= 3
        listed += part
    assert listed == [BASE_URL + e.url.lstrip("/") for e in entries]
    index = tmp_path / "sitemap.xml"
    index.write_bytes(files["/sitemap.xml"])
    schemas["index"].validate(str(index))
    sitemaps = xml(index).findall(f"{SM}sitemap")
    assert [s.findtext(f"{SM}loc") for s in sitemaps] == [BASE_URL + f"sitemap-{n}.xml" for n in (1, 2, 3)]
    # Each part's lastmod is the newest of its URLs.
    assert [s.findtext(f"{SM}lastmod") for s in sitemaps] == [
        "2022-01-01T02:00:00+00:00", "2022-01-01T05:00:00+00:00", "2022-01-01T06:00:00+00:00"]  # fmt: skip


def test_a_build_past_the_limit_writes_the_index_and_its_parts(site, schemas, monkeypatch) -> None:
    fill(site)
    monkeypatch.setattr(sitemap, "MAX_URLS", 4)
    report = site.build()
    schemas["index"].validate(str(site.dist / "sitemap.xml"))
    parts = sorted(site.dist.glob("sitemap-[0-9]*.xml"))
    assert len(parts) == -(-len(_page_urls(site.dist)) // 4)
    locs = set()
    for part in parts:
        schemas["urlset"].validate(str(part))
        locs |= {u.findtext(f"{SM}loc") for u in xml(part).findall(f"{SM}url")}
    assert locs == _page_urls(site.dist)
    assert any(f"in {len(parts)} parts" in line for line in report.extras)


def test_news_sitemap_has_the_articles_of_the_last_two_days(site, schemas) -> None:
    fill(site)
    site.build()
    schemas["news"].validate(str(site.dist / "sitemap-news.xml"))
    root = xml(site.dist / "sitemap-news.xml")
    news = [u.find(f"{NEWS}news") for u in root.findall(f"{SM}url")]
    titles = [n.findtext(f"{NEWS}title") for n in news]
    assert titles == ["Newest story", "Breaking </script><script>alert(1)</script> & more"]
    assert [n.findtext(f"{NEWS}publication_date") for n in news] == ["2022-12-12T00:00:00+04:00", "2022-12-11T00:00:00+04:00"]
    assert {n.findtext(f"{NEWS}publication/{NEWS}name") for n in news} == {"Test Times"}
    assert {n.findtext(f"{NEWS}publication/{NEWS}language") for n in news} == {"en"}


def test_news_sitemap_splits_like_the_sitemap(site, schemas, tmp_path: Path) -> None:
    """Google reads at most 1,000 articles a news sitemap; more go into parts under an index."""
    fill(site)
    for number in range(5):
        site.add(f"n{number}.txt", text_article("2022-12-12", f"Late story {number}"))
    config = parse_config({"title": "Test Times", "base_url": BASE_URL, "timezone": "Asia/Baku"}, "site.yaml")
    articles = load_articles(site.seeds, "seeds", config).articles
    files = dict(sitemap.news_sitemap_files(articles, config, BASE_URL, limit=3))
    assert sorted(files) == ["/sitemap-news-1.xml", "/sitemap-news-2.xml", "/sitemap-news-3.xml", "/sitemap-news.xml"]
    (tmp_path / "index.xml").write_bytes(files["/sitemap-news.xml"])
    schemas["index"].validate(str(tmp_path / "index.xml"))
    titles = []
    for number in (1, 2, 3):
        (tmp_path / "part.xml").write_bytes(files[f"/sitemap-news-{number}.xml"])
        schemas["news"].validate(str(tmp_path / "part.xml"))
        titles += [t.text for t in xml(tmp_path / "part.xml").iter(f"{NEWS}title")]
    assert len(titles) == 7 and "Oldest story" not in titles


@pytest.mark.parametrize(("language", "code"), [("en", "en"), ("az-Latn", "az"), ("zh-Hant", "zh-tw"), ("zh", "zh-cn"), ("EN-GB", "en")])
def test_news_language_codes(language: str, code: str) -> None:
    assert sitemap.news_language(language) == code


def test_robots_txt_points_to_both_sitemaps(site) -> None:
    fill(site)
    site.build()
    assert (site.dist / "robots.txt").read_text(encoding="utf-8") == (
        "User-agent: *\nAllow: /\n\n"
        f"Sitemap: {BASE_URL}sitemap.xml\nSitemap: {BASE_URL}sitemap-news.xml\n"
    )


def test_without_base_url_no_sitemaps_and_robots_txt_names_none(site) -> None:
    fill(site)
    site.config("title: Test Times\n")
    report = site.build()
    assert not (site.dist / "sitemap.xml").exists()
    assert not (site.dist / "sitemap-news.xml").exists()
    assert (site.dist / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\nAllow: /\n"
    assert any("sitemap.xml" in reason and "base_url" in reason for reason in report.left_out)
