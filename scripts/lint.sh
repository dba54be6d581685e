#!/usr/bin/env bash
# Lint, format and type checks, as CI runs them. Installs nothing: `pip install -r requirements-dev.txt` brings
# ruff, mypy and the stubs (scripts/test.sh does). ruff's rule set and mypy's configuration are in pyproject.toml.
set -euo pipefail
cd "$(dirname "$0")/.."

status=0
echo "ruff check ."
python3 -m ruff check . || status=1
echo "ruff format --check ."
python3 -m ruff format --check . || status=1
echo "mypy"
python3 -m mypy || status=1
exit "$status"
