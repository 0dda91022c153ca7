"""Local notices shared through the real hall server: a notice staff set on the host reaches
another kiosk through GET /api/notices, stops its tickets when it closes services, is kept
when the host goes away, and never outlives its expiry."""

from __future__ import annotations

import requests

from kiosk import clock, config, notices
from kiosk.notices import local, share
from kiosk.notices.compose import compose
from kiosk.tickets import Refused
from kiosk.tickets.desk import Desk
from tests.conftest import write_config
from tests.hall.env import MORNING, HallEnv, running


def test_a_notice_set_on_the_host_reaches_another_kiosk(tmp_path):
    (tmp_path / "host").mkdir()
    host = HallEnv(tmp_path / "host")
    with clock.freeze(MORNING) as frozen, running(host) as server:
        local.add(
            host.settings.store.path,
            compose(
                host.pack, host.settings.kiosk.site, "系统维护，暂停取号", "+1h", closes=["all"]
            ),
        )
        answer = requests.get(server.url + "api/notices", timeout=10).json()
        assert [n["title"] for n in answer["notices"]] == ["系统维护，暂停取号"]

        other_dir = tmp_path / "other"
        other_dir.mkdir()
        other = config.load(
            write_config(other_dir, {"hall": {"url": server.url}, "printer": {"url": "none"}})
        )
        assert share.pull(other)
        shown = notices.current(other, host.pack)
        assert [(n.title, n.origin) for n in shown] == [("系统维护，暂停取号", "hall")]
        try:
            Desk(other, host.pack).issue("A")
            raise AssertionError("the other kiosk must refuse tickets too")
        except Refused as refused:
            assert "系统维护" in refused.reason

        server.stop()  # the host goes away: the copy stays until it expires
        assert not share.pull(other)
        assert [n.title for n in notices.current(other, host.pack)] == ["系统维护，暂停取号"]
        frozen.advance(hours=1)
        assert notices.current(other, host.pack) == ()
    local.close_all()


def test_the_host_shares_no_expired_notice(tmp_path):
    host = HallEnv(tmp_path)
    with clock.freeze(MORNING) as frozen, running(host) as server:
        local.add(
            host.settings.store.path, compose(host.pack, host.settings.kiosk.site, "短", "+1h")
        )
        frozen.advance(hours=2)
        assert requests.get(server.url + "api/notices", timeout=10).json()["notices"] == []
    local.close_all()


def test_an_update_and_a_drill_set_on_the_host_travel_as_such(tmp_path):
    """CAP over the hall: the other kiosk shows the update instead of the notice it replaced,
    and gets the drill without ever showing it or refusing tickets for it."""
    (tmp_path / "host").mkdir()
    host = HallEnv(tmp_path / "host")
    site = host.settings.kiosk.site
    with clock.freeze(MORNING), running(host) as server:
        first = local.add(
            host.settings.store.path, compose(host.pack, site, "11:00后暂停办公", "+6h")
        )
        local.add(
            host.settings.store.path,
            compose(host.pack, site, "改为12:00后暂停办公", "+6h", replaces=first),
        )
        local.add(
            host.settings.store.path,
            compose(host.pack, site, "演练：全部暂停", "+1h", closes=["all"], status="exercise"),
        )
        other_dir = tmp_path / "other"
        other_dir.mkdir()
        other = config.load(
            write_config(other_dir, {"hall": {"url": server.url}, "printer": {"url": "none"}})
        )
        assert share.pull(other)
        stored = {n.title: n for n in local.stored(other.store.path)}
        assert stored["改为12:00后暂停办公"].references == ("hall-n1",)
        assert stored["演练：全部暂停"].status == "exercise"
        shown = notices.current(other, host.pack)
        assert [n.title for n in shown] == ["改为12:00后暂停办公"]
        assert Desk(other, host.pack).issue("A").number, "the drill closes nothing"
    local.close_all()
