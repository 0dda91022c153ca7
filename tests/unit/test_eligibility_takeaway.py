"""What leaves the kiosk: the checklist (slip and QR code) and the anonymous counts."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk import store
from kiosk.eligibility import checklist, engine, rules, stats
from kiosk.packs.source import load_source
from kiosk.qr import qr_image
from kiosk.slips import Slip
from tests.conftest import CONTENT

DAY = date(2025, 3, 1)


@pytest.fixture(scope="module")
def pack():
    return load_source(CONTENT)


def result_for(pack, **facts):
    ruleset = rules.load_pack_rules(pack)
    return engine.evaluate(
        ruleset, engine.validate_facts(ruleset, facts), DAY, pack, "yubei-center"
    )


def slip_text(slip: Slip) -> str:
    return "\n".join(
        [
            slip.title,
            *(h + "\n" + "\n".join(lines) for h, lines in slip.sections),
            slip.footer,
            slip.qr,
        ]
    )


def test_checklist_holds_documents_places_and_the_notice_but_no_answers(pack):
    result = result_for(
        pack,
        matter="support_payments",
        assistance_status=False,
        household_size=3,
        monthly_household_income="4321.57",
        high_value_assets=False,
        deadline_within_7_days=True,
    )
    slip = checklist.build_slip(result)
    text = slip_text(slip)
    assert slip.title == "法律援助申请材料清单"
    headings = [h for h, _ in slip.sections]
    assert headings[:4] == ["自测结果", "请尽快办理", "请带上", "去哪里办"]
    for doc in result.documents:
        assert doc.name in text
    assert "渝北区法律援助中心 法律援助" in text  # the centre and its window
    assert "7日内" in text and "不是审批决定" in text
    assert "4321" not in text and "1440" not in text  # neither the income nor per person
    assert "12348" in slip.footer and "2025.1" in slip.footer


def test_qr_code_carries_the_checklist_and_scans(pack):
    from pyzbar.pyzbar import decode

    result = result_for(pack, matter="labour_or_wages", migrant_worker=True)
    text = checklist.qr_text(result)
    assert len(text.encode("utf-8")) <= checklist.QR_LIMIT
    assert "进城务工人员身份证明" in text and "12348" in text
    decoded = decode(qr_image(text, box_size=4))
    assert decoded and decoded[0].data.decode("utf-8") == text


def test_alternatives_go_on_the_checklist_when_aid_is_unlikely(pack):
    result = result_for(
        pack,
        matter="contract_or_debt",
        assistance_status=False,
        household_size=1,
        monthly_household_income=9000,
        monthly_rigid_expenses=0,
    )
    slip = checklist.build_slip(result)
    section = dict(slip.sections)["其他免费途径"]
    assert any("人民调解" in line for line in section) and any("12348" in line for line in section)


def test_counts_are_per_day_outcome_and_rule_and_survive_reopening(tmp_path):
    path = tmp_path / "kiosk.sqlite3"
    db = store.open_db(path)
    stats.record(db, "likely_eligible", "low_income", DAY)
    stats.record(db, "likely_eligible", "low_income", DAY)
    stats.record(db, "staff_check", "means_unknown", date(2025, 3, 2))
    db.conn.close()
    again = store.open_db(path)
    assert stats.rows(again) == [
        {"day": "2025-03-01", "outcome": "likely_eligible", "rule": "low_income", "count": 2},
        {"day": "2025-03-02", "outcome": "staff_check", "rule": "means_unknown", "count": 1},
    ]
    assert stats.by_outcome(again, since=date(2025, 3, 2)) == {"staff_check": 1}
    columns = [row[1] for row in again.conn.execute("PRAGMA table_info(eligibility_counts)")]
    assert columns == ["day", "outcome", "rule", "count"]
    assert store.version(again, "eligibility") == len(stats.MIGRATIONS)
