#!/usr/bin/env bash
# Installs what the tests need (Debian's Chromium for the browser tests, the Python packages, axe-core from npm) and runs them.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -k ballot`.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
python3 -m pip install -q --disable-pip-version-check -r requirements-dev.txt
# axe-core for the accessibility tests, at the version tests/browser/axe/package-lock.json pins.
npm ci --prefix tests/browser/axe --no-audit --no-fund --silent
exec python3 -m pytest "$@"
