"""`kiosk hall ...` on the host, the [hall] settings, and `kiosk run` starting the hall side."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from kiosk import clock, config
from kiosk.cli import main
from kiosk.errors import ConfigError, KioskError
from kiosk.hall.counters import counters_for
from kiosk.hall.dispatch import Dispatcher
from kiosk.launch import start_hall
from kiosk.packs.loader import load_content
from kiosk.tickets import desk as desk_module
from tests.conftest import write_config
from tests.hall.env import MORNING, HallEnv


@pytest.fixture
def env(tmp_path: Path) -> Iterator[HallEnv]:
    with clock.freeze(MORNING):
        yield HallEnv(tmp_path)


def run(env: HallEnv, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--config", str(env.config), "hall", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_counter_keys_are_printed_once_and_stored_hashed(
    env: HallEnv, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(env, capsys, "counter-key", "--counter", "3", "--json")
    assert code == 0
    made = json.loads(out)
    assert made["counter"] == "3" and len(made["key"]) >= 16
    stored = (
        sqlite3.connect(env.settings.store.path).execute("SELECT hash FROM hall_keys").fetchall()
    )
    assert len(stored) == 1 and made["key"] not in stored[0][0]
    env.hall.check_key("3", made["key"])  # accepted
    code, _, err = run(env, capsys, "counter-key", "--counter", "9")
    assert code != 0 and "没有 9 号窗口" in err


def test_calling_from_the_command_line(env: HallEnv, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(env, capsys, "call", "--counter", "2")[1].strip() == "没有人在等候"
    env.issue("B")
    env.issue("B", priority=True)
    code, out, _ = run(env, capsys, "call", "--counter", "2", "--json")
    assert code == 0 and json.loads(out)["ticket"] == "B002"
    code, _, err = run(env, capsys, "no-show", "--counter", "2")
    assert code != 0 and "重呼" in err
    assert run(env, capsys, "recall", "--counter", "2")[1].strip() == "B002 重呼"
    assert run(env, capsys, "no-show", "--counter", "2")[1].strip() == "B002 过号"
    code, _, err = run(env, capsys, "done", "--counter", "2")
    assert code != 0 and "没有正在办理" in err
    assert run(env, capsys, "call", "--counter", "2")[1].strip() == "B001"
    assert (
        run(env, capsys, "transfer", "--counter", "2", "--to", "4")[1].strip()
        == "B001 转到 4号窗口"
    )
    code, out, _ = run(env, capsys, "status", "--json")
    body = json.loads(out)
    assert set(body) == {"site", "now", "version", "services", "counters", "calls", "help"}
    assert [c["ticket"] for c in body["calls"]] == ["B001", "B002", "B002"]  # newest first
    human = run(env, capsys, "status")[1]
    assert "B   法律咨询" in human and "2号窗口" in human


def test_counters_setting(tmp_path: Path) -> None:
    ini = write_config(
        tmp_path, {"hall": {"counters": "1: reception; 7: legal-aid, center-notary"}}
    )
    settings = config.load(ini)
    pack = load_content(settings).pack
    counters = counters_for(settings, pack)
    assert [(c.id, c.name, c.services) for c in counters] == [
        ("1", "1号窗口", ("center-reception",)),
        ("7", "7号窗口", ("center-legal-aid", "center-notary")),
    ]
    for bad in ("1 reception", "1: ; 2: notary", "1: reception; 1: notary", "123456: reception"):
        with pytest.raises(ConfigError, match=r"\[hall\] counters"):
            config.load(write_config(tmp_path, {"hall": {"counters": bad}}))
    wrong = config.load(write_config(tmp_path, {"hall": {"counters": "1: no-such-window"}}))
    with pytest.raises(KioskError, match="neither a window nor a service"):
        counters_for(wrong, pack)


def test_kiosk_run_starts_the_hall_server_on_the_host_only(tmp_path: Path) -> None:
    host = config.load(write_config(tmp_path, {"hall": {"host": "yes", "port": "0", "player": ""}}))
    loaded = load_content(host)
    server = start_hall(host, loaded)
    try:
        assert requests.get(server.url + "api/state", timeout=10).json()["counters"]
    finally:
        server.stop()
    plain = config.load(write_config(tmp_path, {"hall": {"host": "no", "url": ""}}))
    assert start_hall(plain, loaded) is None
    other = config.load(
        write_config(tmp_path, {"hall": {"host": "no", "url": "http://127.0.0.1:9/"}})
    )
    link = start_hall(other, loaded)
    try:
        assert isinstance(link, Dispatcher) and desk_module.queue_link is link
    finally:
        link.stop()
    assert desk_module.queue_link is None


def test_other_kiosks_ask_the_host_and_never_touch_a_queue_of_their_own(
    env: HallEnv, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.hall.env import running

    folder = tmp_path / "other"
    folder.mkdir()
    with running(env) as server:
        other = HallEnv(folder, hall={"host": "no", "url": server.url})
        code, _, err = run(other, capsys, "call", "--counter", "1")
        assert code != 0 and "not the hall's host" in err
        env.issue("E")
        other.issue("A")  # not handed in: no dispenser key
        code, out, _ = run(other, capsys, "status")
        assert code == 0 and "E   人民调解     等候 1" in out and "还有 1 张号没有交给" in out
        assert json.loads(run(other, capsys, "status", "--json")[1])["not_handed_in"] == 1
    code, _, err = run(other, capsys, "status")
    assert code != 0 and "does not answer" in err and "not yet handed in: 1" in err
