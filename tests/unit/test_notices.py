"""Notices with CAP 1.2 fields: levels, expiry, closures that stop tickets, local notices kept
in SQLite across a restart, and pack validation of the new fields."""

from __future__ import annotations

from datetime import datetime

import pytest

from kiosk import clock, notices
from kiosk.errors import KioskError
from kiosk.notices import local
from kiosk.notices.compose import compose
from kiosk.packs.model import Notice
from kiosk.packs.source import read_source
from kiosk.tickets import Refused
from tests.tickets.env import TicketEnv

TUESDAY = "2025-06-03"


@pytest.fixture
def env(tmp_path):
    environment = TicketEnv(tmp_path)
    yield environment
    environment.close()
    local.close_all()


def test_a_closure_from_14_00_stops_a_15_00_ticket_with_the_notice_as_reason(env):
    desk = env.desk()
    with clock.freeze(f"{TUESDAY} 11:00") as frozen:
        notice = compose(
            env.pack, "yubei-center", "14:00后暂停办公", "18:00", closes=["all"], effective="14:00"
        )
        local.add(env.settings.store.path, notice)
        assert [n.title for n in notices.current(env.settings, env.pack)] == ["14:00后暂停办公"]
        assert desk.issue("A").number == "A001", "announced, not yet in force"
        frozen.advance(hours=4)  # 15:00
        with pytest.raises(Refused) as refused:
            desk.issue("A")
        assert refused.value.code == "notice"
        assert "14:00后暂停办公" in refused.value.reason
        states = {s.service.id: s for s in desk.states()}
        assert (
            not states["legal-aid"].open
            and "14:00后暂停办公" in states["legal-aid"].availability.reason
        )
        # the next opening after the notice expires (18:00 Tue) is Wednesday 09:00
        assert (
            states["consultation"].availability.next_opening.strftime("%m-%d %H:%M")
            == "06-04 09:00"
        )
        frozen.advance(hours=18)  # Wednesday 09:00: expired, tickets again
        assert notices.current(env.settings, env.pack) == ()
        assert desk.issue("A").number == "A001"


def test_a_notice_closing_one_service_leaves_the_others_open(env):
    desk = env.desk()
    with clock.freeze(f"{TUESDAY} 10:00"):
        local.add(
            env.settings.store.path,
            compose(env.pack, "yubei-center", "法律援助窗口暂停", "+2h", closes=["B"]),
        )
        with pytest.raises(Refused):
            desk.issue("legal-aid")
        assert desk.issue("consultation").number == "A001"


def test_local_notices_survive_a_restart_and_expire_even_while_the_kiosk_was_off(env):
    path = env.settings.store.path
    with clock.freeze(f"{TUESDAY} 10:00"):
        saved = local.add(path, compose(env.pack, "yubei-center", "停电检修", "12:00"))
        assert saved.id == "n1"
    local.close_all()  # the kiosk is switched off
    with clock.freeze(f"{TUESDAY} 11:59"):
        assert [n.id for n in notices.current(env.settings, env.pack)] == ["n1"]
    local.close_all()
    with clock.freeze(f"{TUESDAY} 12:00"):  # switched on again after the expiry
        assert notices.current(env.settings, env.pack) == ()
        assert [n.id for n in local.stored(path)] == ["n1"], "kept for the record"


def test_clearing_takes_a_notice_down_and_ids_are_not_reused(env):
    path = env.settings.store.path
    with clock.freeze(f"{TUESDAY} 10:00"):
        first = local.add(path, compose(env.pack, "yubei-center", "第一条", "+1h"))
        assert local.clear(path, first.id).title == "第一条"
        assert local.clear(path, first.id) is None
        second = local.add(path, compose(env.pack, "yubei-center", "第二条", "+1h"))
        assert second.id == "n2"
        assert [n.title for n in notices.current(env.settings, env.pack)] == ["第二条"]


def test_urgent_notices_come_first(env):
    path = env.settings.store.path
    with clock.freeze(f"{TUESDAY} 10:00"):
        local.add(path, compose(env.pack, "yubei-center", "一般的", "+1h", level="一般"))
        local.add(path, compose(env.pack, "yubei-center", "紧急的", "+1h", level="urgent"))
        local.add(path, compose(env.pack, "yubei-center", "重要的", "+1h", level="重要"))
        shown = notices.current(env.settings, env.pack)
    assert [n.title for n in shown] == ["紧急的", "重要的", "一般的"]


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"text": "  "}, "empty"),
        ({"until": "09:00"}, "already past"),
        ({"until": "tomorrow"}, "is not a time"),
        ({"level": "panic"}, "level"),
        ({"closes": ["Z"]}, "no service 'Z'"),
        ({"effective": "19:00", "until": "18:00"}, "not before"),
    ],
)
def test_bad_input_is_refused_with_what_to_fix(env, kwargs, words):
    values = {"text": "暂停", "until": "18:00", **kwargs}
    with clock.freeze(f"{TUESDAY} 10:00"), pytest.raises(KioskError, match=words):
        compose(env.pack, "yubei-center", **values)


def test_hall_shared_notices_are_replaced_whole(env):
    path = env.settings.store.path
    shared = Notice("n1", "大厅通知", end=datetime(2025, 6, 3, 18), level="urgent", origin="local")
    local.replace_shared(path, [shared])
    local.replace_shared(path, [shared])
    assert [(n.id, n.origin) for n in local.stored(path)] == [("hall-n1", "hall")]
    assert local.from_json(local.to_json(shared)) == shared
    local.replace_shared(path, [])
    assert local.stored(path) == []


def test_the_pack_carries_level_effective_and_closes_and_checks_them(env):
    (env.content / "notices.yaml").write_text(
        "notices:\n"
        "  - id: close\n    title: 14:00后暂停办公\n    level: 紧急\n"
        "    start: 2025-06-03 08:00\n    effective: 2025-06-03 14:00\n    end: 2025-06-03\n"
        "    closes: [全部]\n"
        "  - id: bad\n    title: 坏的\n    closes: [nosuch]\n    level: 很急\n",
        encoding="utf-8",
    )
    pack, problems = read_source(env.content)
    messages = [(p.field, p.message) for p in problems if p.severity == "error"]
    assert any(field == "closes" and "nosuch" in text for field, text in messages), messages
    assert any(field == "level" for field, _ in messages), messages
    (env.content / "notices.yaml").write_text(
        "notices:\n"
        "  - id: close\n    title: 14:00后暂停办公\n    level: 紧急\n"
        "    start: 2025-06-03 08:00\n    effective: 2025-06-03 14:00\n    end: 2025-06-03\n"
        "    closes: [全部]\n",
        encoding="utf-8",
    )
    pack, problems = read_source(env.content)
    notice = pack.notices[0]
    assert (notice.level, notice.closes, notice.effective.hour) == ("urgent", ("all",), 14)
    desk = TicketEnv.desk(env)
    desk.pack = pack
    with clock.freeze(f"{TUESDAY} 15:00"), pytest.raises(Refused, match="暂停办公"):
        desk.issue("A")
