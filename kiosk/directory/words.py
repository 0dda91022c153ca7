"""Chinese words of the texts the directory computes (opening hours, duty dates).

The UI's own labels live in kiosk/ui/strings.py; these are parts of computed sentences shared
by the screens and the command line.
"""

from __future__ import annotations

OPEN = "现在开放"
BREAK = "午间休息"
NOT_YET = "还未开门"
CLOSED = "已下班"
DAY_OFF = "今天休息"
HOLIDAY = "今天是{name}，休息"
UNKNOWN = "开放时间请电话咨询"
CLOSES_AT = "{time} 下班"
NEXT_OPENING = "下次开放时间：{when}"
NO_NEXT_OPENING = "近期没有开放安排"
TODAY = "今天"
TOMORROW = "明天"
DAY_AFTER = "后天"
DATE = "{month}月{day}日"

# Result lines (what a search hit or a list row says under its name)
HELP_SUBTITLE = "查看提供这项服务的地方"
WINDOW_SUBTITLE = "{number} · {site}"
DUTY_SUBTITLE = "{brand}值班 · {site}"
DUTY_SUBTITLE_PLAIN = "值班 · {site}"
PLACE_SUBTITLE = "{what} · {town}"
