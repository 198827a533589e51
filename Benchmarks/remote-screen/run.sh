#!/usr/bin/env bash
# The remote-screen benchmark (issues 5 and 23): Lifeline's remote desktop as a user feels it, next
# to x11vnc and TigerVNC measured in the same run on the same machine, with ../shared/bench.
#
#   Benchmarks/remote-screen/run.sh            (as root the first time: installs the peers)
#
# Scenes run on Xvfb :99 (the customer, 1920x1080); viewers run full screen on Xvfb :98: the
# TigerVNC viewer for the peers, Lifeline's console in Chromium (kiosk, not headless) — once with
# video for moving regions (WebCodecs), once with WebCodecs hidden (JPEG tiles, the fallback).
# Prints per system: latency p50/p90/p99; per scene bytes/s and capture-side CPU, fps on the
# videos, and the picture's SSIM against the customer's screen on the moving scenes (quality.py).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# Throw-away files (profiles, databases, frames) go to a folder removed when the run ends.
[ -n "${LIFELINE_SCRATCH:-}" ] || exec "$ROOT/scripts/in-scratch-folder.sh" "$0" "$@"
PORT=8790
VNC_PORT=5911
SAMPLES=${QUALITY_SAMPLES:-5}
# The top right corner where Lifeline's console shows "Show chat" over the full-screen picture is
# left out of every system's SSIM (quality.py).
export QUALITY_MASK=${QUALITY_MASK-1800,0,120,50}
# A part of the run while working on one thing, e.g. SYSTEMS="video" SCENES="video fullvideo".
# SYSTEMS may also name "page": the video path drawn on the console's page instead of in a worker;
# LIFELINE_BUSY_CONSOLE=1 keeps every Lifeline console's page busy 20 ms in 50 (viewer.py).
SYSTEMS=${SYSTEMS:-x11vnc x0vnc video tiles}
SCENES=${SCENES:-static scroll move page video fullvideo}
. "$ROOT/Benchmarks/remote-screen/common.sh"
cp "$ROOT/Benchmarks/remote-screen/scene_page.sh" "$ROOT/Benchmarks/remote-screen/quality.py" "$ROOT/Benchmarks/remote-screen/scene_frames.c" .
# The video scene's own frames, to compare each picture shown with the very frame it shows.
cc -O2 -o scene_frames scene_frames.c -lm
mkdir -p "$WORK/frames-960" "$WORK/frames-1920"
./scene_frames 960 540 "$WORK/frames-960"
./scene_frames 1920 1080 "$WORK/frames-1920"

# One scene in a process group of its own (so quality.py can stop all of it): sets SCENE.
start_scene() {
  case $1 in
    scroll) DISPLAY=:99 setsid ./scene_scroll.sh "$2" & SCENE=$!;;
    move) DISPLAY=:99 setsid ./scene_move.sh "$2" & SCENE=$!;;
    page) DISPLAY=:99 setsid ./scene_page.sh "$2" "$WORK/page" & SCENE=$!;;
    video) DISPLAY=:99 setsid ./scene_video 960 540 30 "$2" & SCENE=$!;;
    fullvideo) DISPLAY=:99 setsid ./scene_video 1920 1080 30 "$2" & SCENE=$!;;
  esac
}
stop_scene() { kill -- -"$SCENE" 2>/dev/null || true; wait "$SCENE" 2>/dev/null || true; }

# measure NAME PORT CPU_PID: what the viewer on :98 shows of :99, through the server on PORT.
measure() {
  local name=$1 port=$2 pid=$3 scene b0 b1 t0 t1 c0 c1
  sent() { ss -tinH state established "( sport = :$port )" | grep -o 'bytes_sent:[0-9]*' | cut -d: -f2 | paste -sd+ | bc; }
  cpu() { awk '{print $14+$15}' "/proc/$pid/stat"; }
  echo "== $name"
  ./latprobe :99 :98 1880 1040 ${LATENCY_FLIPS:-60}
  for scene in $SCENES; do
    case $scene in
      static) b0=$(sent); t0=$(date +%s.%N); c0=$(cpu); sleep 10;;
      scroll|move) b0=$(sent); t0=$(date +%s.%N); c0=$(cpu); start_scene $scene 10; wait "$SCENE" || true;;
      page) start_scene page 14; sleep 5; b0=$(sent); t0=$(date +%s.%N); c0=$(cpu); sleep 8;;
      video) start_scene video 10; sleep 1.5; b0=$(sent); t0=$(date +%s.%N); c0=$(cpu); ./fpsprobe :98 108 108 7;;
      fullvideo) start_scene fullvideo 12; sleep 4; b0=$(sent); t0=$(date +%s.%N); c0=$(cpu); ./fpsprobe :98 8 8 7;;
    esac
    b1=$(sent); t1=$(date +%s.%N); c1=$(cpu)
    [ "$scene" = static ] || stop_scene
    python3 -c "dt=$t1-$t0; print(f'$scene: {($b1-$b0)/dt/1e3:8.1f} kB/s on wire, capture-side CPU {($c1-$c0)/100/dt*100:5.1f}% of one core')"
    # The picture's quality on the moving scenes, on a second showing of the scene: the videos
    # compared frame for frame while they play, the others just after they are stopped.
    if [ "$scene" != static ]; then
      # Long enough for every moment (grabbing and comparing a 1080p picture takes a while on a
      # busy machine; a moment after the scene ended would compare the empty desktop); stopped after.
      start_scene $scene 40
      sleep $([ "$scene" = page ] && echo 5 || echo 1.5)
      case $scene in
        video) echo "$scene: $(python3 quality.py frames 960 540 100 100 "$SAMPLES" 1.0 "$WORK/frames-960") while playing";;
        fullvideo) echo "$scene: $(python3 quality.py frames 1920 1080 0 0 "$SAMPLES" 1.0 "$WORK/frames-1920") while playing";;
        *) echo "$scene: $(python3 quality.py "$SCENE" "$SAMPLES" 1.0) 150 ms after it stops";;
      esac
      stop_scene
    fi
    sleep 1
  done
}

vnc_peer() {
  local server=$1 spid vpid
  if [ "$server" = x11vnc ]; then
    x11vnc -display :99 -rfbport $VNC_PORT -localhost -nopw -shared -forever -quiet -o "$WORK/x11vnc.log" >/dev/null & spid=$!
  else
    X0tigervnc -display :99 -rfbport $VNC_PORT -localhost=1 -SecurityTypes None -interface 127.0.0.1 > "$WORK/x0vnc.log" 2>&1 & spid=$!
  fi
  sleep 2
  DISPLAY=:98 vncviewer -FullScreen -AutoSelect=0 -PreferredEncoding=Tight -QualityLevel=8 -CompressLevel=2 -SecurityTypes=None \
    127.0.0.1::$VNC_PORT > "$WORK/viewer_$server.log" 2>&1 & vpid=$!
  sleep 3
  measure "$server (TigerVNC viewer, Tight, quality 8)" $VNC_PORT $spid
  kill $vpid $spid 2>/dev/null || true
  wait $vpid $spid 2>/dev/null || true
  sleep 2
}

lifeline_viewer() {
  local label=$1 webcodecs=$2 renderer=${3:-worker} viewer log
  log="$WORK/viewer-$webcodecs-$renderer.log"
  PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
  DISPLAY=:98 LIFELINE_WEBCODECS=$webcodecs LIFELINE_RENDERER=$renderer "$PYTHON" "$ROOT/Benchmarks/remote-screen/viewer.py" \
    "http://127.0.0.1:$PORT" "$EMAIL" "$PASSWORD" "$ID" > "$log" 2>&1 & viewer=$!
  for _ in $(seq 120); do grep -q READY "$log" && break; sleep 0.5; done
  grep -q READY "$log" || { echo "the console did not show the remote screen"; cat "$log"; exit 1; }
  grep READY "$log"
  measure "$label" $PORT "$APPLET"
  kill $viewer 2>/dev/null || true
  wait $viewer 2>/dev/null || true
  # The next console starts on a clean machine, whatever the last one's driver did.
  pkill -f lifeline-bench-chrome 2>/dev/null || true
  sleep 3
}

wants() { [[ " $SYSTEMS " == *" $1 "* ]]; }
wants x11vnc && vnc_peer x11vnc
wants x0vnc && vnc_peer x0vnc
if wants video || wants tiles || wants page; then
  build_release
  start_gateway
  start_applet_session "$WORK/applet.log"
fi
wants video && lifeline_viewer "lifeline (video for moving regions: libvpx VP8 -> WebCodecs)" on
wants tiles && lifeline_viewer "lifeline (WebCodecs hidden: JPEG tiles)" off
wants page && lifeline_viewer "lifeline (video, drawn on the page: OffscreenCanvas hidden)" on page
true
