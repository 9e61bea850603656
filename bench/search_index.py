"""How long Pagefind takes to index a generated archive, against the rest of the build.

    .venv/bin/python bench/search_index.py [ARTICLES] [RUNS]

Builds ARTICLES generated articles RUNS times into a fresh folder each time and prints the median
of each build step (seconds). Output goes to bench/out/ (ignored by git).
"""

from __future__ import annotations

import random
import shutil
import statistics
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from newsarchive.build import BuildOptions, build  # noqa: E402

WORDS = "council river harbour budget school bridge storm library concert record minister vote".split()


def make_seeds(folder: Path, count: int) -> None:
    rng = random.Random(7)
    folder.mkdir(parents=True)
    for number in range(count):
        day = f"20{10 + number % 12:02d}-{1 + number % 12:02d}-{1 + rng.randrange(28):02d}"
        body = "\n\n".join(" ".join(rng.choice(WORDS) for _ in range(60)) for _ in range(5))
        tags = ", ".join(sorted(rng.sample(WORDS, 2)))
        text = f"---\ntitle: Story {number} about the {rng.choice(WORDS)}\ndate: {day}\ntags: [{tags}]\n---\n{body}\n"
        (folder / f"a{number:05d}.md").write_text(text, encoding="utf-8")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    out = REPO / "bench" / "out" / f"search-{count}"
    shutil.rmtree(out, ignore_errors=True)
    make_seeds(out / "seeds", count)
    timings: dict[str, list[float]] = {}
    for run in range(runs):
        report = build(BuildOptions(out / "seeds", out / f"dist{run}", out / "site.yaml", REPO / "templates", REPO / "static"))
        for step, seconds in report.timings.items():
            timings.setdefault(step, []).append(seconds)
    print(f"{count} articles, {runs} runs, median seconds:")
    for step, values in timings.items():
        print(f"  {step:<7} {statistics.median(values):7.2f}   (min {min(values):.2f}, max {max(values):.2f})")


if __name__ == "__main__":
    main()
