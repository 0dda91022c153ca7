"""`kiosk fleet status|report --from DIR_OR_URL`: the district's view of its kiosks."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    return None
