#!/usr/bin/env bash
# The remote screen seen by 1, 2 and 4 technicians at once (issue 21): the lead's console in
# Chromium full screen on the viewer display (the kit's probes read it), the colleagues' consoles
# in headless Chromium, each drawing and acknowledging every update it gets.
#
#   Benchmarks/remote-screen/viewers.sh [1,2,4]
#   COLLEAGUE_NICE=19 Benchmarks/remote-screen/viewers.sh 1,4
#   COLLEAGUES=socket Benchmarks/remote-screen/viewers.sh 1,4
#
# All the browsers share this machine's cores with the applet and the gateway; COLLEAGUE_NICE
# runs the colleagues' browsers at a lower priority, as if they were on their own computers, so
# the lead's latency shows what the gateway's fan-out costs rather than the other browsers' work.
# COLLEAGUES=socket replaces the colleagues' browsers with bare console sockets that acknowledge
# every update at once (ack-viewer.py): the gateway's fan-out alone, no decoding on these cores.
#
# For each count: the lead's latency p50/p90/p99 (latprobe), the bytes the applet sends (its
# socket to the gateway) and the bytes the gateway sends (to every console) while an xterm
# scrolls and while a 960x540 video plays (30 fps), and the lead's delivered fps on the video.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PORT=8791
COUNTS=${1:-1,2,4}
. "$ROOT/Benchmarks/remote-screen/common.sh"
build_release
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}

for count in ${COUNTS//,/ }; do
  STEP_PIDS=""
  start_gateway
  GATEWAY_PID=${PIDS##* }
  GROUP=$(api -d '{"name":"Bench colleagues","permissions":["start_private_sessions","connect_by_pin","chat","desktop_view","remote_control"]}' \
    "http://127.0.0.1:$PORT/api/v1/admin/groups" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  start_applet_session "$WORK/applet-$count.log"; STEP_PIDS="$STEP_PIDS $APPLET"
  for n in $(seq 2 "$count"); do
    email="colleague$n-$count@lifeline.test"
    COLLEAGUE=$(api -d "{\"email\":\"$email\",\"name\":\"Colleague $n\",\"password\":\"$PASSWORD\",\"groupId\":\"$GROUP\"}" \
      "http://127.0.0.1:$PORT/api/v1/admin/technicians" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
    if [ "${COLLEAGUES:-browser}" = socket ]; then
      "$PYTHON" "$ROOT/Benchmarks/remote-screen/ack-viewer.py" "http://127.0.0.1:$PORT" "$email" "$PASSWORD" \
        > "$WORK/colleague-$count-$n.log" 2>&1 & STEP_PIDS="$STEP_PIDS $!"
    else
      nice -n "${COLLEAGUE_NICE:-0}" "$PYTHON" "$ROOT/Benchmarks/remote-screen/colleague.py" "http://127.0.0.1:$PORT" "$email" "$PASSWORD" "$ID" "$WORK/profile-$count-$n" \
        > "$WORK/colleague-$count-$n.log" 2>&1 & STEP_PIDS="$STEP_PIDS $!"
    fi
    for _ in $(seq 120); do grep -q SIGNED_IN "$WORK/colleague-$count-$n.log" && break; sleep 0.5; done
    api -d "{\"technicianId\":\"$COLLEAGUE\",\"permissions\":[\"desktop_view\"]}" "http://127.0.0.1:$PORT/api/v1/sessions/$ID/colleagues" >/dev/null
    COLLEAGUE_TOKEN=$(TOKEN= api -d "{\"email\":\"$email\",\"password\":\"$PASSWORD\"}" "http://127.0.0.1:$PORT/api/v1/auth/login" \
      | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
    curl -fs -X POST -H "Authorization: Bearer $COLLEAGUE_TOKEN" "http://127.0.0.1:$PORT/api/v1/sessions/$ID/start" >/dev/null
  done
  rm -rf "${TMPDIR:-/tmp}/lifeline-bench-chrome"
  DISPLAY=:98 "$PYTHON" "$ROOT/Benchmarks/remote-screen/viewer.py" "http://127.0.0.1:$PORT" "$EMAIL" "$PASSWORD" "$ID" \
    > "$WORK/viewer-$count.log" 2>&1 & STEP_PIDS="$STEP_PIDS $!"
  for _ in $(seq 120); do grep -q READY "$WORK/viewer-$count.log" && break; sleep 0.5; done
  grep -q READY "$WORK/viewer-$count.log" || { echo "the lead's console did not show the remote screen"; cat "$WORK/viewer-$count.log"; exit 1; }
  for n in $(seq 2 "$count"); do
    for _ in $(seq 120); do grep -q READY "$WORK/colleague-$count-$n.log" && break; sleep 0.5; done
    grep -q READY "$WORK/colleague-$count-$n.log" || { echo "colleague $n did not show the screen"; cat "$WORK/colleague-$count-$n.log"; exit 1; }
  done

  echo "== $count viewer(s)"
  ./latprobe :99 :98 1880 1040 60
  for scene in scroll video; do
    a0=$(client_bytes lifeline-applet sent); b0=$(sent); t0=$(date +%s.%N)
    case $scene in
      scroll) DISPLAY=:99 ./scene_scroll.sh 10; sleep 1;;
      video) (DISPLAY=:99 ./scene_video 960 540 30 10 &); sleep 1.5; a0=$(client_bytes lifeline-applet sent); b0=$(sent); t0=$(date +%s.%N); ./fpsprobe :98 108 108 7;;
    esac
    a1=$(client_bytes lifeline-applet sent); b1=$(sent); t1=$(date +%s.%N)
    [ "$scene" = video ] && sleep 3
    python3 -c "dt=$t1-$t0; print(f'$scene: applet sent {($a1-$a0)/dt/1e3:8.1f} kB/s, gateway sent {($b1-$b0)/dt/1e3:8.1f} kB/s')"
  done
  for pid in $STEP_PIDS; do kill "$pid" 2>/dev/null || true; done
  kill "$GATEWAY_PID" 2>/dev/null || true
  wait "$GATEWAY_PID" 2>/dev/null || true
  sleep 2
  rm -rf "$WORK/data"
done
