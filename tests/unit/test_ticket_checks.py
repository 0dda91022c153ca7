"""services.yaml checks: duplicate letters, unknown windows and sites, missing hours."""

from __future__ import annotations

from kiosk.packs.problems import CHECKS, load_checks
from kiosk.tickets.checks import check_services
from tests.tickets.packs import make_pack

BAD = """\
services:
  - id: consultation
    site: yubei-center
    name: 法律咨询
    prefix: A
    windows: [consultation]
  - id: other
    site: yubei-center
    name: 其他
    prefix: a
    windows: [nowhere]
  - id: ghost
    site: no-such-site
    name: 幽灵
    prefix: "1"
  - id: village
    site: shuanglonghu-station
    name: 调解
    prefix: T
    priority_groups: [老年人]
"""


def test_the_test_pack_has_no_problems(tmp_path):
    assert list(check_services(make_pack(tmp_path))) == []


def test_problems_name_the_line_field_and_what_to_do(tmp_path):
    folder = make_pack(tmp_path, services=BAD)
    problems = {(p.line, p.field): p for p in check_services(folder)}
    assert "与业务“consultation”重复" in problems[(7, "prefix")].message
    assert "窗口“nowhere”" in problems[(7, "windows")].message
    assert problems[(12, "site")].message.startswith("站点“no-such-site”")
    assert "一到两个英文字母" in problems[(12, "prefix")].message
    assert problems[(16, "priority")].severity == "warning"


def test_the_check_is_registered_for_pack_validate():
    load_checks()
    assert ("tickets", check_services) in CHECKS
