"""Real-browser helpers shared by every browser test: Debian's Chromium driven by Playwright,
and dist/ served by `python -m http.server` on 127.0.0.1 (optionally under a sub-path).

A missing Chromium is a test failure, never a skip: CI must prove the pages work.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_chromium() -> str:
    if not os.access(CHROMIUM, os.X_OK):
        raise AssertionError(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium); .ci/run does")
    return CHROMIUM


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_answering(url: str, process: subprocess.Popen, seconds: float, stderr: Path | None = None) -> None:
    """Poll `url` until it answers; fail at once if the server process has exited."""
    for _ in range(int(seconds * 10)):
        if process.poll() is not None:
            detail = stderr.read_text() if stderr else f"exit code {process.returncode}"
            raise AssertionError(f"server exited early: {detail}")
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"no answer from {url} after {seconds} s")


@contextlib.contextmanager
def serve(dist: Path, mount: str = "/") -> Iterator[str]:
    """Serve `dist` at http://127.0.0.1:PORT{mount}; yields that base URL (ending in '/')."""
    root = dist
    holder = None
    if mount != "/":
        holder = dist.parent / f".serve-{os.getpid()}-{free_port()}"
        (holder / mount.strip("/")).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(dist.resolve(), holder / mount.strip("/"))
        root = holder
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(root)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}{mount}"
    try:
        wait_until_answering(base, server, seconds=5)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
        if holder is not None:
            shutil.rmtree(holder, ignore_errors=True)


def watch(page, problems: list[str]) -> None:
    """Record into `problems` everything that goes wrong on `page`: script and console errors,
    failed requests and HTTP error responses."""

    def console(message) -> None:
        if message.type == "error":
            problems.append(f"console error: {message.text}")

    def request_failed(request) -> None:
        # ERR_ABORTED is Chromium cancelling a late favicon fetch when the next page starts loading;
        # a file that is really missing still shows up as an HTTP 404 response.
        if request.failure != "net::ERR_ABORTED":
            problems.append(f"request failed: {request.url} ({request.failure})")

    def response(reply) -> None:
        if reply.status >= 400:
            problems.append(f"HTTP {reply.status}: {reply.url}")

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("requestfailed", request_failed)
    page.on("response", response)
