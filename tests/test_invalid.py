"""Invalid input: each tests/invalid/<case>/ holds bad seeds and the exact lines the build must print.

A good article is added to every case: it must still be published, and the build must exit 0.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import REPO, text_article
from newsarchive.cli import main

CASES = sorted(p for p in (Path(__file__).parent / "invalid").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_invalid_case(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(case / "seeds", tmp_path / "seeds")
    (tmp_path / "seeds" / "zz_good.txt").write_text(text_article("2020-01-01", "Good article"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code = main(["--quiet", "--templates", str(REPO / "templates"), "--static", str(REPO / "static")])
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert capsys.readouterr().err.splitlines() == expected
    assert code == 0
    assert (tmp_path / "dist/2020/01/01/good-article/index.html").is_file()


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_strict_makes_the_case_fatal(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(case / "seeds", tmp_path / "seeds")
    (tmp_path / "seeds" / "zz_good.txt").write_text(text_article("2020-01-01", "Good article"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code = main(["--strict", "--templates", str(REPO / "templates"), "--static", str(REPO / "static")])
    assert code == 1
    assert "--strict" in capsys.readouterr().err
    assert not (tmp_path / "dist").exists()
