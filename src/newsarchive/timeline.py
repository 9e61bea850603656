"""Timeline charts as inline SVG, built at build time: no JavaScript, no external requests.

Two pure functions, counts in, `Chart` records out:

- `month_chart`: a bar chart of articles per month (a year page's twelve months, or every
  month of the archive), with a title and description (`role="img"`) and a table fallback.
- `day_heatmap`: a year's calendar heatmap, one square per day in weeks (Monday first);
  each day with articles is a link to its day page, named by an `aria-label`; the empty
  days are one path, which keeps a year's heatmap at a few kilobytes.

Colours are never written into the SVG: shapes carry classes (`bar`, `heat-0` ... `heat-4`)
that static/style.css fills from CSS custom properties, so light and dark schemes both work.
Every text is escaped for XML; links are relative to the page (`here`) like every other link.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from html import escape

from markupsafe import Markup

from newsarchive import urls
from newsarchive.model import Chart, ChartRow, Link

MONTH_NAMES = ("", "January", "February", "March", "April", "May", "June", "July",
               "August", "September", "October", "November", "December")  # fmt: skip
MONTH_ABBREVIATIONS = tuple(name[:3] for name in MONTH_NAMES)
HEAT_LEVELS = 4
SVG_NAMESPACE = "http://www.w3.org/2000/svg"


def _num(value: float) -> str:
    """A coordinate with at most one decimal, written the same way on every machine."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" + ("" if count == 1 else "s")


def _open_svg(ident: str, width: int, height: int, role: str, css_class: str) -> str:
    return (
        f'<svg xmlns="{SVG_NAMESPACE}" class="{css_class}" viewBox="0 0 {width} {height}" role="{role}" '
        f'aria-labelledby="{ident}-title" aria-describedby="{ident}-desc">'
    )


def _title_and_desc(ident: str, title: str, description: str) -> str:
    return f'<title id="{ident}-title">{escape(title)}</title><desc id="{ident}-desc">{escape(description)}</desc>'


def _table_rows(counts: Mapping[tuple[int, int], int], years: range) -> tuple[ChartRow, ...]:
    """One row per year that has articles (a year without any has no page to link to)."""
    rows = []
    for year in sorted({year for year, _ in counts if year in years}):
        months = tuple(
            Link(urls.month_url(year, month), f"{MONTH_NAMES[month]} {year}", counts[year, month]) if counts.get((year, month)) else None
            for month in range(1, 13)
        )
        rows.append(ChartRow(Link(urls.year_url(year), str(year), sum(m.count for m in months if m)), months))
    return tuple(rows)


CHART_WIDTH, CHART_HEIGHT = 640, 200
_LEFT, _RIGHT, _TOP, _BOTTOM = 40, 6, 14, 24


def month_chart(counts: Mapping[tuple[int, int], int], years: range, ident: str, title: str) -> Chart:
    """Bars for every month of `years`, from `counts` {(year, month): articles}."""
    months = [(year, month) for year in years for month in range(1, 13)]
    values = [counts.get(key, 0) for key in months]
    total, peak = sum(values), max(values, default=0)
    busiest = max(months, key=lambda key: (counts.get(key, 0), -key[0], -key[1]))
    span = f"{years.start}" if len(years) == 1 else f"{years.start}–{years[-1]}"
    description = (
        f"Bar chart of articles per month, {span}: {_plural(total, 'article')}; "
        f"the busiest month is {MONTH_NAMES[busiest[1]]} {busiest[0]} with {_plural(peak, 'article')}."
    )
    plot_width, plot_height = CHART_WIDTH - _LEFT - _RIGHT, CHART_HEIGHT - _TOP - _BOTTOM
    slot = plot_width / len(months)
    baseline = _TOP + plot_height
    parts = [_open_svg(ident, CHART_WIDTH, CHART_HEIGHT, "img", "chart month-chart"), _title_and_desc(ident, title, description)]
    # Grid lines and their values: zero, half and the peak (whole numbers only).
    for value in sorted({0, peak // 2, peak}):
        y = baseline - (value / peak * plot_height if peak else 0)
        parts.append(f'<line class="grid" x1="{_LEFT}" x2="{CHART_WIDTH - _RIGHT}" y1="{_num(y)}" y2="{_num(y)}"/>')
        parts.append(f'<text class="tick" x="{_LEFT - 6}" y="{_num(y + 4)}" text-anchor="end">{value:,}</text>')
    for i, ((year, month), value) in enumerate(zip(months, values)):
        if value:
            height = max(value / peak * plot_height, 1.0)
            x = _LEFT + i * slot + slot * 0.15
            parts.append(
                f'<rect class="bar" x="{_num(x)}" y="{_num(baseline - height)}" width="{_num(max(slot * 0.7, 0.5))}" '
                f'height="{_num(height)}"><title>{escape(MONTH_NAMES[month])} {year}: {_plural(value, "article")}</title></rect>'
            )
    parts.extend(_month_labels(months, slot, len(years)))
    parts.append("</svg>")
    return Chart(ident, title, description, Markup("".join(parts)), _table_rows(counts, years))


def _month_labels(months: list[tuple[int, int]], slot: float, year_count: int) -> list[str]:
    """Month initials for one year; for several, the years, as many as fit without overlap."""
    y = CHART_HEIGHT - 6
    if year_count == 1:
        return [
            f'<text class="tick" x="{_num(_LEFT + (i + 0.5) * slot)}" y="{y}" text-anchor="middle">{MONTH_ABBREVIATIONS[month]}</text>'
            for i, (_, month) in enumerate(months)
        ]
    every = max(1, math.ceil(36 / (slot * 12)))  # a year label needs about 36 units
    return [
        f'<text class="tick" x="{_num(_LEFT + i * slot)}" y="{y}">{year}</text>'
        for i, (year, month) in enumerate(months)
        if month == 1 and (year - months[0][0]) % every == 0
    ]


CELL, GAP = 12, 2
_STEP = CELL + GAP
_HEAT_LEFT, _HEAT_TOP = 30, 18
WEEKDAY_LABELS = ((0, "Mon"), (2, "Wed"), (4, "Fri"))


def heat_level(count: int, peak: int) -> int:
    """0 for no articles, else 1..HEAT_LEVELS in proportion to the year's busiest day."""
    return 0 if count <= 0 or peak <= 0 else max(1, math.ceil(count * HEAT_LEVELS / peak))


def day_heatmap(year: int, counts: Mapping[dt.date, int], here: str, ident: str) -> Chart:
    """The days of `year` in weekly columns; a day with articles links to its day page."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    start = first - dt.timedelta(days=first.weekday())  # the Monday on or before 1 January
    weeks = (last - start).days // 7 + 1
    width, height = _HEAT_LEFT + weeks * _STEP, _HEAT_TOP + 7 * _STEP + 22
    peak = max((counts.get(day, 0) for day in counts if day.year == year), default=0)
    active = sum(1 for day, n in counts.items() if day.year == year and n)
    title = f"Articles per day in {year}"
    description = (
        f"Calendar heatmap of {year}, one square per day in weekly columns from Monday to Sunday; "
        f"darker squares have more articles. {_plural(active, 'day')} with articles, at most {_plural(peak, 'article')} a day. "
        f"Each day with articles links to its page."
    )
    parts = [_open_svg(ident, width, height, "group", "chart heatmap"), _title_and_desc(ident, title, description)]
    for row, label in WEEKDAY_LABELS:
        parts.append(f'<text class="tick" x="0" y="{_HEAT_TOP + row * _STEP + CELL - 2}">{label}</text>')
    for month in range(1, 13):
        column = (dt.date(year, month, 1) - start).days // 7
        parts.append(f'<text class="tick" x="{_HEAT_LEFT + column * _STEP}" y="12">{MONTH_ABBREVIATIONS[month]}</text>')
    empty: list[str] = []  # days without articles: one path, a tenth of the bytes of 300 rects
    links: list[str] = []
    day = first
    while day <= last:
        x, y = _HEAT_LEFT + (day - start).days // 7 * _STEP, _HEAT_TOP + day.weekday() * _STEP
        count = counts.get(day, 0)
        if count:
            label = f"{day.day} {MONTH_NAMES[day.month]} {day.year}: {_plural(count, 'article')}"
            href = urls.relative(urls.day_url(day), here)
            links.append(
                f'<a href="{escape(href)}" aria-label="{escape(label)}"><rect class="heat-{heat_level(count, peak)}" '
                f'x="{x}" y="{y}" width="{CELL}" height="{CELL}"><title>{escape(label)}</title></rect></a>'
            )
        else:
            empty.append(f"M{x} {y}h{CELL}v{CELL}h-{CELL}z")
        day += dt.timedelta(days=1)
    if empty:
        parts.append(f'<path class="heat-0" d="{"".join(empty)}"/>')
    parts.extend(links)
    parts.append(_legend(width - 5 * _STEP - 70, _HEAT_TOP + 7 * _STEP + 8))
    parts.append("</svg>")
    return Chart(ident, title, description, Markup("".join(parts)))


def _legend(x: int, y: int) -> str:
    squares = "".join(
        f'<rect class="heat-{level}" x="{x + 36 + level * _STEP}" y="{y}" width="{CELL}" height="{CELL}"/>' for level in range(HEAT_LEVELS + 1)
    )
    end = x + 36 + (HEAT_LEVELS + 1) * _STEP + 4
    return f'<g aria-hidden="true"><text class="tick" x="{x}" y="{y + CELL - 2}">Fewer</text>{squares}<text class="tick" x="{end}" y="{y + CELL - 2}">More</text></g>'
