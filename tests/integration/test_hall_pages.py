"""The counter page and the display page in a real chromium: log in, call with hot keys and
buttons, watch the display change, help calls with their sound, and the wrong-key path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from kiosk import clock
from kiosk.hall.server import HallServer
from tests.hall.browser import chromium, shot, wait_for
from tests.hall.env import MORNING, HallEnv, running, state

pytestmark = pytest.mark.slow


@pytest.fixture
def env(tmp_path: Path) -> Iterator[HallEnv]:
    with clock.freeze(MORNING):
        yield HallEnv(tmp_path)


@pytest.fixture
def server(env: HallEnv) -> Iterator[HallServer]:
    with running(env) as srv:
        yield srv


def text(driver: Any, element_id: str) -> str:
    return driver.find_element(By.ID, element_id).text


def test_counter_staff_call_and_the_display_follows(env: HallEnv, server: HallServer) -> None:
    key = env.hall.make_key("1")
    env.issue("A")
    env.issue("A")
    env.issue("A", priority=True)
    with chromium() as driver:
        driver.get(server.url + "display")
        wait_for(driver, lambda d: "等候 3 人" in text(d, "waiting"))
        assert text(driver, "number") == "请留意叫号"
        display = driver.current_window_handle

        driver.switch_to.new_window("tab")
        driver.get(server.url + "counter")
        wait_for(driver, lambda d: d.find_element(By.ID, "login-counter").text)
        driver.find_element(By.ID, "login-key").send_keys("not-the-key", Keys.ENTER)
        wait_for(driver, lambda d: "密钥不对" in text(d, "login-message"))
        assert driver.find_element(By.ID, "work").is_displayed() is False
        key_box = driver.find_element(By.ID, "login-key")
        key_box.clear()
        key_box.send_keys(key, Keys.ENTER)
        wait_for(driver, lambda d: d.find_element(By.ID, "work").is_displayed())
        assert text(driver, "counter-name") == "1号窗口"
        assert "等候 3 人" in text(driver, "waiting")
        assert not driver.find_element(By.ID, "do-recall").is_enabled()

        driver.find_element(By.TAG_NAME, "body").send_keys("j")  # hot key 叫号
        wait_for(driver, lambda d: text(d, "current") == "A003")  # 绿色通道 first
        assert "等候 2 人" in text(driver, "waiting")
        shot(driver, "counter-serving")

        driver.switch_to.window(display)
        wait_for(driver, lambda d: text(d, "number") == "A003")
        assert "1号窗口" in text(driver, "where")
        # it blinked for the new call (the blinking itself stops after a few seconds)
        assert driver.find_element(By.TAG_NAME, "body").get_attribute("data-blinks") == "1"
        board = driver.find_element(By.CSS_SELECTOR, '[data-counter="1"] .serving')
        assert board.text == "A003"
        shot(driver, "display-called")

        driver.switch_to.new_window("tab")
        driver.get(server.url + "display?counter=1")  # the strip above window 1
        wait_for(driver, lambda d: text(d, "number") == "A003")
        assert text(driver, "please") == "1号窗口"
        shot(driver, "display-strip")
        strip = driver.current_window_handle

        counter_tab = driver.window_handles[1]
        driver.switch_to.window(counter_tab)
        assert not driver.find_element(By.ID, "do-no-show").is_enabled()  # recall first
        driver.find_element(By.ID, "do-recall").click()
        wait_for(driver, lambda d: "已重呼 1 次" in text(d, "recalls"))
        driver.find_element(By.TAG_NAME, "body").send_keys("g")  # 过号
        wait_for(driver, lambda d: text(d, "current") == "没有正在办理的号")
        driver.find_element(By.ID, "do-call").click()
        wait_for(driver, lambda d: text(d, "current") == "A001")
        driver.find_element(By.TAG_NAME, "body").send_keys("w")  # 完成
        wait_for(driver, lambda d: text(d, "served") == "1")

        driver.switch_to.window(strip)
        wait_for(driver, lambda d: text(d, "number") == "暂停叫号")

    body = state(server)
    assert [c["ticket"] for c in body["calls"]] == ["A001", "A003", "A003"]
    assert body["counters"][0]["last_done"]["ticket"] == "A001"


def test_help_calls_ring_on_the_counter_page_and_staff_clear_them(
    env: HallEnv, server: HallServer
) -> None:
    key = env.hall.make_key("2")
    with chromium() as driver:
        driver.get(server.url + "counter")
        wait_for(driver, lambda d: d.find_element(By.ID, "login-counter").text)
        driver.find_element(By.CSS_SELECTOR, '#login-counter option[value="2"]').click()
        driver.find_element(By.ID, "login-key").send_keys(key, Keys.ENTER)
        wait_for(driver, lambda d: d.find_element(By.ID, "work").is_displayed())
        assert not driver.find_element(By.ID, "help-box").is_displayed()

        requests.post(
            server.url + "api/help",
            json={
                "kiosk": "k-00aa11bb22cc",
                "label": "呼叫工作人员",
                "site": "",
                "place": "大厅东侧",
            },
            timeout=10,
        ).raise_for_status()
        wait_for(driver, lambda d: d.find_element(By.ID, "help-box").is_displayed())
        assert "大厅东侧" in text(driver, "help")
        assert driver.find_element(By.TAG_NAME, "body").get_attribute("data-beeps") == "1"
        shot(driver, "counter-help")
        driver.find_element(By.CSS_SELECTOR, '#help [data-kiosk="k-00aa11bb22cc"] button').click()
        wait_for(driver, lambda d: not d.find_element(By.ID, "help-box").is_displayed())
    assert state(server)["help"] == []


def test_display_keeps_up_by_polling_when_events_are_unavailable(
    env: HallEnv, server: HallServer
) -> None:
    key = env.hall.make_key("3")
    env.issue("C")
    with chromium(1920, 1080) as driver:
        driver.get(server.url + "display?poll=1")  # as a browser without EventSource would
        wait_for(driver, lambda d: "等候 1 人" in text(d, "waiting"))
        requests.post(
            server.url + "api/counters/3/call",
            headers={"Authorization": f"Bearer {key}"},
            timeout=10,
        ).raise_for_status()
        wait_for(driver, lambda d: text(d, "number") == "C001")
        assert "3号窗口" in text(driver, "where")


def test_both_pages_are_whole_documents_with_the_shared_head(server: HallServer) -> None:
    """counter.html and display.html hold their bodies; the head (charset, viewport, title,
    style sheet) is the one in page.html."""
    from html.parser import HTMLParser

    class Outline(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: list[str] = []
            self.title = ""
            self._in_title = False

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.tags.append(tag)
            self._in_title = tag == "title"

        def handle_data(self, data: str) -> None:
            if self._in_title:
                self.title += data

        def handle_endtag(self, tag: str) -> None:
            self._in_title = False

    for path, title, body_class in (
        ("counter", "窗口叫号", "counter-page"),
        ("display", "叫号显示", "display-page"),
    ):
        response = requests.get(server.url + path, timeout=10)
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "text/html; charset=utf-8"
        html = response.text
        assert html.startswith("<!doctype html>") and html.rstrip().endswith("</html>")
        assert "${" not in html
        outline = Outline()
        outline.feed(html)
        assert outline.title == title
        head = outline.tags[: outline.tags.index("body")]
        assert head == ["html", "head", "meta", "meta", "title", "link"], head
        assert f'<body class="{body_class}">' in html
        assert html.count("<body") == 1 and html.count("<head>") == 1
