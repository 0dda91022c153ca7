"""The core command line as a user runs it: config selection, PIN setting, clear failures."""

from __future__ import annotations

import os

import pytest

from kiosk import admin, config
from tests.conftest import run_cli


def test_version_and_help_need_no_config():
    assert run_cli("version").stdout.strip() == "0.1.0"
    result = run_cli("--help")
    assert result.returncode == 0
    for verb in ("run", "tour", "admin"):
        assert verb in result.stdout


def test_a_bad_kiosk_ini_is_one_line_naming_the_key_not_a_traceback(tmp_path):
    bad = tmp_path / "kiosk.ini"
    bad.write_text("[session]\nidle_timeout = soon\n", encoding="utf-8")
    for args in (
        ["--config", str(bad), "run", "--smoke"],
        ["run", "--config", str(bad), "--smoke"],
    ):
        result = run_cli(*args)
        assert result.returncode == 2
        assert "Traceback" not in result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1
        assert "[session] idle_timeout = 'soon'" in lines[0] and str(bad) in lines[0]
    env_result = run_cli("run", "--smoke", env={"KIOSK_CONFIG": str(bad)})
    assert env_result.returncode == 2 and "idle_timeout" in env_result.stderr


def test_set_pin_writes_a_salted_hash_that_the_kiosk_accepts(config_file):
    file = config_file()
    result = run_cli("admin", "set-pin", "--config", str(file), stdin="2468\n")
    assert result.returncode == 0, result.stderr
    stored = config.load(file).admin.pin_hash
    assert stored.startswith("scrypt$") and "2468" not in file.read_text()
    assert admin.check_pin("2468", stored)
    bad = run_cli("admin", "set-pin", "--config", str(file), stdin="12\n")
    assert bad.returncode == 1 and "nothing was changed" in bad.stderr
    assert config.load(file).admin.pin_hash == stored
    via_env = run_cli("admin", "set-pin", "--from-env", config=file, env={"KIOSK_NEW_PIN": "97531"})
    assert via_env.returncode == 0
    assert admin.check_pin("97531", config.load(file).admin.pin_hash)


def test_run_without_a_display_explains_what_to_do(config_file):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("DISPLAY", None)
    result = run_cli("run", config=config_file(), env={**env, "DISPLAY": ""})
    assert result.returncode == 1
    assert "no screen found" in result.stderr and "--virtual-display" in result.stderr
    assert "Traceback" not in result.stderr


def test_run_smoke_draws_the_home_screen_in_chinese_and_exits_zero(config_file, tmp_path):
    shot = tmp_path / "first.png"
    result = run_cli(
        "run", "--smoke", "--screenshot", str(shot), config=config_file(), env={"DISPLAY": ""}
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    # The site name comes from the content pack and must render as Chinese text: read it
    # back with OCR from the header strip.
    from PIL import Image

    with Image.open(shot) as image:
        assert image.size == (1080, 1920)
        # the title row of the header (the 长者模式/朗读/呼叫 tools are a row below it)
        header = image.crop((0, 0, 760, 124)).convert("L").point(lambda v: 255 - v)
        text = _ocr_chinese(header)
    assert "渝北区公共法律服务中心" in text.replace(" ", "")


def _header_right_half(image):
    """The right half of the header band (where the clock is, whatever rows the header has),
    inverted to dark text on light for OCR. The band is found by its colour: it runs down
    from the top-right corner until the page background starts."""
    rgb = image.convert("RGB")
    width, height = rgb.size
    band = rgb.getpixel((width - 3, 3))
    bottom = 0
    while bottom < height and _near(rgb.getpixel((width - 3, bottom)), band):
        bottom += 1
    assert 40 < bottom < height // 3, f"no header band found (it ends at {bottom} px)"
    return rgb.crop((width // 2, 0, width, bottom)).convert("L").point(lambda v: 255 - v)


def _near(pixel, other) -> bool:
    return sum(abs(a - b) for a, b in zip(pixel, other, strict=True)) < 30


def _ocr_chinese(image, sparse: bool = False) -> str:
    """Text in the image; one line, or with sparse=True text found anywhere in it."""
    import shutil
    import subprocess
    import tempfile

    if not shutil.which("tesseract"):
        pytest.skip("tesseract is not installed (the CI script installs it)")
    with tempfile.TemporaryDirectory() as folder:
        path = f"{folder}/crop.png"
        image.save(path)
        return subprocess.run(
            ["tesseract", path, "-", "-l", "chi_sim", "--psm", "11" if sparse else "7"],
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout


def test_missing_content_is_a_clear_error(config_file, tmp_path):
    file = config_file(content={"source": str(tmp_path / "nowhere")})
    result = run_cli("run", "--smoke", config=file, env={"DISPLAY": ""})
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0] == f"kiosk: config {file}; data in {file.parent / 'var'}"
    assert len(lines) == 2 and "nowhere" in lines[1] and "does not exist" in lines[1]
    assert "Traceback" not in result.stderr


def test_tour_writes_a_png_of_every_screen(config_file, tmp_path):
    out = tmp_path / "tour"
    file = config_file(printer={"url": f"image://{tmp_path}/live-tickets/"})
    result = run_cli(
        "tour",
        "--out",
        str(out),
        "--size",
        "1080x1920",
        config=file,
        env={"DISPLAY": ""},
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    written = sorted(p.name for p in out.glob("*.png"))
    summary = result.stdout.strip().splitlines()[-1]
    assert summary == f"{len(written)} screens, all text fits"
    # A throw-away data folder: the kiosk's own database, packs and printer are untouched.
    assert not (tmp_path / "var" / "kiosk.sqlite3").exists()
    assert not (tmp_path / "var" / "packs").exists()
    assert not (tmp_path / "live-tickets").exists()
    from PIL import Image

    # A fixed clock inside opening hours (Tuesday 10:00): the header says so, queues are open.
    with Image.open(min(out.glob("*-home.png"))) as image:
        when = _ocr_chinese(_header_right_half(image), sparse=True)
    assert "周二10:00" in when.replace(" ", ""), when
    # The idle question is up, over the page the resident had open.
    with Image.open(next(out.glob("*-idle-question.png"))) as image:
        width, height = image.size
        middle = image.crop((0, height // 4, width, height * 3 // 4)).convert("L")
        question = _ocr_chinese(middle, sparse=True)
    assert "还在使用吗" in question.replace(" ", ""), question
    assert written and all(name.startswith("1080x1920-") for name in written)
    assert any("home" in name for name in written) and any("admin" in name for name in written)
    from PIL import Image

    with Image.open(out / written[0]) as image:
        assert image.size == (1080, 1920)
        assert sum(1 for n in image.convert("L").histogram() if n) > 10, "the picture is blank"
