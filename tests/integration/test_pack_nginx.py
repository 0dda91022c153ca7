"""The README's nginx configuration for pack hosting, run for real: a kiosk syncs from it,
polls cheaply (304), resumes a cut download with Range, and a build in progress stays hidden.

The server block is taken from README.md as it stands (only `listen` and `root` are pointed
at a free port and a temporary folder), so the documented configuration is what is tested.
"""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.packs import manifest
from kiosk.packs.installed import Installed
from kiosk.sync.engine import Engine
from tests.conftest import ROOT
from tests.integration.nginx import NGINX, free_port
from tests.integration.packserver import Publisher, kiosk_settings, pattern

pytestmark = pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is not installed")

WRAPPER = """
{user}
worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 64; }}
http {{
  access_log {prefix}/access.log;
  client_body_temp_path {prefix}/body;
  proxy_temp_path {prefix}/proxy;
  fastcgi_temp_path {prefix}/fastcgi;
  uwsgi_temp_path {prefix}/uwsgi;
  scgi_temp_path {prefix}/scgi;
{server}
}}
"""


def readme_server_block() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```nginx\n(.*?)```", text, flags=re.S)
    (block,) = [b for b in blocks if "kiosk-packs" in b]
    return block


@pytest.fixture
def nginx(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    prefix, root, port = tmp_path / "nginx", tmp_path / "srv" / "kiosk-packs", free_port()
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / name).mkdir(parents=True, exist_ok=True)
    root.mkdir(parents=True)
    server = readme_server_block()
    server = re.sub(r"listen 443 ssl;", f"listen 127.0.0.1:{port};", server)
    server = server.replace("root /srv/kiosk-packs;", f"root {root};")
    assert f"127.0.0.1:{port}" in server and str(root) in server, "README block changed"
    conf = prefix / "nginx.conf"
    user = "user root root;" if os.geteuid() == 0 else ""
    conf.write_text(WRAPPER.format(user=user, prefix=prefix, server=server), encoding="utf-8")
    process = subprocess.Popen(
        [NGINX, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, process.stderr.read().decode()  # type: ignore[union-attr]
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=2).connect()
                break
            except OSError:
                assert time.monotonic() < deadline, "nginx did not listen"
                time.sleep(0.05)
        yield root, port
    finally:
        process.terminate()
        process.wait(timeout=30)


def access_log(tmp_path: Path) -> list[tuple[str, int]]:
    """(path, status) of every GET nginx logged."""
    found = []
    for line in (tmp_path / "nginx" / "access.log").read_text(errors="replace").splitlines():
        parts = line.split('"')
        request, status = parts[1].split(), parts[2].split()
        if request[0] == "GET":
            found.append((request[1], int(status[0])))
    return found


def get(port: int, path: str, **headers: str) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]
    conn.close()
    return response


def test_a_kiosk_syncs_from_the_readme_nginx_config(nginx, tmp_path):
    root, port = nginx
    keys = manifest.generate_keypair(tmp_path / "keys")
    (tmp_path / "staff").mkdir()
    publisher = Publisher(tmp_path / "staff", keys)
    film = pattern(3_000_000, 5)
    publisher.media("film.mp4", film)
    publisher.publish(out=root / "yubei")  # "Build straight into the folder nginx publishes"
    publisher.out = root / "yubei"
    (root / "yubei" / ".incoming-7").mkdir()
    (root / "yubei" / ".incoming-7" / "manifest.json").write_text("{}")
    kiosk = tmp_path / "kiosk"
    kiosk.mkdir()
    settings = kiosk_settings(kiosk, f"http://127.0.0.1:{port}/yubei/", publisher.public_key)
    object_path = "/yubei/objects/" + publisher.object_of("film.mp4").name

    # A download cut half-way left a partial file: the sync resumes it with Range (206).
    store = Installed(settings.sync.packs)
    store.ensure()
    store.part_path(publisher.object_of("film.mp4").name).write_bytes(film[:1_500_000])
    assert Engine(settings).run_once().version == 1
    assert (object_path, 206) in access_log(tmp_path)
    assert (object_path, 200) not in access_log(tmp_path)

    # Nothing new: one request and a 304.
    before = len(access_log(tmp_path))
    assert Engine(settings).run_once().result != "installed"
    assert access_log(tmp_path)[before:] == [("/yubei/manifest.json", 304)]

    # What the README promises of the configuration.
    manifest_response = get(port, "/yubei/manifest.json")
    assert manifest_response.getheader("Cache-Control") == "no-cache"
    assert manifest_response.getheader("ETag")
    obj = get(port, object_path, **{"Accept-Encoding": "gzip"})
    assert obj.getheader("Cache-Control") == "public, max-age=31536000, immutable"
    assert obj.getheader("Content-Encoding") is None and obj.body == film  # type: ignore[attr-defined]
    part = get(port, object_path, Range="bytes=100-199")
    assert part.status == 206 and part.body == film[100:200]  # type: ignore[attr-defined]
    assert get(port, "/yubei/.incoming-7/manifest.json").status == 403, "a build in progress"
    assert get(port, "/yubei/").status in (403, 404), "no folder listing"
