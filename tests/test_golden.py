"""The golden site: tests/golden/site is built and compared file by file with tests/golden/expected.

After a deliberate change to templates or output, refresh with `pytest --update-golden` and review
the diff of tests/golden/expected like any other change.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import REPO
from newsarchive.build import BuildOptions, build

GOLDEN = Path(__file__).parent / "golden"


# Pagefind's own output (scripts, wasm, hashed index files) is not kept here; tests/test_search.py
# and the browser tests check it.
SEARCH_BUNDLE = "pagefind"


def _files(root: Path) -> dict[str, bytes]:
    found = (p for p in sorted(root.rglob("*")) if p.is_file() and p.relative_to(root).parts[0] != SEARCH_BUNDLE)
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in found}


def test_golden_site(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    site = GOLDEN / "site"
    output = tmp_path / "dist"
    build(BuildOptions(seeds=site / "seeds", output=output, config=site / "site.yaml", templates=REPO / "templates", static=REPO / "static"))
    expected_root = GOLDEN / "expected"
    if request.config.getoption("--update-golden"):
        shutil.rmtree(expected_root, ignore_errors=True)
        shutil.copytree(output, expected_root, ignore=lambda folder, names: [SEARCH_BUNDLE] if Path(folder) == output else [])
    actual, expected = _files(output), _files(expected_root)
    assert sorted(actual) == sorted(expected), "the set of output files changed"
    changed = [path for path in actual if actual[path] != expected[path]]
    assert changed == [], f"output differs from tests/golden/expected (refresh with --update-golden): {changed}"
