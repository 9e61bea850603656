"""Every page of the browser test site in Chromium: it loads with no console error and no failed
request, fits a 390 px phone screen without sideways scrolling, and each page kind is
photographed at phone and desktop widths, in light and dark, into test-artifacts/screenshots/.
"""

from __future__ import annotations

import shutil
import struct
from pathlib import Path

from browser import watch
from qa_site import ARTIFACTS, one_page_per_kind, page_urls

PHONE, DESKTOP = 390, 1280
SCREENSHOTS = ARTIFACTS / "screenshots"


def page_width(page) -> int:
    return page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")


def test_every_page_loads_cleanly_and_fits_a_phone(browser, qa_served: str, qa_site_under_sub_path: Path) -> None:
    urls = page_urls(qa_site_under_sub_path)
    context = browser.new_context(viewport={"width": PHONE, "height": 844})
    page = context.new_page()
    problems: list[str] = []
    current: list[str] = []
    watch(page, current)
    for url in urls:
        current.clear()
        response = page.goto(qa_served + url.lstrip("/"), wait_until="load")
        if response is None or not response.ok:
            current.append(f"HTTP {response.status if response else 'no response'}")
        width = page_width(page)
        if width > PHONE:
            current.append(f"{width} px wide: scrolls sideways on a {PHONE} px phone")
        problems.extend(f"{url}: {problem}" for problem in current)
    context.close()
    assert len(urls) > 50, "the test site lost pages"
    assert problems == []


def test_screenshots_of_every_page_kind(browser, qa_served: str, qa_site_under_sub_path: Path) -> None:
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)
    taken = []
    for width in (PHONE, DESKTOP):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        for kind, url in one_page_per_kind(qa_site_under_sub_path).items():
            page.goto(qa_served + url.lstrip("/"), wait_until="load")
            for scheme in ("light", "dark"):
                page.emulate_media(color_scheme=scheme)
                path = SCREENSHOTS / f"{kind}-{width}-{scheme}.png"
                page.screenshot(path=path, full_page=True)
                taken.append((path, width))
        context.close()
    for path, width in taken:
        # A PNG's IHDR chunk holds its width: a full-page shot wider than the viewport means overflow.
        assert struct.unpack(">I", path.read_bytes()[16:20])[0] == width, path.name
    assert len(taken) >= 4 * 11
