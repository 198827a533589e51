#!/usr/bin/env bash
# Runs every test: the Swift suites (core tables, store, gateway over real sockets) on SQLite and
# on PostgreSQL, and the end-to-end suite (real gateway and applet processes, headless Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
# Homes, databases, browser profiles and files the tests make go to a folder removed at the end.
[ -n "${LIFELINE_SCRATCH:-}" ] || exec scripts/in-scratch-folder.sh scripts/test.sh "$@"

# Build and browser-test dependencies from Debian; installed when we may (root), else named.
. scripts/debian-packages.sh
# shellcheck disable=SC2086
ensure_packages $BUILD_PACKAGES $TEST_PACKAGES

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/pip install -q -r Tests/e2e/requirements.txt

swift build --build-tests
swift test --skip-build
# The same suites again with PostgreSQL: the store contract on both databases, every gateway suite
# on a throw-away PostgreSQL server of its own (a fresh database per test).
pg_url=$(scripts/postgres-for-tests.sh start)
trap 'scripts/postgres-for-tests.sh stop "$pg_url"' EXIT
LIFELINE_TEST_POSTGRES="$pg_url" swift test --skip-build
# The end-to-end modules run three at a time (each has its own gateways, displays and browsers; most
# of their time is waiting on them), which keeps the suite's time in check as it grows. Modules that
# make network interfaces run afterwards, one at a time: Chromium drops every request in flight when
# an interface comes or goes, so they would fail other modules' browsers.
LIFELINE_BIN_DIR="$(swift build --show-bin-path)"
export LIFELINE_BIN_DIR
status=0
.venv/bin/python -m pytest -q -rfE --tb=short -n 3 --dist loadfile -m "not changes_network" Tests/e2e || status=$?
.venv/bin/python -m pytest -q -rfE --tb=short -m changes_network Tests/e2e || status=$?
exit "$status"
