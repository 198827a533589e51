"""Opens Lifeline's console in Chromium (kiosk, not headless) on the viewer display and shows a
session's remote desktop full screen at actual size, so the benchmark kit's probes can read it.

usage: viewer.py GATEWAY_URL EMAIL PASSWORD SESSION_ID [control|view]   (DISPLAY must be the viewer display)
"view" asks for the desktop view (a customer sharing from a browser offers only that).
LIFELINE_WEBCODECS=off hides WebCodecs' VideoDecoder from the console: the applet then sends JPEG tiles.
Prints READY when the customer's screen fills the display; then waits until killed.
"""
import os
import sys
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from bench_console import signed_in_console, stay_until_killed

url, email, password, session_id = sys.argv[1:5]
mode = sys.argv[5] if len(sys.argv) > 5 else "control"


def no_automation_bar(options):
    # No "controlled by automated test software" bar over the top of the screen.
    options.add_experimental_option("excludeSwitches", ["enable-automation"])


def without_webcodecs(driver):
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": "delete window.VideoDecoder;"})


driver, wait = signed_in_console(url, email, password, [
    "--no-sandbox", "--disable-dev-shm-usage", "--kiosk", "--window-position=0,0", "--window-size=1920,1080",
    "--no-first-run", "--disable-features=Translate,WebRtcHideLocalIpsWithMdns", "--allow-loopback-in-peer-connection",
    "--user-data-dir=" + os.environ.get("CHROME_PROFILE", "/tmp/lifeline-bench-chrome"), "--disable-infobars"],
    timeout=60, configure=no_automation_bar, prepare=without_webcodecs if os.environ.get("LIFELINE_WEBCODECS") == "off" else None)
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
print(f"READY transport={transport} webcodecs={driver.execute_script('return typeof VideoDecoder')}", flush=True)
stay_until_killed(driver)
