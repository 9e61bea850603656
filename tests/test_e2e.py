"""End to end: `python build.py` in a temporary copy of the repository, as a user would run it."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO, text_article
from newsarchive.links import broken_links
from searchindex import files, stable_view

PROJECT_FILES = ("build.py", "site.yaml", "src", "seeds", "templates", "static")


def copy_project(target: Path) -> Path:
    for name in PROJECT_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(source, target / name)
    return target


def run_build(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "build.py", *args], cwd=project, capture_output=True, text=True, timeout=600)


def test_build_py_builds_the_sample_archive(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    assert "1 article loaded, 0 files rejected" in result.stdout
    dist = project / "dist"
    slug = "baku-stresses-need-for-russian-peacekeeping-contingent-to-strictly-observe"
    for page in ("index.html", "2022/index.html", "2022/12/index.html", "2022/12/12/index.html",
                 f"2022/12/12/{slug}/index.html", "archive/index.html", "tags/index.html", "404.html"):  # fmt: skip
        assert (dist / page).is_file(), page
    article = (dist / f"2022/12/12/{slug}/index.html").read_text(encoding="utf-8")
    assert "Azerbaijan’s sovereignty" in article
    assert '<time datetime="2022-12-12">12 December 2022</time>' in article
    assert broken_links(dist) == []
    assert not result.stderr


def test_the_command_line_ends_with_its_output_written_and_its_exit_code(tmp_path: Path) -> None:
    """The entry points end the process without the interpreter's teardown (cli.run): what was
    printed to a pipe, block-buffered as it is when PYTHONUNBUFFERED is not set, still arrives."""
    project = copy_project(tmp_path)
    env = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    (project / "seeds" / "bad.txt").write_text(" date 2022-02-30 Impossible\n\nBody.\n", encoding="utf-8")
    for command in ([sys.executable, "build.py", "--strict"], [sys.executable, "-m", "newsarchive", "--strict"]):
        result = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=600, env=env)
        assert result.returncode == 1, result.stdout + result.stderr
        assert "seeds/bad.txt:1: impossible date 2022-02-30" in result.stdout + result.stderr
    result = subprocess.run([sys.executable, "build.py"], cwd=project, capture_output=True, text=True, timeout=600, env=env)
    assert result.returncode == 0 and "1 article loaded, 1 file rejected" in result.stdout, result.stdout + result.stderr


def test_a_thousand_articles_each_reachable_from_its_day(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    seeds = project / "seeds"
    rng = random.Random(7)
    for number in range(1000):
        day = f"20{10 + number % 12:02d}-{1 + number % 12:02d}-{1 + rng.randrange(28):02d}"
        (seeds / f"a{number:04d}.txt").write_text(text_article(day, f"Story number {number}", "Body text " * 50), encoding="utf-8")
    result = run_build(project, "--quiet")
    assert result.returncode == 0, result.stderr
    dist = project / "dist"
    article_pages = [p for p in dist.glob("*/*/*/*/index.html")]
    assert len(article_pages) == 1001
    for page in article_pages:
        day_page = (page.parent.parent / "index.html").read_text(encoding="utf-8")
        assert f'href="{page.parent.name}/"' in day_page, page
    assert broken_links(dist) == []


def test_links_work_under_a_sub_path(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    result = run_build(project, "--base-url", "https://example.org/archive/")
    assert result.returncode == 0, result.stderr
    assert broken_links(project / "dist", mount="/archive/") == []


def test_second_build_is_byte_identical_and_leaves_no_stray_files(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    assert run_build(project).returncode == 0
    first = stable_view(files(project / "dist"))
    result = run_build(project)
    assert result.returncode == 0
    assert stable_view(files(project / "dist")) == first
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".dist")) == [".dist.lock", ".dist.staging"]
