"""A separate process that issues tickets: `python -m tests.tickets.worker CONFIG CODE COUNT [GO]`.

Waits until the file GO exists (so several workers start together), then issues COUNT tickets
and prints each acknowledged number on its own line, flushed, as soon as it is committed.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from kiosk import clock, config
from kiosk.packs.loader import load_content
from kiosk.tickets.desk import Desk


def main() -> None:
    file, code, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    go = Path(sys.argv[4]) if len(sys.argv) > 4 else None
    settings = config.load(file)
    clock.set_timezone(settings.kiosk.timezone)
    desk = Desk(settings, load_content(settings).pack)
    assert desk.ledger is not None  # open the database before the start line
    print("ready", flush=True)
    while go is not None and not go.exists():
        time.sleep(0.001)
    for _ in range(count):
        issued = desk.issue_and_print(code)
        print(issued.ticket.number, flush=True)


if __name__ == "__main__":
    main()
