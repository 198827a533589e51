#!/usr/bin/env bash
# A Lens call (issue 22) at 720p on this machine, from WebRTC statistics: straight between the
# phone's and the console's Chromium, relayed by a real coturn, and the peer — a bare WebRTC call of
# the same camera in one Chromium — then the tracking error of a drawing on a moving square:
#
#   Benchmarks/lens/run.sh [seconds]       (default 20; needs the e2e virtualenv, Chromium, ffmpeg, coturn)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# Throw-away files (profiles, databases, frames) go to a folder removed when the run ends.
[ -n "${LIFELINE_SCRATCH:-}" ] || exec "$ROOT/scripts/in-scratch-folder.sh" "$0" "$@"
cd "$ROOT"
. scripts/debian-packages.sh
ensure_packages coturn ffmpeg chromium chromium-driver
swift build -c release --product lifeline-server >/dev/null
LIFELINE_BIN_DIR="$ROOT/.build/release" "${PYTHON:-$ROOT/.venv/bin/python}" Benchmarks/lens/bench.py "${1:-20}"
