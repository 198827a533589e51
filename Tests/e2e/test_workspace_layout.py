"""The technician's workspace (issue 15, C1/C4/D1) measured in a real browser: at 1280×800,
1920×1080 and 2560×1440, in English, German and Thai, with a live remote desktop from a real
applet on a 1920×1080 Xvfb screen; Arabic reads right to left, so the list and the chat sit
on the right there. The parts are where they belong (element rectangles), none
overlaps another, the page itself never scrolls, no label is cut off, and at 1920×1080 the
customer's screen at actual size takes at least 60 % of the window. Screenshots go to
docs/screenshots (the README shows them) or, for the other combinations, to a temporary folder."""
import os
import tempfile
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from conftest import ROOT, XServer, open_browser, start_active_session
from test_console_session import select_row, sign_in

SIZES = [(1280, 800), (1920, 1080), (2560, 1440)]
LANGUAGES = ["en", "de", "th", "ar"]
# The combinations kept in the repository's docs (the others are checked all the same).
DOCUMENTED = {("en", 1920, 1080), ("de", 1280, 800), ("th", 2560, 1440), ("ar", 1920, 1080)}
CUSTOMER_LINE = "مرحبا، الطابعة لا تعمل 🖨️ — can you look? " + "x" * 200


@pytest.fixture(scope="module")
def customer_screen():
    server = XServer(1920, 1080)
    server.run("xsetroot", "-solid", "#3060a0")
    server.run("xterm", "-geometry", "100x30+40+40", "-bg", "#202020", "-fg", "white", "-e", "sh")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def live_session(gateway_for_module, applets_for_module, customer_screen):
    gateway = gateway_for_module
    session, applet, token = start_active_session(gateway, applets_for_module, "Carla Customer", display=customer_screen.display,
                                                  remote_consent="accept")
    applet.say(CUSTOMER_LINE)
    gateway.api("POST", f"sessions/{session['id']}/messages", {"text": "Hello Carla, I am looking at it now."}, token=token, expect=201)
    return session


def measure(browser):
    """Rectangles of the workspace's parts, the page's scroll extent, and every control whose
    text does not fit its box."""
    return browser.execute_script("""
        const box = (selector) => {
          const element = document.querySelector(selector);
          if (!element || element.closest('[hidden]') || element.offsetParent === null) return null;
          const r = element.getBoundingClientRect();
          return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height };
        };
        const parts = {};
        for (const [name, selector] of Object.entries({
          header: '.topbar', commands: '.toolbar', queue: '#queue', tabs: '.active-tabs-bar', chat: '#chat-pane',
          toolbox: '#toolbox', toolTabs: '#toolbox-tabs', bar: '#remote-bar', screen: '#remote-screen',
          canvas: '#remote-screen canvas', control: '#remote-control'})) parts[name] = box(selector);
        const cut = [];
        for (const element of document.querySelectorAll('#console-view button, #console-view [role=tab], #console-view th, #console-view h2, #console-view label, #console-view .chat-log li')) {
          if (element.offsetParent === null || element.closest('[hidden], dialog')) continue;
          if (element.scrollWidth > element.clientWidth + 1 || element.scrollHeight > element.clientHeight + 1) {
            cut.push((element.id || element.className || element.tagName) + ': ' + element.textContent.trim().slice(0, 40));
          }
        }
        return { parts, cut, page: { scrollWidth: document.documentElement.scrollWidth, scrollHeight: document.documentElement.scrollHeight,
                 width: innerWidth, height: innerHeight } };
    """)


def overlap(a, b):
    """The area two rectangles share (a pixel of rounding allowed)."""
    width = min(a["right"], b["right"]) - max(a["left"], b["left"]) - 1
    height = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) - 1
    return max(0, width) * max(0, height)


def visible_area(inner, outer):
    """How much of `inner` shows through `outer` (the canvas through its scrolling screen)."""
    width = max(0, min(inner["right"], outer["right"]) - max(inner["left"], outer["left"]))
    height = max(0, min(inner["bottom"], outer["bottom"]) - max(inner["top"], outer["top"]))
    return width * height


def open_console(gateway, session, language, width, height):
    browser = open_browser()
    try:
        return browser, console_at_size(browser, gateway, session, language, width, height)
    except BaseException:
        browser.quit()  # not left running beside the next test's browser
        raise


def console_at_size(browser, gateway, session, language, width, height):
    # The page's own size, exactly: the window's frame is not part of it.
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
    wait = sign_in(browser, gateway, language=language)
    select_row(browser, wait, session["id"])
    wait.until(EC.element_to_be_clickable((By.ID, "remote-control"))).click()
    wait.until(lambda b: int(b.execute_script("return document.querySelector('#remote-screen canvas')?.dataset.frames ?? 0")) > 0)
    Select(browser.find_element(By.ID, "remote-scale")).select_by_value("actual")
    wait.until(lambda b: b.execute_script("return document.querySelector('#remote-screen canvas').style.width") == "1920px")
    return wait


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_workspace_gives_the_customers_screen_the_room(gateway_for_module, live_session, language):
    shots = Path(os.environ.get("LIFELINE_SCREENSHOTS") or tempfile.mkdtemp(prefix="lifeline-workspace-"))
    for width, height in SIZES:
        browser, wait = open_console(gateway_for_module, live_session, language, width, height)
        try:
            # The Arabic and emoji line wraps inside the chat.
            wait.until(EC.text_to_be_present_in_element((By.ID, "chat-log"), "الطابعة"))
            # Remote control started: the session list folded to a strip by itself.
            assert browser.find_element(By.ID, "toggle-queue").get_attribute("aria-expanded") == "false"
            found = measure(browser)
            folder = ROOT / "docs" / "screenshots" if (language, width, height) in DOCUMENTED else shots
            browser.save_screenshot(str(folder / f"workspace-{language}-{width}x{height}.png"))
            parts, page = found["parts"], found["page"]
            where = f"{language} {width}×{height}"
            assert page["width"] == width and page["height"] == height, where
            assert page["scrollWidth"] <= width and page["scrollHeight"] <= height, f"{where}: the page scrolls {page}"
            for name, part in parts.items():
                assert part is not None, f"{where}: {name} is not shown"
                if name != "canvas":
                    assert part["left"] >= -1 and part["right"] <= width + 1 and part["bottom"] <= height + 1, f"{where}: {name} {part}"
            # Side by side: the folded list, the chat, the toolbox; tabs above the workspace.
            for first, second in [("queue", "chat"), ("chat", "toolbox"), ("queue", "toolbox"), ("tabs", "chat"), ("tabs", "toolbox"),
                                  ("header", "commands"), ("commands", "queue"), ("bar", "screen"), ("toolTabs", "bar")]:
                assert overlap(parts[first], parts[second]) == 0, f"{where}: {first} overlaps {second}"
            if language == "ar":  # right to left: list, chat, toolbox from the right
                assert browser.execute_script("return document.documentElement.dir") == "rtl"
                assert parts["queue"]["left"] >= parts["chat"]["right"] and parts["chat"]["left"] >= parts["toolbox"]["right"], where
            else:
                assert parts["queue"]["right"] <= parts["chat"]["left"] <= parts["toolbox"]["left"], where
            assert parts["tabs"]["bottom"] <= parts["chat"]["top"] and parts["toolTabs"]["bottom"] <= parts["bar"]["top"], where
            # The remote toolbar is one line above the screen.
            assert parts["bar"]["bottom"] <= parts["screen"]["top"], where
            assert parts["bar"]["height"] < 2 * parts["control"]["height"], f"{where}: the toolbar wraps ({parts['bar']['height']} px)"
            assert found["cut"] == [], f"{where}: text cut off: {found['cut']}"
            share = visible_area(parts["canvas"], parts["screen"]) / (width * height)
            if (width, height) == (1920, 1080):
                assert share >= 0.60, f"{where}: the customer's screen takes {share:.0%} of the window"
        finally:
            browser.quit()


CONSOLE_LANGUAGES = ["en", "fr", "de", "es", "it", "ja", "ko", "nl", "pt-BR", "th", "zh", "zh-TW", "ar"]


def test_no_label_is_cut_off_in_any_console_language_at_1280(gateway_for_module, live_session):
    """Issue 15, item 5: at 1280×800 (the narrowest desktop), in each console
    languages (the manual's twelve and Arabic, right to left), the workspace with a session, the toolbox's tabs, the history and the Options and
    shortcuts dialogs show every label whole, and the page does not scroll."""
    problems = []
    for language in CONSOLE_LANGUAGES:
        browser = open_browser()
        try:
            browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": False})
            wait = sign_in(browser, gateway_for_module, language=language)
            select_row(browser, wait, live_session["id"])
            wait.until(EC.element_to_be_clickable((By.ID, "remote-control")))
            views = {"workspace": None, "notes tab": "tool-notes", "history": "toggle-history"}
            for view, button in views.items():
                if button:
                    browser.find_element(By.ID, button).click()
                found = measure(browser)
                page = found["page"]
                if page["scrollWidth"] > 1280 or page["scrollHeight"] > 800:
                    problems.append(f"{language} {view}: the page scrolls {page}")
                problems += [f"{language} {view}: {text}" for text in found["cut"]]
            for opener, dialog in [("open-options", "options-dialog"), ("show-shortcuts", "shortcuts-dialog")]:
                browser.find_element(By.ID, opener).click()
                wait.until(EC.visibility_of_element_located((By.ID, dialog)))
                cut = browser.execute_script("""
                    return [...document.querySelectorAll('dialog[open] button, dialog[open] label, dialog[open] legend, dialog[open] td, dialog[open] h2')]
                      .filter((e) => e.offsetParent !== null && (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1))
                      .map((e) => (e.id || e.tagName) + ': ' + e.textContent.trim().slice(0, 40));""")
                problems += [f"{language} {dialog}: {text}" for text in cut]
                browser.execute_script("document.querySelector('dialog[open]').close()")
        finally:
            browser.quit()
    assert problems == [], "\n".join(problems)
