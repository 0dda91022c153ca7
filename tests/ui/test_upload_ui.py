"""Uploads in the real window: the kiosk's id and the upload state on the admin screen, the
sender thread delivering a heartbeat to a real nginx while the kiosk runs."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.nginx import Nginx
from tests.ui.conftest import SIZES


@pytest.fixture
def nginx(tmp_path: Path) -> Iterator[Nginx]:
    server = Nginx(tmp_path / "nginx")
    server.start()
    yield server
    server.stop()


def scroll_to_row(driver, label: str) -> None:
    from kivy.uix.scrollview import ScrollView

    row = next(r for r in driver.find_all(cls="InfoRow") if r.label == label)
    parent = row.parent
    while parent is not None and not isinstance(parent, ScrollView):
        parent = parent.parent
    parent.scroll_to(row, animate=False)
    driver.pump(3)


@pytest.mark.parametrize("size", SIZES)
def test_admin_shows_the_kiosk_id_and_the_upload_state(ui, nginx, size, shots):
    from kiosk import admin
    from kiosk.identity import kiosk_id

    driver = ui(
        size=size,
        upload={"url": nginx.url("full"), "heartbeat": "3600", "batch": "3600"},
        admin={"pin_hash": admin.hash_pin("2468")},
    )
    app = driver.app
    assert driver.wait(lambda: app.background.get("upload") is not None, timeout=10), (
        "the sender starts"
    )
    assert driver.wait(lambda: nginx.requests(), timeout=30), "the first heartbeat was tried"
    app.go("admin")
    driver.pump(3)
    values = {row.label: row.value for row in driver.find_all(cls="InfoRow")}
    assert values["本机编号"] == kiosk_id(app.settings.kiosk.data_dir)
    assert re.fullmatch(r"待上传 \d+ 个，最早 \d{4}-\d\d-\d\d \d\d:\d\d", values["数据上传"])
    assert "存储空间已满" in values["上传错误"]
    scroll_to_row(driver, "上传错误")  # staff scroll down to it; so does the screenshot
    driver.screenshot(shots / f"upload-admin-{size[0]}x{size[1]}.png")
    assert driver.overflows() == []


def test_the_running_kiosk_sends_its_heartbeat(ui, nginx):
    driver = ui(upload={"url": nginx.url(), "heartbeat": "3600", "batch": "3600"})
    app = driver.app
    assert driver.wait(lambda: app.background.get("upload") is not None, timeout=10)
    assert driver.wait(
        lambda: any(n.startswith("heartbeat/") for n in nginx.objects()), timeout=30
    ), "a heartbeat arrived"
    beat = json.loads(next(b for n, b in nginx.objects().items() if n.startswith("heartbeat/")))
    assert beat["site"] == app.settings.kiosk.site and beat["program"]
