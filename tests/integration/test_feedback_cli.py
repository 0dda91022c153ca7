"""`kiosk feedback rate|list|update` and `kiosk stats export` as staff run them."""

from __future__ import annotations

import json

import openpyxl

from tests.conftest import run_cli, write_config

NOW = {"KIOSK_NOW": "2026-11-03T10:00:00"}


def test_rate_list_update_and_export_in_fresh_processes(tmp_path):
    cfg = write_config(tmp_path)

    def cli(*args: str):
        result = run_cli(*args, config=cfg, env=NOW)
        assert result.returncode == 0, result.stderr
        return result.stdout

    cli("feedback", "rate", "--level", "5")
    made = json.loads(
        cli("feedback", "rate", "--level", "1", "--service", "C", "--counter", "3",
            "--ticket", "C012", "--reason", "服务态度", "--phone", "13800138000", "--json")
    )  # fmt: skip
    item = made["item"]
    assert (item["service"], item["due"], item["status"]) == (
        "center-legal-aid",
        "2026-11-10",
        "待回访",
    )
    listing = cli("feedback", "list", "--status", "open")
    assert (
        "非常不满意 服务态度" in listing and "回访电话 13800138000" in listing and "C012" in listing
    )
    cli("feedback", "update", str(item["id"]), "--status", "已整改", "--note", "已调整窗口")
    (stored,) = [json.loads(line) for line in cli("feedback", "list", "--json").splitlines()]
    assert stored["status"] == "已整改" and stored["phone"] is None
    assert "no items" in cli("feedback", "list", "--status", "open")

    out = tmp_path / "q4.xlsx"
    assert "满意率 50.0%" in cli("stats", "export", "--quarter", "2026Q4", "--out", str(out))
    rows = {
        r[1]: r[2]
        for r in openpyxl.load_workbook(out)["汇总"].iter_rows(values_only=True)
        if len(r) > 2
    }
    assert rows["评价总数"] == 2 and rows["差评数"] == 1 and rows["回访整改率"] == "100.0%"


def test_mistakes_get_a_reason_and_change_nothing(tmp_path):
    cfg = write_config(tmp_path)
    bad_phone = run_cli("feedback", "rate", "--level", "2", "--phone", "12", config=cfg, env=NOW)
    assert bad_phone.returncode != 0 and "phone" in bad_phone.stderr
    bad_service = run_cli("feedback", "rate", "--level", "2", "--service", "Z", config=cfg, env=NOW)
    assert bad_service.returncode != 0 and "unknown service 'Z'" in bad_service.stderr
    bad_quarter = run_cli(
        "stats", "export", "--quarter", "Q4", "--out", str(tmp_path / "x.xlsx"), config=cfg
    )
    assert bad_quarter.returncode != 0 and "2026Q4" in bad_quarter.stderr
    assert not (tmp_path / "x.xlsx").exists()
    listing = run_cli("feedback", "list", "--json", config=cfg, env=NOW)
    assert listing.returncode == 0 and listing.stdout == ""
