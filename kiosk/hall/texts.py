"""Chinese wording of the hall queue: what counter staff and residents read and hear."""

from __future__ import annotations

COUNTER_NAME = "{counter}号窗口"
COUNTER_PAGE = "窗口叫号"  # the titles of the counter and display pages
DISPLAY_PAGE = "叫号显示"
CALL_SENTENCE = "请 {ticket} 号到 {counter} 号窗口办理"

# Why a counter action did nothing (shown on the counter page and by the CLI)
NOBODY_WAITING = "没有人在等候"
NOT_SERVING = "这个窗口现在没有正在办理的号"
RECALL_FIRST = "请先重呼（还需要重呼 {left} 次才能过号）"
UNKNOWN_COUNTER = "没有 {counter} 号窗口"
SAME_COUNTER = "不能转到本窗口"
NO_KEY = "请先登录窗口（需要窗口号和密钥）"
WRONG_KEY = "窗口号或密钥不对"
BAD_INPUT = "请求的内容不对：{detail}"
TOO_LARGE = "请求的内容太大"
NOT_JSON = "请求的内容应该是 JSON（Content-Type: application/json）"
NOT_FOUND = "没有这个地址"
HELP_FULL = "呼叫太多，请稍后再试"
HELP_LABEL = "呼叫工作人员"  # a help call that came without a label
