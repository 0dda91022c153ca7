"""Sources are compiled once; the compiled copy is used until any source file changes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from kiosk import config
from kiosk.packs import source
from kiosk.packs.loader import load_content
from kiosk.packs.sourcecache import load_source_cached
from tests.conftest import CONTENT, write_config


@pytest.fixture
def src(tmp_path: Path) -> Path:
    folder = tmp_path / "src"
    shutil.copytree(CONTENT, folder)
    return folder


def test_the_compiled_copy_is_used_while_sources_are_unchanged(src, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    first = load_source_cached(src, cache)
    assert len(list(cache.glob("source-*.json"))) == 1

    def no_parsing(folder: Path) -> None:
        raise AssertionError("sources parsed again")

    monkeypatch.setattr(source, "load_source", no_parsing)
    second = load_source_cached(src, cache)
    assert second == first and second.files == first.files


def test_an_edit_is_seen_at_the_next_start(src, tmp_path):
    cache = tmp_path / "cache"
    load_source_cached(src, cache)
    pack_file = src / "pack.yaml"
    pack_file.write_text(
        pack_file.read_text(encoding="utf-8").replace("渝北区公共法律服务", "改过的名称")
    )
    stat = pack_file.stat()
    os.utime(pack_file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert load_source_cached(src, cache).name == "改过的名称"
    assert len(list(cache.glob("source-*.json"))) == 1  # the stale copy was removed


def test_a_cache_that_cannot_be_written_only_costs_time(src, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    pack = load_source_cached(src, blocker / "cache")
    assert pack.id == "yubei"


def test_a_corrupt_cache_file_is_ignored(src, tmp_path):
    cache = tmp_path / "cache"
    load_source_cached(src, cache)
    for file in cache.glob("source-*.json"):
        file.write_bytes(b"{broken")
    assert load_source_cached(src, cache).id == "yubei"


def test_previewing_sources_with_errors_says_what_to_run(src, tmp_path):
    (src / "services.yaml").write_text("services:\n  - id: x\n", encoding="utf-8")
    settings = config.load(write_config(tmp_path))
    with pytest.raises(source.SourceError, match="kiosk pack validate"):
        load_content(settings, preview=src)
    loaded = load_content(settings)  # the bundled content still loads
    assert loaded.origin == "bundled" and loaded.pack.id == "yubei"


def test_a_start_from_the_cache_does_not_load_the_source_readers(src, tmp_path):
    """The YAML and spreadsheet readers cost start-up time; the cached copy needs none."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    cache = tmp_path / "cache"
    first = load_source_cached(src, cache)
    code = (
        "import sys; from pathlib import Path;"
        "from kiosk.packs.sourcecache import load_source_cached as load;"
        f"pack = load(Path({str(src)!r}), Path({str(cache)!r}));"
        "print(sorted(pack.files) == sorted(%r), 'kiosk.packs.source' in sys.modules,"
        " 'yaml' in sys.modules)" % sorted(first.files)
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == ["True", "False", "False"], result.stderr
