"""`kiosk notice set/list/clear` in fresh processes, as staff use them: a notice survives
the process that set it, expires by the clock even for a kiosk that was off, and a closure
notice makes `kiosk ticket issue` refuse with the notice as the reason."""

from __future__ import annotations

import json

from tests.conftest import run_cli
from tests.tickets.packs import make_pack


def _config(config_file, tmp_path):
    return config_file(content={"source": str(make_pack(tmp_path))}, printer={"url": "none"})


def test_set_list_clear_and_expiry_across_processes(config_file, tmp_path):
    file = _config(config_file, tmp_path)
    at = {"KIOSK_NOW": "2025-06-03 11:00"}
    made = run_cli(
        "notice",
        "set",
        "--text",
        "14:00后暂停办公",
        "--until",
        "18:00",
        "--from",
        "14:00",
        "--closes",
        "all",
        "--json",
        config=file,
        env=at,
    )
    assert made.returncode == 0, made.stderr
    notice = json.loads(made.stdout)
    assert (notice["id"], notice["level"], notice["closes"]) == ("n1", "urgent", ["all"])
    assert notice["expires"] == "2025-06-03T18:00"

    listed = run_cli("notice", "list", "--json", config=file, env={"KIOSK_NOW": "2025-06-03 17:59"})
    assert [n["title"] for n in json.loads(listed.stdout)] == ["14:00后暂停办公"]
    human = run_cli("notice", "list", config=file, env={"KIOSK_NOW": "2025-06-03 12:00"})
    assert "n1" in human.stdout and "[紧急]" in human.stdout and "closes whole site" in human.stdout

    refused = run_cli(
        "ticket", "issue", "--service", "A", config=file, env={"KIOSK_NOW": "2025-06-03 15:00"}
    )
    assert refused.returncode != 0 and "14:00后暂停办公" in refused.stderr
    allowed = run_cli(
        "ticket",
        "issue",
        "--service",
        "A",
        "--json",
        config=file,
        env={"KIOSK_NOW": "2025-06-03 11:30"},
    )
    assert allowed.returncode == 0, allowed.stderr

    # the next morning (the kiosk was off at 18:00): nothing shown, tickets again
    later = {"KIOSK_NOW": "2025-06-04 09:05"}
    assert json.loads(run_cli("notice", "list", "--json", config=file, env=later).stdout) == []
    assert run_cli("ticket", "issue", "--service", "A", config=file, env=later).returncode == 0

    kept = run_cli("notice", "list", "--all", "--json", config=file, env=later)
    assert [n["id"] for n in json.loads(kept.stdout)] == ["n1"]
    cleared = run_cli("notice", "clear", "n1", config=file, env=at)
    assert cleared.returncode == 0 and "cleared n1" in cleared.stdout
    again = run_cli("notice", "clear", "n1", config=file, env=at)
    assert again.returncode == 1 and "no notice" in again.stderr


def test_bad_input_says_what_to_fix_and_stores_nothing(config_file, tmp_path):
    file = _config(config_file, tmp_path)
    at = {"KIOSK_NOW": "2025-06-03 11:00"}
    result = run_cli("notice", "set", "--text", "暂停", "--until", "10:00", config=file, env=at)
    assert result.returncode == 1 and "already past" in result.stderr
    assert "Traceback" not in result.stderr
    result = run_cli(
        "notice", "set", "--text", "暂停", "--until", "18:00", "--closes", "Q", config=file, env=at
    )
    assert result.returncode == 1 and "no service 'Q'" in result.stderr
    listed = run_cli("notice", "list", "--all", "--json", config=file, env=at)
    assert json.loads(listed.stdout) == []


def test_a_drill_is_never_shown_and_an_update_replaces_its_notice(config_file, tmp_path):
    file = _config(config_file, tmp_path)
    at = {"KIOSK_NOW": "2025-06-03 11:00"}

    def cli(*words: str) -> str:
        result = run_cli("notice", *words, config=file, env=at)
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
        return result.stdout

    cli(
        "set", "--text", "演练：暂停办公", "--until", "18:00", "--closes", "all", "--status", "演练"
    )
    assert json.loads(cli("list", "--json")) == []
    assert "never shown to residents" in cli("list", "--all")
    issued = run_cli("ticket", "issue", "--service", "A", config=file, env=at)
    assert issued.returncode == 0, "a drill closes nothing"

    cli(
        "set", "--text", "15:00后暂停办公", "--until", "18:00", "--from", "15:00", "--closes", "all"
    )
    made = json.loads(
        cli(
            "set",
            "--text",
            "16:00后暂停办公",
            "--until",
            "18:00",
            "--from",
            "16:00",
            "--closes",
            "all",
            "--replaces",
            "n2",
            "--json",
        )
    )
    assert (made["msg_type"], made["references"]) == ("update", ["n2"])
    assert [n["id"] for n in json.loads(cli("list", "--json"))] == ["n3"]
    later = {"KIOSK_NOW": "2025-06-03 15:30"}
    assert run_cli("ticket", "issue", "--service", "A", config=file, env=later).returncode == 0
    missing = run_cli(
        "notice", "set", "--text", "x", "--until", "18:00", "--replaces", "n9", config=file, env=at
    )
    assert missing.returncode == 1 and "no notice 'n9'" in missing.stderr
