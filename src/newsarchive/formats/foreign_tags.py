"""Other generators' template tags are never run: they are removed, keeping the text they wrap.

- Liquid and Nunjucks (Jekyll, Eleventy), Tera (Zola): `{% tag %}` and `{{ value }}` are removed;
  text between an opening and a closing tag stays. `{% comment %}…{% endcomment %}` and `{# … #}`
  are comments and go with their content. A Markdown link to a tag, `[text]({% post_url x %})`,
  keeps its text without the link. `{% raw %}…{% endraw %}` keeps its content as written.
  `{% highlight lang %}…{% endhighlight %}` becomes a fenced code block.
- Hugo shortcodes `{{< name >}}` and `{{% name %}}`: removed, inner text kept;
  `{{< highlight lang >}}…{{< /highlight >}}` becomes a fenced code block; the escaped form
  `{{</* name */>}}` shows the shortcode as text, as in Hugo.
- MDX (`.mdx` files only): `import`/`export` lines, `{/* comments */}`, `{expressions}` and
  capitalised JSX components (`<Chart … />`, `<Note>…</Note>`) are removed, inner text kept.

Code is left as written: fenced and indented code blocks, `code spans`, `<pre>` and `<code>`. Only
the `{% raw %}` markers and `{{</* */>}}` escapes are undone there, since they exist to show tags.
Removed tags never leave markup behind, and the sanitizer balances whatever HTML remains, so a tag
cannot break the page layout. Line count is kept, so later line numbers stay right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A tag is at most 2,000 characters and never spans a blank line or another tag's opening, so a lone
# '{{' in prose stays text and costs little; a block ({% raw %}, {% comment %}, <pre>) is at most
# 200,000 characters.
_TAG_SPAN = r"(?:[^{\n]|\{(?![{%])|\n(?![ \t]*\n)){0,2000}?"
_BLOCK_SPAN = r".{0,200000}?"
_CODE_SPAN = r"(?:[^\n]|\n(?![ \t]*\n)){0,2000}?"  # `code` may hold tags, but no blank line

_ALWAYS = [
    ("keep", rf"(?P<tick>`+){_CODE_SPAN}(?P=tick)"),
    ("keep", rf"<pre\b{_BLOCK_SPAN}</pre\s*>|<code\b{_BLOCK_SPAN}</code\s*>"),
    ("linktext", r"\[(?P<linktext>[^\]\n]{0,2000})\]\(\s*\{[{%][^\n]{0,2000}?[}%]\}\s*\)"),  # [text]({% post_url x %})
    ("raw", rf"\{{%-?\s*raw\s*-?%\}}(?P<raw>{_BLOCK_SPAN})\{{%-?\s*endraw\s*-?%\}}"),
    ("drop", rf"\{{%-?\s*comment\s*-?%\}}{_BLOCK_SPAN}\{{%-?\s*endcomment\s*-?%\}}"),
    ("drop", rf"\{{#{_TAG_SPAN}#\}}"),
    ("escape", rf"\{{\{{(?P<open>[<%])\s*/\*(?P<escaped>{_TAG_SPAN})\*/\s*[>%]\}}\}}"),
    ("drop", rf"\{{\{{[<%]{_TAG_SPAN}[>%]\}}\}}"),
    ("drop", rf"\{{\{{{_TAG_SPAN}\}}\}}"),
    ("drop", rf"\{{%{_TAG_SPAN}%\}}"),
]
_MDX_ONLY = [
    ("drop", rf"\{{/\*{_TAG_SPAN}\*/\}}"),
    ("drop", r"(?-i:</?[A-Z][\w.]*(?:\s(?:[^<>{}]|\{[^{}]{0,2000}\}){0,2000})?/?>)|</?>"),  # JSX components are capitalised; <p> is HTML
    ("drop", r"\{[^{}\n]*\}"),
]


def _pattern(rules: list[tuple[str, str]]) -> tuple[re.Pattern[str], list[str]]:
    groups = "|".join(f"(?P<k{i}>{regex})" for i, (_, regex) in enumerate(rules))
    return re.compile(groups, re.S | re.I), [kind for kind, _ in rules]


_PROSE = _pattern(_ALWAYS)
_PROSE_MDX = _pattern(_ALWAYS + _MDX_ONLY)
_CODE_ESCAPES = re.compile(r"\{%-?\s*(?:end)?raw\s*-?%\}|\{\{([<%])\s*/\*(.*?)\*/\s*[>%]\}\}", re.S)

_FENCE = re.compile(r" *(`{3,}|~{3,})")
_HIGHLIGHT_OPEN = re.compile(r"\s*(?:\{%-?\s*highlight\s+([\w+#.-]+)[^%]*%\}|\{\{[<%]\s*highlight\s+\"?([\w+#.-]+)\"?[^}]*[>%]\}\})\s*")
_HIGHLIGHT_CLOSE = re.compile(r"\s*(?:\{%-?\s*endhighlight\s*-?%\}|\{\{[<%]\s*/\s*highlight\s*[>%]\}\})\s*")
_LIST_ITEM = re.compile(r" {0,3}(?:[-*+]|\d+[.)])\s")
_MDX_STATEMENT = re.compile(r"(?:import|export)\b")
_IMPORT_DONE = re.compile(r"""\bfrom\s*['"]|^import\s*['"]""")


@dataclass(frozen=True, slots=True)
class Stripped:
    text: str
    count: int = 0  # tags removed or translated
    first_line: int | None = None  # 1-based line of the first one, in the text given
    first_tag: str = ""


def _indent(line: str) -> int:
    expanded = line.expandtabs(4)
    return len(expanded) - len(expanded.lstrip(" "))


def _mdx_statement_end(lines: list[str], start: int) -> int:
    """The last line of the MDX import/export that starts at `start`: where its brackets balance (and
    an import has named its module), and never past a blank line, where MDX ends it too."""
    depth = 0
    for i in range(start, len(lines)):
        if not lines[i].strip():
            return i - 1
        depth += sum(lines[i].count(c) for c in "{([") - sum(lines[i].count(c) for c in "})]")
        named = not lines[start].startswith("import") or _IMPORT_DONE.search("\n".join(lines[start : i + 1]))
        if depth <= 0 and named:
            return i
    return len(lines) - 1


def _segments(text: str, mdx: bool) -> list[tuple[str, int, list[str]]]:
    """Split Markdown into ("prose" | "code" | "tag", first line index, lines); "tag" lines are removed."""
    lines = text.split("\n")
    out: list[tuple[str, int, list[str]]] = []

    def add(kind: str, index: int, line: str) -> None:
        if out and out[-1][0] == kind and out[-1][1] + len(out[-1][2]) == index:
            out[-1][2].append(line)
        else:
            out.append((kind, index, [line]))

    state, fence = "prose", ""
    previous_blank, in_list = True, False
    i = 0
    while i < len(lines):
        line = lines[i]
        if state == "fence":
            add("code", i, line)
            closing = _FENCE.match(line)
            if closing and closing[1][0] == fence[0] and len(closing[1]) >= len(fence) and not line.strip(" `~"):
                state = "prose"
        elif state == "highlight":
            if _HIGHLIGHT_CLOSE.fullmatch(line):
                add("tag", i, line)
                state = "prose"
            else:
                add("code", i, line)
        elif state == "indented" and (not line.strip() or _indent(line) >= 4):
            add("code", i, line)
        else:
            state = "prose"
            if opening := _FENCE.match(line):
                state, fence = "fence", opening[1]
                add("code", i, line)
            elif _HIGHLIGHT_OPEN.fullmatch(line):
                state = "highlight"
                add("tag", i, line)
            elif mdx and _MDX_STATEMENT.match(line):
                end = _mdx_statement_end(lines, i)
                for j in range(i, end + 1):
                    add("tag", j, lines[j])
                i = end
            elif line.strip() and _indent(line) >= 4 and previous_blank and not in_list:
                state = "indented"
                add("code", i, line)
            else:
                add("prose", i, line)
                if _LIST_ITEM.match(line):
                    in_list = True  # its indented paragraphs are not code
                elif line.strip() and previous_blank and _indent(line) == 0:
                    in_list = False
        previous_blank = not lines[i].strip()
        i += 1
    return out


class _Counter:
    def __init__(self) -> None:
        self.count = 0
        self.first_line: int | None = None
        self.first_tag = ""

    def note(self, tag: str, line: int) -> None:
        self.count += 1
        if self.first_line is None:
            flat = " ".join(tag.split())
            self.first_line, self.first_tag = line, flat if len(flat) <= 60 else flat[:59] + "…"


def _strip_prose(text: str, first_line: int, mdx: bool, counter: _Counter) -> str:
    pattern, kinds = _PROSE_MDX if mdx else _PROSE
    rule_names = [f"k{i}" for i in range(len(kinds))]

    def replace(match: re.Match[str]) -> str:
        kind = kinds[next(i for i, name in enumerate(rule_names) if match.group(name) is not None)]
        tag = match.group(0)
        if kind == "keep":
            return tag
        if kind == "escape":
            return "{{" + match["open"] + match["escaped"] + ("%" if match["open"] == "%" else ">") + "}}"
        shown = tag[: tag.index("%}") + 2] if tag.startswith("{%") else tag  # a block's opening tag, not its content
        # Only the first tag's line is reported: counting lines for every tag would be quadratic.
        counter.note(shown, first_line + text.count("\n", 0, match.start()) if counter.first_line is None else 0)
        if kind == "raw":
            return match["raw"]
        if kind == "linktext":
            return match["linktext"]
        return "\n" * tag.count("\n")

    return pattern.sub(replace, text)


def _unescape_code(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        if match.group(1):
            return "{{" + match.group(1) + match.group(2) + (">" if match.group(1) == "<" else "%") + "}}"
        return ""

    lines = []
    for line in text.split("\n"):
        if _CODE_ESCAPES.search(line):
            line = _CODE_ESCAPES.sub(replace, line)
            if not line.strip():
                continue  # a line that only held {% raw %} shows nothing in Jekyll either
        lines.append(line)
    return "\n".join(lines)


def _highlight_fence(line: str) -> str:
    """The fence line that replaces a highlight tag line: "```python" for an opening one."""
    match = _HIGHLIGHT_OPEN.fullmatch(line)
    return "```" + (match[1] or match[2] if match else "")


# Every rule above that changes Markdown or HTML (MDX aside) needs one of these to start a match:
# text holding none is returned as it is, without being split and searched. Most articles hold no
# tag, and the search costs a Markdown file about a third of its conversion time.
_TAG_OPENINGS = ("{{", "{%", "{#")


def _may_hold_tags(text: str) -> bool:
    return any(opening in text for opening in _TAG_OPENINGS)


def strip_markdown(text: str, *, mdx: bool = False) -> Stripped:
    """Markdown (or MDX) with other generators' tags removed as described above."""
    if not mdx and not _may_hold_tags(text):
        return Stripped(text)
    return _strip_segments(text, mdx)


def _strip_segments(text: str, mdx: bool) -> Stripped:
    counter = _Counter()
    parts: list[str] = []
    for kind, start, lines in _segments(text, mdx):
        if kind == "prose":
            parts.append(_strip_prose("\n".join(lines), start + 1, mdx, counter))
        elif kind == "code":
            parts.append(_unescape_code("\n".join(lines)))
        else:
            for offset, line in enumerate(lines):
                if _MDX_STATEMENT.match(line) or _HIGHLIGHT_OPEN.fullmatch(line):
                    counter.note(line, start + offset + 1)
            if _HIGHLIGHT_OPEN.fullmatch(lines[0]) or _HIGHLIGHT_CLOSE.fullmatch(lines[0]):
                parts.append("\n".join(_highlight_fence(line) for line in lines))
            else:
                parts.append("\n" * (len(lines) - 1))
    return Stripped("\n".join(parts), counter.count, counter.first_line, counter.first_tag)


def strip_html(text: str) -> Stripped:
    """An HTML body with other generators' tags removed; <pre> and <code> are left as written."""
    if not _may_hold_tags(text):
        return Stripped(text)
    counter = _Counter()
    return Stripped(_strip_prose(text, 1, False, counter), counter.count, counter.first_line, counter.first_tag)
