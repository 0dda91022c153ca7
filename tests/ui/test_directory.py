"""The directory in the real window: letter keys, results, detail pages, QR codes, browsing."""

from __future__ import annotations

import sys
import threading

import pytest

from tests.directory_content import CENTER_PHONE, NAV_LINK, write_content
from tests.ui.conftest import SIZES


@pytest.fixture
def start(ui, tmp_path):
    """start(size=..., site=...) -> a Driver on the small test pack, on the directory page."""

    def run(size=(1080, 1920), site="center", **sections):
        content = write_content(tmp_path / "content")
        driver = ui(size=size, content=content, kiosk={"site": site}, **sections)
        return driver

    return run


def ready(driver):
    from kiosk.ui.screens.directory import wait_for_index

    assert wait_for_index(driver.app, 60) is not None
    driver.pump(3)


def open_search(driver):
    driver.press(cls="Tile", action="directory")
    driver.press(action="directory-search")
    ready(driver)
    return driver.app.screens.current_screen


def result_names(driver):
    """The names listed, once every row is in place (rows below a screenful follow a frame or
    two after the key)."""
    screen = driver.app.screens.get_screen("directory-search")
    driver.wait(lambda: not screen._queue, timeout=5)
    return [row.name for row in driver.find_all(cls="PlaceRow") if row.action.startswith("result:")]


def tap_row(driver, row):
    """Scroll the row into view as a resident would, then tap it."""
    from kivy.uix.scrollview import ScrollView

    parent = row.parent
    while parent is not None and not isinstance(parent, ScrollView):
        parent = parent.parent
    if parent is not None:
        parent.scroll_to(row, padding=0, animate=False)
        driver.pump(3)
    driver.tap(row)


def info(driver, contains):
    """The InfoRow whose label or value contains `contains`."""
    for row in driver.find_all(cls="InfoRow"):
        if contains in row.label or contains in row.value:
            return row
    raise LookupError(f"no InfoRow with {contains!r}")


def decode_qr(driver, tmp_path):
    from PIL import Image
    from pyzbar.pyzbar import decode

    driver.settle()
    widget = driver.find(cls="QRCode")
    path = tmp_path / "qr.png"
    widget.export_to_png(str(path))
    found = decode(Image.open(path))
    assert found, "the QR code on screen must decode"
    return found[0].data.decode("utf-8")


@pytest.mark.parametrize("size", SIZES)
def test_type_initials_tap_a_result_and_scan_the_qr_code(start, size, tmp_path, shots):
    from kiosk.directory import qrtarget

    driver = start(size=size)
    app = driver.app
    open_search(driver)
    seen = []
    for letter in "FLYZ":
        driver.press(action=f"key-{letter}")
        seen.append(result_names(driver))
    assert app.session.search_query == "FLYZ"
    assert driver.find(cls="Label", text="F L Y Z")
    assert len(seen[0]) > len(seen[-1]), "the list follows every key"
    assert seen[-1][:2] == ["法律援助", "法律援助"]  # this site's window, then the kind of help
    assert "渝北区法律援助中心" in seen[-1]
    own = [row for row in driver.find_all(cls="PlaceRow") if row.own]
    assert own and own[0].name == "法律援助", "this site's own window is marked 本站 and first"
    driver.screenshot(shots / f"directory-{size[0]}x{size[1]}-search-flyz.png")
    assert driver.overflows() == []

    row = next(r for r in driver.find_all(cls="PlaceRow") if r.name == "渝北区法律援助中心")
    tap_row(driver, row)
    assert app.screens.current == "directory-detail"
    assert driver.find(cls="WrapLabel", text="渝北区法律援助中心")
    values = [r.value for r in driver.find_all(cls="InfoRow")]
    assert "渝北区双龙湖街道示例路1号" in values and "023-67822222" in values
    institution = next(i for i in app.content.pack.institutions if i.id == "aid")
    assert decode_qr(driver, tmp_path) == qrtarget.payload(institution)
    driver.screenshot(shots / f"directory-{size[0]}x{size[1]}-detail-institution.png")
    assert driver.overflows() == []

    driver.press(action="back")
    assert app.screens.current == "directory-search"
    assert result_names(driver) == seen[-1], "返回 keeps the search"


def test_the_list_shows_what_the_index_finds_in_order_for_every_key(start):
    from kiosk.ui.screens.directory import wait_for_index

    driver = start()
    open_search(driver)
    index = wait_for_index(driver.app)
    typed = ""
    for letter in "LS":
        driver.press(action=f"key-{letter}")
        typed += letter
        expected = [hit.entry.name for hit in index.search(typed, limit=30).hits]
        assert result_names(driver) == expected
        if typed == "L":
            assert len(expected) > 8, "more rows than the first screenful"


def test_staff_see_a_line_only_when_the_search_failed(start, monkeypatch):
    from kiosk.directory import entries
    from kiosk.ui.screens.directory import admin_rows, wait_for_index

    def broken(pack, site):
        raise ValueError("a broken pack")

    monkeypatch.setattr(entries, "pack_entries", broken)
    driver = start()
    assert wait_for_index(driver.app) is None
    ((label, value, warn),) = admin_rows(driver.app)
    assert label == "机构查询" and "出错" in value and warn
    driver.press(cls="Tile", action="directory")
    driver.press(action="directory-search")
    driver.press(action="key-T")
    assert driver.find(cls="WrapLabel", text="查找暂时不能使用")
    driver.press(action="home")
    driver.press(cls="Tile", action="directory")
    driver.press(action="kind:mediation")
    assert driver.find_all(cls="PlaceRow"), "browsing still works without the index"


def test_no_staff_line_when_the_search_works(start):
    from kiosk.ui.screens.directory import admin_rows, wait_for_index

    driver = start()
    assert wait_for_index(driver.app) is not None
    assert admin_rows(driver.app) == []


def test_detail_of_this_site_says_you_are_here_and_carries_its_contact_card(start, tmp_path):
    driver = start()
    driver.press(cls="Tile", action="directory")
    driver.press(action="directory-here")
    assert driver.app.screens.current == "directory-detail"
    assert driver.find(cls="Label", text="您在这里")
    assert driver.find(cls="WrapLabel", text="您现在就在这里")
    card = decode_qr(driver, tmp_path)
    assert card.startswith("BEGIN:VCARD") and f"TEL;TYPE=WORK,VOICE:{CENTER_PHONE}" in card
    assert "FN:渝北区公共法律服务中心" in card
    windows = [r.label for r in driver.find_all(cls="InfoRow")]
    assert {"1号窗口", "3号窗口", "5号窗口"} <= set(windows)


def test_a_site_with_a_navigation_link_shows_it_as_qr(start, tmp_path):
    driver = start(site="shuanglonghu")
    driver.app.go("directory-detail", kind="site", ref="tongjing")
    driver.pump(3)
    assert driver.find(cls="WrapLabel", text="渝北区统景镇公共法律服务工作站")
    assert not driver.find_all(cls="Label", text="您在这里")
    assert decode_qr(driver, tmp_path) == NAV_LINK
    assert driver.find(cls="WrapLabel", text="打开地图导航")


@pytest.mark.parametrize("size", SIZES)
def test_a_place_without_anything_to_scan_shows_no_code(start, size):
    driver = start(size=size)
    driver.app.go("directory-detail", kind="site", ref="tj-room")  # qr: 无
    driver.pump(3)
    assert driver.find(cls="WrapLabel", text="统景镇印盒村公共法律服务工作室")
    assert not driver.find_all(cls="QRCode")
    assert driver.overflows() == []


def test_duty_today_and_next_duty_on_the_station_page(start):
    from kiosk import clock

    driver = start(site="shuanglonghu")
    with clock.freeze("2025-09-17 10:00"):  # a Wednesday: 镇街律师周三见
        driver.app.go("directory-detail", kind="site", ref="shuanglonghu")
        driver.pump(3)
        assert driver.find(cls="WrapLabel", action="duty:slh-wed").source == (
            "今天值班：曾小明律师（镇街律师周三见）"
        )
        assert driver.find(cls="WrapLabel", text="09:00-12:00")
        assert driver.find(cls="Banner", text="现在开放")
    with clock.freeze("2025-09-18 18:30"):  # Thursday evening
        driver.app.go("directory-detail", kind="site", ref="shuanglonghu")
        driver.pump(3)
        assert driver.find(cls="WrapLabel", action="duty:slh-wed").source == (
            "曾小明律师（镇街律师周三见）"
        )
        assert driver.find(cls="WrapLabel", text="下次值班：9月24日（周三）")
        assert driver.find(cls="WrapLabel", text="今天没有安排值班")
        assert driver.find(cls="Banner", text="已下班，下次开放时间：明天（周五） 09:00")


def test_delete_clear_and_a_kind_message_when_nothing_is_found(start, shots):
    driver = start()
    screen = open_search(driver)
    for letter in "QXQX":
        driver.press(action=f"key-{letter}")
    assert result_names(driver) == []
    message = driver.find(cls="WrapLabel", text="没有找到")
    assert "12348" in message.text.replace("\n", "")
    assert "1号窗口（接待指引）" in message.text.replace("\n", "")
    driver.screenshot(shots / "directory-1080x1920-search-nothing.png")
    assert driver.overflows() == []
    driver.press(action="search-retry")
    assert screen.query == "" and not driver.find_all(cls="WrapLabel", text="没有找到")
    for letter in "TJX":
        driver.press(action=f"key-{letter}")
    driver.press(action="key-delete")
    assert screen.query == "TJ" and result_names(driver)
    driver.press(action="key-clear")
    assert screen.query == "" and result_names(driver) == []
    assert driver.find(cls="WrapLabel", text="每个字点它拼音的第一个字母")


def test_searching_before_the_index_is_ready_says_please_wait(start, monkeypatch):
    from kiosk.directory import background

    gate = threading.Event()
    original = background.IndexBuilder._build

    def held(self, pack, site):
        gate.wait(30)
        original(self, pack, site)

    monkeypatch.setattr(background.IndexBuilder, "_build", held)
    driver = start()
    driver.press(cls="Tile", action="directory")
    driver.press(action="directory-search")
    driver.press(action="key-T")
    assert driver.find(cls="WrapLabel", text="请稍候")
    assert result_names(driver) == []
    assert driver.overflows() == []
    gate.set()
    assert driver.wait(lambda: bool(result_names(driver)), timeout=30), (
        "results follow by themselves"
    )
    assert not driver.find_all(cls="WrapLabel", text="请稍候")


def test_the_kiosk_process_never_imports_pypinyin_yet_search_works(start):
    driver = start()
    assert "pypinyin" not in sys.modules, "the first frame must not pay for pypinyin"
    open_search(driver)
    for letter in "TJ":
        driver.press(action=f"key-{letter}")
    assert "人民调解" in result_names(driver)
    assert "pypinyin" not in sys.modules, "readings come from a child process"


def test_a_new_session_forgets_the_search(start):
    driver = start()
    screen = open_search(driver)
    for letter in "TJ":
        driver.press(action=f"key-{letter}")
    assert result_names(driver)
    driver.press(action="home")
    assert driver.app.session.search_query == ""
    assert screen.query == "" and result_names(driver) == []
    driver.press(cls="Tile", action="directory")
    driver.press(action="directory-search")
    assert screen.query == "" and result_names(driver) == []


@pytest.mark.parametrize("size", SIZES)
def test_browse_by_kind_level_and_town(start, size):
    driver = start(size=size, site="shuanglonghu")
    app = driver.app
    driver.press(cls="Tile", action="directory")
    driver.press(action="kind:mediation")
    rows = driver.find_all(cls="PlaceRow")
    assert [r.name for r in rows[:2]] == [
        "渝北区双龙湖街道公共法律服务工作站",
        "双龙湖街道人民调解委员会",
    ]
    assert rows[0].own and rows[1].own
    assert driver.overflows() == []
    tap_row(driver, rows[1])
    assert app.screens.current == "directory-detail"
    assert driver.find(cls="SmallButton", text="所在站点")
    driver.press(action="back")
    driver.press(action="back")

    driver.press(action="level:room")
    assert [
        b.source for b in driver.find_all(cls="KioskButton") if b.action.startswith("town:")
    ] == [
        "双龙湖街道",
        "统景镇",
    ]
    driver.press(action="town:统景镇")
    assert [r.name for r in driver.find_all(cls="PlaceRow")] == ["统景镇印盒村公共法律服务工作室"]
    driver.press(action="back")
    driver.press(action="back")

    driver.press(action="towns")
    driver.press(action="town:双龙湖街道")
    names = [r.name for r in driver.find_all(cls="PlaceRow")]
    assert names[0] == "渝北区双龙湖街道公共法律服务工作站"
    assert "重庆市渝北区公证处" in names
    assert driver.overflows() == []


def test_help_kind_from_search_opens_its_list_and_products_show_seven_fields(start):
    driver = start()
    open_search(driver)
    for letter in "JCGZ":
        driver.press(action=f"key-{letter}")
    row = next(r for r in driver.find_all(cls="PlaceRow") if r.name == "小额继承公证免费办理")
    tap_row(driver, row)
    assert driver.app.screens.current == "directory-products"
    labels = [r.label for r in driver.find_all(cls="InfoRow")]
    assert labels == ["产品类型", "购买方式", "服务对象", "提供主体", "服务内容", "服务标准"]
    assert info(driver, "继承财产3000元以下的群众").label == "服务对象"
    driver.press(action="products-all")
    driver.press(action="product-class:all")
    assert len(driver.find_all(cls="Card")) == 3
    driver.press(action="product-class:notary")
    assert len(driver.find_all(cls="Card")) == 1
    assert driver.overflows() == []


def test_the_product_catalogue_shows_its_top_at_once_then_every_product_in_order(ui):
    """A first visit builds only the first cards before the screen shows (building all twenty
    took over a second); the rest follow a few per frame, in order, and are reused later."""
    from kiosk.directory import browse
    from kiosk.ui.screens.directory_products import FIRST_CARDS

    driver = ui()
    app = driver.app
    app.go("directory")
    screen = app.go("directory-products")
    pack = app.content.pack
    expected = [f"product:{p.id}" for ps in browse.products_by_class(pack).values() for p in ps]
    assert len(expected) > FIRST_CARDS + 2

    def shown():
        return [card.action for card in reversed(screen.ids.cards.children)]

    assert shown() == expected[:FIRST_CARDS] and screen.filling
    driver.settle()
    assert shown() == expected and not screen.filling
    assert driver.overflows() == []
    cards = list(screen.ids.cards.children)
    driver.press(action="product-class:notary")  # a tab: only its cards, the rest dropped
    notary = [
        c
        for c in expected
        if c.split(":")[1] in {p.id for p in pack.products if p.product_class == "notary"}
    ]
    assert shown() == notary
    driver.press(action="product-class:all")
    driver.settle()
    assert shown() == expected
    assert list(screen.ids.cards.children) == cards, "cards are built once, then reused"


@pytest.mark.parametrize("size", SIZES)
def test_no_directory_screen_overflows(start, size, shots):
    from kiosk.ui.screens import directory, directory_detail, directory_products, directory_search

    driver = start(size=size)
    ready(driver)
    problems = []
    stops = (
        directory.TOUR_STOPS
        + directory_search.TOUR_STOPS
        + directory_detail.TOUR_STOPS
        + directory_products.TOUR_STOPS
    )
    for name, visit in stops:
        visit(driver)
        driver.settle()
        driver.screenshot(shots / f"directory-{size[0]}x{size[1]}-{name}.png")
        problems += [f"{name}: {p}" for p in driver.overflows()]
    assert len(stops) >= 12
    assert problems == []
