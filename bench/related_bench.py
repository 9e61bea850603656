"""Time and memory of related-article computation on a deterministic synthetic corpus.

    .venv/bin/python bench/related_bench.py 10000 100000 [--repeat 3]

Each N runs in a fresh process so peak memory is its own. Articles are built in memory (no
files): about 450 words each over a Zipf-distributed vocabulary of 60,000 words (some with
non-ASCII letters), every article written about one of N/20 topics with its own 25 words.
Prints wall and CPU time (medians of the repeats; CPU time is the steadier figure on a shared
machine), the peak RSS the computation adds on top of the loaded articles, and how often
a related article shares the article's topic (a rough precision).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import statistics
import subprocess
import sys
import time

SYLLABLES = "ba be bi bo ka ke ki ko la le li lo ma me mi mo na ne ni no ra re ri ro sa se si so ta te ti to za zə şi çu öy ğa".split()


def vocabulary(rng: random.Random, size: int) -> list[str]:
    words: dict[str, None] = {}
    while len(words) < size:
        words["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))] = None
    return list(words)


def corpus(n: int, seed: int = 1):
    from newsarchive.model import Article

    rng = random.Random(seed)
    words = vocabulary(rng, 60_000)
    cumulative = list(__import__("itertools").accumulate(1 / (rank + 1) for rank in range(len(words))))
    topics = [rng.sample(words[2000:], 25) for _ in range(max(1, n // 20))]
    start = dt.date(2000, 1, 1)
    articles, labels = [], []
    for i in range(n):
        topic = rng.randrange(len(topics))
        own = topics[topic]
        background = rng.choices(words, cum_weights=cumulative, k=rng.randint(250, 650))
        body = [w if rng.random() > 0.12 else rng.choice(own) for w in background]
        paragraphs = [" ".join(body[j : j + 60]).capitalize() + "." for j in range(0, len(body), 60)]
        title = " ".join(rng.sample(own, 3) + rng.choices(words[:3000], k=5)).capitalize()
        articles.append(Article(source_path=f"seeds/{i:06d}.txt", slug=f"a{i}", date=start + dt.timedelta(days=i * 9000 // n),
                                title=title, body_html="\n".join(f"<p>{p}</p>" for p in paragraphs),
                                summary="", word_count=len(body)))  # fmt: skip
        labels.append(topic)
    return articles, labels


def rss_kib() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def one_run(n: int) -> None:
    from newsarchive.related import related_indexes

    articles, labels = corpus(n)
    before = rss_kib()
    started, cpu = time.perf_counter(), time.process_time()
    related = related_indexes(articles)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    shown = [(i, j) for i, found in enumerate(related) for j in found]
    precision = sum(labels[i] == labels[j] for i, j in shown) / max(1, len(shown))
    print(f"{seconds:.3f} {cpu:.3f} {max(0, peak - before) / 1024:.1f} {precision:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one_run(args.one)
        return
    print(f"{'articles':>9} {'wall s':>7} {'CPU s':>7} {'CPU µs/article':>15} {'added peak MiB':>15} {'same topic':>11}")
    for n in args.sizes:
        runs = []
        for _ in range(args.repeat):
            out = subprocess.run([sys.executable, __file__, "--one", str(n)], check=True, capture_output=True, text=True).stdout
            runs.append(tuple(map(float, out.split())))
        wall, cpu, peak = (statistics.median(r[k] for r in runs) for k in range(3))
        print(f"{n:>9,} {wall:>7.2f} {cpu:>7.2f} {cpu / n * 1e6:>15.0f} {peak:>15.0f} {runs[0][3]:>11.1%}")


if __name__ == "__main__":
    main()
