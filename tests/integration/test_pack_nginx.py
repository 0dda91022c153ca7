"""The README's nginx configuration for pack hosting, run for real: a kiosk syncs from it,
polls cheaply (304), resumes a cut download with Range, and a build in progress stays hidden.

The server block is taken from README.md as it stands (only `listen` and `root` are pointed
at a free port and a temporary folder), so the documented configuration is what is tested.
"""

from __future__ import annotations

import http.client
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.packs import manifest
from kiosk.packs.installed import Installed
from kiosk.sync.engine import Engine
from tests.conftest import ROOT
from tests.integration.nginx import NGINX, Nginx, free_port, logged
from tests.integration.packserver import Publisher, kiosk_settings, pattern

pytestmark = pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is not installed")


def readme_server_block() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```nginx\n(.*?)```", text, flags=re.S)
    (block,) = [b for b in blocks if "kiosk-packs" in b]
    return block


@pytest.fixture
def nginx(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    root, port = tmp_path / "srv" / "kiosk-packs", free_port()
    root.mkdir(parents=True)
    server = readme_server_block()
    server = re.sub(r"listen 443 ssl;", f"listen 127.0.0.1:{port};", server)
    server = server.replace("root /srv/kiosk-packs;", f"root {root};")
    assert f"127.0.0.1:{port}" in server and str(root) in server, "README block changed"
    process = Nginx(tmp_path / "nginx", server=server, port=port)
    process.start()
    try:
        yield root, port
    finally:
        process.stop()


def access_log(tmp_path: Path) -> list[tuple[str, int]]:
    """(path, status) of every GET nginx logged."""
    return logged(tmp_path / "nginx", "GET")


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
