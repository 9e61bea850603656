"""Progress shows on a terminal only; the summary gives each phase's time; --jobs is checked."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from conftest import REPO, text_article

PROGRESS_LINE = "\r\x1b[2K"


def _project(root: Path) -> Path:
    seeds = root / "seeds"
    seeds.mkdir()
    for day in range(1, 21):
        (seeds / f"{day}.txt").write_text(text_article(f"2022-03-{day:02d}", f"Story {day}"), encoding="utf-8")
    return root


def _command(root: Path, *args: str) -> list[str]:
    return [sys.executable, str(REPO / "build.py"), "--seeds", str(root / "seeds"), "--output", str(root / "dist"),
            "--config", str(root / "site.yaml"), *args]  # fmt: skip


def test_a_terminal_gets_progress_and_a_pipe_does_not(tmp_path: Path) -> None:
    root = _project(tmp_path)
    piped = subprocess.run(_command(root, "--clean"), capture_output=True, text=True, timeout=300)
    assert piped.returncode == 0, piped.stderr
    assert PROGRESS_LINE not in piped.stdout and "files rendered" not in piped.stdout
    assert "time      load" in piped.stdout and "index" in piped.stdout and "render" in piped.stdout

    leader, follower = pty.openpty()
    process = subprocess.Popen(_command(root, "--clean"), stdout=follower, stderr=subprocess.PIPE)
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the build is over
            break
        if not chunk:
            break
        output += chunk
    os.close(leader)
    assert process.wait(timeout=300) == 0
    text = output.decode()
    assert PROGRESS_LINE in text and "files rendered" in text and "/s)" in text

    quiet = subprocess.run(_command(root, "--clean", "--quiet"), capture_output=True, text=True, timeout=300)
    assert quiet.returncode == 0 and quiet.stdout == ""


def test_jobs_must_be_a_positive_number(tmp_path: Path) -> None:
    result = subprocess.run(_command(_project(tmp_path), "--jobs", "0"), capture_output=True, text=True, timeout=300)
    assert result.returncode == 2 and "--jobs" in result.stderr
