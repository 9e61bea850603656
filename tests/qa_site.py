"""The browser test site (tests/browser/site) and the tools that check it: what pages it has,
which page kind each one is, and where the Nu HTML checker and axe-core are installed.

Every check walks the built site, so a page kind added later is covered without editing the tests:
a URL that matches none of KINDS becomes a kind of its own, named after its shape.
A missing tool is a test failure, never a skip: CI must prove the pages are valid and accessible.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import REPO
from newsarchive.build import BuildOptions, build

QA = Path(__file__).parent / "browser"
SITE = QA / "site"
NODE_MODULES = QA / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "test-artifacts"
INSTALL_HINT = "run `npm ci --prefix tests/browser --ignore-scripts` (README's test command and .ci/run do)"

# Known page kinds by URL, most specific first. Anything else is named by its shape (see page_kind).
KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("home", r"/"),
        ("home-page", r"/page/\d+/"),
        ("article", r"/\d{4}/\d{2}/\d{2}/[^/]+/"),
        ("day", r"/\d{4}/\d{2}/\d{2}/"),
        ("month", r"/\d{4}/\d{2}/"),
        ("year", r"/\d{4}/"),
        ("archive", r"/archive/"),
        ("tags", r"/tags/"),
        ("tag", r"/tags/[^/]+/"),
        ("tag-page", r"/tags/[^/]+/page/\d+/"),
        ("not-found", r"/404\.html"),
    )
)


def build_site(output: Path, base_url: str) -> Path:
    """Build the browser test site into `output` for a site published at `base_url`."""
    build(
        BuildOptions(
            seeds=SITE / "seeds",
            output=output,
            config=SITE / "site.yaml",
            templates=REPO / "templates",
            static=REPO / "static",
            base_url=base_url,
        )
    )
    return output


def page_urls(dist: Path) -> list[str]:
    """Every HTML page of a built site as a root-relative URL ('/', '/2022/', '/404.html'), sorted."""
    urls = []
    for path in dist.rglob("*.html"):
        relative = path.relative_to(dist).as_posix()
        urls.append("/" + relative.removesuffix("index.html") if path.name == "index.html" else "/" + relative)
    return sorted(urls)


def page_kind(url: str) -> str:
    for name, pattern in KINDS:
        if pattern.fullmatch(url):
            return name
    # An unknown kind, named by its shape: '/search/' -> 'search', '/timeline/2022/' -> 'timeline-N'.
    segments = [s for s in url.strip("/").removesuffix(".html").split("/") if s]
    shape = [segments[0]] + ["N" if s.isdigit() else "x" for s in segments[1:]]
    return "-".join(shape)


def one_page_per_kind(dist: Path) -> dict[str, str]:
    """For each page kind, its largest page: the one most likely to overflow or hide a problem."""
    chosen: dict[str, tuple[int, str]] = {}
    for url in page_urls(dist):
        size = file_for(dist, url).stat().st_size
        kind = page_kind(url)
        if kind not in chosen or size > chosen[kind][0]:
            chosen[kind] = (size, url)
    return {kind: url for kind, (_, url) in sorted(chosen.items())}


def file_for(dist: Path, url: str) -> Path:
    return dist / (url.lstrip("/") + "index.html" if url.endswith("/") else url.lstrip("/"))


def require_java() -> str:
    java = shutil.which("java")
    if java is None:
        raise AssertionError("java is missing: install a Java runtime (apt-get install default-jre-headless); .ci/run does")
    return java


def require_file(path: Path) -> Path:
    if not path.is_file():
        raise AssertionError(f"{path.relative_to(REPO)} is missing: {INSTALL_HINT}")
    return path
