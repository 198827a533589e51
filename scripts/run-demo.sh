#!/usr/bin/env bash
# Builds Lifeline and starts the gateway on http://127.0.0.1:8080 with its embedded SQLite store
# in ./data. On the first start it creates a demo organisation and prints the demo accounts.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! dpkg -s libsqlite3-dev >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libsqlite3-dev >/dev/null
  else
    echo "Install first: sudo apt-get install libsqlite3-dev" >&2
    exit 1
  fi
fi
swift build -c release --product lifeline-applet
swift build -c release --product lifeline-server
exec "$(swift build -c release --show-bin-path)/lifeline-server" --demo --data-dir ./data "$@"
