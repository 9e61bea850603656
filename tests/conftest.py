"""Shared fixtures: the repository's folders and a way to build small sites in a temporary folder."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from newsarchive.build import BuildOptions, BuildReport, build

REPO = Path(__file__).resolve().parent.parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/expected from a fresh build")


@dataclass
class SiteFolder:
    """A throwaway site: seeds/, site.yaml and the repository's templates and static files."""

    root: Path

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    @property
    def dist(self) -> Path:
        return self.root / "dist"

    def add(self, name: str, text: str | bytes) -> Path:
        path = self.seeds / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip("\n") if text.startswith("\n") else text, encoding="utf-8")
        return path

    def config(self, text: str) -> None:
        (self.root / "site.yaml").write_text(textwrap.dedent(text), encoding="utf-8")

    def options(self, **overrides) -> BuildOptions:
        values = dict(
            seeds=self.seeds,
            output=self.dist,
            config=self.root / "site.yaml",
            templates=REPO / "templates",
            static=REPO / "static",
        )
        values.update(overrides)
        return BuildOptions(**values)

    def build(self, **overrides) -> BuildReport:
        return build(self.options(**overrides))

    def page(self, url: str) -> str:
        path = self.dist / url.lstrip("/")
        if url.endswith("/"):
            path = path / "index.html"
        return path.read_text(encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SiteFolder:
    monkeypatch.chdir(tmp_path)
    folder = SiteFolder(tmp_path)
    folder.seeds.mkdir()
    return folder


def text_article(day: str, headline: str, *paragraphs: str) -> str:
    """An article in the primary text format."""
    body = "\n\n".join(paragraphs or ("Body text.",))
    return f" date {day} {headline}\n\n{headline}\n\n{body}\n"


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session (Debian's binary, never a downloaded one)."""
    from playwright.sync_api import sync_playwright

    from browser import CHROMIUM_ARGS, require_chromium

    executable = require_chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def qa_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/browser/site built once per session for a site published at a domain root."""
    from qa_site import build_site

    return build_site(tmp_path_factory.mktemp("qa-root") / "dist", "https://example.org/")


@pytest.fixture(scope="session")
def qa_site_under_sub_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same site published under /news/ (only 404.html differs: it links from the site's root)."""
    from qa_site import build_site

    return build_site(tmp_path_factory.mktemp("qa-sub") / "dist", "https://example.org/news/")


@pytest.fixture(scope="session")
def qa_served(qa_site_under_sub_path: Path):
    """The sub-path build served at http://127.0.0.1:PORT/news/, for every browser check."""
    from browser import serve

    with serve(qa_site_under_sub_path, mount="/news/") as base:
        yield base
