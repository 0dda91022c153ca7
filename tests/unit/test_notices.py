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


def _rows(path) -> int:
    """Rows in the notices table of the real SQLite file (cleared and expired included)."""
    import sqlite3

    with sqlite3.connect(path) as db:
        return db.execute("SELECT count(*) FROM notices").fetchone()[0]


def test_expired_and_cleared_notices_are_pruned_after_a_week(env):
    path = env.settings.store.path
    with clock.freeze(f"{TUESDAY} 10:00") as frozen:
        local.add(path, compose(env.pack, "yubei-center", "停电检修", "12:00"))
        cleared = local.add(path, compose(env.pack, "yubei-center", "撤下的", "2025-06-06 18:00"))
        local.clear(path, cleared.id)
        lasting = local.add(
            path, compose(env.pack, "yubei-center", "长期", "2025-08-03 18:00", level="一般")
        )
        frozen.advance(days=6)  # within the grace: kept for staff to look back at
        assert local.prune(path) == 0 and _rows(path) == 3
        frozen.advance(days=2)
        assert local.prune(path) == 2
        assert [n.id for n in local.stored(path)] == [lasting.id]
        # a kiosk setting a notice a day for two months keeps only about a week of them
        for _day in range(60):
            local.add(path, compose(env.pack, "yubei-center", "今日提示", "+2h", level="一般"))
            frozen.advance(days=1)
        assert _rows(path) <= 1 + 8, "adding prunes too"
        assert [n.title for n in notices.current(env.settings, env.pack)] == []  # 长期 expired


def test_an_update_outlives_its_own_expiry_while_the_notice_it_replaced_is_up(env):
    path = env.settings.store.path
    with clock.freeze(f"{TUESDAY} 10:00") as frozen:
        first = local.add(path, compose(env.pack, "yubei-center", "月底装修", "2025-07-03 18:00"))
        replaces = notices.current(env.settings, env.pack)[0]
        update = compose(
            env.pack, "yubei-center", "装修提前结束", "2025-06-04 10:00", replaces=replaces
        )
        local.add(path, update)
        frozen.advance(days=9)
        local.prune(path)
        assert {n.id for n in local.stored(path)} == {first.id, "n2"}
        assert notices.current(env.settings, env.pack) == (), "the old notice stays replaced"


def test_test_and_exercise_notices_never_reach_residents(env):
    path = env.settings.store.path
    desk = env.desk()
    with clock.freeze(f"{TUESDAY} 10:00"):
        for status in ("test", "演练"):
            drill = compose(
                env.pack, "yubei-center", "演练：暂停办公", "+2h", closes=["all"], status=status
            )
            local.add(path, drill)
        assert [n.status for n in local.stored(path)] == ["test", "exercise"]
        assert notices.current(env.settings, env.pack) == ()
        assert notices.closing(env.settings, env.pack, "legal-aid") is None
        assert desk.issue("A").number == "A001", "a drill closes nothing"
        # shared through the hall, a drill stays a drill
        copy = local.from_json(local.to_json(local.stored(path)[0]))
        local.replace_shared(path, [copy])
        assert notices.current(env.settings, env.pack) == ()
        with pytest.raises(KioskError, match="status"):
            compose(env.pack, "yubei-center", "x", "+1h", status="maybe")


def test_an_update_replaces_its_notice_and_its_closure(env):
    path = env.settings.store.path
    desk = env.desk()
    with clock.freeze(f"{TUESDAY} 11:00") as frozen:
        local.add(
            path,
            compose(
                env.pack,
                "yubei-center",
                "14:00后暂停办公",
                "18:00",
                closes=["all"],
                effective="14:00",
            ),
        )
        old = notices.current(env.settings, env.pack)[0]
        local.add(
            path,
            compose(
                env.pack,
                "yubei-center",
                "改为16:00后暂停办公",
                "18:00",
                closes=["all"],
                effective="16:00",
                replaces=old,
            ),
        )
        shown = notices.current(env.settings, env.pack)
        assert [(n.title, n.msg_type, n.references) for n in shown] == [
            ("改为16:00后暂停办公", "update", (old.id,))
        ]
        frozen.advance(hours=4)  # 15:00: the first closure would have refused this
        assert desk.issue("A").number == "A001"
        frozen.advance(hours=1, minutes=30)  # 16:30
        with pytest.raises(Refused, match="改为16:00后暂停办公"):
            desk.issue("A")


def test_a_cancel_takes_a_pack_notice_down_and_reopens_its_services(env):
    from kiosk.notices.compose import cancel

    (env.content / "notices.yaml").write_text(
        "notices:\n"
        "  - id: close\n    title: 全天暂停办公\n    level: 紧急\n"
        "    start: 2025-06-03 08:00\n    end: 2025-06-04\n    closes: [全部]\n",  # a date: to the end of that day
        encoding="utf-8",
    )
    pack, _problems = read_source(env.content)
    desk = env.desk()
    desk.pack = pack
    path = env.settings.store.path
    with clock.freeze(f"{TUESDAY} 10:00"):
        with pytest.raises(Refused, match="全天暂停办公"):
            desk.issue("A")
        made = local.add(path, cancel(pack.notices[0], "yubei-center"))
        assert (made.msg_type, made.references, made.end) == (
            "cancel",
            ("close",),
            pack.notices[0].end,
        )
        assert notices.current(env.settings, pack) == (), "neither the notice nor the cancel"
        assert desk.issue("A").number == "A001"
    local.close_all()
    with clock.freeze(f"{TUESDAY} 23:00"):  # after a restart, still cancelled
        assert notices.current(env.settings, pack) == ()


def test_hall_shared_updates_point_at_the_shared_copies(env):
    path = env.settings.store.path
    first = Notice("n1", "旧通知", end=datetime(2025, 6, 3, 18), origin="local")
    second = Notice(
        "n2",
        "新通知",
        end=datetime(2025, 6, 3, 18),
        origin="local",
        msg_type="update",
        references=("n1",),
    )
    local.replace_shared(path, [first, second])
    with clock.freeze(f"{TUESDAY} 10:00"):
        shown = notices.current(env.settings, env.pack)
    assert [(n.id, n.references) for n in shown] == [("hall-n2", ("hall-n1",))]


def test_the_pack_carries_status_and_type_and_wants_references(env):
    (env.content / "notices.yaml").write_text(
        "notices:\n"
        "  - id: drill\n    title: 消防演练\n    status: 演练\n"
        "  - id: gone\n    title: 撤销\n    msg_type: 撤销\n",
        encoding="utf-8",
    )
    pack, problems = read_source(env.content)
    errors = [(p.field, p.message) for p in problems if p.severity == "error"]
    assert [field for field, _ in errors] == ["references"], errors
    (env.content / "notices.yaml").write_text(
        "notices:\n"
        "  - id: drill\n    title: 消防演练\n    status: 演练\n"
        "  - id: gone\n    title: 撤销\n    msg_type: 撤销\n    references: [drill]\n",
        encoding="utf-8",
    )
    pack, problems = read_source(env.content)
    assert [(n.status, n.msg_type, n.references) for n in pack.notices] == [
        ("exercise", "alert", ()),
        ("actual", "cancel", ("drill",)),
    ]


def test_clearing_an_update_does_not_bring_back_the_notice_it_replaced(env):
    path = env.settings.store.path
    with clock.freeze(f"{TUESDAY} 10:00"):
        first = local.add(path, compose(env.pack, "yubei-center", "旧的", "+3h"))
        update = local.add(path, compose(env.pack, "yubei-center", "新的", "+3h", replaces=first))
        assert [n.title for n in notices.current(env.settings, env.pack)] == ["新的"]
        assert local.clear(path, update.id).title == "新的"
        assert notices.current(env.settings, env.pack) == ()
