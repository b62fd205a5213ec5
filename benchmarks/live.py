"""Live servers on loopback for the benchmark and the chain test: the dashboard as `./start.sh` serves it
(serve.py), the same app under stock `streamlit run`, and nginx with the shipped site file in front of several."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "deploy" / "nginx" / "jixiao.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
COMMON = ["--server.headless", "true", "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"]
# stock: Streamlit's own launcher with its default post-script GC (our config turns it off) and no TCP_NODELAY
LAUNCHERS = {
    "serve": [sys.executable, "serve.py"],
    "stock": [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--runner.postScriptGC", "true"],
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    base: str
    pid: int


def _wait(url: str, alive, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alive()
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer in {timeout:.0f} s")


@contextlib.contextmanager
def servers(database_url: str, ports: list[int], launcher: str = "serve", logs: Path | None = None):
    """Run one dashboard process per port with `launcher`, started together; yield their Servers."""
    env = {**os.environ, "JIXIAO_DATABASE_URL": database_url}
    outs, procs = [], []
    try:
        for port in ports:
            out = open(logs / f"{launcher}-{port}.log", "w") if logs else subprocess.DEVNULL  # noqa: SIM115
            outs.append(out)
            cmd = [*LAUNCHERS[launcher], "--server.port", str(port), *COMMON]
            procs.append(subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT))
        for port, proc in zip(ports, procs, strict=True):
            _wait(f"http://127.0.0.1:{port}/_stcore/health", lambda p=proc: _alive(p, launcher))
        yield [Server(f"http://127.0.0.1:{port}", p.pid) for port, p in zip(ports, procs, strict=True)]
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for out in outs:
            if out is not subprocess.DEVNULL:
                out.close()


def _alive(proc: subprocess.Popen, launcher: str) -> None:
    if proc.poll() is not None:
        raise RuntimeError(f"{launcher} exited with {proc.returncode}")


@contextlib.contextmanager
def server(database_url: str, launcher: str = "serve", port: int | None = None, logs: Path | None = None):
    """Run the dashboard with `launcher` on a loopback port; yield a Server (base URL and process id)."""
    with servers(database_url, [port or free_port()], launcher, logs) as (one,):
        yield one


def site_for(upstreams: list[int], listen: int, access_log: Path) -> str:
    """Return the shipped site file with its upstream ports, listening address and log path replaced."""
    text = SITE.read_text(encoding="utf-8")
    servers = "".join(f"    server 127.0.0.1:{p} max_fails=3 fail_timeout=10s;\n" for p in upstreams)
    text = re.sub(r"(?m)^    server 127\.0\.0\.1:\d+[^\n]*\n", "", text, count=0)
    text = text.replace("    keepalive 16;", servers + "    keepalive 16;")
    text = text.replace("listen 80;", f"listen 127.0.0.1:{listen};")
    return text.replace("/var/log/nginx/jixiao.access.log", str(access_log))


@dataclass
class Proxy:
    base: str
    access_log: Path

    def upstream_of(self, route: str) -> str:
        """Return the upstream address nginx last sent the route cookie `route` to (from the access log)."""
        lines = [x for x in self.access_log.read_text().splitlines() if f"route={route} " in x]
        return re.search(r"upstream=(\S+)", lines[-1]).group(1)


@contextlib.contextmanager
def nginx(upstreams: list[int]) -> Iterator[Proxy]:
    """Run Debian's nginx with the shipped site file in front of `upstreams` (loopback ports); yield a Proxy."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="jixiao-nginx-") as tmp:
        d = Path(tmp)
        os.chmod(d, 0o755)
        access = d / "access.log"
        (d / "site.conf").write_text(site_for(upstreams, port, access), encoding="utf-8")
        temps = "".join(
            f"    {k}_temp_path {d / k};\n" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        (d / "nginx.conf").write_text(
            f"pid {d / 'nginx.pid'};\nerror_log {d / 'error.log'};\n"
            + ("user root;\n" if os.geteuid() == 0 else "")
            + "events { worker_connections 512; }\n"
            + f"http {{\n    access_log off;\n{temps}    include {d / 'site.conf'};\n}}\n",
            encoding="utf-8",
        )
        proc = subprocess.Popen(
            [NGINX, "-p", str(d), "-c", str(d / "nginx.conf"), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

        def alive() -> None:
            if proc.poll() is not None:
                raise RuntimeError(f"nginx exited with {proc.returncode}: {proc.stderr.read()[-2000:]}")

        try:
            _wait(f"http://127.0.0.1:{port}/_stcore/health", alive)
            yield Proxy(f"http://127.0.0.1:{port}", access)
        finally:
            proc.terminate()
            proc.wait(timeout=15)


def rss_kb(pid: int) -> tuple[int, int]:
    """Return the current and peak resident set size (KB) of a process, from /proc."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line
    )
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])
