#!/usr/bin/env bash
# Runs a command with TMPDIR set to a folder of its own, removed when the command ends however it
# ends. The test suite and the benchmarks make throw-away homes, databases, browser profiles and
# files of hundreds of megabytes under TMPDIR; left in /tmp run after run they filled the disk
# (and this machine's disk is also the one CI builds on).
#   scripts/in-scratch-folder.sh COMMAND [ARGUMENT...]
# The folder is world-writable and sticky like /tmp: tests run programs as other users.
set -uo pipefail
scratch=$(mktemp -d "${TMPDIR:-/tmp}/lifeline-scratch.XXXXXX")
chmod 1777 "$scratch"
trap 'rm -rf "$scratch"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
export TMPDIR=$scratch LIFELINE_SCRATCH=$scratch
"$@"
