"""A colleague's console in headless Chromium for the several-viewers benchmark (issue 21): signs
in (so the lead can invite them), prints SIGNED_IN, then waits for the session to be theirs to
watch, opens its remote desktop and prints READY once the customer's whole screen is drawn. It
draws and acknowledges every update it gets, as a real console does, until killed.

usage: colleague.py GATEWAY_URL EMAIL PASSWORD SESSION_ID PROFILE_DIR
"""
import sys

from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from bench_console import signed_in_console, stay_until_killed

url, email, password, session_id, profile = sys.argv[1:6]
driver, wait = signed_in_console(url, email, password, [
    "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1920,1080", "--no-first-run",
    "--user-data-dir=" + profile], timeout=90)
print("SIGNED_IN", flush=True)
ROW = f"#session-list tr[data-session-id='{session_id}']"


def select_when_collaborating(d):
    """Clicks the session's row once it says Collaboration; the queue redraws rows, so each try finds it anew."""
    try:
        row = d.find_element(By.CSS_SELECTOR, ROW)
        if "Collaboration" not in row.text:
            return False
        row.click()
        return True
    except (StaleElementReferenceException, NoSuchElementException):
        return False


wait.until(select_when_collaborating)
wait.until(EC.element_to_be_clickable((By.ID, "tool-remote"))).click()
wait.until(lambda d: d.execute_script("const c = document.querySelector('#remote-screen canvas'); return c !== null && c.width === 1920"))
print("READY", flush=True)
stay_until_killed(driver)
