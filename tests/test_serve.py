"""`python build.py serve`: the real loop in a subprocess (edit a seed, see the page change over
HTTP, a reload event fires, a build error shows in the page and the server stays up, Ctrl-C
stops it), the reload script in a real browser, and proof that dist/ never holds any of it."""

from __future__ import annotations

import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import free_port, wait_until_answering
from conftest import text_article
from test_e2e import copy_project

from newsarchive import devpages, serve
from newsarchive.build import BuildOptions

WAIT = 90  # seconds; generous because the test machine is shared


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


class EventStream:
    """Reads server-sent events in a thread; `next(name)` waits for the next event of that name."""

    def __init__(self, url: str) -> None:
        self.events: queue.Queue[tuple[str, str]] = queue.Queue()
        self.response = urllib.request.urlopen(url, timeout=WAIT)
        assert self.response.headers["Content-Type"] == "text/event-stream"
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        name = data = ""
        try:
            for raw in self.response:
                line = raw.decode("utf-8").rstrip("\n")
                if line.startswith("event: "):
                    name = line[7:]
                elif line.startswith("data: "):
                    data = line[6:]
                elif not line and name:
                    self.events.put((name, data))
                    name = data = ""
        except OSError:
            pass

    def next(self, name: str) -> str:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            try:
                got, data = self.events.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                break
            if got == name:
                return data
        raise AssertionError(f"no {name!r} event within {WAIT} s")

    def close(self) -> None:
        self.response.close()


def save(path: Path, text: str) -> None:
    """Save as editors do: write a hidden temporary file, then rename it over the old one."""
    temporary = path.with_name(f".{path.name}.saving")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def until(condition, what: str) -> None:
    """Wait for `condition()`: one save can take more than one rebuild on a busy machine."""
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {WAIT} s: {what}")
        time.sleep(0.1)


def no_trace_of_serve_mode(folder: Path) -> list[Path]:
    """Files in a built site that hold the serve-only snippet or its URLs."""
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if devpages.MARKER.encode() in data or devpages.PREFIX.encode() in data or b"EventSource" in data:
                found.append(path)
    return found


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str, subprocess.Popen]]:
    project = copy_project(tmp_path)
    (project / "seeds" / "story.txt").write_text(text_article("2022-12-12", "First version of the story"), encoding="utf-8")
    port = free_port()
    out, err = open(tmp_path / "serve.out", "w"), open(tmp_path / "serve.err", "w")
    process = subprocess.Popen([sys.executable, "build.py", "serve", "--port", str(port)], cwd=project, stdout=out, stderr=err)
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_until_answering(base, process, seconds=WAIT, stderr=tmp_path / "serve.err")
        yield project, base, process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        out.close()
        err.close()


def test_serve_rebuilds_reloads_shows_errors_and_stops_cleanly(served, tmp_path: Path) -> None:
    project, base, process = served
    day_page = base + "2022/12/12/"
    status, html = fetch(day_page)
    assert status == 200 and "First version of the story" in html
    assert devpages.MARKER in html and devpages.EVENTS_URL in html  # injected while serving

    events = EventStream(base + devpages.EVENTS_URL.lstrip("/"))
    first = int(events.next("build"))

    # Edit a seed: a reload event fires and the page shows the change.
    save(project / "seeds" / "story.txt", text_article("2022-12-12", "Second version of the story"))
    assert int(events.next("reload")) > first
    until(lambda: "Second version of the story" in fetch(day_page)[1], "the edited headline is served")
    assert "First version" not in fetch(day_page)[1]

    # Break a template: the error shows in the page and in the terminal; the server keeps running.
    base_html = project / "templates" / "base.html"
    good = base_html.read_text(encoding="utf-8")
    save(base_html, good + "{% if %}\n")
    events.next("reload")
    until(lambda: "The build failed" in fetch(day_page)[1], "the error is shown in the page")
    status, html = fetch(day_page)
    assert status == 200 and "template syntax error" in html
    assert "Second version of the story" in html  # the last good build stays underneath
    assert "template syntax error" in (tmp_path / "serve.err").read_text()  # printed before the tabs are told
    status, report = fetch(base + devpages.HEALTH_URL.lstrip("/"))
    assert status == 200 and "Archive health" in report and "The last build failed" in report

    # Fix it: the next build clears the overlay.
    save(base_html, good)
    events.next("reload")
    until(lambda: "The build failed" not in fetch(day_page)[1], "the error is cleared")
    assert "Second version of the story" in fetch(day_page)[1]
    events.close()

    assert process.poll() is None
    assert no_trace_of_serve_mode(project / "dist") == []
    assert no_trace_of_serve_mode(project / ".dist.staging") == []

    process.send_signal(signal.SIGINT)  # Ctrl-C
    assert process.wait(timeout=WAIT) == 0
    assert "Stopped." in (tmp_path / "serve.out").read_text()
    errors = (tmp_path / "serve.err").read_text()
    assert "Traceback" not in errors, errors


def test_site_yaml_is_watched_through_an_editor_style_replace(served, tmp_path: Path) -> None:
    """Editors save by writing a new file and renaming it over the old one."""
    project, base, process = served
    events = EventStream(base + devpages.EVENTS_URL.lstrip("/"))
    events.next("build")
    for title in ("Renamed Archive", "Renamed Again"):
        save(project / "site.yaml", f"title: {title}\n")
        events.next("reload")
        until(lambda: title in fetch(base)[1], f"the title {title!r} is served")
    events.close()


def test_without_any_good_build_every_page_is_the_error_page(tmp_path: Path) -> None:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "site.yaml").write_text("titel: typo\n", encoding="utf-8")
    repo = Path(__file__).resolve().parent.parent
    options = BuildOptions(tmp_path / "seeds", tmp_path / "dist", tmp_path / "site.yaml", repo / "templates", repo / "static")
    state = serve.PreviewState()
    outcome = serve.build_once(options)
    state.show(outcome)
    assert outcome.report is None and "unknown key 'titel'" in outcome.error
    server = serve.make_server(options.output, 0, state)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        status, html = fetch(f"http://127.0.0.1:{server.server_address[1]}/2022/")
        assert status == 500 and "The build failed" in html and "unknown key &#39;titel&#39;" in html
        assert devpages.EVENTS_URL in html  # it reloads by itself once the error is fixed
    finally:
        server.shutdown()
        server.server_close()
    assert not (tmp_path / "dist").exists()


def test_an_open_tab_reloads_in_a_real_browser(browser, site) -> None:
    site.add("story.txt", text_article("2022-12-12", "Before the edit"))
    state = serve.PreviewState()
    assert state.show(serve.build_once(site.options())) == 1 and state.error is None
    server = serve.make_server(site.dist, 0, state)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    page = browser.new_page()
    try:
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/2022/12/12/")
        assert "Before the edit" in page.content()
        # No need to wait for the event stream: the page knows which build it shows, so a stream
        # that connects after the rebuild still reloads it.
        site.add("story.txt", text_article("2022-12-12", "After the edit"))
        state.show(serve.build_once(site.options()))
        page.wait_for_function("() => document.body.innerText.includes('After the edit')", timeout=WAIT * 1000)
    finally:
        page.close()
        state.close()
        server.shutdown()
        server.server_close()


def test_a_busy_port_is_a_clear_error(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "build.py", "serve", "--port", str(port)], cwd=project, capture_output=True, text=True, timeout=WAIT)
    assert result.returncode == 1
    assert f"cannot serve on 127.0.0.1:{port}: Address already in use" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "dist").exists()
