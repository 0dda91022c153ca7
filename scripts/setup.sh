#!/usr/bin/env bash
# Set up everything the kiosk needs on a Debian machine: system packages (when run as root or
# with sudo), a virtual environment in .venv, and the kiosk itself. espeak-ng is the voice of
# 朗读 (read-aloud) and of `kiosk say`.
#
#   scripts/setup.sh          what running the kiosk needs
#   scripts/setup.sh --test   also what the test suite needs (Xvfb, OCR, QR decoding, Graphviz,
#                             chromium + chromium-driver for the hall pages)
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

packages=(python3 python3-venv python3-dev libgl1 libegl1 libmtdev1 xauth alsa-utils espeak-ng)
if [ "$want_test" = 1 ]; then
  packages+=(xvfb x11-utils tesseract-ocr tesseract-ocr-chi-sim libzbar0 graphviz chromium chromium-driver nginx)
fi

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    SUDO=""
  elif command -v sudo >/dev/null; then
    SUDO="sudo"
  else
    echo "setup: please install these Debian packages as root: ${missing[*]}" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Supported: Python 3.11 to 3.13 (Debian 12 ships 3.11, Ubuntu 24.04 3.12, Debian 13 3.13).
python=""
for candidate in python3 python3.13 python3.12 python3.11; do
  if command -v "$candidate" >/dev/null &&
     "$candidate" -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))'; then
    python="$candidate"; break
  fi
done
if [ -z "$python" ]; then
  echo "setup: Python 3.11, 3.12 or 3.13 is required (Debian 12 ships 3.11 as python3)" >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $("$python" --version)"
  "$python" -m venv .venv
fi
extras=""
[ "$want_test" = 1 ] && extras="[test]"
# Install only when pyproject.toml (the pinned dependencies) or the extras changed since the
# last install: `scripts/run.sh` calls this at every start and must not reinstall each time.
stamp=.venv/.kiosk-installed
wanted="$(sha256sum pyproject.toml | cut -d' ' -f1) ${extras:-[run]}"
if [ ! -f "$stamp" ] || ! grep -qxF "$wanted" "$stamp" ||
   ! .venv/bin/python -c 'import kiosk' 2>/dev/null; then
  echo "setup: installing the kiosk${extras:+ with test tools} into .venv"
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extras}"
  echo "$wanted" >> "$stamp"
fi
# Byte-compile the program once here: a kiosk that runs as a user who may not write into the
# program folder (or with PYTHONDONTWRITEBYTECODE) would otherwise compile every module at
# every start (measured: a third of the start-up time; tests/bench/startup.py).
.venv/bin/python -m compileall -q kiosk >/dev/null
