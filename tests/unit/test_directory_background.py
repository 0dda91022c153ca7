"""Building the index off the UI thread, with pinyin readings from a child process."""

from __future__ import annotations

import subprocess
import sys

from kiosk.directory import background, readings
from kiosk.directory.entries import pack_entries
from kiosk.packs.source import load_source
from tests.conftest import CONTENT

NAMES = [
    ("重庆市渝北区人民调解委员会", False),
    ("双龙湖街道调委会", False),
    ("曾小明律师", True),
    ("曾家镇公共法律服务工作站", False),
    ("ＡＢＣ律师事务所１号", False),
]


def test_child_process_readings_equal_the_in_process_reader():
    child = readings.read_in_child(NAMES)
    here = readings.Reader()
    for name, person in NAMES:
        assert child.units(name, person) == here.units(name, person)
    assert child.units("曾小明律师", True)[0] == ("曾", "zeng")


def test_the_child_process_does_the_pypinyin_import_not_this_one():
    code = (
        "import sys\n"
        "from kiosk.directory.readings import read_in_child\n"
        "r = read_in_child([('调解', False)])\n"
        "print(r.units('调解'), 'pypinyin' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "(('调', 'tiao'), ('解', 'jie')) False"


def test_builder_falls_back_to_an_in_process_reader_when_the_child_fails(monkeypatch):
    def broken(names, timeout=120):
        raise OSError("no python to start")

    monkeypatch.setattr(readings, "read_in_child", broken)
    pack = load_source(CONTENT)
    builder = background.IndexBuilder()
    called = []
    assert builder.request(pack, "yubei-center", called.append) is None
    index = builder.wait(60)
    assert index is not None and called == [index]
    assert index.search("FLYZ").hits[0].entry.name == "法律援助"
    assert builder.request(pack, "yubei-center") is index, "built once per pack and site"
    assert len(index) == len(pack_entries(pack, "yubei-center"))


def test_a_new_pack_gets_a_new_index_and_a_failed_build_is_reported():
    import dataclasses

    pack = load_source(CONTENT)
    builder = background.IndexBuilder()
    builder.request(pack, "yubei-center")
    first = builder.wait(60)
    changed = dataclasses.replace(pack, products=())
    assert builder.request(changed, "yubei-center") is None
    second = builder.wait(60)
    assert second is not None and second is not first

    def products(index):
        return [h for h in index.search("gz").hits if h.entry.kind == "product"]

    assert products(first) and not products(second)
    broken = dataclasses.replace(pack, sites=(None,))  # type: ignore[arg-type]
    assert builder.request(broken, "yubei-center") is None
    assert builder.wait(60) is None and builder.error is not None


def test_a_stopped_builder_calls_nobody_back(monkeypatch):
    """The app keeps its builder in app.background and stops it on close: a build that ends
    afterwards must not call into the closed app's screens."""
    import threading

    started, release = threading.Event(), threading.Event()
    real = readings.read_in_child

    def slow(names, timeout=120):
        started.set()
        release.wait(30)
        return real(names, timeout)

    monkeypatch.setattr(readings, "read_in_child", slow)
    pack = load_source(CONTENT)
    builder = background.IndexBuilder()
    called = []
    assert builder.request(pack, "yubei-center", called.append) is None
    assert started.wait(30)
    builder.stop()
    assert builder.request(pack, "yubei-center", called.append) is None  # not queued either
    release.set()
    index = builder.wait(60)
    assert index is not None, "the build itself still finishes"
    assert called == []
