"""axe-core finds no WCAG 2.1 A or AA violation on any page kind, in light and in dark colours."""

from __future__ import annotations

from pathlib import Path

from qa_site import AXE_JS, one_page_per_kind, require_file

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


AXE_RUN = "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"


def describe(url: str, violation: dict) -> list[str]:
    return [
        f"{url}: {violation['id']} ({violation['impact']}): {violation['help']} at {' '.join(map(str, node['target']))}"
        f" — {node.get('failureSummary', '').splitlines()[-1].strip() if node.get('failureSummary') else ''}"
        for node in violation["nodes"]
    ]


def test_no_wcag_violations_on_any_page_kind(browser, qa_served: str, qa_site_under_sub_path: Path) -> None:
    """Each page is loaded once and checked in both colour schemes: switching the emulated
    `prefers-color-scheme` restyles the page in place, with axe already injected."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    checked = []
    for url in one_page_per_kind(qa_site_under_sub_path).values():
        page.goto(qa_served + url.lstrip("/"), wait_until="load")
        page.add_script_tag(path=str(require_file(AXE_JS)))
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")
            results = page.evaluate(AXE_RUN, WCAG_21_AA)
            checked.append((url, scheme, len(results["passes"])))
            for violation in results["violations"]:
                problems.extend(f"[{scheme}] {line}" for line in describe(url, violation))
    context.close()
    assert len(checked) >= 2 * 11 and all(passes > 0 for _, _, passes in checked), "axe checked too little"
    assert problems == []
