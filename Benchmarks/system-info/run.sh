#!/usr/bin/env bash
# System information views (issue 18) against the usual commands, same machine, same run:
#
#   Benchmarks/system-info/run.sh [runs]      (default 15)
#
# Builds the release gateway and applet; needs the e2e virtualenv (scripts/test.sh makes it),
# dbus-daemon and python3-dbusmock; as root it also times the event viewer on a 20,000-entry journal.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# Throw-away files (profiles, databases, frames) go to a folder removed when the run ends.
[ -n "${LIFELINE_SCRATCH:-}" ] || exec "$ROOT/scripts/in-scratch-folder.sh" "$0" "$@"
(cd "$ROOT" && swift build -c release --product lifeline-server && swift build -c release --product lifeline-applet) >/dev/null
BIN=$(cd "$ROOT" && swift build -c release --show-bin-path)
"$ROOT/.venv/bin/python" "$ROOT/Benchmarks/system-info/bench.py" "$BIN" "${1:-15}"
