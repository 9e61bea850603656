"""Parser cases: each input file under tests/cases/ sits beside its expected record as JSON.

Run pytest with --update-golden to rewrite the JSON after a deliberate change, then review the diff.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from newsarchive.config import Config
from newsarchive.load import read_article

CASES = Path(__file__).parent / "cases"
INPUTS = sorted(p for p in CASES.rglob("*") if p.is_file() and p.suffix != ".json")


def _plain(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "items"):
        return {k: _plain(v) for k, v in value.items()}
    return value


def record(path: Path) -> dict:
    parsed, problems = read_article(path, path.name, Config())
    assert parsed is not None, [str(p) for p in problems]
    article = parsed.article
    fields = {f.name: _plain(getattr(article, f.name)) for f in dataclasses.fields(article)}
    fields["reading_minutes"] = article.reading_minutes
    fields["warnings"] = [str(p) for p in problems]
    return fields


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.relative_to(CASES).as_posix())
def test_parser_case(path: Path, request: pytest.FixtureRequest) -> None:
    expected_path = path.with_suffix(".json")
    actual = record(path)
    if request.config.getoption("--update-golden"):
        expected_path.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert expected_path.exists(), f"no expected record; run pytest --update-golden and review {expected_path.name}"
    assert actual == json.loads(expected_path.read_text(encoding="utf-8"))


def test_every_case_has_expected_output() -> None:
    assert len(INPUTS) >= 9
    orphans = [p for p in CASES.rglob("*.json") if not any(p.with_suffix(s).exists() for s in (".txt", ".md", ".markdown", ".mdx", ".html"))]
    assert orphans == []
