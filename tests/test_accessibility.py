"""axe-core finds no WCAG 2.1 A or AA violation on any page kind, at phone and desktop widths, in light and in dark colours."""

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
    """Each page is loaded once and checked at phone and desktop widths (a box that scrolls on a
    phone must be reachable by keyboard) in both colour schemes: resizing and switching the emulated
    `prefers-color-scheme` restyle the page in place, with axe already injected."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    problems: list[str] = []
    checked = []
    for url in one_page_per_kind(qa_site_under_sub_path).values():
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(qa_served + url.lstrip("/"), wait_until="load")
        page.add_script_tag(path=str(require_file(AXE_JS)))
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            for scheme in ("light", "dark"):
                page.emulate_media(color_scheme=scheme)
                assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")
                results = page.evaluate(AXE_RUN, WCAG_21_AA)
                checked.append((url, width, scheme, len(results["passes"])))
                for violation in results["violations"]:
                    problems.extend(f"[{width} px, {scheme}] {line}" for line in describe(url, violation))
    context.close()
    assert len(checked) >= 4 * 11 and all(check[-1] > 0 for check in checked), "axe checked too little"
    assert problems == []
