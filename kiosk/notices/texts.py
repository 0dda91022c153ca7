"""Chinese wording of notices, shared by the screens, the ticket desk and the command line."""

from __future__ import annotations

LEVELS = {"urgent": "紧急", "important": "重要", "general": "一般"}
CLOSES_ALL = "暂停全部业务"
CLOSES_SOME = "暂停：{services}"
REFUSED = "{title}"  # a closed service's reason is the notice itself
UNTIL = "至{when}"
