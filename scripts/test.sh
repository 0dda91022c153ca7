#!/usr/bin/env bash
# One command: set everything up, then run the whole test suite (UI tests start their own
# Xvfb). Extra arguments go to pytest, e.g. scripts/test.sh tests/unit -q
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
exec .venv/bin/python -m pytest -n 2 --durations=30 "$@"
