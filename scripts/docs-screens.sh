#!/usr/bin/env bash
# Refresh the pictures in docs/screens/ (used by the README): `kiosk tour` at both
# orientations, then halved and reduced to a small palette so the repository stays light.
set -euo pipefail
cd "$(dirname "$0")/.."
python=.venv/bin/python
[ -x "$python" ] || python=python3
rm -rf docs/screens
for size in 1080x1920 1920x1080; do
  "$python" -m kiosk tour --out docs/screens --size "$size" >/dev/null
done
"$python" - <<'PY'
from pathlib import Path
from PIL import Image

for path in sorted(Path("docs/screens").glob("*.png")):
    with Image.open(path) as image:
        small = image.convert("RGB").resize((image.width // 2, image.height // 2), Image.LANCZOS)
    small.quantize(colors=96, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
PY
du -sh docs/screens
