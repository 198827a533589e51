"""Accessibility of every console view (issue 15): axe-core (shipped by PyPI's
axe-selenium-python) run by Selenium on the sign-in page, the empty console, a live session with
its remote desktop, the tool tabs, the history, and each dialog, in the light, dark and
high-contrast schemes. No serious or critical violation is allowed: names for every control,
roles that fit, contrast that passes WCAG AA."""
import pytest
from axe_selenium_python import Axe
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from conftest import XServer, start_active_session
from test_console_look import choose_theme
from test_console_session import select_row, sign_in

RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "best-practice"]}}


def serious_violations(browser, view):
    """axe-core's serious and critical findings on the page as it is now, worded for the report."""
    # axe reads the whole page: more than Selenium's default 30 s on a slow machine.
    browser.set_script_timeout(180)
    Axe(browser).inject()
    results = browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        axe.run(document, arguments[0]).then((r) => done(r.violations), (error) => done([{ id: 'axe-error', impact: 'critical',
          help: String(error), nodes: [] }]));""", RULES)
    return [f"{view}: {v['id']} ({v['impact']}): {v['help']} — {[node['target'] for node in v['nodes']][:5]}"
            for v in results if v["impact"] in ("serious", "critical")]


@pytest.fixture(scope="module")
def live(gateway_for_module, applets_for_module):
    screen = XServer()
    screen.run("xsetroot", "-solid", "#00a000")
    gateway = gateway_for_module
    session, applet, token = start_active_session(gateway, applets_for_module, "Axel", display=screen.display, remote_consent="accept")
    applet.say("Hello, my screen is frozen")
    waiting = gateway.api("POST", "sessions", {"name": "Wendy", "method": "pin"}, token=token, expect=201)[1]
    applets_for_module(gateway.url, "--pin", waiting["pin"]).expect("WELCOME")
    closed = gateway.api("POST", "sessions", {"name": "Cleo", "method": "pin"}, token=token, expect=201)[1]
    gateway.api("POST", f"sessions/{closed['id']}/end", token=token, expect=200)
    yield session
    screen.stop()


def open_dialog_and_check(browser, wait, button, dialog, close, view):
    browser.find_element(By.ID, button).click()
    wait.until(EC.visibility_of_element_located((By.ID, dialog)))
    found = serious_violations(browser, view)
    browser.find_element(By.ID, close).click()
    wait.until(EC.invisibility_of_element_located((By.ID, dialog)))
    return found


@pytest.mark.parametrize("theme", ["light", "dark", "contrast"])
def test_every_console_view_passes_axe(gateway_for_module, live, browser, theme):
    gateway = gateway_for_module
    browser.get(f"{gateway.url}/console/")
    wait = EC.visibility_of_element_located((By.ID, "login-email"))
    from selenium.webdriver.support.ui import WebDriverWait
    WebDriverWait(browser, 10).until(wait)
    found = serious_violations(browser, "sign-in")

    wait = sign_in(browser, gateway)
    if theme != "light":
        choose_theme(browser, wait, theme)
    found += serious_violations(browser, f"{theme} console, nothing selected")

    select_row(browser, wait, live["id"])
    wait.until(EC.element_to_be_clickable((By.ID, "remote-control"))).click()
    wait.until(lambda b: int(b.execute_script("return document.querySelector('#remote-screen canvas')?.dataset.frames ?? 0")) > 0)
    browser.find_element(By.CSS_SELECTOR, "#remote-settings > summary").click()
    found += serious_violations(browser, f"{theme} live session, remote desktop and its settings")
    browser.find_element(By.ID, "tool-notes").click()
    wait.until(EC.visibility_of_element_located((By.ID, "session-notes")))
    found += serious_violations(browser, f"{theme} notes tab")
    browser.find_element(By.ID, "tool-calling-card").click()
    found += serious_violations(browser, f"{theme} calling card tab (greyed)")
    browser.find_element(By.ID, "chat-collapse").click()
    browser.find_element(By.ID, "toggle-queue").click()
    found += serious_violations(browser, f"{theme} chat and list folded")
    browser.find_element(By.ID, "chat-collapse").click()
    browser.find_element(By.ID, "toggle-queue").click()

    browser.find_element(By.ID, "toggle-history").click()
    wait.until(lambda b: len(b.find_elements(By.CSS_SELECTOR, "#history-list tbody tr")) > 0)
    found += serious_violations(browser, f"{theme} history")

    found += open_dialog_and_check(browser, wait, "show-shortcuts", "shortcuts-dialog", "shortcuts-close", f"{theme} shortcuts")
    found += open_dialog_and_check(browser, wait, "new-session", "new-session-dialog", "new-session-cancel", f"{theme} new session")
    found += open_dialog_and_check(browser, wait, "open-options", "options-dialog", "options-cancel", f"{theme} options")
    found += open_dialog_and_check(browser, wait, "transfer-session", "transfer-dialog", "transfer-cancel", f"{theme} transfer")
    assert found == [], "\n".join(found)


def test_the_admin_center_passes_axe(gateway_for_module, live, browser):
    """The Admin Center's tree and every organisation tab, and a group's Permissions and Scripts tabs."""
    gateway = gateway_for_module
    token = gateway.login()
    group = gateway.api("POST", "admin/groups", {"name": "Axe group", "permissions": ["chat"]}, token=token, expect=201)[1]
    wait = sign_in(browser, gateway)
    found = []
    for tab in ["organisation", "settings", "channels", "calling-cards", "surveys", "reports", "audit"]:
        browser.get(f"{gateway.url}/admin/#/organisation/{tab}")
        wait.until(lambda b: b.execute_script("return document.querySelector('#object-tabs a[aria-current=page]')?.href ?? ''").endswith(tab))
        found += serious_violations(browser, f"admin {tab}")
    browser.get(f"{gateway.url}/admin/#/group/{group['id']}/permissions")
    wait.until(EC.visibility_of_element_located((By.ID, "group-permissions")))
    found += serious_violations(browser, "admin group permissions")
    browser.get(f"{gateway.url}/admin/#/group/{group['id']}/scripts")
    wait.until(EC.visibility_of_element_located((By.ID, "group-scripts-section")))
    found += serious_violations(browser, "admin group scripts")
    assert found == [], "\n".join(found)
