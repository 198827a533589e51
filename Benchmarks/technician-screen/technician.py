"""The technician's console for the technician-screen benchmark (H1): Chromium, not headless, on
the technician's display (DISPLAY), a small window in the bottom right corner so the kit's markers
at the top left are on the screen it shares. Signs in, selects the session, clicks Share screen
(the browser picks the entire screen by itself) and prints READY once sharing; waits until killed.
With `pictures`, the console is made to believe its browser has no WebCodecs: JPEG tiles, not VP8.

usage: technician.py GATEWAY_URL EMAIL PASSWORD SESSION_ID [video|pictures]
"""
import os
import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "remote-screen"))
from bench_console import signed_in_console, stay_until_killed  # noqa: E402

url, email, password, session_id = sys.argv[1:5]
mode = sys.argv[5] if len(sys.argv) > 5 else "video"
driver, wait = signed_in_console(url, email, password, [
    "--no-sandbox", "--disable-dev-shm-usage", "--window-size=800,450", "--window-position=1110,620", "--no-first-run",
    "--auto-select-desktop-capture-source=Entire screen", "--disable-gpu",
    "--user-data-dir=" + os.environ.get("CHROME_PROFILE", "/tmp/lifeline-bench-technician")], timeout=60)
wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, f"#session-list tr[data-session-id='{session_id}']"))).click()
if mode == "pictures":
    driver.execute_script("window.VideoEncoder = undefined;")
wait.until(EC.element_to_be_clickable((By.ID, "share-screen"))).click()
wait.until(lambda d: d.find_element(By.ID, "share-screen").get_attribute("aria-pressed") == "true")
print("READY", flush=True)
stay_until_killed(driver)
