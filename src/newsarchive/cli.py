"""Command line: the only place that prints and picks exit codes.

Exit codes: 0 built (warnings and rejected files are reported, not fatal);
1 the build failed (--strict problems, nothing loaded, output refused);
2 a usage or configuration error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from newsarchive import __version__
from newsarchive.build import BuildOptions, BuildReport, build, display_path
from newsarchive.errors import BuildFailed, ConfigError, Problem

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def make_parser(root: Path) -> argparse.ArgumentParser:
    def here(name: str) -> Path:
        return root / name

    parser = argparse.ArgumentParser(prog="newsarchive", description="Build a static website from a folder of news articles.")
    parser.add_argument("--version", action="version", version=f"newsarchive {__version__}")
    parser.add_argument("--seeds", type=Path, default=here("seeds"), help="folder of article files (default: seeds/)")
    parser.add_argument("--output", "-o", type=Path, default=here("dist"), help="folder to build into (default: dist/)")
    parser.add_argument("--config", type=Path, default=here("site.yaml"), help="site configuration (default: site.yaml)")
    parser.add_argument("--templates", type=Path, default=here("templates"), help="Jinja2 templates (default: templates/)")
    parser.add_argument("--static", type=Path, default=here("static"), help="files copied as they are (default: static/)")
    parser.add_argument("--base-url", help="absolute URL the site is published at (overrides site.yaml)")
    parser.add_argument("--strict", action="store_true", help="treat every problem, warnings included, as fatal")
    parser.add_argument("--drafts", action="store_true", help="publish articles marked draft: true")
    parser.add_argument("--quiet", "-q", action="store_true", help="print problems only, no summary")
    return parser


def _print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def _summary(report: BuildReport) -> str:
    loaded = report.loaded
    errors = sum(p.level == "error" for p in report.problems)
    warnings = len(report.problems) - errors
    stats = report.stats
    t = report.timings
    lines = [
        f"Built {display_path(report.output)}/ in {t['total']:.2f} s",
        f"  articles  {_plural(len(loaded.articles), 'article')} loaded, {_plural(loaded.rejected, 'file')} rejected"
        + (f", {_plural(loaded.drafts, 'draft')} left out" if loaded.drafts else ""),
        f"  pages     {_plural(report.pages, 'page')}; {_plural(report.files, 'file')} in all"
        + (f" ({stats.written:,} written, {stats.unchanged:,} unchanged, {stats.removed:,} removed)" if stats else ""),
        f"  extras    {'; '.join(report.extras) or 'none'}",
        *(f"  left out  {reason}" for reason in report.left_out),
        f"  problems  {_plural(errors, 'error')}, {_plural(warnings, 'warning')}" + (" (listed above)" if report.problems else ""),
        f"  time      load {t.get('load', 0):.2f} s · render {t.get('render', 0):.2f} s · write {t.get('write', 0):.2f} s",
    ]
    return "\n".join(lines)


def run_build(args: argparse.Namespace) -> int:
    options = BuildOptions(
        seeds=args.seeds,
        output=args.output,
        config=args.config,
        templates=args.templates,
        static=args.static,
        base_url=args.base_url,
        strict=args.strict,
        drafts=args.drafts,
    )
    try:
        report = build(options)
    except ConfigError as error:
        _print_problems(error.problems)
        print("newsarchive: configuration errors; nothing was built", file=sys.stderr)
        return EXIT_USAGE
    except BuildFailed as error:
        _print_problems(error.problems)
        print(f"newsarchive: {error}", file=sys.stderr)
        return EXIT_FAILED
    _print_problems(report.problems)
    if not args.quiet:
        print(_summary(report))
    return EXIT_OK


def main(argv: Sequence[str] | None = None, root: Path | None = None) -> int:
    """Entry point of `newsarchive` and `python build.py`; `root` anchors the default folders."""
    parser = make_parser(root if root is not None else Path("."))
    args = parser.parse_args(argv)
    return run_build(args)
