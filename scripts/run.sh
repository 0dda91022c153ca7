#!/usr/bin/env bash
# One command: set everything up, then start the kiosk on the bundled default content.
# Extra arguments go to `kiosk run`, e.g. scripts/run.sh --windowed --size 1080x1920
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/kiosk run "$@"
