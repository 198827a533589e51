"""Technician monitoring (E1, E2) in two browsers: the administrator picks Una in Monitor
technician, a tab named after her shows her queue and her session's chat live (read only), Una
is told she is watched, the administrator joins her session as a colleague from there, and the
monitoring ends Closed by technician when Una signs out. Una's screen: asked by the administrator,
shared from her real (not headless) browser on her own display, its pixels in the administrator's view."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import click_when_ready, near, open_browser, start_active_session_as, technician_with
from test_console_session import row_status, select_row, sign_in

PERMISSIONS = ["start_private_sessions", "connect_by_pin", "chat", "hold_sessions"]


def test_the_administrator_watches_una_live_and_joins_her_session(gateway, browser, applets):
    admin = gateway.login()
    una = technician_with(gateway, PERMISSIONS, "una@e2e.test", "Una")
    session, applet = start_active_session_as(una, gateway, applets, "Vera")
    gateway.api("POST", f"sessions/{session['id']}/messages", {"text": "Hello Vera, I am looking"}, token=una, expect=201)

    una_browser = open_browser()
    try:
        una_wait = sign_in(una_browser, gateway, email="una@e2e.test", password="Una password 1")
        wait = sign_in(browser, gateway)

        # Monitor technician: filter, pick Una, start; a tab named after her opens.
        wait.until(EC.element_to_be_clickable((By.ID, "monitor-technician"))).click()
        wait.until(EC.visibility_of_element_located((By.ID, "monitor-filter"))).send_keys("un")
        wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "#monitor-list input[type=radio]"))).click()
        assert "Una" in browser.find_element(By.ID, "monitor-list").text
        browser.find_element(By.ID, "monitor-start").click()
        wait.until(EC.text_to_be_present_in_element((By.ID, "monitoring-tabs"), "Una · Active"))
        wait.until(EC.text_to_be_present_in_element((By.ID, "monitoring-title"), "Monitoring Una"))
        una_wait.until(EC.text_to_be_present_in_element((By.ID, "monitor-notice"), "Administrator (administrator) is monitoring your console."))

        # Her queue and the chat so far, then what she writes now, read only.
        wait.until(EC.text_to_be_present_in_element((By.ID, "monitoring-sessions"), "Vera"))
        wait.until(EC.text_to_be_present_in_element((By.ID, "monitoring-log"), "Hello Vera, I am looking"))
        gateway.api("POST", f"sessions/{session['id']}/messages", {"text": "Now try to print"}, token=una, expect=201)
        wait.until(EC.text_to_be_present_in_element((By.ID, "monitoring-log"), "Now try to print"))

        # E2: Join session; the administrator collaborates in Una's session, the customer is told.
        wait.until(EC.element_to_be_clickable((By.ID, "monitoring-join"))).click()
        wait.until(lambda b: row_status(b, session["id"]) == "Collaboration")
        applet.expect("COLLABORATOR", 'joined name="Administrator"')
        select_row(una_browser, una_wait, session["id"])
        una_wait.until(EC.text_to_be_present_in_element((By.ID, "colleague-list"), "Administrator · Collaboration"))

        # Una signs out: the monitoring is closed by her; ending it removes the tab.
        una_browser.find_element(By.ID, "logout").click()
        una_wait.until(EC.alert_is_present()).accept()
        wait.until(lambda b: click_when_ready(b, "#monitoring-tabs button"))
        wait.until(EC.text_to_be_present_in_element((By.ID, "monitoring-tabs"), "Una · Closed by technician"))
        wait.until(EC.element_to_be_clickable((By.ID, "monitoring-end"))).click()
        wait.until(EC.invisibility_of_element_located((By.ID, "monitoring-tabs")))
        assert gateway.api("GET", "monitorings", token=admin)[1] == []
    finally:
        una_browser.quit()


SCREEN_MARKER = (1100, 700)


def canvas_rgb(browser, x, y):
    return browser.execute_script(
        "const c = document.querySelector('#monitoring-screen canvas');"
        "if (!c || c.hidden || c.width <= arguments[0]) return null;"
        "const p = c.getContext('2d').getImageData(arguments[0], arguments[1], 1, 1).data; return [p[0], p[1], p[2]];", x, y)


def test_the_administrator_sees_unas_screen_once_she_shares_it(gateway, browser, technician_browser, technician_screen):
    admin = gateway.login()
    una = technician_with(gateway, PERMISSIONS, "una@e2e.test", "Una")
    una_id = gateway.api("GET", "me", token=una)[1]["id"]
    # Una's console runs in a real browser on her own display; she shares it when asked.
    una_wait = sign_in(technician_browser, gateway, email="una@e2e.test", password="Una password 1")
    wait = sign_in(browser, gateway)
    gateway.api("POST", "monitorings", {"technicianId": una_id}, token=admin, expect=201)
    wait.until(EC.text_to_be_present_in_element((By.ID, "monitoring-tabs"), "Una · Active"))
    wait.until(lambda b: click_when_ready(b, "#monitoring-tabs button"))

    # The administrator asks; Una is asked in her console and shares (her browser's picker agrees).
    wait.until(EC.element_to_be_clickable((By.ID, "monitoring-screen-ask"))).click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "monitoring-screen-status"), "Waiting for them to pick the screen"))
    una_wait.until(EC.text_to_be_present_in_element((By.ID, "monitor-screen-text"), "Administrator (administrator) asks to see your screen."))
    technician_browser.find_element(By.ID, "monitor-screen-share").click()
    una_wait.until(EC.text_to_be_present_in_element((By.ID, "monitor-screen-text"), "Administrator (administrator) sees your screen."))

    # Her screen's pixels in the administrator's view: the marker, then its new colour.
    watch = WebDriverWait(browser, 20)
    watch.until(lambda b: near(canvas_rgb(b, *SCREEN_MARKER), (0x10, 0x60, 0xe0)))
    assert browser.find_element(By.ID, "monitoring-screen-status").text == "Live"
    technician_screen.run("xsetroot", "-solid", "#e07010")
    watch.until(lambda b: near(canvas_rgb(b, *SCREEN_MARKER), (0xe0, 0x70, 0x10)))

    # The administrator stops watching it: her banner goes, the view offers to ask again.
    browser.find_element(By.ID, "monitoring-screen-stop").click()
    una_wait.until(EC.invisibility_of_element_located((By.ID, "monitor-screen-request")))
    wait.until(EC.element_to_be_clickable((By.ID, "monitoring-screen-ask")))
