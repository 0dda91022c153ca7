"""A small content pack on disk for directory tests: three levels, institutions, rosters.

Written as staff write sources (YAML, CSV) so the tests go through the real loader.
"""

from __future__ import annotations

from pathlib import Path

NAV_LINK = "https://uri.amap.com/marker?position=106.5,29.7&name=统景镇公共法律服务工作站"
CENTER_PHONE = "023-67888888"

FILES = {
    "pack.yaml": "id: testpack\nname: 测试区公共法律服务\nversion: 3\n",
    "sites.yaml": f"""
sites:
  - id: center
    name: 渝北区公共法律服务中心
    level: center
    town: 渝北区
    address: 渝北区双龙湖街道示例路1号
    phone: "{CENTER_PHONE}"
    hours:
      周一至周五: "09:00-12:00, 14:00-17:30"
      备注: 法定节假日休息
    services: [consultation, legal_aid, mediation, notary, lawyer, forensic, complaint]
    windows:
      - {{id: reception, name: 接待指引, number: 1号窗口}}
      - {{id: legal-aid, name: 法律援助, number: 3号窗口}}
      - {{id: mediation, name: 人民调解, number: 5号窗口}}
    directions: 进门后请先到接待指引窗口。
  - id: shuanglonghu
    name: 渝北区双龙湖街道公共法律服务工作站
    level: station
    parent: center
    town: 双龙湖街道
    address: 双龙湖街道综治中心二楼
    phone: 待核实
    hours:
      周一至周五: "09:00-12:00, 14:00-17:30"
    services: [consultation, mediation, education, legal_aid_intake]
    directions: 乘轻轨3号线到双龙站，2号出口步行300米。
  - id: tongjing
    name: 渝北区统景镇公共法律服务工作站
    level: station
    parent: center
    town: 统景镇
    address: 统景镇便民服务中心
    phone: "023-67111111"
    qr: "{NAV_LINK}"
    hours:
      周一至周五: "09:00-12:00, 14:00-17:00"
    services: [consultation, mediation]
  - id: slh-room
    name: 双龙湖街道龙湖社区公共法律服务工作室
    level: room
    parent: shuanglonghu
    town: 双龙湖街道
    address: 龙湖社区便民服务中心
    hours:
      周一至周五: "09:00-17:00"
    services: [consultation, mediation]
  - id: tj-room
    name: 统景镇印盒村公共法律服务工作室
    level: room
    parent: tongjing
    town: 统景镇
    address: 印盒村村委会
    qr: 无
    services: [consultation]
""",
    "institutions.csv": (
        "id,name,kind,town,address,phone,hours,services,site\n"
        "aid,渝北区法律援助中心,legal_aid,渝北区,渝北区双龙湖街道示例路1号,023-67822222,"
        '工作日 9:00-17:30,"legal_aid,consultation",center\n'
        "notary,重庆市渝北区公证处,公证处,双龙湖街道,双龙湖街道公证路8号,023-67833333,"
        "工作日 9:00-17:00,notary,\n"
        "firm,重庆渝律律师事务所,律师事务所,统景镇,统景镇正街18号,023-67844444,,,\n"
        "forensic,重庆示例司法鉴定所,司法鉴定所,双龙湖街道,双龙湖街道鉴定路2号,待核实,,,\n"
        "slh-tw,双龙湖街道人民调解委员会,调委会,双龙湖街道,双龙湖街道综治中心,023-67855555,,,"
        "shuanglonghu\n"
    ),
    "rosters.yaml": """
duty:
  - id: center-daily
    site: center
    who: 值班律师（重庆渝律律师事务所）
    pattern: daily
    weekdays: 周一至周五
    brand: 中心律师天天见
  - id: slh-wed
    site: shuanglonghu
    who: 曾小明律师
    pattern: weekly
    weekdays: 周三
    hours: "09:00-12:00"
    brand: 镇街律师周三见
  - id: room-monthly
    site: slh-room
    who: 单丽律师
    pattern: monthly
    month_days: 31
    brand: 村居律师月月见
""",
    "calendar.yaml": """
holidays:
  - {from: 2025-10-01, to: 2025-10-08, name: 国庆节}
workdays: [2025-09-28, 2025-10-11]
""",
    "products.yaml": """
products:
  - id: mediation-free
    class: mediation
    name: 矛盾纠纷免费调解
    type: 基本公共服务
    purchase: 政府购买
    audience: 辖区群众
    provider: 各级人民调解委员会
    content: 调解婚姻家庭、邻里、合同等民间纠纷
    standard: 受理后30日内调结
  - id: inheritance-notary
    class: notary
    name: 小额继承公证免费办理
    type: 公益服务
    purchase: 免费
    audience: 继承财产3000元以下的群众
    provider: 重庆市渝北区公证处
    content: 继承公证
    standard: 材料齐全的当场受理
  - id: aid-consult
    class: legal_aid
    name: 法律援助咨询
    type: 基本公共服务
    purchase: 免费
    audience: 经济困难群众
    provider: 渝北区法律援助中心
    content: 解答法律援助申请条件和程序
    standard: 即问即答
""",
    "contacts.yaml": """
contacts:
  - {id: hotline, name: 12348公共法律服务热线, kind: hotline, phone: "12348"}
""",
}


def write_content(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in FILES.items():
        (folder / name).write_text(text.lstrip("\n"), encoding="utf-8")
    return folder
