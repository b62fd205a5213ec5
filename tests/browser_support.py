"""Shared by the browser tests: Debian's Chromium launch options and the dashboard started as the README starts it."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
# no browser download, no background traffic: this machine (and an intranet) reaches nothing outside
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(base: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"serve.py exited with {proc.returncode}: {proc.stdout.read()[-2000:]}")
        try:
            with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"the dashboard did not become healthy in {timeout:.0f} s")


@contextlib.contextmanager
def dashboard(database_url: str, address: str | None = "127.0.0.1", env: dict | None = None) -> Iterator[str]:
    """Run `python serve.py` (start.sh's launcher) on a free port (`address`: None leaves it to serve.py); yield
    its base URL on the loopback address."""
    port = free_port()
    env = {**os.environ, "JIXIAO_DATABASE_URL": database_url, **(env or {})}
    cmd = [sys.executable, "serve.py", "--server.port", str(port), "--server.headless", "true"]
    cmd += ["--server.fileWatcherType", "none", *(("--server.address", address) if address else ())]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base, proc)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)
