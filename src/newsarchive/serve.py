"""`newsarchive serve`: build, serve the output folder on 127.0.0.1, rebuild when an input changes,
and tell open tabs to reload through server-sent events.

The reload snippet, the error overlay and the health page are added to responses as they are
served (devpages.py); the output folder is written by the ordinary build and never holds them.
A failed build keeps the last good site on disk and shows the error over every page.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import http.server
import queue
import sys
import threading
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import watchfiles

from newsarchive import devpages, health
from newsarchive.build import BuildOptions, BuildReport, build, read_config
from newsarchive.errors import BuildFailed, ConfigError

KEEPALIVE_SECONDS = 15.0


@dataclass(frozen=True, slots=True)
class Outcome:
    """One build in serve mode: its report and health, or the error text that stopped it."""

    changed: tuple[str, ...]
    report: BuildReport | None
    health: health.Health | None
    error: str | None
    crashed: str | None = None  # a traceback: a bug in newsarchive, not in the user's files


class PreviewState:
    """What the server shows, replaced as a whole after each build; readers wait on `changed`."""

    def __init__(self) -> None:
        self.changed = threading.Condition()
        self.generation = 0
        self.error: str | None = None
        self.health: health.Health | None = None
        self.problems = 0
        self.closed = False

    def show(self, outcome: Outcome) -> int:
        """Show a build's result; a failed build keeps the last good health report."""
        with self.changed:
            self.generation += 1
            self.error = outcome.error
            if outcome.report is not None:
                self.health, self.problems = outcome.health, len(outcome.report.problems)
            self.changed.notify_all()
            return self.generation

    def wait_after(self, generation: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.generation != generation or self.closed, timeout)
            return self.generation

    def close(self) -> None:
        with self.changed:
            self.closed = True
            self.changed.notify_all()


def build_once(options: BuildOptions, changed: Iterable[str] = ()) -> Outcome:
    """Build; never raises for a failed build, nor for a bug (the preview must stay up)."""
    report = error = crashed = found = None
    try:
        report = build(dataclasses.replace(options, shortcut=False))  # its health report needs every article
        today = dt.datetime.now(read_config(options).tzinfo).date()  # for the future-date list only
        found = health.assess(report.loaded, today)
    except (ConfigError, BuildFailed) as failure:
        why = str(failure) if isinstance(failure, BuildFailed) else "configuration errors; nothing was built"
        error = "\n".join([*map(str, failure.problems), why])
    except Exception as failure:
        crashed = traceback.format_exc()
        error = f"newsarchive crashed: {type(failure).__name__}: {failure}"
    return Outcome(tuple(changed), report, found, error, crashed)


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    state: PreviewState  # set on the subclass made by make_server

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the terminal is for build results."""

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:
        path = unquote(urlsplit(self.path).path)
        if path == devpages.EVENTS_URL:
            return self._events()
        if path == devpages.HEALTH_URL:
            state = self.state
            return self._send_html(200, devpages.health_page(state.health, state.error, state.generation).encode())
        file = Path(self.translate_path(self.path))
        if file.is_dir():
            if not path.endswith("/"):
                return super().do_GET()  # the standard redirect to the folder's URL with a '/'
            file = file / "index.html"
        if file.suffix == ".html" and file.is_file():
            return self._send_page(200, file.read_bytes())
        if file.is_file():
            return super().do_GET()
        missing = Path(self.directory) / "404.html"
        if missing.is_file():
            return self._send_page(404, missing.read_bytes())
        state = self.state
        if state.error:
            return self._send_html(500, devpages.error_page(state.error, state.generation).encode())
        return super().do_GET()

    def _send_page(self, status: int, html: bytes) -> None:
        state = self.state
        self._send_html(status, devpages.inject(html, devpages.snippet(state.generation, state.error, state.problems)))

    def _send_html(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _events(self) -> None:
        """Server-sent events: 'build' with the current generation now, 'reload' after each build."""
        state = self.state
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        seen = state.generation
        try:
            self.wfile.write(f"retry: 1000\nevent: build\ndata: {seen}\n\n".encode())
            self.wfile.flush()
            while not state.closed:
                current = state.wait_after(seen, KEEPALIVE_SECONDS)
                if state.closed:
                    break
                # A comment line keeps the connection open and finds tabs that were closed.
                message = f"event: reload\ndata: {current}\n\n" if current != seen else ": keep-alive\n\n"
                self.wfile.write(message.encode())
                self.wfile.flush()
                seen = current
        except (BrokenPipeError, ConnectionResetError):
            pass


class PreviewServer(http.server.ThreadingHTTPServer):
    daemon_threads = True  # an open event stream must not keep the process alive

    def handle_error(self, request, client_address) -> None:
        """A tab that closes or reloads mid-response is normal here, not worth a traceback."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


def make_server(directory: Path, port: int, state: PreviewState) -> PreviewServer:
    """Bound to 127.0.0.1 only: a preview is for this machine, never the network."""

    class Handler(PreviewHandler):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, directory=str(directory), **kwargs)

    Handler.state = state
    return PreviewServer(("127.0.0.1", port), Handler)


def watched(options: BuildOptions) -> tuple[list[Path], Path]:
    """The input folders (watched recursively) and the config file."""
    folders = [folder for folder in (options.seeds, options.templates, options.static) if folder.is_dir()]
    return folders, options.config


def watch_inputs(options: BuildOptions, stop: threading.Event, changes: queue.Queue[set[str]]) -> list[threading.Thread]:
    """Watch the inputs in background threads and put each batch of changed paths on `changes`.

    site.yaml is watched through its folder, without recursion: editors save by replacing the
    file, which ends a watch on the file itself, and the project folder also holds dist/ and
    .venv/, far too much to watch recursively.
    """
    folders, config = watched(options)
    output = options.output.resolve()
    staging = output.parent / f".{output.name}.staging"

    editor_leftovers = watchfiles.DefaultFilter()  # swap files, .git, __pycache__, ...

    def is_input(change: watchfiles.Change, path: str) -> bool:
        inside = Path(path)
        return not (inside.is_relative_to(output) or inside.is_relative_to(staging)) and editor_leftovers(change, path)

    config_path = config.resolve()

    def is_config(change: watchfiles.Change, path: str) -> bool:
        return Path(path) == config_path

    jobs = []
    if folders:
        jobs.append(dict(paths=[str(f.resolve()) for f in folders], watch_filter=is_input, recursive=True))
    if config_path.parent.is_dir():
        jobs.append(dict(paths=[str(config_path.parent)], watch_filter=is_config, recursive=False))

    def run(paths: list[str], **settings) -> None:
        for batch in watchfiles.watch(*paths, stop_event=stop, raise_interrupt=False, **settings):
            changes.put({path for _, path in batch})

    threads = [threading.Thread(target=run, kwargs=job, name="watch", daemon=True) for job in jobs]
    for thread in threads:
        thread.start()
    return threads


def serve(options: BuildOptions, port: int, on_start: Callable[[str], None], on_build: Callable[[Outcome], None]) -> None:
    """Run until Ctrl-C (KeyboardInterrupt, which the caller catches); stops the server and watchers."""
    # The preview server and watchers are threads: forking render workers beside them could copy a
    # lock some thread holds, so rebuilds render in this process unless --jobs asks otherwise
    # (an edit re-renders few pages anyway: see incremental.py).
    options = dataclasses.replace(options, jobs=options.jobs or 1)
    state = PreviewState()
    server = make_server(options.output, port, state)  # first, so a busy port fails at once
    stop = threading.Event()
    changes: queue.Queue[set[str]] = queue.Queue()
    watchers = watch_inputs(options, stop, changes)  # before building: no save is missed
    try:
        outcome = build_once(options)
        on_build(outcome)  # the terminal first, then the open tabs
        state.show(outcome)
        threading.Thread(target=server.serve_forever, name="serve", daemon=True).start()
        host, bound = server.server_address[:2]
        on_start(f"http://{host}:{bound}/")
        while True:
            try:
                # A timeout, so the main thread wakes to run Python's Ctrl-C handler even when
                # the signal landed on a watcher or server thread.
                batch = changes.get(timeout=0.2)
            except queue.Empty:
                continue
            while not changes.empty():  # one rebuild for everything saved meanwhile
                batch |= changes.get_nowait()
            outcome = build_once(options, sorted(batch))
            on_build(outcome)
            state.show(outcome)
    finally:
        stop.set()
        state.close()
        server.shutdown()
        server.server_close()
        for thread in watchers:
            thread.join(timeout=5)
