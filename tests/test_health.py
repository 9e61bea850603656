"""The archive health report: per-year counts, rejected files, duplicates, future dates and gaps."""

from __future__ import annotations

import datetime as dt

from conftest import text_article

from newsarchive import devpages, health
from newsarchive.config import Config
from newsarchive.load import load_articles

D = dt.date


def test_empty_months_are_runs_between_the_first_and_last_article() -> None:
    days = {D(2021, 11, 30), D(2022, 2, 1), D(2022, 6, 15)}
    assert health.empty_months(days) == ((D(2021, 12, 1), D(2022, 1, 31)), (D(2022, 3, 1), D(2022, 5, 31)))
    assert health.empty_months({D(2022, 1, 1), D(2022, 2, 1)}) == ()
    assert health.empty_months(set()) == ()


def test_empty_days_only_count_months_that_have_articles() -> None:
    days = {D(2022, 1, 1), D(2022, 1, 4), D(2022, 3, 30)}
    assert health.empty_days(days) == (
        (D(2022, 1, 2), D(2022, 1, 3)),
        (D(2022, 1, 5), D(2022, 1, 31)),  # February has no article: it is an empty month instead
        (D(2022, 3, 1), D(2022, 3, 29)),
    )
    assert [health.format_range(span) for span in health.empty_days({D(2022, 1, 1), D(2022, 1, 3)})] == ["2022-01-02"]
    assert health.format_range((D(2022, 3, 1), D(2022, 5, 31)), "month") == "2022-03 to 2022-05"


def test_assess_finds_duplicates_future_dates_and_rejected_files(site) -> None:
    site.add("a.txt", text_article("2021-05-01", "Budget  passes"))
    site.add("b.txt", text_article("2022-05-02", "budget passes"))
    site.add("c.txt", text_article("2022-05-03", "Tomorrow's news"))
    site.add("d.txt", " date 2022-13-01 Bad\n")
    loaded = load_articles(site.seeds, "seeds", Config())
    found = health.assess(loaded, today=D(2022, 5, 2))
    assert found.per_year == ((2021, 1), (2022, 2))
    assert found.articles == 3
    assert [str(p) for p in found.rejected] == ["seeds/d.txt:1: impossible date 2022-13-01"]
    assert [[a.source_path for a in group] for group in found.duplicates] == [["seeds/a.txt", "seeds/b.txt"]]
    assert [str(p) for p in found.duplicate_warnings()] == [
        "seeds/b.txt:1: warning: duplicate headline 'budget passes': also used by seeds/a.txt"
    ]
    assert [a.source_path for a in found.future] == ["seeds/c.txt"]


def test_health_page_escapes_what_it_shows(site) -> None:
    site.add("a.txt", text_article("2022-05-01", "<script>alert(1)</script>"))
    site.add("b.txt", " date 2022-05-02\n")
    loaded = load_articles(site.seeds, "seeds", Config())
    page = devpages.health_page(health.assess(loaded, D(2022, 1, 1)), None, 7)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "seeds/b.txt:1: missing headline after the date" in page
    assert 'href="/2022/05/01/script-alert-1-script/"' in page  # future articles link to their page
    assert "const shown = 7;" in page


def test_the_snippet_goes_before_the_last_body_end() -> None:
    html = b"<html><body><p>x</p></BODY >\n</html>\n"
    assert devpages.inject(html, "<i>!</i>") == b"<html><body><p>x</p><i>!</i></BODY >\n</html>\n"
    assert devpages.inject(b"<p>no body</p>", "<i>!</i>") == b"<p>no body</p><i>!</i>"
