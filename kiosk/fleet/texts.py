"""The words district staff read in `kiosk fleet status` and `kiosk fleet report`."""

from __future__ import annotations

STATES = {"online": "在线", "late": "迟到", "silent": "失联", "failing": "故障"}
BEHIND = "内容包第{pack}版，落后于已发布的第{published}版"
DAMAGED = "心跳文件损坏"
SYNC = "内容同步{state}：{error}"
PRINTER = "打印机故障：{error}"
UPLOAD = "上传受阻（待上传 {pending} 个）：{error}"
DROPPED = "存储上限已丢弃 {count} 批统计"
DISK = "磁盘剩余仅 {free:.1f} GB"
HEADERS = ("站点", "终端", "最后心跳", "状态", "内容包", "打印机", "问题")
TOTALS = "共 {total} 台：在线 {online}，迟到 {late}，失联 {silent}，故障 {failing}"
NO_KIOSKS = "{origin} 中没有任何终端的心跳（heartbeat/site=*/kiosk=*.json）"
DISTRICT = "全区"
SITES_SHEET = "按站点"
KIOSKS_SHEET = "按终端"
REPORT_DONE = "{out}：{title} — {sites} 个站点，{kiosks} 台终端，取号 {tickets}，评价 {ratings}"
