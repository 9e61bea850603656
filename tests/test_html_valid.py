"""Every HTML page, stylesheet and SVG of the browser test site passes the Nu HTML checker.

One checker run covers the whole site (a JVM start per page would be slow). Two canary files
with known errors go into the same run, so the test proves the checker really read the folder
with these options instead of passing because it checked nothing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from qa_site import VNU_JAR, require_file, require_java

CANARIES = {
    "canary-invalid.html": "<!doctype html><html lang=en><title>canary</title><p><div></p>",
    "canary-invalid.css": "a { colr: red }",
}


def nu_errors(folder: Path) -> list[dict]:
    """The checker's error messages for every .html, .css and .svg file under `folder`."""
    result = subprocess.run(
        [require_java(), "-jar", str(require_file(VNU_JAR)), "--errors-only", "--also-check-css", "--also-check-svg",
         "--skip-non-html", "--format", "json", str(folder)],  # fmt: skip
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(result.stderr)  # the checker writes its report to standard error
    return [m for m in report["messages"] if m["type"] in ("error", "non-document-error")]


def test_whole_site_has_no_html_or_css_errors(qa_site: Path, tmp_path: Path) -> None:
    checked = shutil.copytree(qa_site, tmp_path / "site")
    for name, text in CANARIES.items():
        (checked / name).write_text(text, encoding="utf-8")
    errors = nu_errors(checked)
    by_file: dict[str, list[str]] = {}
    for message in errors:
        url = message.get("url", "file:?").removeprefix("file:")
        name = Path(url).relative_to(checked.resolve()).as_posix() if url.startswith(str(checked.resolve())) else url
        by_file.setdefault(name, []).append(f"{message.get('lastLine', '?')}: {message['message']}")
    assert sorted(set(by_file) & set(CANARIES)) == sorted(CANARIES), "the checker did not read the whole folder"
    site_errors = {name: lines for name, lines in by_file.items() if name not in CANARIES}
    assert site_errors == {}
