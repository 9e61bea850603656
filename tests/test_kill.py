"""A build killed with SIGKILL at any moment leaves the previous dist/ whole.

`python build.py` runs in a subprocess and is killed at spread-out moments of its run (measured
from a full build), and at moments picked by watching the staging folder: as soon as the new
article's page appears there, that is, in the middle of writing. After every kill, dist/ must be
exactly the previous site, or exactly the new one (when the kill came after the atomic swap).
A last, normal build must then repair whatever the killed ones left half-written in staging.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import text_article
from test_e2e import copy_project
from searchindex import stable_view
from test_hostile_build import tree

FRACTIONS = (0.1, 0.3, 0.5, 0.7, 0.85, 0.95, 1.1)


def _variant(project: Path, k: int) -> str:
    """Seeds for attempt k: the base archive plus one breaking story of its own; returns its URL."""
    for old in (project / "seeds").glob("breaking-*.txt"):
        old.unlink()
    (project / "seeds" / f"breaking-{k}.txt").write_text(text_article("2021-06-15", f"Breaking news {k}"), encoding="utf-8")
    return f"2021/06/15/breaking-news-{k}/index.html"


def _lede_variant(project: Path, k: int) -> None:
    """Seeds for attempt k: a new lede for one story, the same articles otherwise (a build that
    reuses the pages' skeletons and the last related computation: see layout.py)."""
    (project / "seeds" / "story-000.txt").write_text(text_article("2021-01-01", "Story number 0", f"Harbour pilots and lede {k}.", "Body " * 50), encoding="utf-8")


def _start(project: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "build.py", "--quiet", *args], cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _kill(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=60)


def _kill_when(process: subprocess.Popen[bytes], path: Path, limit: float) -> bool:
    """SIGKILL the build as soon as `path` exists; False if the build ended first."""
    deadline = time.monotonic() + limit
    while process.poll() is None and time.monotonic() < deadline:
        if path.exists():
            _kill(process)
            return True
        time.sleep(0.0005)
    _kill(process)
    return False


def test_sigkill_at_any_moment_leaves_a_whole_site(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    copy_project(project)
    for i in range(120):
        day = f"2021-{i % 12 + 1:02d}-{i % 28 + 1:02d}"
        (project / "seeds" / f"story-{i:03d}.txt").write_text(text_article(day, f"Story number {i}", "Body " * 50), encoding="utf-8")
    dist, staging = project / "dist", project / ".dist.staging"

    _variant(project, 0)
    started = time.monotonic()
    assert subprocess.run([sys.executable, "build.py", "--quiet"], cwd=project).returncode == 0
    duration = time.monotonic() - started

    outcomes: list[str] = []
    attempts = [("delay", f) for f in FRACTIONS] + [("mid-write", 0.0)] * 2
    for k, (how, fraction) in enumerate(attempts, start=1):
        before = tree(dist)
        if how == "delay" and k % 2 == 0:
            _lede_variant(project, k)
        else:
            new_page = _variant(project, k)
        process = _start(project)
        if how == "delay":
            time.sleep(duration * fraction)
            _kill(process)
        else:
            assert _kill_when(process, staging / new_page, limit=10 * duration), "the build ended before writing the new page"
            assert not (dist / new_page).exists()
        after = tree(dist)
        if after == before:
            outcomes.append(f"{how}: previous site")
        else:
            reference = tmp_path / f"reference-{k}"
            assert subprocess.run([sys.executable, "build.py", "--quiet", "--output", str(reference)], cwd=project).returncode == 0
            assert stable_view(after) == stable_view(tree(reference)), f"attempt {k} ({how} {fraction}) left a site that is neither the old nor the new one"
            outcomes.append(f"{how}: new site")
        assert (dist / "index.html").is_file()

    print(f"full build {duration:.2f} s;", outcomes)
    assert outcomes.count("mid-write: previous site") == 2
    assert "delay: previous site" in outcomes
    # A normal build repairs whatever the killed builds left half-written in the staging folder.
    final = tmp_path / "reference-final"
    assert subprocess.run([sys.executable, "build.py", "--quiet", "--output", str(final)], cwd=project).returncode == 0
    assert subprocess.run([sys.executable, "build.py", "--quiet"], cwd=project).returncode == 0
    assert stable_view(tree(dist)) == stable_view(tree(final))
