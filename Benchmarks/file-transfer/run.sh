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
# Throw-away files (profiles, databases, frames) go to a folder removed when the run ends.
[ -n "${LIFELINE_SCRATCH:-}" ] || exec "$ROOT/scripts/in-scratch-folder.sh" "$0" "$@"
MIB=${1:-1024}
# shellcheck source=../common/with-sshd-and-release.sh
source "$ROOT/Benchmarks/common/with-sshd-and-release.sh"
SCP_OPTIONS="-P 2222 $SSH_OPTIONS" \
  python3 "$ROOT/Benchmarks/file-transfer/bench.py" "$BIN" "$MIB"
