"""A Lens call (issue 22) as the technician gets it, on this machine, from WebRTC statistics: a
phone (headless Chromium, a fake 720p camera playing a moving square, a tone for its microphone)
and a console (another Chromium) on loopback — the path straight between them, then relayed by a
real coturn with the gateway's per-session credentials — next to the peer: a bare WebRTC call of
the same camera between two RTCPeerConnections in one Chromium (no Lifeline, no gateway). Then the
tracking error of a drawing around the moving square.

    .venv/bin/python Benchmarks/lens/bench.py [seconds]      (needs a built gateway: LIFELINE_BIN_DIR)
"""
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Tests" / "e2e"))

from selenium.webdriver.common.by import By  # noqa: E402

from conftest import Gateway, free_port, open_browser  # noqa: E402
from test_lens import KEEP_STREAMS, TURN_SECRET, Coturn, lens_call, tone  # noqa: E402
from test_lens_tools import CONSOLE_NOW, DRAW_AROUND_THE_SQUARE, moving_square  # noqa: E402

WIDTH, HEIGHT, SQUARE = 1280, 720, 160
SECONDS = int(sys.argv[1]) if len(sys.argv) > 1 else 20


def sample(read, seconds):
    """Reads the statistics once a second for `seconds`: medians of fps, bit rate, round trip, jitter buffer."""
    rows = []
    previous = read()
    for _ in range(seconds):
        time.sleep(1)
        now = read()
        rows.append({**now, "bitrate": (float(now["videoBytes"]) - float(previous["videoBytes"])) * 8 / 1e6})
        previous = now
    median = lambda key: statistics.median(float(r[key]) for r in rows if r.get(key) not in (None, ""))
    return {"fps": median("videoFps"), "size": rows[-1]["videoSize"], "mbit": median("bitrate"),
            "rtt": median("roundTripMs") if any(r.get("roundTripMs") for r in rows) else None,
            "jitter": median("jitterBufferMs"), "path": rows[-1].get("path", "")}


def lifeline(gateway, folder, camera, seconds, track=False):
    phone = open_browser(camera_file=camera, audio_file=tone(folder))
    phone.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": KEEP_STREAMS})
    console = open_browser(fake_microphone=True)
    try:
        lens_call(gateway, phone, console, colour=None, width=None)
        bar = lambda: console.execute_script("return { ...document.getElementById('lens-call').dataset };")
        deadline = time.time() + 30
        while time.time() < deadline and not bar().get("videoSize"):
            time.sleep(0.5)
        time.sleep(3)
        figures = sample(bar, seconds)
        if track:
            figures["tracking"] = tracking(console, seconds)
        return figures
    finally:
        phone.quit()
        console.quit()


def tracking(console, seconds):
    """A circle around the square, then its place against the square's for `seconds`: (max, mean) px."""
    console.find_element(By.ID, "remote-whiteboard").click()
    deadline = time.time() + 10
    while time.time() < deadline and not console.execute_script(DRAW_AROUND_THE_SQUARE, SQUARE * 0.8):
        time.sleep(0.2)
    offsets = []
    end = time.time() + seconds
    while time.time() < end:
        now = console.execute_script(CONSOLE_NOW)
        if now["centre"] and now["shapes"]:
            shape, box = now["shapes"][0], now["shapes"][0]["box"]
            offsets.append(((box["x"] + box["width"] / 2 + shape["dx"]) * now["width"] - now["centre"]["x"],
                            (box["y"] + box["height"] / 2 + shape["dy"]) * now["height"] - now["centre"]["y"]))
        time.sleep(0.05)
    middle = (statistics.median(x for x, _ in offsets), statistics.median(y for _, y in offsets))
    errors = [((x - middle[0]) ** 2 + (y - middle[1]) ** 2) ** 0.5 for x, y in offsets]
    return max(errors), statistics.mean(errors), len(errors)


BARE_CALL = """
const [done] = [arguments[arguments.length - 1]];
const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 1280, height: 720, frameRate: 30 }, audio: true });
const a = new RTCPeerConnection(), b = new RTCPeerConnection();
a.onicecandidate = (e) => e.candidate && b.addIceCandidate(e.candidate);
b.onicecandidate = (e) => e.candidate && a.addIceCandidate(e.candidate);
const shown = document.createElement('video');
shown.muted = true; shown.autoplay = true; document.body.append(shown);
b.ontrack = (e) => { shown.srcObject = e.streams[0]; };
for (const track of stream.getTracks()) a.addTrack(track, stream);
await a.setLocalDescription(await a.createOffer());
await b.setRemoteDescription(a.localDescription);
await b.setLocalDescription(await b.createAnswer());
await a.setRemoteDescription(b.localDescription);
window.bare = b;
done(true);
"""


def bare(folder, camera, seconds, url):
    """The peer: the same camera in a plain WebRTC call inside one Chromium (on a page of `url`, a secure context)."""
    browser = open_browser(camera_file=camera, audio_file=tone(folder))
    try:
        browser.set_script_timeout(30)
        browser.get(url)
        script = BARE_CALL.replace("const [done] = [arguments[arguments.length - 1]];", "").replace("done(true);", "")
        browser.execute_async_script("const finish = arguments[arguments.length - 1]; (async () => { " + script
                                     + " })().then(() => finish(true), (error) => finish(String(error)));")
        time.sleep(3)
        read = lambda: browser.execute_async_script("""
            const done = arguments[arguments.length - 1];
            window.bare.getStats().then((stats) => {
              let v = null, pair = null;
              stats.forEach((r) => { if (r.type === 'inbound-rtp' && r.kind === 'video') v = r;
                                      if (r.type === 'candidate-pair' && r.nominated) pair = r; });
              done({ videoFps: v?.framesPerSecond ?? 0, videoSize: `${v?.frameWidth}x${v?.frameHeight}`, videoBytes: v?.bytesReceived ?? 0,
                     roundTripMs: pair?.currentRoundTripTime === undefined ? null : pair.currentRoundTripTime * 1000,
                     jitterBufferMs: v?.jitterBufferEmittedCount ? v.jitterBufferDelay / v.jitterBufferEmittedCount * 1000 : null,
                     path: 'in one browser' });
            });""")
        return sample(read, seconds)
    finally:
        browser.quit()


def main():
    folder = tempfile.mkdtemp(prefix="lifeline-lens-bench-")
    camera = moving_square(folder, (WIDTH, HEIGHT), SQUARE, noise=True)
    results = {}
    direct_dir = tempfile.mkdtemp(prefix="lifeline-lens-bench-gw-")
    gateway = Gateway(direct_dir, free_port()).start()
    try:
        results["Lifeline, direct"] = lifeline(gateway, folder, camera, SECONDS, track=True)
        results["peer: a bare WebRTC call in one Chromium"] = bare(folder, camera, SECONDS, gateway.url + "/")
    finally:
        gateway.stop()
    turn = Coturn(folder)
    relay_dir = tempfile.mkdtemp(prefix="lifeline-lens-bench-gw-")
    gateway = Gateway(relay_dir, free_port(), env={"LIFELINE_WEBRTC": "relay", "LIFELINE_TURN_URLS": f"turn:127.0.0.1:{turn.port}",
                                                   "LIFELINE_TURN_SECRET": TURN_SECRET}).start()
    try:
        results["Lifeline, relayed by coturn"] = lifeline(gateway, folder, camera, SECONDS)
    finally:
        gateway.stop()
        turn.stop()
    print(f"A Lens call at 720p, {SECONDS} s each (medians of one reading a second):")
    print("| what | path | fps | size | Mbit/s | round trip ms | jitter buffer ms |")
    print("|---|---|---|---|---|---|---|")
    for name, r in results.items():
        rtt = f"{r['rtt']:.1f}" if r["rtt"] is not None else "n/a"
        print(f"| {name} | {r['path']} | {r['fps']:.1f} | {r['size']} | {r['mbit']:.2f} | {rtt} | {r['jitter']:.1f} |")
    tracked = results["Lifeline, direct"]["tracking"]
    print(f"Tracking error of a drawing around the moving square: max {tracked[0]:.1f} px, mean {tracked[1]:.2f} px over {tracked[2]} pictures")
    for path in (folder, direct_dir, relay_dir):
        shutil.rmtree(path, ignore_errors=True)


if __name__ == "__main__":
    main()
