"""Hostile headlines, bodies, tags and front matter never become markup or script.

One site is built from articles full of injection attempts. Every output file is then checked
statically (no event handler, no script but JSON data, no javascript: URL, every XML and JSON
file well-formed) and every page is opened in Chromium with a canary: the payloads would call
alert() or set `window.__pwned`; no dialog may open and the canary must stay untouched.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser
from pathlib import Path

import pytest

from browser import serve
from conftest import SiteFolder
from newsarchive.formats.markdown import render_markdown
from newsarchive.urls import slugify

TEXT_ARTICLE = "/2022/05/01/{}/"

RUN = "window.__pwned=1;alert(1)"
HEADLINE = f'<script>{RUN}</script>"><img src=x onerror="{RUN}"> </title></script>{{{{7*7}}}}'
ATTRIBUTE = f'" onmouseover="{RUN}" x="'
PAYLOADS = [
    f"<script>{RUN}</script>",
    f'<img src=x onerror="{RUN}">',
    f'<a href="javascript:{RUN}">javascript link</a>',
    f'<a href="jav&#x09;ascript:{RUN}">encoded javascript link</a>',
    f'<a href=" JAVASCRIPT:{RUN}">spaced javascript link</a>',
    f"[markdown javascript link](javascript:{RUN})",
    "[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    f'<iframe src="javascript:{RUN}"></iframe>',
    f'<iframe srcdoc="<script>{RUN}</script>"></iframe>',
    f'<svg><script>{RUN}</script><animate onbegin="{RUN}"/></svg>',
    f'<math><mtext><table><mglyph><style><img src=x onerror="{RUN}">',
    f'<details open ontoggle="{RUN}">details</details>',
    f'<div style="background:url(javascript:{RUN})">styled</div>',
    f'<form action="javascript:{RUN}"><button formaction="javascript:{RUN}">go</button></form>',
    f'<object data="javascript:{RUN}"></object><embed src="javascript:{RUN}">',
    f'<base href="javascript:{RUN}//">',
    f'<meta http-equiv="refresh" content="0;url=javascript:{RUN}">',
    f'<noscript><p title="</noscript><img src=x onerror={RUN}>">',
    f'<!-- --><img src=x onerror="{RUN}"> <!-- -->',
    f'<p>inline <b onclick="{RUN}">bold</b> <span style="x:expression({RUN})">span</span></p>',
]
RAW_HTML = "\n\n".join(PAYLOADS) + "\n"


def hostile_site(site: SiteFolder) -> None:
    site.config(f"""
        title: '<script>{RUN}</script> Archive'
        base_url: https://example.org/archive/
        description: '{ATTRIBUTE}'
        author: '</script><script>{RUN}</script>'
    """)
    site.add("a.txt", f" date 2022-05-01 {HEADLINE}\n\n{RAW_HTML}\n{ATTRIBUTE}\n")
    front = {
        "title": HEADLINE,
        "date": "2022-05-02",
        "tags": [f"<script>{RUN}</script>", ATTRIBUTE, f"javascript:{RUN}", "</script><!--"],
        "author": f"</script><script>{RUN}</script>",
        "source": f"javascript:{RUN}",
        "summary": f'<img src=x onerror="{RUN}">',
        "slug": f"javascript:{RUN}",
        "updated": "2022-05-03",
        "extra_html": f"<script>{RUN}</script>",
    }
    site.add("b.md", "---\n" + json.dumps(front) + "\n---\n" + RAW_HTML)
    site.add("c.md", "---\n" + json.dumps({**front, "slug": "second", "date": "2022-05-02T10:00:00+02:00"}) + "\n---\nPlain body.\n")


DANGEROUS_URL = re.compile(r"^(javascript|vbscript|data):", re.I)
def _is_site_search_form(tag: str, attrs: dict[str, str | None]) -> bool:
    """The header's own search box: a GET form to the site's search page (its action is audited too)."""
    action = attrs.get("action") or ""
    return tag == "form" and attrs.get("class") == "site-search" and attrs.get("method") == "get" and (action.endswith("search/") or action == "./")


def _is_search_script(attrs: dict[str, str | None]) -> bool:
    """The search page's own scripts: files of the site (Pagefind's UI and search.js), never inline."""
    src = (attrs.get("src") or "").split("?")[0]
    return ":" not in src and not src.startswith("//") and src.endswith(("pagefind/pagefind-ui.js", "/search.js"))


URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcset"}
FORBIDDEN_TAGS = {"iframe", "object", "embed", "base", "form", "frame", "frameset", "applet", "svg", "math"}


class _Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.script: list[str] | None = None
        self.scripts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}>")
            if name in URL_ATTRIBUTES and value and DANGEROUS_URL.match(re.sub(r"[\x00-\x20]", "", value)):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name == "style" and "url(" in (value or ""):
                self.problems.append(f"<{tag} style={value!r}>")
        values = dict(attrs)
        # The site's own markup: timeline charts (inline SVG built by timeline.py) and the
        # optional on-this-day script, loaded from the site's static files with no inline code.
        own_chart = tag == "svg" and (values.get("class") or "").startswith("chart ") and values.get("role") in ("img", "group")
        own_script = tag == "script" and re.fullmatch(r"(\.\./)*on-this-day\.js\?v=[0-9a-f]{10}", values.get("src") or "")
        if (tag in FORBIDDEN_TAGS and not own_chart and not _is_site_search_form(tag, values)) or (tag == "meta" and values.get("http-equiv")):
            self.problems.append(f"<{tag}>")
        if tag == "script" and not own_script:
            if dict(attrs).get("type") == "application/ld+json":
                self.script = []
            elif not _is_search_script(dict(attrs)):
                self.problems.append("<script> that is not JSON data")

    def handle_data(self, data: str) -> None:
        if self.script is not None:
            self.script.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self.script is not None:
            self.scripts.append("".join(self.script))
            self.script = None


def audit(dist: Path) -> list[str]:
    """Every sign of injected markup or script in a built site, as 'file: problem'."""
    problems: list[str] = []
    for path in sorted(dist.rglob("*")):
        rel = path.relative_to(dist).as_posix()
        if path.suffix == ".html":
            parser = _Audit()
            parser.feed(path.read_text(encoding="utf-8"))
            parser.close()
            problems += [f"{rel}: {p}" for p in parser.problems]
            for script in parser.scripts:
                try:
                    json.loads(script)  # JSON-LD must stay JSON: a headline cannot end it
                except ValueError:
                    problems.append(f"{rel}: JSON-LD that is not JSON")
                if "</script" in script.lower() or "<!--" in script:
                    problems.append(f"{rel}: markup inside JSON-LD")
        elif path.suffix in (".xml", ".rss", ".atom"):
            root = ElementTree.parse(path).getroot()  # well-formed, whatever the headlines held
            problems += [f"{rel}: <{e.tag}>" for e in root.iter() if e.tag.rsplit("}", 1)[-1] == "script"]
        elif path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))
    return problems


def test_hostile_input_builds_to_inert_pages(site: SiteFolder) -> None:
    hostile_site(site)
    report = site.build()
    assert len(report.loaded.articles) == 3
    assert audit(site.dist) == []
    assert list(site.dist.rglob("*.xml")) and list(site.dist.rglob("*.json"))  # feeds and exports were audited too
    page = site.page(TEXT_ARTICLE.format(slugify(HEADLINE)))
    # Escaped, not stripped: the reader sees exactly what the author typed.
    assert "&lt;script&gt;window.__pwned=1;alert(1)&lt;/script&gt;" in page
    assert "{{7*7}}" in page and "49" not in page


def test_the_auditor_finds_injections(tmp_path: Path) -> None:
    (tmp_path / "bad.html").write_text(
        '<a href=" javascript:x()">a</a><img src=x onerror=y><script>z()</script><iframe></iframe>'
        '<script type="application/ld+json">{"a": "<!--"}</script>',
        encoding="utf-8",
    )
    assert len(audit(tmp_path)) == 5


def test_iframes_only_when_the_configuration_allows_them() -> None:
    embed = '<iframe src="https://video.example/embed/1" width="560" onload="x()" srcdoc="<b>"></iframe>'
    assert "iframe" not in render_markdown(embed)
    allowed = render_markdown(embed, allow_iframes=True)
    assert allowed.startswith('<iframe src="https://video.example/embed/1" width="560"')
    assert 'sandbox="allow-scripts allow-same-origin allow-popups allow-presentation"' in allowed
    assert "onload" not in allowed and "srcdoc" not in allowed
    assert "src" not in render_markdown('<iframe src="javascript:alert(1)"></iframe>', allow_iframes=True)


def test_hostile_pages_run_no_script_in_chromium(site: SiteFolder, browser) -> None:
    hostile_site(site)
    site.build()
    pages = sorted(p.relative_to(site.dist).as_posix() for p in site.dist.rglob("*.html"))
    assert len(pages) >= 15
    dialogs: list[str] = []
    with serve(site.dist, mount="/site/") as base:
        context = browser.new_context(java_script_enabled=True)
        context.add_init_script("window.__pwned = 0;")
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
        for path in pages:
            page.goto(base + path, wait_until="load")
            page.hover("h1") if page.locator("h1").count() else None  # would fire an injected onmouseover
            assert page.evaluate("window.__pwned") == 0, path
        page.goto(base + TEXT_ARTICLE.format(slugify(HEADLINE)).lstrip("/"))
        assert page.locator("h1").inner_text() == HEADLINE.replace("  ", " ")
        context.close()
    assert dialogs == []


@pytest.mark.parametrize("tag", ["<script>alert(1)</script>", '" onmouseover="alert(1)', "javascript:alert(1)"])
def test_hostile_tags_get_safe_urls(site: SiteFolder, tag: str) -> None:
    site.add("a.md", "---\n" + json.dumps({"title": "T", "date": "2022-01-01", "tags": [tag]}) + "\n---\nBody.\n")
    site.build()
    tag_pages = [p.parent.name for p in (site.dist / "tags").glob("*/index.html")]
    assert len(tag_pages) == 1 and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", tag_pages[0])
