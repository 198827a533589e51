#!/usr/bin/env bash
# The file manager's copies (issue 17, K3) through the real console in headless Chromium against
# scp and rsync over ssh on loopback, same data, same run:
#
#   Benchmarks/file-manager/run.sh [big file MiB] [tree files]      (default 1024 and 20000)
#
# Needs Chromium, chromedriver and the e2e virtualenv (scripts/test.sh makes it); as root the
# first time it installs openssh-server and rsync.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# Throw-away files (profiles, databases, frames) go to a folder removed when the run ends.
[ -n "${LIFELINE_SCRATCH:-}" ] || exec "$ROOT/scripts/in-scratch-folder.sh" "$0" "$@"
BIG=${1:-1024}
TREE=${2:-20000}
# shellcheck source=../common/with-sshd-and-release.sh
source "$ROOT/Benchmarks/common/with-sshd-and-release.sh"
SSH_OPTIONS="$SSH_OPTIONS" "$ROOT/.venv/bin/python" "$ROOT/Benchmarks/file-manager/bench.py" "$BIN" "$BIG" "$TREE"
