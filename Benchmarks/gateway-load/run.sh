#!/usr/bin/env bash
# The gateway under load, from outside (docs/benchmarks.md "Gateway core"): a release gateway on
# SQLite, then on a throw-away PostgreSQL server, loaded by load.py over the documented protocols.
#   Benchmarks/gateway-load/run.sh [load.py options, e.g. --waiting 8000 --active 500 --seconds 30]
# With --cluster first: one node against three on PostgreSQL (cluster.py, issue 20) instead:
#   Benchmarks/gateway-load/run.sh --cluster [cluster.py options, e.g. --live 500,1500 --kills 10]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# Throw-away files (profiles, databases, frames) go to a folder removed when the run ends.
[ -n "${LIFELINE_SCRATCH:-}" ] || exec "$ROOT/scripts/in-scratch-folder.sh" "$0" "$@"
cd "$ROOT"
swift build -c release --product lifeline-server >/dev/null
BIN="$(swift build -c release --show-bin-path)/lifeline-server"
VENV=${LOAD_VENV:-/tmp/lifeline-load-venv}
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install -q "websockets>=13,<18" "aiohttp>=3.9,<4"
# Every waiting applet is a socket on both sides of loopback.
ulimit -n "$(ulimit -Hn)"
echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(git log -1 --format='%h %s' | cut -c1-80)"
if [ "${1:-}" = "--cluster" ]; then
  shift
  pg_url=$(scripts/postgres-for-tests.sh start)
  trap 'scripts/postgres-for-tests.sh stop "$pg_url"' EXIT
  (cd Benchmarks/gateway-load && "$VENV/bin/python" cluster.py --binary "$BIN" --database "$pg_url" "$@")
  exit
fi
echo "### SQLite"
"$VENV/bin/python" Benchmarks/gateway-load/load.py --binary "$BIN" "$@"
pg_url=$(scripts/postgres-for-tests.sh start)
trap 'scripts/postgres-for-tests.sh stop "$pg_url"' EXIT
echo "### PostgreSQL"
"$VENV/bin/python" Benchmarks/gateway-load/load.py --binary "$BIN" --database "$pg_url" "$@"
