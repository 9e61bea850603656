"""Sources: the reporting outlet detected in text articles or read from front matter, and its pages."""

from __future__ import annotations

import pytest

from conftest import text_article
from newsarchive.links import broken_links
from newsarchive.formats.attribution import reporting_outlet


@pytest.mark.parametrize(
    ("paragraph", "outlet"),
    [
        ("The ministry appealed again, said Aykhan Hajizada, spokesman for the Foreign Ministry, News.Az reports.", "News.Az"),
        ("Exports rose by 4% in May, Trend reports.", "Trend"),
        ("Exports rose by 4% in May, Trend reported.", "Trend"),
        ("The talks ended late,\nThe Baku Times reports.", "The Baku Times"),
        ("The bridge reopened, Voice of America reports.  ", "Voice of America"),
        ("Prices fell, 1news.az reports.", "1news.az"),
        ("Schools reopened in Gəncə, Azərtac reports.", "Azərtac"),
    ],
)
def test_outlet_named_at_the_end_of_the_first_paragraph(paragraph: str, outlet: str) -> None:
    assert reporting_outlet(paragraph) == outlet


@pytest.mark.parametrize(
    "paragraph",
    [
        "The ministry appealed again, News.Az reports. Talks continue on Monday.",  # not the paragraph's end
        "The ministry appealed again, APA reports citing the ministry.",  # not the end of the sentence
        "Prices fell, he reports.",  # a pronoun
        "Prices fell, Sources reported.",  # a generic word
        "Prices fell, the local newspaper reports.",  # lower case: a description, not a name
        "Prices fell, according to News.Az.",  # another phrasing: not guessed
        "Prices fell, A Very Long Name Of Some Outlet reports.",  # more than five words
        "Prices fell, News.Az (Baku) reports.",
        "News.Az reports.",  # no clause
        "",
    ],
)
def test_no_outlet_when_unsure(paragraph: str) -> None:
    assert reporting_outlet(paragraph) is None


def test_source_pages_from_text_and_front_matter(site) -> None:
    site.add("a.txt", text_article("2022-12-12", "Talks stall", "Talks stalled again on Monday, News.Az reports.", "More text."))
    site.add("b.txt", text_article("2022-12-13", "Talks resume", "Talks resumed.", "Later, News.Az reports."))  # second paragraph: ignored
    site.add("c.md", "---\ntitle: Gas flows\ndate: 2022-12-14\nsource: news.az\n---\nGas flows again.\n")
    site.add("d.md", "---\ntitle: Rain & wind\ndate: 2022-12-15\nsource: \"R&D <Daily>\"\n---\nIt rained.\n")
    site.build()
    index = site.page("/sources/")
    assert '<a href="news-az/">News.Az</a> <span class="count">2</span>' in index
    assert '<a href="r-d-daily/">R&amp;D &lt;Daily&gt;</a> <span class="count">1</span>' in index
    outlet = site.page("/sources/news-az/")
    assert "Gas flows" in outlet and "Talks stall" in outlet and "Talks resume" not in outlet
    assert '<a href="../">All sources</a>' in outlet
    article = site.page("/2022/12/12/talks-stall/")
    assert 'Source: <a href="../../../../sources/news-az/">News.Az</a>' in article
    assert "Source:" not in site.page("/2022/12/13/talks-resume/")
    assert broken_links(site.dist) == []


def test_sources_index_without_any_source(site) -> None:
    site.add("a.txt", text_article("2022-12-12", "Quiet day"))
    site.build()
    assert "No article names its source yet." in site.page("/sources/")
