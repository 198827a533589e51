#!/usr/bin/env bash
# File transfer through the gateway (issue 6, D4) against scp on loopback, same file, same run:
#
#   Benchmarks/file-transfer/run.sh [MiB]      (default 1024; as root the first time: installs sshd)
#
# Lifeline: release gateway and applet; the technician's upload (HTTP PUT, as the console does)
# streams through the gateway into the applet's download, which writes the file and its MD5;
# timed from the customer's /save to FILE_SAVED. scp: a private sshd on 127.0.0.1:2222 with
# throw-away keys, `scp` of the same file to a temporary folder.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MIB=${1:-1024}
WORK=$(mktemp -d)
SSHD_PID=""
cleanup() {
  [ -n "$SSHD_PID" ] && kill "$SSHD_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# shellcheck source=../common/private-sshd.sh
source "$ROOT/Benchmarks/common/private-sshd.sh"

(cd "$ROOT" && swift build -c release --product lifeline-server && swift build -c release --product lifeline-applet) > "$WORK/build.log" 2>&1 \
  || { tail -30 "$WORK/build.log"; exit 1; }
BIN=$(cd "$ROOT" && swift build -c release --show-bin-path)
SCP_OPTIONS="-P 2222 $SSH_OPTIONS" \
  python3 "$ROOT/Benchmarks/file-transfer/bench.py" "$BIN" "$MIB"
