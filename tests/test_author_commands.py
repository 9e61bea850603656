"""`python build.py new` and `python build.py check`, run as a user would, plus the sub-command CLI."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import text_article
from test_e2e import copy_project

from newsarchive.cli import main
from newsarchive.config import Config
from newsarchive.load import load_articles


def run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "build.py", *args], cwd=project, capture_output=True, text=True, timeout=600)


def printed(result: subprocess.CompletedProcess[str]) -> tuple[str, str]:
    """The path and the URL that `new` printed."""
    path = re.search(r"^Created (\S+)$", result.stdout, re.M)
    url = re.search(r"^It will be published at (\S+)$", result.stdout, re.M)
    assert path and url, result.stdout + result.stderr
    return path.group(1), url.group(1)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path)


def test_new_writes_an_article_the_build_publishes_at_the_printed_url(project: Path) -> None:
    result = run(project, "new", "Council approves the budget", "--date", "2022-11-03")
    assert result.returncode == 0, result.stderr
    path, url = printed(result)
    assert path == "seeds/2022-11-03-council-approves-the-budget.txt"
    assert url == "/2022/11/03/council-approves-the-budget/"
    assert (project / path).read_text(encoding="utf-8").startswith(" date 2022-11-03 Council approves the budget\n")
    assert run(project).returncode == 0
    page = (project / "dist" / url.strip("/") / "index.html").read_text(encoding="utf-8")
    assert "Council approves the budget" in page


def test_new_never_overwrites_and_predicts_the_loaders_clash_suffix(project: Path) -> None:
    first = run(project, "new", "Same headline", "--date", "2022-11-03")
    first_path, first_url = printed(first)
    (project / first_path).write_text(text_article("2022-11-03", "Same headline", "The story as written."), encoding="utf-8")
    second = run(project, "new", "Same headline", "--date", "2022-11-03")
    assert second.returncode == 0, second.stderr
    second_path, second_url = printed(second)
    assert second_path == "seeds/2022-11-03-same-headline_2.txt"
    assert second_url == first_url.rstrip("/") + "-2/"
    assert "The story as written." in (project / first_path).read_text(encoding="utf-8")  # untouched
    assert "is already used by" in second.stderr  # the clash is reported as the build reports it
    built = load_articles(project / "seeds", "seeds", Config())
    urls = {a.source_path: f"/{a.date:%Y/%m/%d}/{a.slug}/" for a in built.articles}
    assert urls[first_path] == first_url and urls[second_path] == second_url


def test_new_refuses_rather_than_move_an_existing_articles_url(project: Path) -> None:
    # zzz.txt sorts after any name `new` would pick, so the new file would take its URL.
    (project / "seeds" / "zzz.txt").write_text(text_article("2022-11-03", "Same headline"), encoding="utf-8")
    result = run(project, "new", "Same headline", "--date", "2022-11-03")
    assert result.returncode == 1 and "leaves every existing URL alone" in result.stderr
    assert sorted(p.name for p in (project / "seeds").iterdir()) == ["000_75513eacda7d24c0.txt", "zzz.txt"]


def test_new_markdown_keeps_a_headline_yaml_would_misread(project: Path) -> None:
    headline = 'Yes: "quoted" #1 — Azərbaycan'
    result = run(project, "new", headline, "--date", "2022-11-03", "--format", "markdown")
    assert result.returncode == 0, result.stderr
    path, url = printed(result)
    assert path.endswith(".md") and url == "/2022/11/03/yes-quoted-1-azerbaycan/"
    loaded = load_articles(project / "seeds", "seeds", Config())
    article = next(a for a in loaded.articles if a.source_path == path)
    assert article.title == headline and article.date == dt.date(2022, 11, 3)
    assert not [p for p in loaded.problems if p.path == path]


def test_new_defaults_to_today_in_the_sites_time_zone(project: Path) -> None:
    (project / "site.yaml").write_text("timezone: Pacific/Kiritimati\n", encoding="utf-8")
    before = dt.datetime.now(dt.timezone(dt.timedelta(hours=14))).date()
    result = run(project, "new", "Today's story")
    after = dt.datetime.now(dt.timezone(dt.timedelta(hours=14))).date()
    _, url = printed(result)
    assert url in {f"/{day:%Y/%m/%d}/today-s-story/" for day in (before, after)}


def test_new_refuses_a_bad_date_or_an_empty_headline(project: Path) -> None:
    bad_date = run(project, "new", "Story", "--date", "2022-02-30")
    assert bad_date.returncode == 2 and "impossible date 2022-02-30" in bad_date.stderr
    empty = run(project, "new", "   ")
    assert empty.returncode == 1 and "the headline is empty" in empty.stderr
    assert sorted(p.name for p in (project / "seeds").iterdir()) == ["000_75513eacda7d24c0.txt"]


def test_check_reports_every_kind_of_problem_without_publishing(project: Path) -> None:
    seeds = project / "seeds"
    (seeds / "bad.txt").write_text(" date 2022-02-30 Impossible\n", encoding="utf-8")
    (seeds / "dup-a.txt").write_text(text_article("2022-12-01", "Same Story"), encoding="utf-8")
    (seeds / "dup-b.txt").write_text(text_article("2022-12-03", "same  story"), encoding="utf-8")
    (seeds / "future.txt").write_text(text_article("2999-01-01", "Far ahead"), encoding="utf-8")
    (seeds / "links.md").write_text(
        "---\ntitle: Links\ndate: 2022-12-05\n---\n[gone](../../01/nothing/) and [fine](../../12/)\n", encoding="utf-8"
    )
    result = run(project, "check")
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    assert "seeds/bad.txt:1: impossible date 2022-02-30" in out
    assert "seeds/dup-b.txt:1: warning: duplicate headline 'same story': also used by seeds/dup-a.txt" in out
    assert "seeds/future.txt:1: warning: date 2999-01-01 is in the future" in out
    assert "seeds/links.md: broken link ../../01/nothing/ (on /2022/12/05/links/): no such file" in out
    assert "  broken links  1" in out
    assert "  future        1 article dated after today" in out
    assert "  per year      2022: 4 · 2999: 1" in out
    assert "2023-01 to 2998-12" in out  # months without articles, as information
    assert "in 4 gaps: 2022-12-02, 2022-12-04, 2022-12-06 to 2022-12-11, 2022-12-13 to 2022-12-31\n" in out
    assert not (project / "dist").exists() and not list(project.glob(".dist*"))


def test_check_passes_a_clean_archive_and_strict_fails_on_warnings(project: Path) -> None:
    clean = run(project, "check")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Checked seeds/: no errors, 0 warnings" in clean.stdout
    (project / "seeds" / "empty.txt").write_text(" date 2022-12-13 No body\n", encoding="utf-8")
    assert run(project, "check").returncode == 0
    strict = run(project, "check", "--strict")
    assert strict.returncode == 1 and "warning: article has no body text" in strict.stdout


def test_check_leaves_an_existing_dist_alone(project: Path) -> None:
    assert run(project).returncode == 0
    before = {p: p.read_bytes() for p in (project / "dist").rglob("*") if p.is_file()}
    (project / "seeds" / "more.txt").write_text(text_article("2022-12-14", "Another story"), encoding="utf-8")
    assert run(project, "check").returncode == 0
    assert {p: p.read_bytes() for p in (project / "dist").rglob("*") if p.is_file()} == before


def test_build_summary_has_a_short_health_report(project: Path) -> None:
    (project / "seeds" / "bad.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    (project / "seeds" / "old.txt").write_text(text_article("2019-05-01", "Older story"), encoding="utf-8")
    for number in range(6):
        (project / "seeds" / f"worse{number}.txt").write_text("no date line\n", encoding="utf-8")
    result = run(project)
    assert result.returncode == 0, result.stderr
    assert "  per year  2019: 1 · 2022: 1" in result.stdout
    lines = result.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("  rejected  "))
    assert re.fullmatch(r"  rejected  seeds/bad\.md:\d+: invalid YAML front matter.*", lines[start])
    assert lines[start + 1 : start + 6] == [
        "            seeds/worse0.txt:1: missing date line: expected 'date YYYY-MM-DD Headline'",
        "            seeds/worse1.txt:1: missing date line: expected 'date YYYY-MM-DD Headline'",
        "            seeds/worse2.txt:1: missing date line: expected 'date YYYY-MM-DD Headline'",
        "            seeds/worse3.txt:1: missing date line: expected 'date YYYY-MM-DD Headline'",
        "            … and 2 more",
    ]


def test_options_work_before_and_after_the_command(site, capsys) -> None:
    site.add("a.txt", text_article("2022-12-12", "A story"))
    other = site.root / "elsewhere"
    for argv in (["--seeds", str(site.seeds), "check"], ["check", "--seeds", str(site.seeds)]):
        assert main([*argv, "--config", str(site.root / "site.yaml")], root=Path(__file__).resolve().parent.parent) == 0
        assert "1 article loaded" in capsys.readouterr().out
    assert main(["--seeds", str(other), "--config", str(site.root / "site.yaml"), "check"], root=site.root) == 1
    assert "no article could be loaded" in capsys.readouterr().err
