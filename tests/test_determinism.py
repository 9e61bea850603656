"""Two builds of the same input, in different folders, at different times, with a different
time zone, locale, hash seed and file creation order, give byte-identical sites."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from conftest import text_article
from test_e2e import copy_project
from searchindex import stable_view
from test_hostile_build import tree

ARTICLES = {
    "a.txt": text_article("2022-03-01", "Zebra crossing", "First."),
    "b.txt": text_article("2022-03-01", "Apple harvest", "Second."),
    "c.txt": text_article("2022-03-01", "Apple harvest", "A clash with b.txt."),
    "d.md": "---\ntitle: Tags in many orders\ndate: 2022-03-01T23:30:00-05:00\ntags: [Zeta, alpha, Émile, 北京, beta]\n---\nBody.\n",
    "e.md": "---\ntitle: Другая новость\ndate: 2021-12-31\ntags: [beta, Zeta]\nextra_map: {b: 2, a: 1}\n---\nBody *with* markup.\n",
    "sub/f.txt": text_article("2020-02-29", "Leap day", "Old news."),
    "g.txt": text_article("2999-01-01", "From the future"),
}


def _project(root: Path, names: list[str], mtime: int) -> Path:
    root.mkdir(parents=True)
    copy_project(root)
    for old in (root / "seeds").iterdir():
        old.unlink()
    for name in names:
        path = root / "seeds" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(ARTICLES[name], encoding="utf-8")
        os.utime(path, (mtime, mtime))
    return root


def _build(project: Path, output: str, **env: str) -> None:
    result = subprocess.run(
        [sys.executable, "build.py", "--quiet", "--output", output],
        cwd=project,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr


def test_builds_are_byte_identical_across_folders_times_and_environments(tmp_path: Path) -> None:
    names = sorted(ARTICLES)
    first = _project(tmp_path / "one", names, mtime=1_000_000_000)
    _build(first, "dist", TZ="UTC", LC_ALL="C.UTF-8", PYTHONHASHSEED="1")
    time.sleep(1.1)  # a clock that leaked into a page would now read differently
    second = _project(tmp_path / "two" / "deeper", list(reversed(names)), mtime=1_700_000_000)
    _build(second, "elsewhere", TZ="Pacific/Kiritimati", LC_ALL="tr_TR.UTF-8", LANG="de_DE.UTF-8", PYTHONHASHSEED="2")
    one, two = stable_view(tree(first / "dist")), stable_view(tree(second / "elsewhere"))  # see searchindex
    assert len(one) > 30
    assert sorted(one) == sorted(two)
    assert [name for name in sorted(one) if one[name] != two[name]] == []
