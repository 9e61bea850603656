"""Timeline charts: well-formed, accessible SVG with escaped text, and heatmap links that resolve."""

from __future__ import annotations

import datetime as dt
import posixpath
import xml.etree.ElementTree as ET

import pytest

from conftest import text_article
from newsarchive.links import broken_links
from newsarchive import timeline

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # raises on anything that is not well-formed XML
    assert root.tag == SVG + "svg"
    return root


def test_month_chart_is_accessible_xml_with_one_bar_per_month_with_articles() -> None:
    counts = {(2022, 1): 4, (2022, 3): 8, (2022, 12): 1}
    chart = timeline.month_chart(counts, range(2022, 2023), "months", "Articles per month in 2022")
    root = parse(chart.svg)
    assert root.get("role") == "img"
    assert root.find(SVG + "title").get("id") == root.get("aria-labelledby") == "months-title"
    assert root.find(SVG + "desc").get("id") == root.get("aria-describedby") == "months-desc"
    assert "13 articles" in chart.description and "March 2022 with 8 articles" in chart.description
    bars = root.findall(SVG + "rect")
    assert [bar.find(SVG + "title").text for bar in bars] == ["January 2022: 4 articles", "March 2022: 8 articles", "December 2022: 1 article"]
    heights = [float(bar.get("height")) for bar in bars]
    assert heights[1] == max(heights) and heights[0] == pytest.approx(heights[1] / 2, abs=0.1)
    assert [t.text for t in root.findall(SVG + "text") if t.text.isalpha()] == [n[:3] for n in timeline.MONTH_NAMES[1:]]
    (row,) = chart.rows
    assert row.year.url == "/2022/" and row.year.count == 13
    assert [(m.url, m.count) if m else None for m in row.months][:4] == [("/2022/01/", 4), None, ("/2022/03/", 8), None]


def test_archive_chart_spans_every_month_of_every_year() -> None:
    counts = {(2001, 5): 2, (2020, 7): 3}
    chart = timeline.month_chart(counts, range(2001, 2021), "months", "Articles per month")
    root = parse(chart.svg)
    assert len(root.findall(SVG + "rect")) == 2
    assert [row.year.label for row in chart.rows] == ["2001", "2020"]  # years without articles have no page
    years = [int(t.text) for t in root.findall(SVG + "text") if t.text.isdigit() and len(t.text) == 4]
    assert years[0] == 2001 and len(years) < 20  # labels thinned so they never overlap


def test_text_in_svg_is_escaped() -> None:
    chart = timeline.month_chart({(2022, 1): 1}, range(2022, 2023), "m", 'Tom & Jerry <script>alert("x")</script>')
    root = parse(chart.svg)
    assert root.find(SVG + "title").text == 'Tom & Jerry <script>alert("x")</script>'
    assert "<script>" not in chart.svg


@pytest.mark.parametrize(("count", "peak", "level"), [(0, 5, 0), (1, 1, 4), (1, 8, 1), (2, 8, 1), (3, 8, 2), (8, 8, 4), (5, 0, 0)])
def test_heat_level(count: int, peak: int, level: int) -> None:
    assert timeline.heat_level(count, peak) == level


@pytest.mark.parametrize("year", [2023, 2024])  # 2024 is a leap year
def test_heatmap_has_one_square_per_day_and_links_only_days_with_articles(year: int) -> None:
    counts = {dt.date(year, 1, 1): 1, dt.date(year, 2, 28): 3, dt.date(year, 12, 31): 6}
    here = f"/{year}/"
    chart = timeline.day_heatmap(year, counts, here, "days")
    root = parse(chart.svg)
    links = root.findall(SVG + "a")
    targets = [posixpath.normpath(posixpath.join(here, link.get("href"))) + "/" for link in links]
    assert targets == [f"/{year}/01/01/", f"/{year}/02/28/", f"/{year}/12/31/"]
    assert [link.get("aria-label") for link in links][1] == f"28 February {year}: 3 articles"
    assert [link.find(SVG + "rect").get("class") for link in links] == ["heat-1", "heat-2", "heat-4"]
    (empty,) = [p for p in root.iter(SVG + "path") if p.get("class") == "heat-0"]
    days = 366 if year == 2024 else 365
    assert empty.get("d").count("z") == days - 3
    # Monday first: 1 January 2024 is a Monday, so it sits in the first row.
    first = links[0].find(SVG + "rect")
    assert (first.get("y") == "18") == (dt.date(year, 1, 1).weekday() == 0)


def test_year_and_archive_pages_carry_the_charts_and_every_svg_link_works(site) -> None:
    for day, headline in [("2021-01-05", "One"), ("2021-01-05", "Two"), ("2021-06-30", "Three"), ("2023-02-01", "Four")]:  # 2022: a gap year
        site.add(f"{day}-{headline}.txt", text_article(day, headline))
    site.build()
    year = site.page("/2021/")
    assert year.count("<svg") == 2 and 'id="months"' in year and 'id="days"' in year
    assert 'href="01/05/" aria-label="5 January 2021: 2 articles"' in year
    assert "<script" not in year  # readable without JavaScript
    archive = site.page("/archive/")
    assert archive.count("<svg") == 1 and "Articles per month as a table" in archive
    for page in (year, archive):
        for svg in page.split("<svg")[1:]:
            parse("<svg" + svg.split("</svg>")[0] + "</svg>")
    assert broken_links(site.dist) == []
