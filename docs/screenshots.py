"""Take README's screenshots of the timeline and the calendar heatmap, in light and dark.

    .venv/bin/python docs/screenshots.py

Builds a deterministic demo archive (a few hundred text articles over three years) into a
temporary folder, serves it on 127.0.0.1 and photographs it with Playwright driving Debian's
Chromium (tests/browser.py), writing PNGs to docs/images/.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import CHROMIUM_ARGS, require_chromium, serve  # noqa: E402

from newsarchive.build import BuildOptions, build  # noqa: E402

TOPICS = ["parliament", "budget", "energy", "gas pipeline", "football", "weather", "elections", "harvest", "railway", "museum"]
OUTLETS = ["News.Az", "Trend", "APA", "Report.az"]


def demo_seeds(folder: Path, count: int = 900) -> None:
    """Articles whose numbers rise over the years, busier on weekdays and in spring and autumn."""
    rng = random.Random(2024)
    start = dt.date(2021, 1, 1)
    written = 0
    while written < count:
        day = start + dt.timedelta(days=rng.randrange(3 * 365))
        weight = (0.4 + 0.3 * (day.year - 2021)) * (0.5 if day.weekday() >= 5 else 1.0) * (1.3 if day.month in (3, 4, 5, 9, 10) else 1.0)
        if rng.random() > weight:
            continue
        topic = rng.choice(TOPICS)
        headline = f"{topic.capitalize()}: officials announce new plans for {rng.choice(['Baku', 'Ganja', 'Sumgait', 'Lankaran'])}"
        lede = f"Officials discussed the {topic} on {day:%d %B}, {rng.choice(OUTLETS)} reports."
        (folder / f"{day.isoformat()}-{written:04d}.txt").write_text(
            f" date {day.isoformat()} {headline}\n\n{headline}\n\n{lede}\n\nMore about the {topic} follows.\n", encoding="utf-8"
        )
        written += 1


def main() -> None:
    from playwright.sync_api import sync_playwright

    images = ROOT / "docs" / "images"
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        (root / "seeds").mkdir()
        demo_seeds(root / "seeds")
        (root / "site.yaml").write_text("title: News Archive\n", encoding="utf-8")
        build(BuildOptions(seeds=root / "seeds", output=root / "dist", config=root / "site.yaml",
                           templates=ROOT / "templates", static=ROOT / "static"))  # fmt: skip
        with serve(root / "dist") as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=require_chromium(), args=CHROMIUM_ARGS)
            for scheme in ("light", "dark"):
                page = browser.new_page(viewport={"width": 760, "height": 900}, color_scheme=scheme, device_scale_factor=1)
                page.goto(base + "archive/")
                page.locator("#months").screenshot(path=str(images / f"timeline-{scheme}.png"))
                page.goto(base + "2023/")
                page.locator("#days").screenshot(path=str(images / f"heatmap-{scheme}.png"))
                page.close()
            browser.close()
    print(f"wrote {', '.join(sorted(p.name for p in images.glob('*-light.png')) + sorted(p.name for p in images.glob('*-dark.png')))}")


if __name__ == "__main__":
    main()
