"""A virtual X display (Xvfb) for screenshots, smoke checks and tests on headless machines."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

from kiosk.errors import KioskError

INSTALL_HINT = "install it with: sudo apt-get install -y xvfb"


def has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def xvfb_available() -> bool:
    return shutil.which("Xvfb") is not None


@contextmanager
def virtual_display(width: int = 1920, height: int = 1920) -> Iterator[str]:
    """Start Xvfb on a free display number, point DISPLAY at it, stop it afterwards."""
    if not xvfb_available():
        raise KioskError(f"no display and no Xvfb to make a virtual one; {INSTALL_HINT}")
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        [
            "Xvfb",
            "-displayfd",
            str(write_fd),
            "-screen",
            "0",
            f"{width}x{height}x24",
            "-nolisten",
            "tcp",
            "-noreset",
        ],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise KioskError("Xvfb did not start; try running `Xvfb :99` by hand to see why")
        saved = os.environ.get("DISPLAY")
        os.environ["DISPLAY"] = f":{number}"
        try:
            yield os.environ["DISPLAY"]
        finally:
            if saved is None:
                os.environ.pop("DISPLAY", None)
            else:
                os.environ["DISPLAY"] = saved
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def ensure_display(width: int = 1920, height: int = 1920) -> Iterator[str]:
    """Use the existing display, or a virtual one when there is none."""
    if has_display():
        yield os.environ.get("DISPLAY", "")
    else:
        with virtual_display(width, height) as name:
            yield name
