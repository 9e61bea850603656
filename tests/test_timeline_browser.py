"""The charts in Chromium, in the light and the dark colour scheme: visible, readable, clickable."""

from __future__ import annotations

import pytest

from browser import serve
from conftest import text_article

CONTRAST = """(selector) => {
  const rgb = (text) => text.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const luminance = (text) => {
    const [r, g, b] = rgb(text).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const background = luminance(getComputedStyle(document.body).backgroundColor);
  return [...document.querySelectorAll(selector)].map((el) => {
    const fill = luminance(getComputedStyle(el).fill);
    return (Math.max(fill, background) + 0.05) / (Math.min(fill, background) + 0.05);
  });
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_charts_read_well_in_both_colour_schemes(site, browser, scheme: str) -> None:
    days = ["2022-01-03"] * 8 + ["2022-01-04"] * 5 + ["2022-02-10"] * 3 + ["2022-03-15"] * 1 + ["2022-03-16"] * 2
    for i, day in enumerate(days):
        site.add(f"{i:02d}.txt", text_article(day, f"Story {i}"))
    site.build()
    with serve(site.dist) as base:
        page = browser.new_page(color_scheme=scheme)
        page.goto(base + "2022/")
        # Bars and every heat level with articles stand out from the page (WCAG 1.4.11: 3:1) ...
        for selector in (".month-chart .bar", ".heatmap a rect"):
            ratios = page.evaluate(CONTRAST, selector)
            assert ratios and min(ratios) >= 3, (selector, ratios)
        assert {page.locator(".heatmap a rect").nth(i).get_attribute("class") for i in range(5)} == {"heat-1", "heat-2", "heat-3", "heat-4"}
        fills = page.evaluate("[...document.querySelectorAll('.heatmap a rect')].map((el) => getComputedStyle(el).fill)")
        assert len(set(fills)) == 4  # the stylesheet colours each level (unstyled SVG would be all black)
        # ... and the axis text is as readable as body text (4.5:1).
        assert min(page.evaluate(CONTRAST, ".chart text")) >= 4.5
        box = page.locator("#days svg").bounding_box()
        assert box and box["width"] > 300 and box["height"] > 50
        page.click('.heatmap a[aria-label="4 January 2022: 5 articles"]')
        assert page.url == base + "2022/01/04/"
        page.close()
