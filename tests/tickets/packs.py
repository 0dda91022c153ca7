"""Test content packs with queue services, written into tmp folders.

The real services.yaml comes from the content-pack work; these packs pin down exactly the
hours, caps and priorities each test needs.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import CONTENT

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
    """A copy of the bundled content plus services.yaml and calendar.yaml."""
    target = folder / "content"
    shutil.copytree(CONTENT, target)
    (target / "services.yaml").write_text(
        services if services is not None else SERVICES_YAML.format(cap=cap), encoding="utf-8"
    )
    (target / "calendar.yaml").write_text(CALENDAR_YAML, encoding="utf-8")
    return target
