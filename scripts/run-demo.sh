#!/usr/bin/env bash
# Builds Lifeline and starts the gateway on http://127.0.0.1:8080 with its embedded SQLite store
# in ./data. On the first start it creates a demo organisation and prints the demo accounts.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/debian-packages.sh
# shellcheck disable=SC2086
ensure_packages $BUILD_PACKAGES
# The gateway and the applet customers download (static Swift libraries; the applet stripped).
scripts/build-release.sh
exec "$(swift build -c release --show-bin-path)/lifeline-server" --demo --data-dir ./data --applet-binary .build/applet/lifeline-applet "$@"
