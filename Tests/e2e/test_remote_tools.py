"""The remote-control toolbar end to end (J5, J8, J10–J14, J16, the pointer): a real applet on a
private Xvfb display, the technician's console in headless Chromium, the gateway in between.
What the customer sees is read from the X screen itself (xwd), their clipboard with xclip."""
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from conftest import CANVAS_PIXELS
from test_remote_desktop import active_session_with_applet, ask_for_remote_control, canvas_pixel, wait_for_colour

RED = lambda r, g, b: r > 180 and g < 60 and b < 60
GREEN = lambda r, g, b: g > 120 and r < 60 and b < 60


def eventually(check, timeout=10, what="the condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def remote_started(gateway, browser, applets, x_server, mode="control"):
    session, applet = active_session_with_applet(gateway, applets, x_server, "accept")
    wait = ask_for_remote_control(browser, gateway, session) if mode == "control" else None
    if mode == "view":
        from test_console_session import select_row, sign_in
        wait = sign_in(browser, gateway)
        select_row(browser, wait, session["id"])
        wait.until(EC.element_to_be_clickable((By.ID, "remote-view"))).click()
    applet.expect("REMOTE_STARTED")
    wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#remote-screen canvas")))
    wait_for_colour(wait, browser, 100, 100, RED)
    return session, applet, wait


def ink_offsets(browser, points):
    """Selenium offsets on the ink layer of customer-screen points (from the centre of the part of
    the screen that is in view)."""
    return browser.execute_script("""
        const c = document.querySelector('#remote-screen .remote-canvas');
        c.scrollIntoView({ block: 'center' });
        const r = c.getBoundingClientRect();
        const top = Math.max(r.top, 0), bottom = Math.min(r.bottom, innerHeight);
        const left = Math.max(r.left, 0), right = Math.min(r.right, innerWidth);
        return arguments[0].map(([x, y]) => [Math.round(r.left + x * r.width / c.width - (left + right) / 2),
                                             Math.round(r.top + y * r.height / c.height - (top + bottom) / 2)]);""", points)


def drag_on_screen(browser, points):
    """Presses at the first customer-screen point, moves through the others and releases."""
    ink = browser.find_element(By.CSS_SELECTOR, "#remote-screen .remote-ink")
    offsets = ink_offsets(browser, points)
    chain = ActionChains(browser).move_to_element_with_offset(ink, *offsets[0]).click_and_hold()
    for dx, dy in offsets[1:]:
        chain = chain.move_to_element_with_offset(ink, dx, dy)
    chain.release().perform()


def test_clipboard_goes_both_ways(gateway, browser, applets, x_server):
    browser.execute_cdp_cmd("Browser.grantPermissions", {
        "origin": gateway.url, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    session, applet, wait = remote_started(gateway, browser, applets, x_server)

    # The customer copies: the text reaches the technician's clipboard.
    subprocess.Popen(["xclip", "-selection", "clipboard", "-i"], env={**os.environ, "DISPLAY": x_server.display},
                     stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).communicate(b"from the customer")
    wait.until(EC.text_to_be_present_in_element((By.ID, "remote-clipboard-note"), "17"))
    assert browser.execute_async_script(
        "navigator.clipboard.readText().then(arguments[0], () => arguments[0](null));") == "from the customer"

    # The technician pastes into the remote screen: the customer can paste the same text.
    browser.execute_script("""
        const data = new DataTransfer();
        data.setData('text/plain', 'from the technician');
        document.querySelector('#remote-screen canvas').dispatchEvent(
            new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));""")
    eventually(lambda: x_server.output("xclip", "-selection", "clipboard", "-o") == "from the technician",
               what="the customer's clipboard to hold the technician's text")

    # Sync off for this session: what the customer copies now stays on their side.
    from test_remote_desktop import open_remote_settings
    open_remote_settings(browser)
    browser.find_element(By.ID, "remote-clipboard").click()
    subprocess.Popen(["xclip", "-selection", "clipboard", "-i"], env={**os.environ, "DISPLAY": x_server.display},
                     stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).communicate(b"private!")
    time.sleep(1.5)
    assert browser.execute_async_script(
        "navigator.clipboard.readText().then(arguments[0], () => arguments[0](null));") == "from the customer"


def test_whiteboard_and_laser_show_on_the_customers_screen(gateway, browser, applets, x_server):
    session, applet, wait = remote_started(gateway, browser, applets, x_server)
    target = os.path.join(tempfile.mkdtemp(prefix="lifeline-ink-"), "typed.txt")
    assert GREEN(*x_server.screen_pixel(600, 300))

    browser.find_element(By.ID, "remote-whiteboard").click()
    drag_on_screen(browser, [(500, 300), (600, 300), (700, 300), (700, 400)])
    # The red pen is on the customer's real screen, and in the console.
    eventually(lambda: x_server.any_pixel_near(600, 300, RED), what="a red stroke on the X screen")
    eventually(lambda: x_server.any_pixel_near(700, 350, RED), what="the stroke's second segment")
    assert GREEN(*x_server.screen_pixel(600, 340)), "only the stroke is drawn"
    # The console shows what the customer's screen shows: the stroke comes back in the stream.
    wait.until(lambda b: any(RED(*pixel) for pixel in b.execute_script(CANVAS_PIXELS + """
        const data = canvasPixels(document.querySelector('#remote-screen canvas'), 597, 297, 7, 7);
        return Array.from({ length: 49 }, (_, i) => [data[i * 4], data[i * 4 + 1], data[i * 4 + 2]]);""")))

    # No control while drawing: a click and typing do not reach the customer's xterm.
    drag_on_screen(browser, [(100, 100)])
    ActionChains(browser).send_keys(f"echo no > {target}", Keys.ENTER).perform()
    time.sleep(1)
    assert not os.path.exists(target)

    browser.find_element(By.ID, "remote-clear").click()
    eventually(lambda: not x_server.any_pixel_near(600, 300, RED), what="the drawings to be cleared")
    # The dot in the middle of the screen's mouse trail at (100,100) was a stroke too; gone as well.
    assert RED(*x_server.screen_pixel(100, 100)), "the xterm is still there"

    # Laser pointer: a red dot where the technician points, gone when switched off.
    browser.find_element(By.ID, "remote-whiteboard").click()
    browser.find_element(By.ID, "remote-laser").click()
    ink = browser.find_element(By.CSS_SELECTOR, "#remote-screen .remote-ink")
    ActionChains(browser).move_to_element_with_offset(ink, *ink_offsets(browser, [(800, 600)])[0]).perform()
    ActionChains(browser).move_by_offset(1, 0).perform()
    eventually(lambda: x_server.any_pixel_near(800, 600, RED), what="the laser dot on the X screen")
    browser.find_element(By.ID, "remote-laser").click()
    eventually(lambda: not x_server.any_pixel_near(800, 600, RED, radius=8), what="the laser dot to go away")


def test_customer_pointer_is_shown_in_view_mode(gateway, browser, applets, x_server):
    session, applet, wait = remote_started(gateway, browser, applets, x_server, mode="view")
    x_server.output("xdotool", "mousemove", "300", "200")
    wait.until(lambda b: b.execute_script(
        "return document.querySelector('#remote-screen canvas').dataset.pointer") == "300,200")
    pointer = browser.find_element(By.CSS_SELECTOR, "#remote-screen .remote-pointer")
    assert pointer.is_displayed() and pointer.size["width"] > 0, "the customer's pointer is drawn"
    # View only: no whiteboard, laser, clipboard or keyboard tools (not even in the settings menu).
    from test_remote_desktop import open_remote_settings
    open_remote_settings(browser)
    assert browser.find_element(By.ID, "remote-quality").is_displayed()
    for tool in ["remote-whiteboard", "remote-laser", "remote-keyboard", "remote-clipboard"]:
        assert not browser.find_element(By.ID, tool).is_displayed()


def test_one_monitor_or_all(gateway, browser, applets, x_server):
    # Two RandR monitors side by side on one 1024×768 Xvfb screen.
    # The left one takes Xvfb's output, which otherwise has an automatic monitor of its own.
    x_server.output("xrandr", "--setmonitor", "left", "512/135x768/203+0+0", "screen")
    x_server.output("xrandr", "--setmonitor", "right", "512/135x768/203+512+0", "none")
    session, applet, wait = remote_started(gateway, browser, applets, x_server)
    monitors = Select(wait.until(EC.visibility_of_element_located((By.ID, "remote-monitor"))))
    assert [o.text for o in monitors.options] == ["All monitors", "left (512×768)", "right (512×768)"]
    monitors.select_by_value("1")
    wait.until(lambda b: b.execute_script("return document.querySelector('#remote-screen canvas').width") == 512)
    # The right monitor is the root's green; the xterm lives on the left one.
    wait_for_colour(wait, browser, 100, 100, GREEN)
    # Input lands on that monitor: a click at its (100, 150) moves the pointer to (612, 150).
    from test_remote_desktop import click_screen_point
    click_screen_point(browser, 100, 150)

    def on_the_right_monitor():
        location = dict(part.split(":") for part in x_server.output("xdotool", "getmouselocation").split()[:2])
        return abs(int(location["x"]) - 612) <= 3 and abs(int(location["y"]) - 150) <= 3
    eventually(on_the_right_monitor, what="the pointer on the right monitor")
    monitors.select_by_value("all")
    wait.until(lambda b: b.execute_script("return document.querySelector('#remote-screen canvas').width") == 1024)
    wait_for_colour(wait, browser, 100, 100, RED)


def test_recording_is_kept_with_the_session_as_webm(gateway, browser, applets, x_server):
    session, applet, wait = remote_started(gateway, browser, applets, x_server)
    browser.find_element(By.ID, "remote-record").click()
    applet.expect("RECORDING_STARTED")
    # Something happens on the screen while recording.
    x_server.run("xterm", "-geometry", "30x8+400+300", "-bg", "#0000c0", "-e", "sleep", "30")
    time.sleep(3)
    browser.find_element(By.ID, "remote-record").click()
    applet.expect("RECORDING_STOPPED")
    token = gateway.login()
    recordings = eventually(lambda: [r for r in gateway.api("GET", f"sessions/{session['id']}/recordings", token=token)[1]
                                     if r["endedAt"] and r["bytes"] > 0], what="a finished recording")
    assert recordings[0]["format"] == "webm-vp8"
    time.sleep(1)  # the last piece follows the stop
    request = urllib.request.Request(f"{gateway.url}/api/v1/sessions/{session['id']}/recordings/{recordings[0]['id']}",
                                     headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Content-Type"] == "video/webm"
        video = response.read()
    path = os.path.join(tempfile.mkdtemp(prefix="lifeline-recording-"), "recording.webm")
    with open(path, "wb") as file:
        file.write(video)
    probe = json.loads(subprocess.run(["ffprobe", "-v", "error", "-show_streams", "-of", "json", path],
                                      capture_output=True, text=True, timeout=30, check=True).stdout)
    video_streams = [s for s in probe["streams"] if s["codec_type"] == "video"]
    assert video_streams and video_streams[0]["codec_name"] == "vp8"
    assert (video_streams[0]["width"], video_streams[0]["height"]) == (1024, 768)
    texts = [e["text"] for e in gateway.api("GET", f"sessions/{session['id']}/log", token=token)[1]]
    assert any("started recording the screen" in text for text in texts)

    # Kept with the session: its history entry offers the recording after the session ends.
    gateway.api("POST", f"sessions/{session['id']}/end", token=token, expect=200)
    browser.find_element(By.ID, "toggle-history").click()
    wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, f"#history-list tr[data-session-id='{session['id']}']"))).click()
    link = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#history-recordings a")))
    assert link.get_attribute("href").endswith(f"/api/v1/sessions/{session['id']}/recordings/{recordings[0]['id']}")


def test_remote_layout_sends_the_physical_key(gateway, browser, applets, x_server):
    # The customer types on a German keyboard: the key labelled Y on a US keyboard gives "z".
    x_server.output("setxkbmap", "-layout", "de")
    folder = tempfile.mkdtemp(prefix="lifeline-layout-")
    target = os.path.join(folder, "typed.txt")
    x_server.run("xterm", "-geometry", "40x5+0+400", "-bg", "#c00000", "-e", "sh", "-c", f"cat > {target}")
    session, applet, wait = remote_started(gateway, browser, applets, x_server)
    from test_remote_desktop import click_screen_point, open_remote_settings
    click_screen_point(browser, 100, 430)
    open_remote_settings(browser)
    Select(browser.find_element(By.ID, "remote-keyboard")).select_by_value("remote")
    ActionChains(browser).send_keys("zy", Keys.ENTER).perform()
    eventually(lambda: os.path.exists(target) and open(target).read() == "yz\n", what="the German layout's letters")
    # Local layout sends the characters themselves.
    open_remote_settings(browser)
    Select(browser.find_element(By.ID, "remote-keyboard")).select_by_value("local")
    click_screen_point(browser, 100, 430)
    ActionChains(browser).send_keys("zy", Keys.ENTER).perform()
    eventually(lambda: open(target).read() == "yz\nzy\n", what="the technician's characters")


def test_magnifier_and_detached_window(gateway, browser, applets, x_server):
    browser.set_window_size(900, 800)  # the screen is shown scaled down
    session, applet, wait = remote_started(gateway, browser, applets, x_server)
    browser.find_element(By.ID, "remote-magnifier").click()
    from test_remote_desktop import click_screen_point
    canvas = browser.find_element(By.CSS_SELECTOR, "#remote-screen canvas")
    assert canvas.size["width"] < 1024, "fit to window scales the screen down"
    ActionChains(browser).move_to_element(canvas).move_by_offset(1, 1).perform()
    lens = browser.find_element(By.CSS_SELECTOR, "#remote-screen .remote-lens")
    wait.until(lambda b: lens.is_displayed())
    # The lens shows the customer's pixels at actual size around the pointer.
    centre = browser.execute_script("""
        const lens = document.querySelector('#remote-screen .remote-lens');
        return Array.from(lens.getContext('2d').getImageData(120, 80, 1, 1).data).slice(0, 3);""")
    assert GREEN(*centre) or RED(*centre)

    main = browser.current_window_handle
    browser.find_element(By.ID, "remote-detach").click()
    wait.until(lambda b: len(b.window_handles) == 2)
    browser.switch_to.window([h for h in browser.window_handles if h != main][0])
    frames = int(browser.execute_script("return document.querySelector('.remote-canvas').dataset.frames"))
    x_server.run("xterm", "-geometry", "20x5+600+500", "-bg", "#0000c0", "-e", "sleep", "30")
    wait.until(lambda b: int(b.execute_script("return document.querySelector('.remote-canvas').dataset.frames")) > frames)
    browser.find_element(By.ID, "remote-dock").click()
    browser.switch_to.window(main)
    wait.until(lambda b: len(b.window_handles) == 1)
    wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#remote-screen canvas")))
    assert canvas_pixel(browser, 100, 100) is not None


def test_key_combinations_arrive_as_real_key_presses(gateway, browser, applets, x_server):
    session, applet, wait = remote_started(gateway, browser, applets, x_server)
    logger = subprocess.Popen([sys.executable, os.path.join(os.path.dirname(__file__), "keylogger.py")],
                              env={**os.environ, "DISPLAY": x_server.display}, stdout=subprocess.PIPE, text=True)
    lines = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line.strip()) for line in logger.stdout], daemon=True).start()
    next_line = lambda: lines.get(timeout=10)
    try:
        assert next_line() == "ready"
        expected = {
            "ctrl-alt-del": ["press Control_L", "press Alt_L", "press Delete", "release Delete", "release Alt_L", "release Control_L"],
            "alt-tab": ["press Alt_L", "press Tab", "release Tab", "release Alt_L"],
            "super": ["press Super_L", "release Super_L"],
            "print": ["press Print", "release Print"],
        }
        for combo, keys in expected.items():
            Select(browser.find_element(By.ID, "remote-keys")).select_by_value(combo)
            assert [next_line() for _ in keys] == keys, combo
    finally:
        logger.kill()
