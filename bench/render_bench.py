"""Time Renderer.render alone (one process) over every page of a site.

    .venv/bin/python bench/render_bench.py SITE_DIR [--repeat 3] [--profile] [--digest]

SITE_DIR holds seeds/ and site.yaml (e.g. a corpus from corpus.py with `search: false`); the
repository's templates/ and static/ are used. Prints the median wall and CPU time per page over
the repeats (CPU time is the steadier figure on a shared machine), `--digest` a SHA-256 of all
rendered bytes (to check that a change keeps the output identical), `--profile` a pyinstrument
profile of one pass.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import time
from pathlib import Path

from newsarchive import archive, redirects, related, urls
from newsarchive.build import BuildOptions, read_config
from newsarchive.errors import display_path
from newsarchive.load import load_articles
from newsarchive.pipeline import asset_versions, static_files
from newsarchive.render import Renderer

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("site", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--digest", action="store_true")
    args = parser.parse_args()
    options = BuildOptions(seeds=args.site / "seeds", output=args.site / "dist", config=args.site / "site.yaml",
                           templates=REPO / "templates", static=REPO / "static")  # fmt: skip
    config = read_config(options)
    loaded = load_articles(options.seeds, display_path(options.seeds), config)
    # With related lists, as a build renders them: article pages show five more teasers.
    articles = loaded.articles
    related_lists = [tuple(articles[i] for i in found) for found in related.related_indexes(articles)]
    pages = list(archive.build_pages(articles, config, related_lists))
    moved, _ = redirects.redirect_pages(loaded.articles, [urls.output_path(p.url) for p in pages])
    pages += moved
    renderer = Renderer(options.templates, config, asset_versions(list(static_files(options.static))))
    for page in pages:  # compile every template and warm caches, as build.py does before forking
        renderer.render(page)
    if args.digest:
        digest = hashlib.sha256()
        for page in pages:
            digest.update(page.url.encode() + b"\0" + renderer.render(page) + b"\0")
        print(f"digest {digest.hexdigest()}")
    if args.profile:
        from pyinstrument import Profiler

        with Profiler() as profiler:
            for page in pages:
                renderer.render(page)
        print(profiler.output_text(unicode=True, color=False, show_all=False))
        return
    walls, cpus = [], []
    for _ in range(args.repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        for page in pages:
            renderer.render(page)
        walls.append((time.perf_counter() - wall) / len(pages) * 1e6)
        cpus.append((time.process_time() - cpu) / len(pages) * 1e6)
    print(f"{len(pages)} pages; per page: wall median {statistics.median(walls):.0f} µs, CPU median {statistics.median(cpus):.0f} µs "
          f"(wall runs: {', '.join(f'{t:.0f}' for t in walls)})")  # fmt: skip


if __name__ == "__main__":
    main()
