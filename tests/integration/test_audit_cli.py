"""CI runs the accessibility audit: every screen, normal and 长者模式, both orientations."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT, write_config


# The audit measures the widget tree without drawing frames (kiosk/ui/audit.settle_layout):
# ~1 min per size on 2 loaded cores, where drawing every stop took ~5 min.
@pytest.mark.timeout(600)
@pytest.mark.parametrize("size", ["1080x1920", "1920x1080"])
def test_every_screen_passes_the_audit_in_both_modes(tmp_path, size):
    config = write_config(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "tour", "--audit", "--json", "--size", size],
        cwd=ROOT,
        env={**os.environ, "KIOSK_CONFIG": str(config)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    rows = json.loads(done.stdout)
    failing = [row for row in rows if not row["ok"]]
    assert not failing, json.dumps(failing, ensure_ascii=False, indent=1)
    assert done.returncode == 0, done.stderr[-2000:]
    assert {row["mode"] for row in rows} == {"normal", "elder"}
    assert len(rows) >= 60, "every tour stop, twice (the sign and the attract loop once)"
    for row in rows:
        assert set(row) >= {"screen", "mode", "min_text_px", "min_target_px", "min_contrast", "ok"}
        floor = (48, 160, 7.0) if row["mode"] == "elder" else (32, 120, 4.5)
        assert row["min_text_px"] >= floor[0]
        assert row["min_target_px"] is None or row["min_target_px"] >= floor[1]
        assert row["min_contrast"] >= floor[2]
