"""Chinese words of content sync shared by `kiosk status` and the admin screen."""

from __future__ import annotations

# What each sync state means to a member of staff.
SYNC_STATES = {
    "disabled": "未开启同步",
    "never": "尚未同步",
    "online": "在线，内容为最新",
    "offline-but-serving": "暂时连不上服务器，继续使用现有内容",
    "stale": "内容可能已过时",
    "failing": "同步失败，需要处理",
}
