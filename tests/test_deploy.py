"""Unit: the deployment — the shipped nginx site file in front of two serve.py processes sharing one PostgreSQL
database, on loopback: a tab stays on one process, and an import made through one process shows on the other's
pages once the data version is re-read (ui.cache.VERSION_TTL)."""

from __future__ import annotations

import asyncio
import subprocess
import time
from pathlib import Path

import pytest

from benchmarks import live, stream
from jixiao_core import db
from jixiao_core.store import ingest
from ui.cache import VERSION_TTL

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "fixtures" / "reports" / "yuhua_2023.txt"
NEW_UNIT = "青云街道办事处"
needs_nginx = pytest.mark.skipif(
    not Path(live.NGINX).exists(), reason="Debian nginx is not installed (.ci/run)"
)


def test_site_file_keeps_a_tab_on_one_server_and_passes_the_websocket():
    site = live.SITE.read_text(encoding="utf-8")
    assert "hash $jixiao_route consistent;" in site
    assert (
        'add_header Set-Cookie "jixiao_route=$jixiao_route; Path=/; HttpOnly; SameSite=Lax" always;' in site
    )
    assert "proxy_set_header Upgrade $http_upgrade;" in site
    text = live.site_for([9001, 9002, 9003], 9000, Path("/tmp/x.log"))
    assert [x.strip() for x in text.splitlines() if x.strip().startswith("server 127.")] == [
        f"server 127.0.0.1:{p} max_fails=3 fail_timeout=10s;" for p in (9001, 9002, 9003)
    ]
    assert "listen 127.0.0.1:9000;" in text


def test_systemd_unit_runs_serve_py_on_loopback_per_port():
    unit = (ROOT / "deploy" / "systemd" / "jixiao@.service").read_text(encoding="utf-8")
    start = next(x for x in unit.splitlines() if x.startswith("ExecStart="))
    assert start.split("=", 1)[1].split()[:6] == [
        "/opt/jixiao/.venv/bin/python",
        "serve.py",
        "--server.port",
        "%i",
        "--server.address",
        "127.0.0.1",
    ]
    assert "EnvironmentFile=/etc/jixiao/jixiao.env" in unit.splitlines()


@needs_nginx
def test_nginx_accepts_the_site_file(tmp_path):
    (tmp_path / "site.conf").write_text(
        live.site_for([9001, 9002], 9000, tmp_path / "a.log"), encoding="utf-8"
    )
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"pid {tmp_path / 'pid'};\nerror_log {tmp_path / 'e.log'};\nevents {{}}\n"
        f"http {{ access_log off; include {tmp_path / 'site.conf'}; }}\n"
    )
    proc = subprocess.run(
        [live.NGINX, "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr


def _unit_options(run: stream.Run) -> list[str]:
    return list(run.widget("selectbox", "unit").options)


async def _chain(proxy: live.Proxy, ports: list[int]) -> dict:
    clerk = await stream.Session(proxy.base, {"jixiao_route": "clerk"}).open()
    before = _unit_options(await clerk.run())
    here = proxy.upstream_of("clerk")
    # a second tab whose route cookie nginx sends to the other process
    for n in range(64):
        viewer = stream.Session(proxy.base, {"jixiao_route": f"viewer{n}"})
        await asyncio.to_thread(viewer._load_page)
        if proxy.upstream_of(f"viewer{n}") != here:
            break
    await viewer.open()
    seen_before = _unit_options(await viewer.run())  # the other process has read and kept the unit list
    page = await clerk.run("data-admin")
    upload, button = page.widget("file_uploader", "admin_upload"), page.widget("button", "admin_import")
    data = SEED.read_text(encoding="utf-8").replace("雨花街道办事处", NEW_UNIT).encode("utf-8")
    info = await clerk.upload(f"{NEW_UNIT}.txt", data)
    await clerk.run("data-admin", [stream.files(upload.id, info)])
    done = await clerk.run("data-admin", [stream.files(upload.id, info), stream.trigger(button.id)])
    imported = time.monotonic()
    after_here = _unit_options(done)
    await asyncio.sleep(max(0.0, imported + VERSION_TTL - time.monotonic()))
    after_there = _unit_options(await viewer.run())
    routes = {proxy.upstream_of("clerk"), proxy.upstream_of(viewer.cookies["jixiao_route"])}
    await clerk.close()
    await viewer.close()
    return {
        "before": (before, seen_before),
        "after": (after_here, after_there),
        "alerts": [t for t in done.texts() if NEW_UNIT in t],
        "routes": routes,
    }


@needs_nginx
def test_an_import_through_one_server_shows_on_the_other_within_the_version_ttl(db_url):
    if not db_url.startswith("postgresql"):
        pytest.skip("the deployment runs on PostgreSQL (test.sh reruns the database tests there)")
    ingest.init(db.make_engine(db_url))
    ports = [live.free_port(), live.free_port()]
    with live.servers(db_url, ports), live.nginx(ports) as proxy:
        got = asyncio.run(_chain(proxy, ports))
    assert got["routes"] == {f"127.0.0.1:{p}" for p in ports}  # one tab on each process
    assert got["before"] == (["雨花街道办事处"], ["雨花街道办事处"])
    assert got["after"] == (["雨花街道办事处", NEW_UNIT], ["雨花街道办事处", NEW_UNIT])
    assert len(got["alerts"]) == 1 and got["alerts"][0].startswith(f"{NEW_UNIT}.txt：已导入")


def test_nginx_is_installed_by_ci():
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "[ -x /usr/sbin/nginx ] || need+=(nginx)" in run
