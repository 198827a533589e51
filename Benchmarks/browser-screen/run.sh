#!/usr/bin/env bash
# Browser screen sharing (issue 16, item 3) as the technician feels it, next to the applet's remote
# view in the same run, with ../shared/bench's probes:
#
#   Benchmarks/browser-screen/run.sh            (as root the first time: installs the kit's deps)
#
# The customer's screen is Xvfb :99 (1920x1080); the console (Chromium, kiosk, the remote view full
# screen at actual size) is on Xvfb :98. First the applet shows :99; then Chromium on :99 shares
# its entire screen from the PIN page, straight to the console (WebRTC), then through the gateway
# (a gateway started with LIFELINE_WEBRTC=off). For each: change-to-display latency p50/p90/p99
# (latprobe), delivered fps of a 960x540 30 fps video (fpsprobe) and bytes/s: what the gateway sent
# to the console, and for the direct path what crossed the loopback interface (browser to browser).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# Throw-away files (profiles, databases, frames) go to a folder removed when the run ends.
[ -n "${LIFELINE_SCRATCH:-}" ] || exec "$ROOT/scripts/in-scratch-folder.sh" "$0" "$@"
PORT=8791
. "$ROOT/Benchmarks/remote-screen/common.sh"
build_release
start_gateway
GATEWAY=$!
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }

# Bytes counted by the loopback interface (each packet once), where the two browsers meet.
loopback() { awk '$1 == "lo:" { print $2 }' /proc/net/dev; }

# Shows session $1 on :98 in mode $2 and measures; the customer's side is already there.
measure() {
  local id=$1 mode=$2 name=$3 log="$WORK/viewer-$1.log"
  DISPLAY=:98 CHROME_PROFILE=$WORK/viewer-$id "$PYTHON" "$ROOT/Benchmarks/remote-screen/viewer.py" "http://127.0.0.1:$PORT" \
    "$EMAIL" "$PASSWORD" "$id" "$mode" > "$log" 2>&1 & VIEWER=$!; PIDS="$PIDS $VIEWER"
  for _ in $(seq 240); do grep -q READY "$log" && break; sleep 0.5; done
  grep -q READY "$log" || { echo "the console did not show the $name"; cat "$log"; exit 1; }
  echo "== $name ($(grep -o 'transport=[a-z]*' "$log"))"
  ./latprobe :99 :98 1880 1040 60
  (DISPLAY=:99 ./scene_video 960 540 30 12 &)
  sleep 2
  local b0 t0 b1 t1 l0 l1
  b0=$(sent); l0=$(loopback); t0=$(date +%s.%N)
  ./fpsprobe :98 108 108 7
  b1=$(sent); l1=$(loopback); t1=$(date +%s.%N)
  python3 -c "dt=$t1-$t0; print(f'video 960x540: {($b1-$b0)/dt/1e6:6.2f} MB/s gateway to console, {($l1-$l0)/dt/1e6:6.2f} MB/s on loopback in all')"
  sleep 4
  kill "$VIEWER" 2>/dev/null || true
  wait "$VIEWER" 2>/dev/null || true
}

# 1. The applet's remote view.
SESSION=$(api -d '{"name":"Applet","method":"pin"}' "http://127.0.0.1:$PORT/api/v1/sessions")
ID=$(echo "$SESSION" | field id); PIN=$(echo "$SESSION" | field pin)
DISPLAY=:99 "$BIN/lifeline-applet" --gateway "http://127.0.0.1:$PORT" --pin "$PIN" --non-interactive --remote-consent accept \
  < <(sleep 100000) > "$WORK/applet.log" 2>&1 & APPLET=$!; PIDS="$PIDS $APPLET"
for _ in $(seq 50); do grep -q WELCOME "$WORK/applet.log" && break; sleep 0.2; done
api -X POST "http://127.0.0.1:$PORT/api/v1/sessions/$ID/start" >/dev/null
measure "$ID" view "applet (desktop view)"
kill "$APPLET" 2>/dev/null || true

# 2 and 3. Chromium sharing its entire screen from the PIN page: on this gateway (WebRTC allowed),
# then on one that keeps the pictures (LIFELINE_WEBRTC=off).
browser_customer() {
  local name=$1 session id pin
  session=$(api -d '{"name":"Browser","method":"pin"}' "http://127.0.0.1:$PORT/api/v1/sessions")
  id=$(echo "$session" | field id); pin=$(echo "$session" | field pin)
  DISPLAY=:99 CHROME_PROFILE=$WORK/customer-$id "$PYTHON" "$ROOT/Benchmarks/browser-screen/customer.py" "http://127.0.0.1:$PORT" "$pin" \
    > "$WORK/customer-$id.log" 2>&1 & CUSTOMER=$!; PIDS="$PIDS $CUSTOMER"
  for _ in $(seq 120); do grep -q JOINED "$WORK/customer-$id.log" && break; sleep 0.5; done
  grep -q JOINED "$WORK/customer-$id.log" || { echo "the customer's browser did not join"; cat "$WORK/customer-$id.log"; exit 1; }
  for _ in $(seq 50); do [ "$(api "http://127.0.0.1:$PORT/api/v1/sessions/$id" | field state)" = waiting ] && break; sleep 0.2; done
  api -X POST "http://127.0.0.1:$PORT/api/v1/sessions/$id/start" >/dev/null
  measure "$id" view "$name"
  kill "$CUSTOMER" 2>/dev/null || true
  wait "$CUSTOMER" 2>/dev/null || true
}
browser_customer "browser (Chromium, getDisplayMedia, WebRTC allowed)"
kill "$GATEWAY" 2>/dev/null || true
wait "$GATEWAY" 2>/dev/null || true
LIFELINE_WEBRTC=off start_gateway
browser_customer "browser (Chromium, getDisplayMedia, gateway with WebRTC off)"
