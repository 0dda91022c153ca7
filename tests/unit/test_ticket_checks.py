"""services.yaml warnings only the ticket desk can give: no hours anywhere, groups without priority."""

from __future__ import annotations

from kiosk.packs.problems import CHECKS, load_checks
from kiosk.tickets.checks import check_services
from tests.tickets.packs import SITES_YAML, make_pack

WARN = """\
services:
  - id: consultation
    site: yubei-center
    name: 法律咨询
    prefix: A
    windows: [consultation]
    priority_groups: [老年人]
  - id: legal-aid
    site: yubei-center
    name: 法律援助申请
    prefix: B
    windows: [legal-aid]
  - id: notary
    site: yubei-center
    name: 公证咨询
    prefix: C
    windows: [notary]
"""


def test_the_test_pack_has_no_problems(tmp_path):
    assert list(check_services(make_pack(tmp_path))) == []


def test_warnings_name_the_line_and_field(tmp_path):
    folder = make_pack(tmp_path, services=WARN)
    sites = SITES_YAML.replace('      周一至周五: "09:00-12:00, 14:00-17:30"\n', "", 1)
    (folder / "sites.yaml").write_text(sites.replace("    hours:\n    windows", "    windows"))
    problems = {(p.line, p.field): p for p in check_services(folder)}
    assert problems[(2, "priority")].severity == "warning"
    assert "没有写 priority: true" in problems[(2, "priority")].message
    assert "都没有填写办理时间" in problems[(8, "hours")].message
    assert (2, "hours") in problems and (13, "hours") in problems
    assert all(p.severity == "warning" for p in problems.values())


def test_the_check_is_registered_for_pack_validate():
    load_checks()
    assert ("tickets", check_services) in CHECKS
