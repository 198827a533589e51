"""Opens Lifeline's console in Chromium (kiosk, not headless) on the viewer display and shows a
session's remote desktop full screen at actual size, so the benchmark kit's probes can read it.

usage: viewer.py GATEWAY_URL EMAIL PASSWORD SESSION_ID [control|view]   (DISPLAY must be the viewer display)
"view" asks for the desktop view (a customer sharing from a browser offers only that).
LIFELINE_WEBCODECS=off hides WebCodecs' VideoDecoder from the console: the applet then sends JPEG tiles.
LIFELINE_RENDERER=page hides OffscreenCanvas: the console draws the screen on the page, not in a worker.
LIFELINE_BUSY_CONSOLE=1 keeps the console's page busy 20 ms in every 50 (as a console re-rendering a
long queue or chat might), to see whether frames wait for it.
Prints READY when the customer's screen fills the display; then waits until killed.
"""
import os
import sys
import tempfile
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from bench_console import signed_in_console, stay_until_killed

url, email, password, session_id = sys.argv[1:5]
mode = sys.argv[5] if len(sys.argv) > 5 else "control"


def no_automation_bar(options):
    # No "controlled by automated test software" bar over the top of the screen.
    options.add_experimental_option("excludeSwitches", ["enable-automation"])


def prepare(driver):
    scripts = []
    if os.environ.get("LIFELINE_WEBCODECS") == "off":
        scripts.append("delete window.VideoDecoder;")
    if os.environ.get("LIFELINE_RENDERER") == "page":
        scripts.append("delete window.OffscreenCanvas;")
    if os.environ.get("LIFELINE_BUSY_CONSOLE") == "1":
        scripts.append("setInterval(() => { const end = performance.now() + 20; while (performance.now() < end); }, 50);")
    if scripts:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": "\n".join(scripts)})


driver, wait = signed_in_console(url, email, password, [
    "--no-sandbox", "--disable-dev-shm-usage", "--kiosk", "--window-position=0,0", "--window-size=1920,1080",
    "--no-first-run", "--disable-features=Translate,WebRtcHideLocalIpsWithMdns", "--allow-loopback-in-peer-connection",
    "--user-data-dir=" + os.environ.get("CHROME_PROFILE", os.path.join(tempfile.gettempdir(), "lifeline-bench-chrome")), "--disable-infobars"],
    timeout=60, configure=no_automation_bar, prepare=prepare)
row = wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, f"#session-list tr[data-session-id='{session_id}']")))
row.click()
wait.until(EC.element_to_be_clickable((By.ID, f"remote-{mode}"))).click()
wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#remote-screen canvas")))
wait.until(lambda d: d.execute_script("return document.querySelector('#remote-screen canvas').width") == 1920)
wait.until(EC.element_to_be_clickable((By.ID, "remote-fullscreen"))).click()
wait.until(lambda d: d.execute_script("return document.fullscreenElement !== null"))
time.sleep(6)  # the "press Esc to exit full screen" bubble fades
# Which way the screen comes: straight from a customer's browser (WebRTC), or through the gateway.
transport = driver.execute_script("return document.querySelector('#remote-screen canvas').dataset.transport") or "gateway"
renderer = driver.execute_script("return document.querySelector('#remote-screen canvas').dataset.renderer")
print(f"READY transport={transport} webcodecs={driver.execute_script('return typeof VideoDecoder')} renderer={renderer}", flush=True)
stay_until_killed(driver)
