"""A customer without the applet: Chromium on the customer's display types the PIN, picks "Show my
screen from this browser" and shares the entire screen when the technician asks (the browser's
picker answered by --auto-select-desktop-capture-source, as the customer would click it).

usage: customer.py GATEWAY_URL PIN   (DISPLAY must be the customer's display)
Prints SHARING once the screen is shared; then waits until killed.
"""
import os
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

url, pin = sys.argv[1:3]
options = webdriver.ChromeOptions()
options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
for argument in ["--no-sandbox", "--disable-dev-shm-usage", "--window-position=0,0", "--window-size=800,600", "--no-first-run",
                 "--auto-select-desktop-capture-source=Entire screen",
                 # Two browsers on one machine: their addresses, not mDNS names (see Tests/e2e/conftest.py).
                 "--disable-features=WebRtcHideLocalIpsWithMdns", "--allow-loopback-in-peer-connection",
                 "--user-data-dir=" + os.environ.get("CHROME_PROFILE", "/tmp/lifeline-bench-customer")]:
    options.add_argument(argument)
driver = webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)
wait = WebDriverWait(driver, 120)
driver.get(f"{url}/")
wait.until(EC.visibility_of_element_located((By.ID, "pin-input"))).send_keys(pin)
driver.find_element(By.ID, "pin-submit").click()
wait.until(EC.element_to_be_clickable((By.ID, "start-browser-screen"))).click()
print("JOINED", flush=True)
wait.until(EC.element_to_be_clickable((By.ID, "screen-share"))).click()
wait.until(EC.visibility_of_element_located((By.ID, "screen-sharing")))
print("SHARING", flush=True)
try:
    while True:
        time.sleep(3600)
finally:
    driver.quit()
