"""kiosk.ini `[feedback]`: the rating prompt, 差评 follow-up deadlines, retention, evaluator."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kiosk.config import BadValue, boolean, integer, setting


def counter_id(value: str, base: Path) -> str:
    value = value.strip()
    if value and not re.fullmatch(r"[0-9A-Za-z_-]{1,16}", value):
        raise BadValue("empty, or a window's number or id such as 3")
    return value


@dataclass(frozen=True)
class FeedbackSection:
    prompt: bool = setting("yes", boolean, "yes or no")
    prompt_seconds: int = setting("30", integer(5, 600), "5 to 600 seconds")
    followup_days: int = setting("5", integer(1, 60), "1 to 60 working days")
    retention_days: int = setting("30", integer(1, 3650), "1 to 3650 days")
    counter: str = setting("", counter_id, "empty, or a window number such as 3")
