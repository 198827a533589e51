#!/usr/bin/env bash
# The picture VP8 gives the kit's noisy video at each number of bytes (issue 23), next to what the
# 4:2:0 colour sampling alone leaves (every video codec a browser decodes samples colour so):
# SSIM (ffmpeg, RGB planes, as quality.py measures a viewer) for the 960x540 and 1920x1080 videos
# at the applet's bit rates and beyond, and at fixed quantizers. No display needed; about 2 minutes.
#   Benchmarks/remote-screen/video_frontier.sh
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cc -O2 -o "$WORK/scene_frames" "$HERE/scene_frames.c" -lm
cc -O2 -o "$WORK/video_frontier" "$HERE/video_frontier.c" -lvpx -lyuv
ssim() {  # SIZE SHOWN SOURCE
  ffmpeg -hide_banner -f rawvideo -pix_fmt bgr0 -s "$1" -i "$2" -f rawvideo -pix_fmt bgr0 -s "$1" -i "$3" \
    -lavfi "[0:v]format=gbrp[a];[1:v]format=gbrp[b];[a][b]ssim" -f null - 2>&1 | grep -o 'All:[0-9.]*' | cut -d: -f2
}
for size in 960x540 1920x1080; do
  sw=${size%x*} sh=${size#*x}
  mkdir -p "$WORK/$sw"
  "$WORK/scene_frames" "$sw" "$sh" "$WORK/$sw"
  for round in 1 2 3; do for index in $(seq 0 31); do cat "$WORK/$sw/frame-$index.bgrx"; done; done > "$WORK/source.raw"
  echo "== $size video ($(ssim "$size" "$WORK/source.raw" "$WORK/source.raw") identical; 4:2:0 colour alone:" \
       "$(ffmpeg -hide_banner -f rawvideo -pix_fmt bgr0 -s "$size" -i "$WORK/source.raw" -f rawvideo -pix_fmt bgr0 -s "$size" -i "$WORK/source.raw" \
          -lavfi "[0:v]format=yuv420p,format=gbrp[a];[1:v]format=gbrp[b];[a][b]ssim" -f null - 2>&1 | grep -o 'All:[0-9.]*' | cut -d: -f2))"
  videos="$sw $sh"
  [ "$sw" = 1920 ] && videos="1024 576|1920 1080" || videos="960 540"
  IFS='|' read -ra shapes <<< "$videos"
  for shape in "${shapes[@]}"; do
    read -r w h <<< "$shape"
    for rate in 2000 4000 8000 16000 26000 "q8" "q4"; do
      if [[ $rate == q* ]]; then args=(100000 "$WORK/$sw" "$WORK/shown.raw" "${rate#q}"); label="quantizer ${rate#q}"
      else args=("$rate" "$WORK/$sw" "$WORK/shown.raw"); label="$rate kbit/s"; fi
      figures=$("$WORK/video_frontier" "$sw" "$sh" "$w" "$h" "${args[@]}")
      echo "video ${w}x${h}, $label: $figures, SSIM $(ssim "$size" "$WORK/shown.raw" "$WORK/source.raw")"
    done
  done
done
