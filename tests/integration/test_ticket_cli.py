"""`kiosk ticket ...` and `kiosk printer ...` as staff run them, in fresh processes."""

from __future__ import annotations

import json

import pytest

from tests.conftest import run_cli
from tests.tickets.env import TicketEnv
from tests.tickets.fakeprinter import PAPER_NEAR_END, PAPER_OUT, FakePrinter

OPEN = {"KIOSK_NOW": "2025-06-03T10:00:00"}


@pytest.fixture
def env(tmp_path):
    environment = TicketEnv(tmp_path)
    yield environment
    environment.close()


def cli(env: TicketEnv, *args: str, now: dict[str, str] = OPEN):
    return run_cli(*args, config=env.config, env=now)


def test_services_lists_codes_hours_and_state(env):
    result = cli(env, "ticket", "services", "--json")
    assert result.returncode == 0, result.stderr
    services = {s["code"]: s for s in json.loads(result.stdout)}
    assert set(services) == {"consultation", "legal-aid", "notary"}
    aid = services["legal-aid"]
    assert aid["prefix"] == "B" and aid["open"] and aid["daily_cap"] == 5 and aid["priority"]
    assert aid["hours"] == "周一至周五 09:00-12:00、14:00-17:30"
    night = cli(env, "ticket", "services", now={"KIOSK_NOW": "2025-06-03T20:00:00"})
    assert night.returncode == 0
    assert "不能取号：今天的办理时间已结束。下次取号：明天（周三）09:00" in night.stdout


def test_issue_json_then_list_and_reprint(env):
    first = cli(env, "ticket", "issue", "--service", "legal-aid", "--priority", "--json")
    assert first.returncode == 0, first.stderr
    ticket = json.loads(first.stdout)
    assert ticket["number"] == "B001" and ticket["service"] == "legal-aid"
    assert ticket["priority"] is True and ticket["printed"] is True
    assert ticket["print_error"] is None
    assert ticket["issued_at"] == "2025-06-03T10:00:00+08:00"
    second = cli(env, "ticket", "issue", "--service", "b")
    assert second.returncode == 0 and second.stdout.startswith("B002  法律援助申请")
    listed = cli(env, "ticket", "list", "--json")
    assert [json.loads(line)["number"] for line in listed.stdout.splitlines()] == ["B001", "B002"]
    other_day = cli(env, "ticket", "list", "--date", "2025-06-02")
    assert other_day.returncode == 0 and "no tickets on 2025-06-02" in other_day.stdout
    reprint = cli(env, "ticket", "reprint", "b001")
    assert reprint.returncode == 0 and "B001 已重新打印" in reprint.stdout
    assert len(list((env.tmp / "printed").glob("2025-06-03-B001*.png"))) == 2


def test_refusal_is_one_line_and_exit_1(env):
    result = cli(env, "ticket", "issue", "--service", "A", now={"KIOSK_NOW": "2025-10-01T10:00"})
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == "kiosk: 今天（国庆节）休息，不办理取号。下次取号：10月9日（周四）09:00"
    )
    unknown = cli(env, "ticket", "issue", "--service", "Z")
    assert unknown.returncode == 1 and "services here: consultation (A)" in unknown.stderr
    assert "Traceback" not in result.stderr + unknown.stderr


def test_printer_failure_still_issues_and_is_listed_for_reprint(env):
    with FakePrinter() as printer:
        url = printer.url
    env.config.write_text(
        env.config.read_text().replace(f"url = image://{env.tmp}/printed/", f"url = {url}")
    )
    result = cli(env, "ticket", "issue", "--service", "A", "--json")
    assert result.returncode == 0, result.stderr
    ticket = json.loads(result.stdout)
    assert ticket["number"] == "A001" and ticket["printed"] is False
    assert ticket["print_error"].startswith("连接不上打印机")
    unprinted = cli(env, "ticket", "list", "--unprinted")
    assert "A001" in unprinted.stdout and "打印失败" in unprinted.stdout
    again = cli(env, "ticket", "reprint", "A001")
    assert again.returncode == 1 and "A001 was not printed: 连接不上打印机" in again.stderr


@pytest.mark.parametrize(
    ("paper", "code", "label"), [(PAPER_NEAR_END, 0, "纸快用完了"), (PAPER_OUT, 1, "缺纸")]
)
def test_printer_status_reports_paper(env, paper, code, label):
    with FakePrinter(status={1: 0x12, 4: paper}) as printer:
        env.config.write_text(
            env.config.read_text().replace(
                f"url = image://{env.tmp}/printed/", f"url = {printer.url}"
            )
        )
        result = cli(env, "printer", "status", "--json")
    assert result.returncode == code
    value = json.loads(result.stdout)
    assert value["printer"] == printer.url and value["label"].startswith(label)


def test_printer_test_page(env):
    result = cli(env, "printer", "test")
    assert result.returncode == 0, result.stderr
    assert "test page printed on image://" in result.stdout
    (page,) = (env.tmp / "printed").glob("test-*.png")
    from PIL import Image

    assert Image.open(page).width == 576
