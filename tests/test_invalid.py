"""Invalid input: each tests/invalid/<case>/ holds bad seeds and the exact lines the build must print.

A case folder holds `seeds/` (symbolic links are copied as links), `expected.txt` (the exact
problem lines, empty for input that must be accepted without a word), optionally `site.yaml`,
`published.txt` (URLs that must exist afterwards) and anything the seeds point at.
A good article is added to every case: it must still be published, and the build must exit 0.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO, text_article
from newsarchive.cli import main

CASES = sorted(p for p in (Path(__file__).parent / "invalid").iterdir() if p.is_dir())
GOOD = "/2020/01/01/good-article/"


def _copy_case(case: Path, root: Path) -> None:
    shutil.copytree(case, root, symlinks=True, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expected.txt", "published.txt"))
    (root / "seeds" / "zz_good.txt").write_text(text_article("2020-01-01", "Good article"), encoding="utf-8")


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def _clash_between_cases(line: str) -> bool:
    """A clash warning whose two files come from different case folders."""
    if " is already used by " not in line:
        return False
    own = line.split("/", 2)[1]
    return not line.split(" is already used by ", 1)[1].startswith(f"seeds/{own}/")


def _build(root: Path, *flags: str) -> int:
    return main([*flags, "--templates", str(REPO / "templates"), "--static", str(REPO / "static")])


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_invalid_case(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _copy_case(case, tmp_path)
    monkeypatch.chdir(tmp_path)
    code = _build(tmp_path, "--quiet")
    assert capsys.readouterr().err.splitlines() == _lines(case / "expected.txt")
    assert code == 0
    for url in [GOOD, *_lines(case / "published.txt")]:
        assert (tmp_path / "dist" / url.lstrip("/") / "index.html").is_file(), url


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_strict_makes_the_case_fatal(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _copy_case(case, tmp_path)
    monkeypatch.chdir(tmp_path)
    code = _build(tmp_path, "--strict")
    if not _lines(case / "expected.txt"):  # accepted input: --strict has nothing to object to
        assert code == 0
        return
    assert code == 1
    assert "--strict" in capsys.readouterr().err
    assert not (tmp_path / "dist").exists()


def test_every_case_is_reported_in_one_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """All the cases' seeds side by side: every problem is reported in the same run, none stops it."""
    expected: list[str] = []
    for case in CASES:
        if (case / "site.yaml").exists() or any(p.is_symlink() for p in (case / "seeds").rglob("*")):
            continue  # needs its own configuration, or links that point beside its own seeds/
        shutil.copytree(case / "seeds", tmp_path / "seeds" / case.name)
        expected += [line.replace("seeds/", f"seeds/{case.name}/") for line in _lines(case / "expected.txt")]
    (tmp_path / "seeds" / "zz_good.txt").write_text(text_article("2020-01-01", "Good article"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert _build(tmp_path) == 0
    captured = capsys.readouterr()
    # Cases that reuse a date and headline clash with each other only because they now share seeds/.
    reported = [line for line in captured.err.splitlines() if not _clash_between_cases(line)]
    # Clashes are found after every file is read, so they may come later; each line appears once.
    assert sorted(reported) == sorted(expected)
    assert len(expected) >= 30
    errors = sum(1 for line in expected if ": warning: " not in line)
    summary = re.search(r"(\d+) files rejected.*?(\d+) errors, (\d+) warnings", captured.out, re.S)
    assert summary is not None, captured.out
    rejected, counted_errors, counted_warnings = map(int, summary.groups())
    assert (counted_errors, counted_warnings) == (errors, len(captured.err.splitlines()) - errors)
    assert 25 <= rejected <= errors  # a few errors (an unusable redirect) leave their article published
    assert (tmp_path / "dist" / GOOD.lstrip("/") / "index.html").is_file()
