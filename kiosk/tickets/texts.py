"""Chinese wording of the ticket domain: reasons for refusing, printer states, the printed ticket.

Shared by the screen, the printed ticket and the command line, so all three say the same thing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from kiosk.packs.model import WEEKDAY_NAMES

# Why no ticket can be taken now
REFUSED_HOLIDAY = "今天{name}休息，不办理取号"
REFUSED_NOT_YET = "现在还没到办理时间"
REFUSED_ENDED = "今天的办理时间已结束"
REFUSED_STOPPED = "今天的取号已结束"
REFUSED_FULL = "今天的号已取完（每天{cap}个）"
REFUSED_EXHAUSTED = "本机今天的号码已用完，请到窗口咨询"
REFUSED_NO_PRIORITY = "这项业务不提供绿色通道号"
REFUSED_NOTICE = "暂停取号：{title}"
NOTICE_NO_END = "恢复时间请留意通知或到窗口咨询"
NEXT_OPENING = "下次取号：{when}"
NEVER_OPEN = "暂无取号时间，请到窗口咨询"

# On the ticket
PRIORITY_MARK = "绿色通道 · 优先办理"
PRIORITY_SHORT = "优先"
POSITION = "今日第 {position} 位"
AHEAD = "前面还有 {ahead} 人等候"
AHEAD_NONE = "前面没有人等候"
GO_TO = "请到{windows}办理"
BRING = "请携带："
HOTLINE = "法律咨询热线 {phone}"
COMPLAINT = "监督投诉电话 {phone}"
KEEP_TICKET = "请留意叫号，凭此票到窗口办理"
SCREEN_ONLY = "请拍照或记下号码，到窗口出示"
TEST_TITLE = "打印测试"
TEST_LINE = "中文打印正常：法律援助 人民调解 公证 12348"

# Printer states, for staff (admin screen and `kiosk printer status`)
PRINTER_STATES = {
    "ok": "正常",
    "paper_near_end": "纸快用完了，请尽快换纸",
    "paper_out": "缺纸",
    "cover_open": "打印机盖没有关好",
    "offline": "打印机离线",
    "unreachable": "连接不上打印机",
    "unknown": "状态未知（打印机没有回答状态查询）",
    "none": "未配置打印机（号码只显示在屏幕上）",
    "error": "打印机出错",
}

# Why a print failed, short, for the ticket's record and for staff
PRINT_FAILED = "打印失败"
PRINT_TIMEOUT = "打印机没有响应（超时）"
PRINT_UNREACHABLE = "连接不上打印机"
PRINT_NO_PRINTER = "未配置打印机"
PRINT_INTERRUPTED = "打印中断（程序在打印时退出）"


def weekday(moment: datetime) -> str:
    return WEEKDAY_NAMES[moment.weekday()]


def when(moment: datetime, now: datetime) -> str:
    """'今天 14:00', '明天（周二）09:00', '6月9日（周一）09:00'."""
    days = (moment.date() - now.date()).days
    clock = f"{moment:%H:%M}"
    if days == 0:
        return f"今天 {clock}"
    if days == 1:
        return f"明天（{weekday(moment)}）{clock}"
    if days == 2:
        return f"后天（{weekday(moment)}）{clock}"
    return f"{moment.month}月{moment.day}日（{weekday(moment)}）{clock}"


def issued_line(moment: datetime) -> str:
    return f"{moment:%Y年%m月%d日} {weekday(moment)} {moment:%H:%M}"


def minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)
