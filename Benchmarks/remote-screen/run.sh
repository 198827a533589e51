#!/usr/bin/env bash
# The remote-screen benchmark (issue 5): Lifeline's remote desktop as a user feels it, next to
# x11vnc and TigerVNC measured in the same run on the same machine, with ../shared/bench.
#
#   Benchmarks/remote-screen/run.sh            (as root the first time: installs the peers)
#
# Scenes run on Xvfb :99 (the customer, 1920x1080); viewers run full screen on Xvfb :98: the
# TigerVNC viewer for the peers, Lifeline's console in Chromium (kiosk, not headless) for
# Lifeline. Prints latency p50/p90/p99, bytes/s and capture-side CPU per scene, and fps on video.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PORT=8790
. "$ROOT/Benchmarks/remote-screen/common.sh"

echo "# Peers"
./run_vnc.sh x11vnc 2>&1 | grep -vE "^\s*$|Framebuffer|Total|Tight|JPEG|Solid|Bitmap|Indexed|Full|ratio" || true
./run_vnc.sh x0vnc 2>&1 | grep -vE "^\s*$|Framebuffer|Total|Tight|JPEG|Solid|Bitmap|Indexed|Full|ratio" || true

echo "# Lifeline"
build_release
start_gateway
start_applet_session "$WORK/applet.log"
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
DISPLAY=:98 "$PYTHON" "$ROOT/Benchmarks/remote-screen/viewer.py" "http://127.0.0.1:$PORT" "$EMAIL" "$PASSWORD" "$ID" \
  > "$WORK/viewer.log" 2>&1 & PIDS="$PIDS $!"
for _ in $(seq 120); do grep -q READY "$WORK/viewer.log" && break; sleep 0.5; done
grep -q READY "$WORK/viewer.log" || { echo "the console did not show the remote screen"; cat "$WORK/viewer.log"; exit 1; }

cpu() { awk '{print $14+$15}' /proc/$APPLET/stat; }
echo "== lifeline"; ./latprobe :99 :98 1880 1040 60
for scene in static scroll move video fullvideo; do
  b0=$(sent); t0=$(date +%s.%N); c0=$(cpu)
  case $scene in
    static) sleep 10;;
    scroll) DISPLAY=:99 ./scene_scroll.sh 10;;
    move) DISPLAY=:99 ./scene_move.sh 10;;
    video) (DISPLAY=:99 ./scene_video 960 540 30 10 &); sleep 1.5; b0=$(sent); t0=$(date +%s.%N); c0=$(cpu); ./fpsprobe :98 108 108 7;;
    fullvideo) (DISPLAY=:99 ./scene_video 1920 1080 30 12 &); sleep 4; b0=$(sent); t0=$(date +%s.%N); c0=$(cpu); ./fpsprobe :98 8 8 7;;
  esac
  case $scene in video|fullvideo) ;; *) sleep 1;; esac
  b1=$(sent); t1=$(date +%s.%N); c1=$(cpu)
  case $scene in video|fullvideo) sleep 3;; esac
  python3 -c "dt=$t1-$t0; print(f'$scene: {($b1-$b0)/dt/1e3:8.1f} kB/s on wire, capture-side (applet) CPU {($c1-$c0)/100/dt*100:5.1f}% of one core')"
done
