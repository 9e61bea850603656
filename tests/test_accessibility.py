"""axe-core finds no WCAG 2.1 A or AA violation on any page kind, in light and in dark colours."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa_site import AXE_JS, one_page_per_kind, require_file

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_results(page) -> dict:
    page.add_script_tag(path=str(require_file(AXE_JS)))
    return page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", WCAG_21_AA)


def describe(url: str, violation: dict) -> list[str]:
    return [
        f"{url}: {violation['id']} ({violation['impact']}): {violation['help']} at {' '.join(map(str, node['target']))}"
        f" — {node.get('failureSummary', '').splitlines()[-1].strip() if node.get('failureSummary') else ''}"
        for node in violation["nodes"]
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_wcag_violations_on_any_page_kind(browser, qa_served: str, qa_site_under_sub_path: Path, scheme: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    problems: list[str] = []
    checked = 0
    for url in one_page_per_kind(qa_site_under_sub_path).values():
        page.goto(qa_served + url.lstrip("/"), wait_until="load")
        assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")
        results = axe_results(page)
        checked += len(results["passes"]) > 0
        for violation in results["violations"]:
            problems.extend(describe(url, violation))
    context.close()
    assert checked >= 11, "axe checked too few pages"
    assert problems == []
