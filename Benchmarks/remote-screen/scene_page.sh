#!/usr/bin/env bash
# A scene of our own (issue 23): what a customer meets — a web page of text and photographs
# scrolled in Chromium on the customer's display ($DISPLAY), 20 px every frame for $1 s after a 3 s
# load. The page and its pictures (made by ffmpeg: a fractal, gradients with grain, test
# cards) are made once in $2 (default /tmp/lifeline-bench-page).
set -euo pipefail
SECS=${1:-10}
PAGE=${2:-/tmp/lifeline-bench-page}
if [ ! -f "$PAGE/index.html" ]; then
  mkdir -p "$PAGE"
  sources=("mandelbrot=s=800x450:start_scale=2" "gradients=s=800x450:seed=3,noise=alls=12:allf=t" "testsrc2=s=800x450"
           "cellauto=s=800x450:rule=110,scale=800:450" "mandelbrot=s=800x450:start_x=-0.75:start_y=0.1:start_scale=0.05"
           "gradients=s=800x450:seed=9:c0=0x303060:c1=0xe0a060" "smptehdbars=s=800x450" "life=s=800x450:mold=10:ratio=0.3,scale=800:450")
  for i in "${!sources[@]}"; do
    ffmpeg -loglevel error -y -f lavfi -i "${sources[$i]}" -frames:v 1 -q:v 3 "$PAGE/photo$i.jpg"
  done
  {
    echo '<!doctype html><meta charset="utf-8"><title>page</title>'
    echo '<style>body{font:17px/1.5 sans-serif;max-width:900px;margin:0 auto;padding:20px;background:#fafafa;color:#222}img{width:800px;height:450px;display:block;margin:12px 0}</style>'
    for round in 1 2 3; do
      for i in "${!sources[@]}"; do
        echo "<h2>Section $round.$i</h2><p>$(printf 'The quick brown fox jumps over the lazy dog while the help desk looks at the screen. %.0s' $(seq 6))</p>"
        echo "<img src=\"photo$i.jpg\" alt=\"\"><p>$(printf 'Pack my box with five dozen liquor jugs; sphinx of black quartz, judge my vow. %.0s' $(seq 5))</p>"
      done
    done
    echo "<script>onload = () => setTimeout(() => { const end = performance.now() + Number(location.hash.slice(1) || 10) * 1000;"
    echo "  (function step() { scrollBy(0, 20); if (performance.now() < end) requestAnimationFrame(step); })(); }, 3000);</script>"
  } > "$PAGE/index.html"
fi
PROFILE=$(mktemp -d)
chromium --no-sandbox --kiosk --window-position=0,0 --window-size=1920,1080 --no-first-run --disable-infobars \
  --user-data-dir="$PROFILE" "file://$PAGE/index.html#$SECS" >/dev/null 2>&1 &
BROWSER=$!
sleep $((SECS + 5))
kill $BROWSER 2>/dev/null || true
wait $BROWSER 2>/dev/null || true
rm -rf "$PROFILE"
