"""Test content packs with queue services, written into tmp folders.

The real services.yaml comes from the content-pack work; these packs pin down exactly the
hours, caps and priorities each test needs.
"""

from __future__ import annotations

from pathlib import Path

PACK_YAML = """\
id: test
name: 渝北区公共法律服务
"""

SITES_YAML = """\
sites:
  - id: yubei-center
    name: 渝北区公共法律服务中心
    level: center
    town: 渝北区
    address: 测试地址
    hours:
      周一至周五: "09:00-12:00, 14:00-17:30"
    windows:
      - {id: consultation, name: 法律咨询, number: 2号窗口, services: [consultation]}
      - {id: legal-aid, name: 法律援助, number: 3号窗口, services: [legal-aid]}
      - {id: notary, name: 公证受理, number: 4号窗口, services: [notary]}
  - id: shuanglonghu-station
    name: 渝北区双龙湖街道公共法律服务工作站
    level: station
    parent: yubei-center
    town: 双龙湖街道
    hours:
      周一至周五: "09:00-12:00, 14:00-17:30"
"""

CONTACTS_YAML = """\
contacts:
  - id: hotline-12348
    name: 12348公共法律服务热线
    kind: hotline
    phone: "12348"
  - id: complaint
    name: 公共法律服务监督投诉电话
    kind: complaint
    phone: 待核实
"""

SERVICES_YAML = """\
services:
  - id: consultation
    site: yubei-center
    name: 法律咨询
    prefix: A
    windows: [consultation]
    bring: [身份证]
    ticket_text: 律师免费解答法律问题，每人约15分钟。
    qr: https://example.org/yubei/consultation
  - id: legal-aid
    site: yubei-center
    name: 法律援助申请
    prefix: B
    windows: [legal-aid]
    daily_cap: {cap}
    priority: true
    priority_groups: [70岁以上老年人, 残疾人, 孕妇]
    bring: [身份证或户口簿, 经济困难状况说明表, 与案件有关的材料（合同、判决书、欠条等）]
    ticket_text: 请在等候区就座，叫到号后到窗口办理。
    qr: https://example.org/yubei/legal-aid
  - id: notary
    site: yubei-center
    name: 公证咨询
    prefix: C
    windows: [notary]
    hours:
      周二、周四: "09:00-12:00"
  - id: station-mediation
    site: shuanglonghu-station
    name: 人民调解
    prefix: T
"""

CALENDAR_YAML = """\
holidays:
  - {from: 2025-10-01, to: 2025-10-08, name: 国庆节}
workdays: [2025-09-28, 2025-10-11]
"""


def make_pack(folder: Path, cap: int = 5, services: str | None = None) -> Path:
    """A small, self-contained pack: two sites, three queue services, a holiday calendar."""
    target = folder / "content"
    target.mkdir(parents=True)
    files = {
        "pack.yaml": PACK_YAML,
        "sites.yaml": SITES_YAML,
        "contacts.yaml": CONTACTS_YAML,
        "services.yaml": services if services is not None else SERVICES_YAML.format(cap=cap),
        "calendar.yaml": CALENDAR_YAML,
    }
    for name, text in files.items():
        (target / name).write_text(text, encoding="utf-8")
    return target
