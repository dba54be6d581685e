#!/usr/bin/env bash
# Installs what the tests need (Debian's Chromium for the browser tests and HAProxy for the cluster's, the Python packages,
# axe-core from npm) and runs them.
#
#   bash scripts/test.sh                  the whole suite; extra arguments go to pytest, e.g. `bash scripts/test.sh -k ballot`
#   bash scripts/test.sh --count 5        the browser tests alone, 5 runs in a row, each with a fresh server and browser;
#                                         stops at the first run that fails and says which (a flaky test shows up here)
#   bash scripts/test.sh --no-install     skip the installs (they are already done)
set -euo pipefail
cd "$(dirname "$0")/.."

count=0
install=1
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --count) count="$2"; shift 2 ;;
    --count=*) count="${1#--count=}"; shift ;;
    --no-install) install=0; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
if ! [[ "$count" =~ ^[0-9]+$ ]]; then
  echo "--count takes a number of runs, e.g. --count 3" >&2
  exit 2
fi

if [ "$install" = 1 ]; then
  # Debian's packages the tests run: Chromium for the browser tests, HAProxy for the cluster's (tests/*/test_cluster*.py),
  # PostgreSQL for the core tests' second engine (tests/conftest.py).
  # Debian puts haproxy in /usr/sbin, which a user's PATH may lack.
  debs=()
  [ -x /usr/bin/chromium ] || debs+=(chromium)
  command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ] || debs+=(haproxy)
  command -v pg_ctlcluster >/dev/null || debs+=(postgresql)
  if [ "${#debs[@]}" -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${debs[@]}" >/dev/null
  fi
  python3 -m pip install -q --disable-pip-version-check -r requirements-dev.txt
  # axe-core for the accessibility tests, at the version tests/browser/axe/package-lock.json pins.
  npm ci --prefix tests/browser/axe --no-audit --no-fund --silent
fi

# The core tests run on PostgreSQL too (tests/conftest.py): Debian's server, started if it is not running, with the
# tests' own role. ABC_TEST_ENGINES=sqlite leaves it out.
if [[ "${ABC_TEST_ENGINES:-sqlite,postgresql}" == *postgresql* && "$count" = 0 ]]; then
  as_postgres() {
    if [ "$(id -u)" = 0 ]; then su postgres -c "$*"; else sudo -u postgres sh -c "$*"; fi
  }
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    if [ "$(id -u)" = 0 ]; then service postgresql start >/dev/null; else sudo service postgresql start >/dev/null; fi
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
  if ! as_postgres "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname = 'abc'\"" | grep -q 1; then
    as_postgres "psql -qc \"CREATE ROLE abc LOGIN SUPERUSER PASSWORD 'abc'\""
  fi
fi

if [ "$count" = 0 ]; then
  exec python3 -m pytest "${args[@]}"
fi
for run in $(seq 1 "$count"); do
  echo "browser tests: run $run of $count"
  if ! python3 -m pytest -m browser tests/browser "${args[@]}"; then
    echo "browser tests: run $run of $count failed" >&2
    exit 1
  fi
done
echo "browser tests: $count of $count runs passed"
