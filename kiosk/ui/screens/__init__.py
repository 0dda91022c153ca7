"""Screens, created the first time they are shown (start-up draws only the home screen).

Which screens exist, and which modules define tour stops, admin rows and actions and signage
slides, is registered per feature in kiosk/ui/features.py; REGISTRY is derived from it.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from kiosk.ui import features

REGISTRY: dict[str, str] = features.screens()  # screen name -> "module:Class"


def screen_modules() -> list[ModuleType]:
    """Every screen and hooks module, imported (for the tour, the admin screen, signage)."""
    return [importlib.import_module(name) for name in features.hook_modules()]
