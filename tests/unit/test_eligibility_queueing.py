"""Domain decisions the result screen used to make itself: which queue, and counting once."""

from __future__ import annotations

import dataclasses
from datetime import date

from kiosk import store
from kiosk.eligibility import stats
from kiosk.eligibility.queueing import legal_aid_service
from kiosk.eligibility.rules import load_pack_rules, rules_of
from kiosk.eligibility.walkthrough import Walkthrough
from kiosk.packs.source import load_source
from tests.conftest import CONTENT


def test_the_legal_aid_queue_is_the_service_of_the_legal_aid_window_at_this_site():
    pack = load_source(CONTENT)
    ruleset = load_pack_rules(pack)
    place = ruleset.places["district_center"]
    center = next(s for s in pack.sites if any(w.id == place.window for w in s.windows))
    window = next(w for w in center.windows if w.id == place.window)
    chosen = legal_aid_service(ruleset, pack, center.id)
    assert chosen and chosen in window.services
    assert chosen in {s.id for s in pack.services_at(center.id)}
    # A site without that window, or an unknown site, has no such queue.
    others = [s for s in pack.sites if all(w.id != place.window for w in s.windows)]
    assert others and legal_aid_service(ruleset, pack, others[0].id) == ""
    assert legal_aid_service(ruleset, pack, "no-such-site") == ""
    # A window whose services are not issued here gives no queue either.
    bare = dataclasses.replace(pack, services=())
    assert legal_aid_service(ruleset, bare, center.id) == ""


def test_rules_are_parsed_once_per_pack_on_show():
    pack = load_source(CONTENT)
    assert rules_of(pack) is rules_of(pack)
    other = dataclasses.replace(pack, version=pack.version + 1)
    assert rules_of(other) is not rules_of(pack)


def test_a_result_is_counted_once_per_session_in_the_background(tmp_path):
    pack = load_source(CONTENT)
    walk = Walkthrough(load_pack_rules(pack))
    result = type("R", (), {"outcome": "likely_eligible", "rule": "low_net_income"})()
    path = tmp_path / "kiosk.sqlite3"
    day = date(2025, 3, 2)
    assert stats.count_once(walk, result, day, path) is True
    assert stats.count_once(walk, result, day, path) is False  # seen again: not recounted
    assert stats.flush(10)
    db = store.open_db(path)
    assert stats.rows(db) == [
        {"day": "2025-03-02", "outcome": "likely_eligible", "rule": "low_net_income", "count": 1}
    ]
    db.close()
