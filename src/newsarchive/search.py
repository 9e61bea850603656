"""Full-text search: Pagefind indexes the finished site and writes its search bundle into it.

Pagefind (`pagefind[bin]` from PyPI) ships its indexer as a binary. It runs on the staged site just
before the swap (see write.Indexer), so the live site and its index always match. It is run as a
command rather than through its async Python API: a command that fails has an exit code and its
own error message, where the API waits forever if the binary dies in the middle of indexing.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from newsarchive import urls
from newsarchive.errors import BuildFailed

# The files of the bundle that pages link to; the rest are loaded by pagefind-ui.js itself.
UI_SCRIPT = urls.search_bundle_url("pagefind-ui.js")
UI_STYLES = urls.search_bundle_url("pagefind-ui.css")

_TURN_OFF = "set `search: false` in site.yaml to build without search"


@dataclass(frozen=True, slots=True)
class Pagefind:
    executable: Path
    version: str


def find_pagefind() -> Pagefind:
    """The Pagefind binary and its version; a clear error when it is missing or does not run."""
    try:
        from pagefind.service import get_executable  # honours PAGEFIND_BINARY_PATH
    except ImportError:
        executable = None
    else:
        executable = get_executable()
    if executable is None:
        raise BuildFailed(f"search needs Pagefind: pip install 'pagefind[bin]', or {_TURN_OFF}")
    result = _run([str(executable), "--version"], what="could not start")
    return Pagefind(executable, result.stdout.split()[-1] if result.stdout.split() else "unknown")


def asset_versions(pagefind: Pagefind) -> dict[str, str]:
    """The bundle's scripts change only with Pagefind itself, so its version is their content version."""
    return {UI_SCRIPT: pagefind.version, UI_STYLES: pagefind.version}


def index_site(pagefind: Pagefind, site: Path) -> None:
    """Index the pages of `site` that mark their content with data-pagefind-body (the articles)."""
    command = [str(pagefind.executable), "--site", str(site), "--output-subdir", urls.SEARCH_BUNDLE_FOLDER, "--quiet"]
    _run(command, what="failed to index the site")


def _run(command: list[str], what: str) -> subprocess.CompletedProcess[str]:
    try:
        result = subprocess.run(command, capture_output=True, text=True, errors="replace", stdin=subprocess.DEVNULL)
    except OSError as error:
        raise BuildFailed(f"search index: Pagefind {what}: {error.strerror or error}; {_TURN_OFF}") from None
    if result.returncode != 0:
        said = [line.strip() for line in (result.stderr + "\n" + result.stdout).splitlines() if line.strip()]
        detail = " / ".join(said[-5:]) or "no message"
        raise BuildFailed(f"search index: Pagefind {what} (exit code {result.returncode}): {detail}; {_TURN_OFF}")
    return result
