"""Door-head LED strips and the queue on signage, in the real window, against the real hall
server (started in the test on a free port): a 384x64 strip scrolls one line of large text
with now serving and notices; a 192x96 window-top strip shows its counter's current number;
the big screen shows now serving per counter, last calls and waiting counts, live."""

from __future__ import annotations

import shutil
import subprocess
from contextlib import ExitStack

import pytest

from tests.hall.env import MORNING, HallEnv, running
from tests.ui.conftest import LANDSCAPE, PORTRAIT


def _hall(tmp_path, stack):
    from kiosk import clock

    host = tmp_path / "host"
    host.mkdir()
    stack.enter_context(clock.freeze(MORNING))
    env = HallEnv(host)
    server = stack.enter_context(running(env))
    return env, server


def _ocr(path, scale: int = 3) -> str:
    from PIL import Image

    if not shutil.which("tesseract"):
        pytest.skip("tesseract is not installed (the CI script installs it)")
    big = path.with_name(path.stem + "-ocr.png")
    with Image.open(path) as image:
        grey = image.convert("L").resize((image.width * scale, image.height * scale))
        grey.point(lambda v: 0 if v > 110 else 255).save(big)
    text = subprocess.run(
        ["tesseract", str(big), "-", "-l", "chi_sim", "--psm", "7"],
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    big.unlink()
    return text.replace(" ", "")


def test_a_door_head_strip_scrolls_now_serving_and_notices(ui, tmp_path, shots):
    with ExitStack() as stack:
        env, server = _hall(tmp_path, stack)
        env.issue("A")
        env.hall.call_next("1")
        driver = ui(
            size=(384, 64),
            kiosk={"mode": "signage"},
            signage={"layout": "strip"},
            hall={"url": server.url},
        )
        app = driver.app
        assert app.screens.current == "strip"
        assert not driver.find_all(action="home"), "no header or bar on a strip"
        strip = app.screens.current_screen
        assert driver.wait(lambda: "请 A001 号到 1号窗口 办理" in strip.line, timeout=30)
        assert strip.scrolling
        font = strip._texture.height
        assert font >= 0.7 * 64, "large text: the line fills the strip's height"
        first = strip._rect.pos[0]
        assert driver.wait(lambda: strip._rect.pos[0] < first - 20, timeout=5), "it moves"
        driver.screenshot(shots / "strip-384x64.png")
        # a call made now reaches the strip live
        env.issue("B")  # 法律咨询, served at counter 2
        env.hall.call_next("2")
        assert driver.wait(lambda: "B001 号到 2号窗口" in strip.line, timeout=30)


def test_a_window_top_strip_shows_its_counters_number(ui, tmp_path, shots):
    with ExitStack() as stack:
        env, server = _hall(tmp_path, stack)
        env.issue("A")
        env.hall.call_next("1")
        driver = ui(
            size=(192, 96),
            kiosk={"mode": "signage"},
            signage={"layout": "strip", "counter": "1"},
            hall={"url": server.url},
        )
        strip = driver.app.screens.current_screen
        assert driver.wait(lambda: strip.line == "A001", timeout=30)
        assert not strip.scrolling, "the number stands still"
        shot = driver.screenshot(shots / "strip-192x96-counter.png")
        assert "A001" in _ocr(shot).upper()
        env.issue("A")
        env.hall.call_next("1")
        assert driver.wait(lambda: strip.line == "A002", timeout=30)


@pytest.mark.parametrize("size", [PORTRAIT, LANDSCAPE], ids=["portrait", "landscape"])
def test_the_big_screen_shows_the_queue_live(ui, tmp_path, size, shots):
    with ExitStack() as stack:
        env, server = _hall(tmp_path, stack)
        for _ in range(3):
            env.issue("A")
        env.hall.call_next("1")
        driver = ui(
            size=size,
            kiosk={"mode": "signage"},
            signage={"slide_seconds": "600"},
            hall={"url": server.url},
        )
        screen = driver.app.screens.current_screen
        assert driver.wait(lambda: screen.pages and screen.pages[0][0] == "叫号信息", timeout=30)
        driver.settle()
        screen.rebuild()  # cut to the laid-out frame
        screen.index = 0
        screen._render()
        texts = [b.text for title, page in screen.pages if title == "叫号信息" for b in page]
        assert "1号窗口　A001" in texts and "接待指引 等候 2 人" in texts, texts
        assert driver.overflows() == []
        shot = driver.screenshot(shots / f"signage-queue-{size[0]}x{size[1]}.png")
        title = screen.ids.slide_title
        assert title.font_size >= 0.06 * size[1]
        assert all(w.font_size >= 0.035 * size[1] for w in screen.ids.body.children)
        row = next(w for w in screen.ids.body.children if w.source == "1号窗口　A001")
        _x, top = row.to_window(row.x, row.top)
        from PIL import Image

        with Image.open(shot) as image:
            image.crop((0, int(size[1] - top), size[0], int(size[1] - top + row.height))).save(
                tmp_path / "row.png"
            )
        assert "1号窗口" in _ocr(tmp_path / "row.png", scale=1)
        env.issue("B")  # 法律咨询, served at counter 2
        env.hall.call_next("2")  # live: the page on screen follows the next call
        assert driver.wait(
            lambda: "2号窗口　B001" in [w.source for w in screen.ids.body.children], timeout=30
        )


def test_the_tour_draws_the_strips_and_the_big_screen_queue(tmp_path, monkeypatch, shots):
    """`kiosk tour`'s layouts: each in a window of its own size and signage layout, showing
    the queue of the real hall queue (on throw-away data)."""
    from PIL import Image

    from kiosk import clock, config
    from kiosk.ui import tour_layouts
    from tests.conftest import write_config

    monkeypatch.setattr(
        tour_layouts,
        "LAYOUTS",
        [
            ("signage-strip", (384, 64), {"layout": "strip"}),
            ("signage-strip-counter", (192, 96), {"layout": "strip", "counter": "1"}),
            ("signage-queue", (1920, 1080), {}),
        ],
    )
    settings = config.load(write_config(tmp_path, {"display": {"size": "1080x1920"}}))
    with clock.freeze(MORNING):
        written = tour_layouts.run_layouts(settings, tmp_path, MORNING)
    names = [p.name for p in written]
    assert names == [
        "1080x1920-layout-signage-strip-384x64.png",
        "1080x1920-layout-signage-strip-counter-192x96.png",
        "1080x1920-layout-signage-queue-1920x1080.png",
    ]
    for path, size in zip(written, [(384, 64), (192, 96), (1920, 1080)], strict=True):
        with Image.open(path) as image:
            assert image.size == size
        shutil.copy(path, shots / path.name.replace("1080x1920-layout-", "tour-"))
    assert "A001" in _ocr(written[1]).upper(), "the counter's number, from the real queue"
    assert "A001" in _ocr(written[0]).upper(), "the strip starts with now serving"
    with Image.open(written[2]) as image:
        image.crop((0, 150, 1920, 700)).save(tmp_path / "queue.png")
    queue = subprocess.run(
        ["tesseract", str(tmp_path / "queue.png"), "-", "-l", "chi_sim", "--psm", "6"],
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.replace(" ", "")
    assert "叫号信息" in queue and "1号窗口" in queue, queue


def test_a_strip_survives_a_garbage_collection_and_a_resize(ui):
    """The bars a strip hides were held only through kv ids (weak proxies): after a full
    collection the next resize raised ReferenceError in the shell and the strip died."""
    import gc

    from kivy.core.window import Window

    driver = ui(size=(384, 64), kiosk={"mode": "signage"}, signage={"layout": "strip"})
    strip = driver.app.screens.current_screen
    assert driver.wait(lambda: bool(strip.line), timeout=10)
    gc.collect()
    Window.size = (352, 80)
    driver.settle()
    assert driver.app.screens.current == "strip" and strip.height == 80
    assert strip._texture.height >= 0.7 * 80, "the line was redrawn for the new height"
