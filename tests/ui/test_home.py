"""The home screen with what staff may add: notices must not push anything off the screen."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import CONTENT
from tests.ui.conftest import SIZES

NOTICES = """notices:
  - id: holiday
    title: 元旦假期（1月1日至3日）中心休息，1月4日起正常办公，急事请拨打12348
  - id: move
    title: 法律援助窗口临时调整到5号窗口办理，给您带来不便敬请谅解
"""


@pytest.mark.parametrize("size", SIZES)
def test_notices_show_on_home_and_nothing_overflows(ui, tmp_path, size, shots):
    pack = tmp_path / "pack"
    shutil.copytree(CONTENT, pack)
    (pack / "notices.yaml").write_text(NOTICES, encoding="utf-8")
    driver = ui(size=size, content=pack)
    banners = driver.find_all(cls="Banner")
    assert [b.text for b in banners] == [
        "通知：元旦假期（1月1日至3日）中心休息，1月4日起正常办公，急事请拨打12348",
        "通知：法律援助窗口临时调整到5号窗口办理，给您带来不便敬请谅解",
    ]
    driver.screenshot(shots / f"home-notices-{size[0]}x{size[1]}.png")
    assert driver.overflows() == []
