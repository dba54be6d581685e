#!/usr/bin/env bash
# Lint and type checks, as CI runs them. Installs nothing: `pip install -r requirements-dev.txt` brings ruff, mypy and the stubs.
# ruff's rule set and mypy's configuration are in pyproject.toml.
set -euo pipefail
cd "$(dirname "$0")/.."

status=0
echo "ruff check ."
ruff check . || status=1
echo "mypy"
mypy || status=1
exit "$status"
