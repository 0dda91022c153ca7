"""The district's view, end to end: kiosks upload to a real nginx, `kiosk fleet` reads it back."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kiosk import config, stats
from tests.conftest import run_cli, write_config
from tests.integration.nginx import Nginx

DAY = datetime.fromisoformat("2026-11-02T09:30:00+08:00")
SITES = ("yubei-center", "shuanglonghu-station")


@pytest.fixture
def nginx(tmp_path: Path) -> Iterator[Nginx]:
    server = Nginx(tmp_path / "nginx")
    server.start()
    yield server
    server.stop()


def kiosk(tmp_path: Path, name: str, site: str, url: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    return write_config(folder, {"kiosk": {"site": site}, "upload": {"url": url}})


def activity(conf: Path, tickets: int, ratings: list[int], waits: list[int]) -> None:
    settings = config.load(conf)
    for i in range(tickets):
        stats.record(settings, stats.TICKET_ISSUED, subject="legal-aid", at=DAY + timedelta(days=i))
    for level in ratings:
        stats.record(settings, stats.RATING, subject="legal-aid", value=level, at=DAY)
    for seconds in waits:
        stats.record(settings, stats.TICKET_CALLED, "legal-aid", "1", seconds, at=DAY)
    stats.record(settings, stats.TICKET_ISSUED, subject="legal-aid", at=DAY + timedelta(days=80))
    stats.events.close_all()


def upload(conf: Path) -> None:
    result = run_cli("upload", "--once", config=conf)
    assert result.returncode == 0, result.stderr


def test_fleet_status_and_report_over_what_kiosks_uploaded(tmp_path, nginx):
    first = kiosk(tmp_path, "k1", SITES[0], nginx.url())
    second = kiosk(tmp_path, "k2", SITES[1], nginx.url())
    activity(first, tickets=5, ratings=[5, 4, 1], waits=[600, 1200])
    activity(second, tickets=3, ratings=[3, 2], waits=[300])
    upload(first)
    upload(second)
    folder = nginx.data / "up"
    cache = tmp_path / "cache"

    for origin in (str(folder), nginx.url()):
        shown = run_cli("fleet", "status", "--from", origin, "--cache", str(cache), "--json")
        assert shown.returncode == 0, shown.stderr
        rows = json.loads(shown.stdout)["kiosks"]
        assert sorted(r["site"] for r in rows) == sorted(SITES)
        assert {r["state"] for r in rows} == {"online"}
        assert all(r["printer"] and r["age_seconds"] is not None for r in rows)
    human = run_cli("fleet", "status", "--from", str(folder), "--cache", str(cache))
    assert "共 2 台：在线 2" in human.stdout

    out = tmp_path / "district.xlsx"
    made = run_cli(
        "fleet", "report", "--from", str(folder), "--cache", str(cache),
        "--quarter", "2026Q4", "--out", str(out), "--json",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    figures = json.loads(made.stdout)
    assert figures["tickets_issued"] == 5 + 3  # the tickets of day 80 fall in 2027Q1
    assert figures["ratings"]["非常不满意"] == 1 and sum(figures["ratings"].values()) == 5
    assert figures["satisfaction_rate"] == round(3 / 5, 4)
    assert figures["waiting_minutes"]["median"] == 10.0  # 300, 600, 1200 s
    assert figures["kiosks"] == {SITES[0]: 1, SITES[1]: 1}
    assert figures["sites"][SITES[1]]["tickets_issued"] == 3

    book = load_workbook(out)
    assert book.sheetnames[:2] == ["汇总", "按站点"]
    sites = list(book["按站点"].iter_rows(values_only=True))
    assert sites[0][:4] == ("站点", "站点编号", "终端数", "访问人次")
    issued = sites[0].index("取号")
    assert [row[1] for row in sites[1:]] == [SITES[1], SITES[0], None]  # by id, then 全区
    assert [row[issued] for row in sites[1:]] == [3, 5, 8]
    assert "全区" in book["汇总"]["A1"].value

    # A kiosk that was offline uploads late: the next report counts it (its day is re-packed).
    activity(second, tickets=1, ratings=[], waits=[])
    upload(second)
    again = run_cli(
        "fleet", "report", "--from", str(folder), "--cache", str(cache),
        "--quarter", "2026Q4", "--out", str(out), "--json",
    )  # fmt: skip
    assert json.loads(again.stdout)["tickets_issued"] == 8 + 1


def test_fleet_commands_explain_what_is_wrong(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    none = run_cli("fleet", "status", "--from", str(empty), "--cache", str(tmp_path / "c"))
    assert none.returncode == 1 and "没有任何终端的心跳" in none.stderr
    missing = run_cli("fleet", "status", "--from", str(tmp_path / "nope"))
    assert missing.returncode == 1 and "文件夹不存在" in missing.stderr
    bad = run_cli(
        "fleet",
        "report",
        "--from",
        str(empty),
        "--quarter",
        "2026-4",
        "--out",
        str(tmp_path / "x.xlsx"),
    )
    assert bad.returncode == 1 and "2026Q4" in bad.stderr
