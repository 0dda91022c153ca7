"""Numbering per site, day, service and dispenser; refusals; priority; print outcomes kept."""

from __future__ import annotations

import sqlite3

import pytest

from kiosk import clock
from kiosk.tickets import Refused
from kiosk.tickets.ledger import Ledger, format_number
from tests.tickets.env import TicketEnv

TUESDAY = "2025-06-03 09:30"


@pytest.fixture
def env(tmp_path):
    environment = TicketEnv(tmp_path)
    yield environment
    environment.close()


def test_numbers_run_per_service_from_001(env):
    desk = env.desk()
    with clock.freeze(TUESDAY):
        numbers = [desk.issue(code).number for code in ("A", "A", "legal-aid", "A", "B")]
    assert numbers == ["A001", "A002", "B001", "A003", "B002"]


def test_position_and_ahead_count_only_tickets_still_waiting(env):
    desk = env.desk()
    with clock.freeze(TUESDAY) as frozen:
        first = desk.issue("A")
        frozen.advance(minutes=60)
        second = desk.issue("A")
        frozen.advance(minutes=61)  # the first ticket is now 121 minutes old: timed out
        third = desk.issue("A")
        state = desk.state(desk.find_service("A"))
    assert (first.position, first.ahead) == (1, 0)
    assert (second.position, second.ahead) == (2, 1)
    assert (third.position, third.ahead) == (3, 1)
    assert (state.issued, state.waiting) == (3, 2)


def test_the_day_rolls_over_even_if_the_kiosk_was_off_at_midnight(env):
    desk = env.desk()
    with clock.freeze("2025-06-03 16:00"):
        assert [desk.issue("A").number for _ in range(3)] == ["A001", "A002", "A003"]
    env.close()
    env._ledger = None  # "restart": a new connection, no in-memory state
    desk = env.desk()
    with clock.freeze("2025-06-04 09:05"):
        fresh = desk.issue("A")
    assert (fresh.number, fresh.day.isoformat(), fresh.position) == ("A001", "2025-06-04", 1)
    with clock.freeze("2025-06-04 23:59:59"):
        assert env.ledger.day("yubei-center", clock.today())[-1].number == "A001"


def test_the_local_day_decides_not_utc(env):
    """00:30 in Chongqing is still the previous day in UTC; the ticket belongs to the new day."""
    desk = env.desk()
    with clock.freeze("2025-06-03 16:00"):
        desk.issue("A")
    # Issue straight through the ledger at 00:30 local (the hall is closed; the ledger is not).
    with clock.freeze("2025-06-04 00:30"):
        ticket = env.ledger.issue(
            site="yubei-center",
            service="consultation",
            service_name="法律咨询",
            prefix="A",
            now=clock.now(),
        )
    assert (ticket.day.isoformat(), ticket.number) == ("2025-06-04", "A001")


def test_cap_refuses_with_reason_and_next_opening(env):
    desk = env.desk()
    with clock.freeze("2025-06-06 10:00"):  # a Friday
        numbers = [desk.issue("B").number for _ in range(5)]
        with pytest.raises(Refused) as refused:
            desk.issue("B")
    assert numbers[-1] == "B005"
    assert refused.value.code == "full"
    assert "今天的号已取完（每天5个）" in refused.value.reason
    assert "6月9日（周一）09:00" in refused.value.reason
    assert refused.value.next_opening.isoformat() == "2025-06-09T09:00:00+08:00"


def test_closed_hours_refuse_and_nothing_is_written(env):
    desk = env.desk()
    with clock.freeze("2025-06-03 12:15"), pytest.raises(Refused) as refused:
        desk.issue("A")
    assert refused.value.code == "not_yet"
    assert "今天 14:00" in str(refused.value)
    with clock.freeze("2025-10-02 10:00"), pytest.raises(Refused) as holiday:
        desk.issue("A")
    assert "国庆节" in holiday.value.reason
    assert env.ledger.day("yubei-center", clock.today()) == []


def test_priority_tickets_are_marked_and_share_the_sequence(env):
    desk = env.desk()
    with clock.freeze(TUESDAY):
        normal = desk.issue("B")
        priority = desk.issue("B", priority=True)
        with pytest.raises(Refused) as refused:
            desk.issue("A", priority=True)
    assert (normal.number, normal.priority) == ("B001", False)
    assert (priority.number, priority.priority) == ("B002", True)
    assert refused.value.code == "no_priority"
    stored = env.ledger.get("yubei-center", priority.day, "B002")
    assert stored.priority is True


def test_dispenser_blocks_and_prefixes_keep_two_machines_apart(tmp_path):
    first = TicketEnv(tmp_path / "one", tickets={"number_block": "1-499"})
    second = TicketEnv(tmp_path / "two", tickets={"number_block": "500-999"})
    third = TicketEnv(tmp_path / "three", tickets={"device_prefix": "k"})
    with clock.freeze(TUESDAY):
        a = [first.desk().issue("A").number for _ in range(2)]
        b = [second.desk().issue("A").number for _ in range(2)]
        c = third.desk().issue("A").number
    assert a == ["A001", "A002"]
    assert b == ["A500", "A501"]
    assert c == "AK001"
    for env in (first, second, third):
        env.close()


def test_an_exhausted_block_refuses_rather_than_wrapping_into_duplicates(tmp_path):
    env = TicketEnv(tmp_path, tickets={"number_block": "998-999"})
    desk = env.desk()
    with clock.freeze(TUESDAY):
        assert [desk.issue("A").number for _ in range(2)] == ["A998", "A999"]
        with pytest.raises(Refused) as refused:
            desk.issue("A")
    assert refused.value.code == "exhausted"
    assert "本机今天的号码已用完" in refused.value.reason
    env.close()


def test_four_digit_numbers_when_the_block_needs_them():
    assert format_number("A", "", 7, 999) == "A007"
    assert format_number("A", "", 1000, 1999) == "A1000"
    assert format_number("A", "", 7, 1999) == "A0007"
    assert format_number("B", "2", 12, 499) == "B2012"


def test_the_database_itself_refuses_a_duplicate_number(env):
    desk = env.desk()
    with clock.freeze(TUESDAY):
        ticket = desk.issue("A")
    with pytest.raises(sqlite3.IntegrityError):
        env.ledger.conn.execute(
            "INSERT INTO tickets (site, day, service, service_name, seq, number, issued_at,"
            " issued_ts, position, ahead) VALUES (?,?,?,?,?,?,?,?,?,?)",
            ("yubei-center", ticket.day.isoformat(), "other", "x", 1, "A001", "", 0, 1, 0),
        )


def test_unknown_service_names_the_known_ones(env):
    desk = env.desk()
    with pytest.raises(Exception, match=r"consultation \(A\)"):
        desk.find_service("Z")


def test_a_failed_print_keeps_the_ticket_and_records_why(env, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the image folder should be")
    desk = env.desk(url=f"image://{blocked}/")
    with clock.freeze(TUESDAY):
        issued = desk.issue_and_print("A")
        again = desk.issue_and_print("A")
    assert issued.ticket.number == "A001" and again.ticket.number == "A002"
    assert not issued.printed and issued.print_error.startswith("打印失败")
    stored = env.ledger.get("yubei-center", issued.ticket.day, "A001")
    assert stored.print_status == "failed" and stored.print_attempts == 1
    assert [t.number for t in desk.unprinted(issued.ticket.day)] == ["A001", "A002"]
    attempts = env.ledger.attempts(stored.id)
    assert attempts[0]["ok"] is False and "not-a-folder" in attempts[0]["printer"]


def test_reprint_after_a_failure_marks_the_ticket_printed(env, tmp_path):
    blocked = tmp_path / "blocked"
    blocked.write_text("")
    with clock.freeze(TUESDAY):
        failed = env.desk(url=f"image://{blocked}/").issue_and_print("A")
        assert not failed.printed
        reprinted = env.desk().reprint("a001")
    assert reprinted.printed
    assert reprinted.ticket.print_status == "printed" and reprinted.ticket.print_attempts == 2
    assert len(list((env.tmp / "printed").glob("2025-06-03-A001-reprint-*.png"))) == 1
    assert env.desk().unprinted(reprinted.ticket.day) == []
    kinds = [a["kind"] for a in env.ledger.attempts(reprinted.ticket.id)]
    assert kinds == ["issue", "reprint"]


def test_no_printer_means_screen_only_and_not_a_failure_to_chase(env):
    desk = env.desk(url="none")
    with clock.freeze(TUESDAY):
        issued = desk.issue_and_print("A")
    assert issued.screen_only and not issued.printed
    assert issued.ticket.print_status == "screen"
    assert desk.unprinted(issued.ticket.day) == []


def test_a_known_paper_out_is_not_sent_but_recorded(env):
    from kiosk.tickets.printers import PrinterStatus

    desk = env.desk()
    with clock.freeze(TUESDAY):
        issued = desk.issue_and_print("A", known_status=PrinterStatus("paper_out"))
    assert not issued.printed and issued.print_error == "缺纸"
    assert not list((env.tmp / "printed").glob("*.png"))


def test_an_interrupted_print_shows_up_for_staff_after_a_grace_period(env):
    desk = env.desk()
    with clock.freeze(TUESDAY) as frozen:
        ticket = desk.issue("A")  # committed, never printed (as after a crash)
        assert desk.unprinted(ticket.day) == []
        frozen.advance(minutes=3)
        (pending,) = desk.unprinted(ticket.day)
    assert pending.number == "A001" and pending.print_error == "打印中断（程序在打印时退出）"


def test_the_ledger_refuses_a_database_from_a_newer_program(tmp_path):
    from kiosk import store

    path = tmp_path / "k.sqlite3"
    Ledger(path).close()
    conn = store.connect(path)
    conn.execute("INSERT INTO schema_migrations (feature, version) VALUES ('tickets', 99)")
    conn.close()
    with pytest.raises(store.StoreError, match="newer than this program"):
        Ledger(path)
