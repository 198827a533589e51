"""How good the viewer's picture is on a moving scene (issue 23), the same way for every system,
compared with ffmpeg's SSIM filter (1 is identical). Prints the median and lowest SSIM, then every moment's.

  quality.py PGID SAMPLES SECONDS_BETWEEN
    At fixed moments the scene's processes are stopped (SIGSTOP to its process group), and 150 ms
    later — time for the last change to arrive — the customer's screen (:99) and the viewer's (:98)
    are grabbed at once and compared. Then the scene goes on. (A server that sends a still picture
    again losslessly soon after it stops, as TigerVNC's does, is measured on that.)
  quality.py frames W H X Y SAMPLES SECONDS_BETWEEN FRAME_DIR
    The kit's video scene while it plays: the viewer's picture of it (W×H at X,Y on :98) is grabbed
    at fixed moments, the scene's frame it shows is found among the 32 it cycles through
    (scene_frames writes them to FRAME_DIR), and the picture is compared with that frame: the
    quality of the moving picture itself.
"""
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time

# The pictures compared, kept where QUALITY_PICTURES says (else in the run's scratch folder).
folder = os.environ.get("QUALITY_PICTURES") or tempfile.mkdtemp(prefix="lifeline-quality-")
os.makedirs(folder, exist_ok=True)


def grab(display, path, size="1920x1080", x=0, y=0):
    return subprocess.Popen(["ffmpeg", "-loglevel", "error", "-y", "-f", "x11grab", "-draw_mouse", "0", "-video_size", size,
                             "-i", f"{display}+{x},{y}", "-frames:v", "1", path])


# A part of the screen left out of the comparison ("x,y,w,h", black in both pictures): the console's
# "Show chat" button over the top right corner of the full-screen picture is the console's, not the
# customer's picture (run.sh leaves the same part out for every system).
MASK = os.environ.get("QUALITY_MASK")


def ssim(a, b, reference_input=()):
    if MASK:
        x, y, w, h = MASK.split(",")
        box = f"drawbox=x={x}:y={y}:w={w}:h={h}:color=black:t=fill"
        graph = f"[0]{box}[a];[1]{box}[b];[a][b]ssim"
    else:
        graph = "[0][1]ssim"
    out = subprocess.run(["ffmpeg", "-hide_banner", "-i", a, *reference_input, "-i", b, "-lavfi", graph, "-f", "null", "-"],
                         capture_output=True, text=True).stderr
    found = re.search(r"All:([0-9.]+)", out)
    if not found:
        raise SystemExit(f"ffmpeg gave no SSIM: {out[-400:]}")
    return float(found.group(1))


def thumbnail(path, raw_size=None):
    """A 48×27 grey picture of `path` (a PNG, or raw BGRX of `raw_size`), to find which frame it is."""
    source = ["-f", "rawvideo", "-pix_fmt", "bgr0", "-s", raw_size] if raw_size else []
    return subprocess.run(["ffmpeg", "-loglevel", "error", *source, "-i", path, "-vf", "scale=48:27", "-f", "rawvideo", "-pix_fmt", "gray", "-"],
                          capture_output=True, check=True).stdout


def report(values):
    if values:
        print(f"SSIM median {statistics.median(values):.4f}, lowest {min(values):.4f} ({len(values)} moments: "
              f"{' '.join(f'{value:.4f}' for value in sorted(values))})")
    else:
        print("SSIM: the scene ended before a moment was taken")


if sys.argv[1] == "frames":
    width, height, x, y, samples, between, frames = sys.argv[2:9]
    size = f"{width}x{height}"
    references = [f"{frames}/frame-{index}.bgrx" for index in range(32)]
    thumbs = [thumbnail(path, size) for path in references]
    values = []
    for index in range(int(samples)):
        time.sleep(float(between))
        shown = f"{folder}/viewer-{index}.png"
        grab(os.environ.get("QUALITY_VIEWER", ":98"), shown, size, x, y).wait()
        small = thumbnail(shown)
        best = min(range(32), key=lambda k: sum((p - q) ** 2 for p, q in zip(small, thumbs[k])))
        values.append(ssim(shown, references[best], ["-f", "rawvideo", "-pix_fmt", "bgr0", "-s", size]))
    report(values)
    sys.exit(0)

pgid, samples, between = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
customer, viewer = ":99", ":98"
values = []
for index in range(samples):
    time.sleep(between)
    try:
        os.killpg(pgid, signal.SIGSTOP)
    except ProcessLookupError:
        break
    try:
        time.sleep(0.15)
        a, b = f"{folder}/customer-{index}.png", f"{folder}/viewer-{index}.png"
        grabs = [grab(customer, a), grab(viewer, b)]
        for process in grabs:
            process.wait()
    finally:
        os.killpg(pgid, signal.SIGCONT)
    values.append(ssim(a, b))

report(values)
