"""What the benchmarks' browser consoles share: Chromium started with the given arguments,
Lifeline's console opened and signed in, and a wait until the benchmark kills the process."""
import os
import signal
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait


def signed_in_console(url, email, password, arguments, timeout, configure=None, prepare=None):
    """Returns (driver, wait) on the console of `url`, signed in as `email`; `prepare(driver)` runs
    before the console is opened."""
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for argument in arguments:
        options.add_argument(argument)
    if configure:
        configure(options)
    driver = webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)
    wait = WebDriverWait(driver, timeout)
    if prepare:
        prepare(driver)
    driver.get(f"{url}/console/")
    wait.until(EC.visibility_of_element_located((By.ID, "login-email"))).send_keys(email)
    driver.find_element(By.ID, "login-password").send_keys(password)
    driver.find_element(By.ID, "login-submit").click()
    wait.until(EC.visibility_of_element_located((By.ID, "console-view")))
    return driver, wait


def stay_until_killed(driver):
    # A benchmark's kill (SIGTERM) quits the browser too, so the next console starts on a clean machine.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        while True:
            time.sleep(3600)
    finally:
        driver.quit()
