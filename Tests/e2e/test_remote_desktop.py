"""Remote control (J1, J2) end to end: a real applet on a private Xvfb display with an xterm,
the technician's console in headless Chromium, the gateway in between."""
import os
import re
import tempfile
import time

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC

from conftest import CANVAS_PIXELS
from test_console_session import select_row, sign_in

# The xterm's red background and the X root's green tell the two apart on the console's canvas.
XTERM = ("xterm", "-geometry", "80x24+0+0", "-bg", "#c00000", "-fg", "white", "-e", "sh")


def active_session_with_applet(gateway, applets, x_server, consent):
    token = gateway.login()
    x_server.run("xsetroot", "-solid", "#00a000")
    x_server.run(*XTERM)
    session = gateway.api("POST", "sessions", {"name": "Dana", "method": "pin"}, token=token, expect=201)[1]
    applet = applets(gateway.url, "--pin", session["pin"], display=x_server.display, remote_consent=consent)
    applet.expect("WELCOME")
    gateway.api("POST", f"sessions/{session['id']}/start", token=token, expect=200)
    return session, applet


def ask_for_remote_control(browser, gateway, session):
    """Signs in, selects the session and clicks Remote control; returns the page's waiter."""
    wait = sign_in(browser, gateway)
    select_row(browser, wait, session["id"])
    wait.until(EC.element_to_be_clickable((By.ID, "remote-control"))).click()
    return wait


def open_remote_settings(browser):
    """Opens the remote toolbar's settings menu (quality, keyboard layout, clipboard sync)."""
    if browser.find_element(By.ID, "remote-settings").get_attribute("open") is None:
        browser.find_element(By.CSS_SELECTOR, "#remote-settings > summary").click()


def click_screen_point(browser, x, y):
    """Clicks the canvas where it shows the customer's screen point (x, y). Selenium offsets are
    from the centre of the element's visible part, which the page layout may cut."""
    canvas = browser.find_element(By.CSS_SELECTOR, "#remote-screen canvas")
    dx, dy = browser.execute_script("""
        const c = arguments[0];
        c.scrollIntoView({ block: 'center' });
        const r = c.getBoundingClientRect();
        const top = Math.max(r.top, 0), bottom = Math.min(r.bottom, innerHeight);
        const left = Math.max(r.left, 0), right = Math.min(r.right, innerWidth);
        const tx = r.left + arguments[1] * r.width / c.width, ty = r.top + arguments[2] * r.height / c.height;
        return [tx - (left + right) / 2, ty - (top + bottom) / 2];""", canvas, x, y)
    ActionChains(browser).move_to_element_with_offset(canvas, int(dx), int(dy)).click().perform()


def typed_into_xterm(browser):
    """Clicks into the xterm (screen point 100,100) and types a command as a technician would;
    whether the customer's shell ran it within 10 s."""
    target = os.path.join(tempfile.mkdtemp(prefix="lifeline-remote-"), "typed.txt")
    click_screen_point(browser, 100, 100)
    ActionChains(browser).send_keys(f"echo ok > {target}", Keys.ENTER).perform()
    deadline = time.time() + 10
    while time.time() < deadline and not (os.path.exists(target) and open(target).read() == "ok\n"):
        time.sleep(0.1)
    return os.path.exists(target) and open(target).read() == "ok\n"


def canvas_pixel(browser, x, y, canvas="#remote-screen canvas"):
    return browser.execute_script(
        CANVAS_PIXELS + "const c = document.querySelector(arguments[2]);"
        "if (!c || c.width === 0) return null;"
        "return Array.from(canvasPixels(c, arguments[0], arguments[1], 1, 1)).slice(0, 3);", x, y, canvas)


def wait_for_colour(wait, browser, x, y, predicate, canvas="#remote-screen canvas"):
    wait.until(lambda b: (p := canvas_pixel(b, x, y, canvas)) is not None and predicate(*p))


def test_technician_types_into_the_customers_xterm(gateway, browser, applets, x_server):
    session, applet = active_session_with_applet(gateway, applets, x_server, "accept")
    wait = ask_for_remote_control(browser, gateway, session)
    applet.expect("REMOTE_STARTED", "mode=control")
    wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#remote-screen canvas")))
    # The canvas is the customer's screen: the xterm red at its top left, the root green elsewhere.
    wait_for_colour(wait, browser, 100, 100, lambda r, g, b: r > 150 and g < 60 and b < 60)
    wait_for_colour(wait, browser, 900, 700, lambda r, g, b: g > 120 and r < 60 and b < 60)
    assert browser.execute_script("const c = document.querySelector('#remote-screen canvas'); return [c.width, c.height];") == [1024, 768]

    assert typed_into_xterm(browser), "the keystrokes reached the customer's xterm"

    # Very low colour quality (J7) sends grayscale: the red xterm turns gray on the canvas once redrawn.
    from selenium.webdriver.support.ui import Select
    open_remote_settings(browser)
    Select(browser.find_element(By.ID, "remote-quality")).select_by_value("very_low")
    x_server.run("xterm", "-geometry", "20x5+0+0", "-bg", "#c00000", "-e", "sleep", "30")
    wait_for_colour(wait, browser, 60, 30, lambda r, g, b: abs(r - g) < 20 and abs(g - b) < 20 and r > 40)

    # Screenshot (J15): permitted, logged in the session, saved by the browser.
    browser.find_element(By.ID, "remote-screenshot").click()
    gateway.wait_for_log_line(session["id"], "Administrator took a screenshot of the customer's screen.", gateway.login(), timeout=5)

    # The red X ends it; the session stays active.
    browser.find_element(By.ID, "remote-stop").click()
    applet.expect("REMOTE_ENDED")
    wait.until(EC.invisibility_of_element_located((By.ID, "remote-screen")))
    assert gateway.api("GET", f"sessions/{session['id']}", token=gateway.login())[1]["state"] == "active"


def test_denied_consent_shares_nothing(gateway, browser, applets, x_server):
    session, applet = active_session_with_applet(gateway, applets, x_server, "deny")
    wait = ask_for_remote_control(browser, gateway, session)
    applet.expect("REMOTE_DENIED")
    wait.until(EC.text_to_be_present_in_element((By.ID, "remote-status"), "refused"))
    assert not browser.find_element(By.ID, "remote-screen").is_displayed()
    assert canvas_pixel(browser, 10, 10) is None, "no frame was drawn"


def test_customer_takes_back_control_within_a_second(gateway, browser, applets, x_server):
    session, applet = active_session_with_applet(gateway, applets, x_server, "accept")
    wait = ask_for_remote_control(browser, gateway, session)
    applet.expect("REMOTE_STARTED")
    wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#remote-screen canvas")))
    started = time.time()
    applet.say("/stop")
    wait.until(EC.invisibility_of_element_located((By.ID, "remote-screen")))
    assert time.time() - started < 1.5
    assert "took back control" in browser.find_element(By.ID, "remote-status").text


RED = lambda r, g, b: r > 150 and g < 60 and b < 60  # noqa: E731 (the xterm)
GREEN = lambda r, g, b: g > 120 and r < 60 and b < 60  # noqa: E731 (the root)


def xterm_on_the_console(gateway, browser, applets, x_server):
    """Remote control running, the console showing the red xterm at the top left and the green
    root beside it; returns the page's waiter and the applet."""
    session, applet = active_session_with_applet(gateway, applets, x_server, "accept")
    wait = ask_for_remote_control(browser, gateway, session)
    applet.expect("REMOTE_STARTED")
    wait_for_colour(wait, browser, 100, 100, RED)
    wait_for_colour(wait, browser, 700, 500, GREEN)
    return wait, applet


def test_a_moved_window_is_drawn_where_it_lands(gateway, browser, applets, x_server):
    wait, _ = xterm_on_the_console(gateway, browser, applets, x_server)
    import subprocess
    env = {**os.environ, "DISPLAY": x_server.display}
    window = subprocess.run(["xdotool", "search", "--class", "xterm"], env=env, capture_output=True, text=True,
                            timeout=10).stdout.split()[0]
    subprocess.run(["xdotool", "windowmove", window, "600", "400"], env=env, check=True, timeout=10)
    # The window's old place shows the root again, its new place shows the window.
    wait_for_colour(wait, browser, 100, 100, GREEN)
    wait_for_colour(wait, browser, 700, 500, RED)


def test_chat_window_over_the_full_screen_desktop(gateway, browser, applets, x_server):
    session, applet = active_session_with_applet(gateway, applets, x_server, "accept")
    wait = ask_for_remote_control(browser, gateway, session)
    wait_for_colour(wait, browser, 10, 10, lambda r, g, b: r > 150 and g < 60)
    browser.find_element(By.ID, "remote-fullscreen").click()
    wait.until(lambda b: b.execute_script("return document.fullscreenElement?.id") == "remote-screen")
    wait.until(EC.element_to_be_clickable((By.ID, "floating-chat-toggle"))).click()
    box = wait.until(EC.visibility_of_element_located((By.ID, "floating-chat-input")))
    applet.say("Are you in?")
    wait.until(EC.text_to_be_present_in_element((By.ID, "floating-chat"), "Are you in?"))
    box.send_keys("Yes, on your screen now\n")
    applet.expect("CHAT", "Yes, on your screen now")
    # What was typed in the chat window did not reach the customer's xterm as keys.
    assert browser.execute_script("return document.fullscreenElement?.id") == "remote-screen"
    browser.execute_script("document.exitFullscreen()")
    wait.until(EC.invisibility_of_element_located((By.ID, "floating-chat")))


def test_a_french_console_says_why_the_remote_desktop_ended_in_french(gateway, applets, x_server):
    """Issue 14, item 25: a hold ends the remote desktop and the French console says so in French
    (it read "Bureau à distance terminé : The session is on hold."), with its times as French
    writes them (14:05, not 02:05 PM)."""
    from conftest import open_browser
    session, applet = active_session_with_applet(gateway, applets, x_server, "accept")
    token = gateway.login()
    browser = open_browser()
    try:
        wait = sign_in(browser, gateway, language="fr")
        select_row(browser, wait, session["id"])
        wait.until(EC.element_to_be_clickable((By.ID, "remote-control"))).click()
        wait.until(lambda _: log_has(gateway, token, session, "remote_control_accepted"))
        applet.say("Bonjour")
        gateway.api("POST", f"sessions/{session['id']}/hold", token=token, expect=200)
        # The bar folds away with the hold; what it says is read from the page, shown or not.
        expected = "Bureau à distance terminé. La session est maintenant : En attente (mise en attente)."
        wait.until(lambda b: b.find_element(By.ID, "remote-status").get_attribute("textContent") == expected)
        times = [element.text for element in browser.find_elements(By.CSS_SELECTOR, "#chat-log .time")]
        assert times and all(re.fullmatch(r"\d{2}:\d{2}", text) for text in times), times
    finally:
        browser.quit()


def test_a_busy_console_page_never_holds_a_frame_back(gateway, browser, applets, x_server):
    """Issue 23: the screen's worker gets the customer's screen on a socket of its own
    (/ws/screens), so while the console's page is busy (a long script: a huge chat history, a
    redrawn queue) a change on the customer's screen is still drawn then, not once the page is free."""
    session, applet = active_session_with_applet(gateway, applets, x_server, "accept")
    wait = ask_for_remote_control(browser, gateway, session)
    applet.expect("REMOTE_STARTED", "mode=control")
    wait_for_colour(wait, browser, 900, 700, lambda r, g, b: g > 120 and r < 60 and b < 60)
    wait.until(lambda b: b.execute_script("return document.querySelector('#remote-screen canvas').dataset.ownSocket") == "true")
    # The page's main thread is held for four seconds, from half a second on (WebDriver answers
    # through that thread: the script returns before it is held).
    browser.execute_script("""
        const busyFor = arguments[0];
        setTimeout(() => {
          window.busyStarted = Date.now();
          const end = performance.now() + busyFor;
          while (performance.now() < end) { /* busy */ }
          window.busyEnded = Date.now();
        }, 500);""", 4000)
    time.sleep(1.5)
    changed_at = time.time() * 1000
    x_server.run("xsetroot", "-solid", "#0000c0")
    # Answered once the page is free again.
    busy_started, busy_ended = wait.until(lambda b: b.execute_script("return window.busyEnded && [window.busyStarted, window.busyEnded]"))
    assert busy_started < changed_at < busy_ended, "the screen changed while the page was busy"
    drawn = browser.execute_script("return document.querySelector('#remote-screen canvas').dataset.ownSocketDrawnAt")
    drawn_at = [int(at) for at in drawn.split()]
    assert any(changed_at < at < busy_ended for at in drawn_at), (
        f"a frame was drawn while the page was busy (changed at {changed_at:.0f}, free at {busy_ended}; drawn at {drawn_at})")
    wait_for_colour(wait, browser, 900, 700, lambda r, g, b: b > 150 and r < 60 and g < 60)

    # The desktop ends: the worker's socket closes with it; asked again, it opens again and draws.
    own_socket = "return document.querySelector('#remote-screen canvas')?.dataset.ownSocket ?? null"
    browser.find_element(By.ID, "remote-stop").click()
    applet.expect("REMOTE_ENDED")
    wait.until(lambda b: b.execute_script(own_socket) == "false")
    wait.until(EC.element_to_be_clickable((By.ID, "remote-control"))).click()
    applet.expect("REMOTE_STARTED", "mode=control")
    wait.until(lambda b: b.execute_script(own_socket) == "true")
    x_server.run("xsetroot", "-solid", "#c0c000")
    wait_for_colour(wait, browser, 900, 700, lambda r, g, b: r > 150 and g > 150 and b < 60)


def test_view_desktop_can_switch_to_remote_control(gateway, browser, applets, x_server):
    """Issue 14, item 20: after View desktop, Remote control is offered at once (it stayed greyed
    until the view was ended); the customer is asked for control and it runs."""
    session, applet = active_session_with_applet(gateway, applets, x_server, "accept")
    token = gateway.login()
    wait = sign_in(browser, gateway)
    select_row(browser, wait, session["id"])
    wait.until(EC.element_to_be_clickable((By.ID, "remote-view"))).click()
    wait.until(lambda _: log_has(gateway, token, session, "desktop_view_accepted"))
    wait.until(EC.element_to_be_clickable((By.ID, "remote-control"))).click()
    wait.until(lambda _: log_has(gateway, token, session, "remote_control_accepted"))


def log_has(gateway, token, session, code):
    """Whether the session's log has a line with that event code."""
    lines = gateway.api("GET", f"sessions/{session['id']}/log", token=token)[1]
    return any((line.get("event") or {}).get("code") == code for line in lines)


# Top-level windows made, shown and closed as fast as X allows, a few alive at a time (a browser's
# popups and tooltips do the same): some close between the applet's listing of the windows and its
# look at one of them.
WINDOW_CHURN = r"""
import collections, ctypes, sys, time
x = ctypes.CDLL("libX11.so.6")
x.XOpenDisplay.restype = ctypes.c_void_p
x.XOpenDisplay.argtypes = [ctypes.c_char_p]
x.XDefaultRootWindow.restype = ctypes.c_ulong
x.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
x.XCreateSimpleWindow.restype = ctypes.c_ulong
x.XCreateSimpleWindow.argtypes = [ctypes.c_void_p, ctypes.c_ulong] + [ctypes.c_int] * 2 + [ctypes.c_uint] * 3 + [ctypes.c_ulong] * 2
for name in ("XMapWindow", "XDestroyWindow"):
    getattr(x, name).argtypes = [ctypes.c_void_p, ctypes.c_ulong]
x.XFlush.argtypes = [ctypes.c_void_p]
display = x.XOpenDisplay(None)
root = x.XDefaultRootWindow(display)
alive = collections.deque()
end, made = time.time() + float(sys.argv[1]), 0
while time.time() < end:
    window = x.XCreateSimpleWindow(display, root, 300 + made % 400, 300 + made % 200, 40, 40, 0, 0, 0x0000FF)
    x.XMapWindow(display, window)
    alive.append(window)
    if len(alive) > 4:
        x.XDestroyWindow(display, alive.popleft())
    x.XFlush(display)
    made += 1
print(made)
"""


def test_windows_closing_while_the_applet_looks_do_not_end_it(gateway, browser, applets, x_server):
    """A window closed between the applet's listing of the windows and its look at it is an X
    error (BadWindow); Xlib's default handler ended the applet with it, in the middle of the
    session, when a customer's browser closed a popup. The applet ignores it and streams on."""
    import subprocess
    import sys
    wait, applet = xterm_on_the_console(gateway, browser, applets, x_server)
    churn = subprocess.run([sys.executable, "-c", WINDOW_CHURN, "6"], env={**os.environ, "DISPLAY": x_server.display},
                           capture_output=True, text=True, timeout=30)
    assert churn.returncode == 0, churn.stderr
    assert int(churn.stdout) > 1000, "windows were made and closed quickly"
    assert applet.process.poll() is None, "the applet is still running"
    # And the screen still streams: the moved xterm is drawn where it lands.
    window = x_server.output("xdotool", "search", "--class", "xterm").split()[0]
    x_server.output("xdotool", "windowmove", window, "600", "400")
    wait_for_colour(wait, browser, 100, 100, GREEN)
    wait_for_colour(wait, browser, 700, 500, RED)
