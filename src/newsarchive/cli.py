"""Command line: the only place that prints and picks exit codes.

Exit codes: 0 built (warnings and rejected files are reported, not fatal);
1 the build failed (--strict problems, nothing loaded, output refused);
2 a usage or configuration error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from newsarchive import __version__, scaffold, urls
from newsarchive.build import BuildOptions, BuildReport, build, display_path, read_config
from newsarchive.errors import BuildFailed, ConfigError, Problem
from newsarchive.formats.fields import check_calendar_date

if TYPE_CHECKING:  # serve and check are imported by their commands: a build starts faster without them
    from newsarchive import serve
    from newsarchive.check import CheckReport

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def _add_site_options(parser: argparse.ArgumentParser, root: Path | None) -> None:
    """The folders and build switches every command shares. On a sub-command (root None) they
    default to SUPPRESS, so `build.py --seeds X serve` and `build.py serve --seeds X` both work."""

    def default(name: str | None, value: object = None) -> object:
        if root is None:
            return argparse.SUPPRESS
        return root / name if name else value

    parser.add_argument("--seeds", type=Path, default=default("seeds"), help="folder of article files (default: seeds/)")
    parser.add_argument("--output", "-o", type=Path, default=default("dist"), help="folder to build into (default: dist/)")
    parser.add_argument("--config", type=Path, default=default("site.yaml"), help="site configuration (default: site.yaml)")
    parser.add_argument("--templates", type=Path, default=default("templates"), help="Jinja2 templates (default: templates/)")
    parser.add_argument("--static", type=Path, default=default("static"), help="files copied as they are (default: static/)")
    parser.add_argument("--base-url", default=default(None), help="absolute URL the site is published at (overrides site.yaml)")
    parser.add_argument("--strict", action="store_true", default=default(None, False), help="treat every problem, warnings included, as fatal")
    parser.add_argument("--drafts", action="store_true", default=default(None, False), help="publish articles marked draft: true")
    parser.add_argument("--quiet", "-q", action="store_true", default=default(None, False), help="print problems only, no summary or progress")
    parser.add_argument("--jobs", "-j", type=_jobs, default=default(None, 0), help="render worker processes (default: one per core)")
    parser.add_argument("--clean", action="store_true", default=default(None, False), help="ignore the build cache: render everything again")


def _jobs(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {value!r}")
    return int(value)


class _Progress:
    """Counts and rate of the running phase, redrawn on one terminal line at most 10 times a second."""

    def __init__(self) -> None:
        self.phase = ""
        self.started = self.shown = 0.0

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if phase != self.phase:
            self.phase, self.started = phase, now
        if now - self.shown < 0.1 and done < total:
            return
        self.shown = now
        rate = done / (now - self.started) if now > self.started else 0.0
        print(f"\r\x1b[2K  {phase:<8}{done:,}/{total:,} files rendered ({rate:,.0f}/s)", end="", flush=True)

    def clear(self) -> None:
        if self.phase:
            print("\r\x1b[2K", end="", flush=True)


def _port(text: str) -> int:
    port = int(text)
    if not 0 <= port <= 65535:
        raise ValueError(text)
    return port


def make_parser(root: Path) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsarchive",
        description="Build a static website from a folder of news articles. Without a command, builds the site.",
    )
    parser.add_argument("--version", action="version", version=f"newsarchive {__version__}")
    _add_site_options(parser, root)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_site_options(commands.add_parser("build", help="build the site (the default)"), None)
    serve = commands.add_parser("serve", help="build, serve on 127.0.0.1, rebuild and reload on every change")
    serve.add_argument("--port", type=_port, default=8000, help="port on 127.0.0.1 (default: 8000; 0 picks a free one)")
    _add_site_options(serve, None)
    new = commands.add_parser("new", help="write a new article into seeds/ and print its path and future URL")
    new.add_argument("headline")
    new.add_argument("--date", type=_calendar_date, help="the article's day, YYYY-MM-DD (default: today in the site's time zone)")
    new.add_argument("--format", choices=tuple(scaffold.FORMATS), default="text", help="file format (default: text)")
    _add_site_options(new, None)
    check = commands.add_parser("check", help="build into a temporary folder and report what is wrong; exit 1 on errors")
    _add_site_options(check, None)
    return parser


def _calendar_date(text: str) -> dt.date:
    try:
        return check_calendar_date(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


MAX_LISTED = 5  # rejected files or gaps named in a summary; the rest are counted


def _per_year(per_year: Sequence[tuple[int, int]]) -> str:
    return " · ".join(f"{year}: {count:,}" for year, count in per_year) or "none"


def _few(items: Sequence[str]) -> list[str]:
    """The first MAX_LISTED items, and a count of the rest."""
    rest = len(items) - MAX_LISTED
    return [*items[:MAX_LISTED], *([f"… and {rest:,} more"] if rest > 0 else [])]


def _summary(report: BuildReport) -> str:
    loaded = report.loaded
    errors = sum(p.level == "error" for p in report.problems)
    warnings = len(report.problems) - errors
    stats = report.stats
    t = report.timings
    lines = [
        f"Built {display_path(report.output)}/ in {t['total']:.2f} s" + (": no input changed, nothing to do" if report.unchanged else ""),
        f"  articles  {_plural(report.articles, 'article')} loaded, {_plural(loaded.rejected, 'file')} rejected"
        + (f", {_plural(loaded.drafts, 'draft')} left out" if loaded.drafts else ""),
        f"  pages     {_plural(report.pages, 'page')} ({report.rendered:,} rendered); {_plural(report.files, 'file')} in all"
        + (f" ({stats.written:,} written, {stats.unchanged:,} unchanged, {stats.removed:,} removed)" if stats else ""),
        f"  extras    {'; '.join(report.extras) or 'none'}",
        *(f"  left out  {reason}" for reason in report.left_out),
        f"  problems  {_plural(errors, 'error')}, {_plural(warnings, 'warning')}" + (" (listed above)" if report.problems else ""),
        f"  time      load {t.get('load', 0):.2f} s · index {t.get('index', 0):.2f} s · render {t.get('render', 0):.2f} s"
        f" · write {t.get('write', 0):.2f} s" + (f" · search index {t['search']:.2f} s" if "search" in t else ""),
        f"  per year  {_per_year(report.per_year)}",
    ]
    rejected = _few([str(problem) for problem in loaded.errors])
    lines += [("  rejected  " if number == 0 else " " * 12) + line for number, line in enumerate(rejected)]
    return "\n".join(lines)


def _options(args: argparse.Namespace) -> BuildOptions:
    return BuildOptions(
        seeds=args.seeds,
        output=args.output,
        config=args.config,
        templates=args.templates,
        static=args.static,
        base_url=args.base_url,
        strict=args.strict,
        drafts=args.drafts,
        jobs=args.jobs,
        clean=args.clean,
    )


def _report_failure(error: ConfigError | BuildFailed, what: str = "built") -> int:
    _print_problems(error.problems)
    if isinstance(error, ConfigError):
        print(f"newsarchive: configuration errors; nothing was {what}", file=sys.stderr)
        return EXIT_USAGE
    print(f"newsarchive: {error}", file=sys.stderr)
    return EXIT_FAILED


def run_build(args: argparse.Namespace) -> int:
    progress = _Progress() if sys.stdout.isatty() and not args.quiet else None
    try:
        report = build(_options(args), progress)
    except (ConfigError, BuildFailed) as error:
        if progress:
            progress.clear()
        return _report_failure(error)
    if progress:
        progress.clear()
    _print_problems(report.problems)
    if not args.quiet:
        print(_summary(report))
    return EXIT_OK


def _print_outcome(outcome: serve.Outcome, quiet: bool) -> None:
    if outcome.changed:
        print("Changed: " + ", ".join(_few([display_path(Path(path)) for path in outcome.changed])), flush=True)
    if outcome.crashed:
        print(outcome.crashed, file=sys.stderr, end="")
    if outcome.error is not None:
        print(f"Build failed; the page in the browser shows why:\n{outcome.error}", file=sys.stderr, flush=True)
        return
    _print_problems(outcome.report.problems)
    if not quiet:
        print(_summary(outcome.report), flush=True)
    sys.stderr.flush()


def _stop_on_sigterm(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run_serve(args: argparse.Namespace) -> int:
    from newsarchive import devpages, serve

    options = _options(args)
    # Ctrl-C stops the preview even when started from a shell that ignores SIGINT in background
    # jobs; a process manager's SIGTERM stops it the same clean way.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)

    def started(url: str) -> None:
        watched = [display_path(p) + "/" for p in serve.watched(options)[0]] + [display_path(options.config)]
        print(f"Serving {display_path(options.output)}/ at {url}  (Ctrl-C to stop)", flush=True)
        print(f"  health report  {url.rstrip('/')}{devpages.HEALTH_URL}", flush=True)
        print(f"  watching       {', '.join(watched)}", flush=True)

    try:
        serve.serve(options, args.port, started, lambda outcome: _print_outcome(outcome, args.quiet))
    except OSError as error:
        print(f"newsarchive: cannot serve on 127.0.0.1:{args.port}: {error.strerror or error}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("Stopped.", flush=True)
    return EXIT_OK


def run_new(args: argparse.Namespace) -> int:
    options = _options(args)
    try:
        config = read_config(options)
        day = args.date or dt.datetime.now(config.tzinfo).date()  # the author's today, in the site's zone
        created = scaffold.new_article(options.seeds, display_path(options.seeds), config, args.headline, day, args.format)
    except (ConfigError, BuildFailed) as error:
        return _report_failure(error, "written")
    _print_problems(created.problems)
    print(f"Created {display_path(created.path)}")
    print(f"It will be published at {created.url}")
    if config.base_url:
        print(f"  {urls.absolute(created.url, config.base_url)}")
    return EXIT_OK


def _listing(items: Sequence[str]) -> str:
    return ": " + ", ".join(_few(items)) if items else ""


def _check_summary(result: CheckReport, seeds: Path, strict: bool) -> list[str]:
    from newsarchive import health

    found = result.health
    loaded = result.report.loaded
    errors, warnings = len(result.errors), len(result.warnings)
    days = sum(health.span_length(span) for span in found.empty_days)
    verdict = "no errors" if not errors else _plural(errors, "error")
    lines = [
        f"Checked {display_path(seeds)}/: {verdict}, {_plural(warnings, 'warning')} (built in a temporary folder; nothing was published)",
        f"  articles      {_plural(len(loaded.articles), 'article')} loaded, {_plural(loaded.rejected, 'file')} rejected",
        f"  per year      {_per_year(result.report.per_year)}",
        f"  broken links  {len(result.broken):,}",
        f"  duplicates    {_plural(len(found.duplicates), 'headline')} used more than once",
        f"  future        {_plural(len(found.future), 'article')} dated after today",
        f"  info          {_plural(len(found.empty_months), 'run')} of months without articles"
        + _listing([health.format_range(span, "month") for span in found.empty_months]),
        f"  info          {_plural(days, 'day')} without articles in months that have some, in {_plural(len(found.empty_days), 'gap')}"
        + _listing([health.format_range(span) for span in found.empty_days]),
    ]
    if strict and warnings:
        lines.append("  --strict: warnings count as errors")
    return lines


def run_check(args: argparse.Namespace) -> int:
    from newsarchive.check import check

    options = _options(args)
    try:
        result = check(options)
    except (ConfigError, BuildFailed) as error:
        return _report_failure(error, "checked")
    for problem in result.problems:
        print(problem)
    if not args.quiet:
        print("\n".join(_check_summary(result, options.seeds, args.strict)))
    failed = result.errors or (args.strict and result.warnings)
    return EXIT_FAILED if failed else EXIT_OK


RUNNERS = {None: run_build, "build": run_build, "serve": run_serve, "new": run_new, "check": run_check}


def main(argv: Sequence[str] | None = None, root: Path | None = None) -> int:
    """Entry point of `newsarchive` and `python build.py`; `root` anchors the default folders."""
    parser = make_parser(root if root is not None else Path("."))
    args = parser.parse_args(argv)
    return RUNNERS[args.command](args)


def run(root: Path | None = None) -> NoReturn:
    """`main` on the command line's arguments, then end the process at once with its exit code.

    Everything a command writes is closed by then; what is left is the interpreter's teardown,
    which frees every object the build made one at a time (after a one-edit rebuild at 10,000
    articles, 20 of 460 ms). Only the command-line entry points take this way out: `main` returns
    normally to callers in Python.
    """
    code = main(root=root)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: the output was lost, so the command failed
        code = code or EXIT_FAILED
    os._exit(code)
