#!/usr/bin/env bash
# Runs every test: the Swift suites (core tables, store, gateway over real sockets) and the
# end-to-end suite (real gateway and applet processes, headless Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."

# Browser tests need Debian's chromium and its driver; install them when we may.
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || ! dpkg -s libsqlite3-dev >/dev/null 2>&1 || ! command -v openssl >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver libsqlite3-dev python3-venv openssl >/dev/null
  else
    echo "Install first: sudo apt-get install chromium chromium-driver libsqlite3-dev python3-venv openssl" >&2
    exit 1
  fi
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/pip install -q -r Tests/e2e/requirements.txt

swift build --build-tests
swift test --skip-build
LIFELINE_BIN_DIR="$(swift build --show-bin-path)" .venv/bin/python -m pytest -q Tests/e2e
