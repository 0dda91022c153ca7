"""Uploads against a real nginx (WebDAV PUT): nothing lost, nothing twice, clear refusals."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from kiosk import config, stats
from kiosk.upload.sender import Uploader
from tests.conftest import ROOT, run_cli, write_config
from tests.integration.nginx import Nginx

DAY1 = datetime.fromisoformat("2026-11-02T09:30:00+08:00")


@pytest.fixture
def nginx(tmp_path: Path) -> Iterator[Nginx]:
    server = Nginx(tmp_path / "nginx")
    yield server
    server.stop()


def kiosk_config(tmp_path: Path, url: str, **upload: str) -> Path:
    folder = tmp_path / "kiosk"
    folder.mkdir(exist_ok=True)
    return write_config(folder, {"upload": {"url": url, **upload}})


def record_events(config_path: Path, count: int, start: int = 0) -> None:
    """`count` events over two days, each with a distinct value (to find it again upstream)."""
    settings = config.load(config_path)
    for index in range(start, start + count):
        moment = DAY1 + timedelta(days=index % 2, minutes=index)
        assert stats.record(settings, stats.TICKET_ISSUED, subject="A", value=index, at=moment)
    stats.events.close_all()


def uploaded_events(server: Nginx, folder: str = "up") -> list[float]:
    values = []
    for name, body in server.objects(folder).items():
        if name.startswith("stats/"):
            values += [json.loads(line)["value"] for line in body.splitlines()]
    return sorted(values)


def status_of(config_path: Path) -> dict[str, Any]:
    result = run_cli("upload", "status", "--json", config=config_path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_server_down_nothing_lost_then_everything_arrives_exactly_once(tmp_path, nginx):
    conf = kiosk_config(tmp_path, nginx.url())
    record_events(conf, 20)

    down = run_cli("upload", "--once", config=conf)
    assert down.returncode == 1
    assert len(down.stderr.strip().splitlines()) == 1
    assert "等待上传" in down.stderr and "无法连接" in down.stderr
    waiting = status_of(conf)
    assert waiting["pending"] == 3  # two days of statistics + the heartbeat
    assert waiting["last_error_code"] == "offline" and waiting["last_success"] is None
    assert waiting["next_attempt"]

    record_events(conf, 10, start=20)  # the kiosk kept working while the server was down
    nginx.start()
    back = run_cli("upload", "--once", config=conf)
    assert back.returncode == 0, back.stderr
    assert uploaded_events(nginx) == list(range(30))  # every event, exactly once

    names = sorted(n for n in nginx.objects() if n.startswith("stats/"))
    kiosk = waiting["kiosk"]
    assert names == [
        f"stats/dt=2026-11-02/site=yubei-center/kiosk={kiosk}/00000001.jsonl",
        f"stats/dt=2026-11-02/site=yubei-center/kiosk={kiosk}/00000003.jsonl",
        f"stats/dt=2026-11-03/site=yubei-center/kiosk={kiosk}/00000002.jsonl",
        f"stats/dt=2026-11-03/site=yubei-center/kiosk={kiosk}/00000004.jsonl",
    ]
    beat = json.loads(nginx.objects()[f"heartbeat/site=yubei-center/kiosk={kiosk}.json"])
    assert beat["kiosk"] == kiosk and beat["site"] == "yubei-center"
    assert {
        "program",
        "pack",
        "sync",
        "printer",
        "disk_free",
        "uptime",
        "last_error",
        "time",
    } <= set(beat)

    done = status_of(conf)
    assert done["pending"] == 0 and done["last_success"] and done["last_error"] is None

    again = run_cli("upload", "--once", config=conf)  # nothing new: only the heartbeat goes
    assert again.returncode == 0
    assert uploaded_events(nginx) == list(range(30))
    assert [p for p, _ in nginx.requests()][-1].startswith("/up/heartbeat/")


@pytest.mark.parametrize("point", ["put-half:stats", "put-confirmed:stats"])
def test_kill_9_mid_upload_loses_nothing_and_duplicates_nothing(tmp_path, nginx, point):
    conf = kiosk_config(tmp_path, nginx.url())
    record_events(conf, 400)  # large enough batches for a body sent in two halves
    nginx.start()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KIOSK_CONFIG": str(conf)}
    env["KIOSK_UPLOAD_PAUSE_AT"] = point
    sender = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "upload", "--once"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = sender.stderr.readline()  # type: ignore[union-attr]
        assert f"upload paused at {point}" in line
    finally:
        os.kill(sender.pid, signal.SIGKILL)
        sender.wait(timeout=60)
    first = f"stats/dt=2026-11-02/site=yubei-center/kiosk={status_of(conf)['kiosk']}/00000001.jsonl"
    if point.startswith("put-half"):
        assert first not in nginx.objects()  # nginx never keeps a torn body
    else:
        assert first in nginx.objects()  # stored, but the kiosk died before it knew
    assert status_of(conf)["pending"] == 2  # both batches still queued (the heartbeat went first)

    resumed = run_cli("upload", "--once", config=conf)
    assert resumed.returncode == 0, resumed.stderr
    assert uploaded_events(nginx) == list(range(400))
    stored_stats = [n for n in nginx.objects() if n.startswith("stats/")]
    assert len(stored_stats) == 2
    puts_of_first = [s for p, s in nginx.requests() if p == f"/up/{first}"]
    if point.startswith("put-confirmed"):
        assert puts_of_first == [201, 204]  # the same bytes again under the same name


@pytest.mark.parametrize(
    ("folder", "status", "code", "words"),
    [
        ("full", 507, "server-full", "存储空间已满"),
        ("small", 413, "too-large", "文件过大"),
        ("token", 401, "auth", "身份凭据"),
    ],
)
def test_refusals_give_a_clear_status_and_one_request_per_try(
    tmp_path, nginx, folder, status, code, words
):
    conf = kiosk_config(tmp_path, nginx.url(folder))
    record_events(conf, 10)
    nginx.start()
    for attempt in (1, 2):
        refused = run_cli("upload", "--once", config=conf)
        assert refused.returncode == 1
        assert words in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
        found = status_of(conf)
        assert (found["last_error_code"], found["failures"]) == (code, attempt)
        assert found["pending"] == 3 and found["next_attempt"]
        assert len(nginx.requests()) == attempt  # stops at the first refusal: no storm
    assert nginx.requests()[-1][1] == status
    human = run_cli("upload", "status", config=conf)
    assert words in human.stdout and "连续失败 2 次" in human.stdout


def test_the_sender_thread_backs_off_exponentially_up_to_the_cap(tmp_path, nginx):
    """A fake clock drives the loop: each wait it asks for is recorded, not slept."""
    conf = kiosk_config(
        tmp_path, nginx.url("full"), retry_max="60", heartbeat="86400", batch="86400"
    )
    record_events(conf, 5)
    nginx.start()
    settings = config.load(conf)
    fake_now = [0.0]
    waits: list[float] = []
    stop = threading.Event()

    def wait(seconds: float) -> None:
        waits.append(seconds)
        fake_now[0] += seconds
        if len(waits) == 8:
            stop.set()

    uploader = Uploader(settings, stop, now=lambda: fake_now[0], wait=wait, rng=random.Random(7))
    uploader.loop()
    steps = [5, 10, 20, 40, 60, 60, 60, 60]
    assert len(waits) == 8
    for waited, step in zip(waits, steps, strict=True):
        assert step / 2 <= waited <= step
    assert len(nginx.requests()) == 8  # one request per try, never a busy loop
    assert status_of(conf)["failures"] == 8


@pytest.mark.parametrize(
    ("folder", "credential", "ok"),
    [
        ("token", "bearer s3cret", True),
        ("token", "s3cret", True),
        ("token", "bearer wrong", False),
        ("basic", "basic kiosk:pw", True),
        ("basic", "basic kiosk:nope", False),
    ],
)
def test_credentials_from_the_auth_file(tmp_path, nginx, folder, credential, ok):
    secret = tmp_path / "upload.auth"
    secret.write_text(credential + "\n", encoding="utf-8")
    conf = kiosk_config(tmp_path, nginx.url(folder), auth_file=str(secret))
    record_events(conf, 4)
    nginx.start()
    result = run_cli("upload", "--once", config=conf)
    assert (result.returncode == 0) == ok, result.stderr
    if ok:
        assert uploaded_events(nginx, folder) == list(range(4))
    else:
        assert status_of(conf)["last_error_code"] == "auth"


def test_complaint_items_go_only_when_enabled_and_never_with_the_phone_number(tmp_path, nginx):
    from kiosk.feedback import items, texts

    conf = kiosk_config(tmp_path, nginx.url(), complaints="yes")
    settings = config.load(conf)
    category = texts.CATEGORIES[0]
    items.complain(settings, category, "窗口人员态度好", phone="13800138000")
    stats.events.close_all()
    nginx.start()
    assert run_cli("upload", "--once", config=conf).returncode == 0
    sent = [b for n, b in nginx.objects().items() if n.startswith("complaint/dt=")]
    assert len(sent) == 1
    item = json.loads(sent[0])
    assert (item["category"], item["message"]) == (category, "窗口人员态度好")
    assert "phone" not in item and "ticket" not in item and b"13800138000" not in sent[0]


def test_complaint_items_stay_on_the_kiosk_by_default(tmp_path, nginx):
    from kiosk.feedback import items, texts

    conf = kiosk_config(tmp_path, nginx.url())
    items.complain(config.load(conf), texts.CATEGORIES[0], "留言")
    stats.events.close_all()
    nginx.start()
    assert run_cli("upload", "--once", config=conf).returncode == 0
    assert not [n for n in nginx.objects() if n.startswith("complaint/")]
    assert [n for n in nginx.objects() if n.startswith("stats/")]  # the anonymous count went
