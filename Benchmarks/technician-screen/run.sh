#!/usr/bin/env bash
# The technician's screen on the customer's desktop (H1), as the customer sees it, next to TigerVNC
# measured in the same run on the same machine, with ../shared/bench.
#
#   Benchmarks/technician-screen/run.sh            (as root the first time: installs the peers)
#
# Here :99 is the technician's screen (1920x1080): the kit's scenes run on it, and the technician's
# console, in Chromium (not headless) in its bottom right corner, shares it (getDisplayMedia, the
# entire screen). :98 is the customer's: the real applet shows the technician's screen in its window,
# full screen (F11, as the customer would), where the kit's probes read it. The peer: X0tigervnc
# serving :99 to the TigerVNC viewer full screen on :98 (the kit's run_vnc.sh). Prints latency
# p50/p90/p99, delivered fps on a 960x540 30 fps video, and bytes/s from the console to the gateway
# and from the gateway to the applet.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# Throw-away files (profiles, databases, frames) go to a folder removed when the run ends.
[ -n "${LIFELINE_SCRATCH:-}" ] || exec "$ROOT/scripts/in-scratch-folder.sh" "$0" "$@"
PORT=8792
. "$ROOT/Benchmarks/remote-screen/common.sh"

echo "# Peer"
./run_vnc.sh x0vnc 2>&1 | grep -vE "^\s*$|Framebuffer|Total|Tight|JPEG|Solid|Bitmap|Indexed|Full|ratio" || true

echo "# Lifeline"
build_release
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
start_gateway
APPLET_DISPLAY=:98 start_applet_session "$WORK/applet.log"
# Each way the console sends its screen: VP8 video (WebCodecs, Chromium's default) and JPEG tiles
# (what a browser without WebCodecs sends).
measure() {
  local mode=$1 drawn_before
  drawn_before=$(grep -c "TECHNICIAN_SCREEN drawn" "$WORK/applet.log" || true)
  rm -rf /tmp/lifeline-bench-technician
  DISPLAY=:99 "$PYTHON" "$ROOT/Benchmarks/technician-screen/technician.py" "http://127.0.0.1:$PORT" "$EMAIL" "$PASSWORD" "$ID" "$mode" \
    > "$WORK/technician-$mode.log" 2>&1 &
  TECHNICIAN=$!; PIDS="$PIDS $TECHNICIAN"
  for _ in $(seq 120); do [ "$(grep -c "TECHNICIAN_SCREEN drawn" "$WORK/applet.log")" -gt "$drawn_before" ] && break; sleep 0.5; done
  [ "$(grep -c "TECHNICIAN_SCREEN drawn" "$WORK/applet.log")" -gt "$drawn_before" ] \
    || { echo "the applet never drew the technician's screen"; cat "$WORK/technician-$mode.log" "$WORK/applet.log"; exit 1; }
  # The customer makes the window full screen: one picture pixel per screen pixel.
  WINDOW=$(DISPLAY=:98 xdotool search --class lifeline-technician-screen | head -1)
  DISPLAY=:98 xdotool key --window "$WINDOW" F11
  sleep 2
  echo "== lifeline (technician's screen, $(grep "TECHNICIAN_SCREEN drawn" "$WORK/applet.log" | tail -1 | sed 's/.*drawn //'))"
  ./latprobe :99 :98 100 100 60
  # Bytes on the gateway's sockets, counted at the clients: what the technician's browser sent
  # (console → gateway) and what the applet received (gateway → applet).
  for scene in scroll video; do
    case $scene in
      scroll) u0=$(client_bytes chrom sent); d0=$(client_bytes lifeline-applet received); t0=$(date +%s.%N); DISPLAY=:99 ./scene_scroll.sh 10; sleep 1;;
      video) (DISPLAY=:99 ./scene_video 960 540 30 10 &); sleep 1.5; u0=$(client_bytes chrom sent); d0=$(client_bytes lifeline-applet received); t0=$(date +%s.%N)
             ./fpsprobe :98 108 108 7;;
    esac
    u1=$(client_bytes chrom sent); d1=$(client_bytes lifeline-applet received); t1=$(date +%s.%N)
    [ "$scene" = video ] && sleep 3
    python3 -c "dt=$t1-$t0; print(f'$scene: console to gateway {($u1-$u0)/dt/1e3:8.1f} kB/s, gateway to applet {($d1-$d0)/dt/1e3:8.1f} kB/s')"
  done
  # The console closes: the sharing ends and the customer's window with it.
  kill "$TECHNICIAN"; wait "$TECHNICIAN" 2>/dev/null || true
  for _ in $(seq 40); do DISPLAY=:98 xdotool search --class lifeline-technician-screen >/dev/null 2>&1 || break; sleep 0.5; done
}
measure video
measure pictures
