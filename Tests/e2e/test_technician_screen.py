"""The technician shows their own screen to the customer (H1): the console runs in a real (not
headless) Chromium on the technician's own Xvfb display, which shares it with getDisplayMedia; the
real applet opens a window on the customer's Xvfb display and shows those pixels, and their change,
and a second screen the technician adds, which the customer switches to with Tab;
the customer closes the window with Q, the console's button comes back and the session goes on.
As VP8 video where the browser has WebCodecs, as JPEG tiles where it has not."""
import subprocess

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import near, start_active_session
from test_console_session import select_row, sign_in

TECHNICIAN_SCREEN = (1280, 800)
# The technician's browser covers the top left; this point shows their X root's colour, the marker.
MARKER = (1100, 700)
# The customer's screen is 1024x768: the applet's window sizes the 1280x800 picture to fit 4/5 of
# it (819 wide, so 1.5625 picture pixels per window pixel) at the top left.
SHOWN_AT = (int(MARKER[0] / 1.5625), int(MARKER[1] / 1.5625))


def test_the_technician_shows_their_screen_and_the_customer_closes_it(gateway, technician_browser, technician_screen, x_server, applets):
    session, applet, token = start_active_session(gateway, applets, "Olga", display=x_server.display)
    console = sign_in(technician_browser, gateway)
    select_row(technician_browser, console, session["id"])

    share = console.until(EC.element_to_be_clickable((By.ID, "share-screen")))
    assert share.text == "Share screen"
    share.click()
    console.until(lambda b: b.find_element(By.ID, "share-screen").get_attribute("aria-pressed") == "true")
    assert technician_browser.find_element(By.ID, "share-screen").text == "Stop sharing"
    applet.expect("TECHNICIAN_SCREEN", 'shown technician="Administrator"')
    # Chromium has WebCodecs: the screen travels as VP8 video, which the applet decodes with libvpx.
    applet.expect("TECHNICIAN_SCREEN", f"drawn size={TECHNICIAN_SCREEN[0]}x{TECHNICIAN_SCREEN[1]} encoding=vp8", timeout=20)

    # The customer's display shows the technician's screen: the marker, then its new colour.
    watch = WebDriverWait(None, 20, poll_frequency=0.3)
    watch.until(lambda _: x_server.any_pixel_near(*SHOWN_AT, lambda *rgb: near(rgb, (0x10, 0x60, 0xe0))))
    technician_screen.run("xsetroot", "-solid", "#e07010")
    watch.until(lambda _: x_server.any_pixel_near(*SHOWN_AT, lambda *rgb: near(rgb, (0xe0, 0x70, 0x10))))
    gateway.wait_for_log_line(session["id"], "Administrator is showing their screen to the customer.", token)

    # A second screen (here the same display picked again): the customer switches to it with Tab.
    console.until(EC.element_to_be_clickable((By.ID, "share-another-screen"))).click()
    applet.expect("TECHNICIAN_SCREEN", "screen=2", timeout=20)
    window = x_server.output("xdotool", "search", "--class", "lifeline-technician-screen").split()[0]
    subprocess.run(["xdotool", "key", "--window", window, "Tab"], env={"DISPLAY": x_server.display}, capture_output=True, timeout=10)
    applet.expect("TECHNICIAN_SCREEN", "showing screen=2 of=2")
    technician_screen.run("xsetroot", "-solid", "#10c0c0")
    watch.until(lambda _: x_server.any_pixel_near(*SHOWN_AT, lambda *rgb: near(rgb, (0x10, 0xc0, 0xc0))))

    # The customer goes round the colours to the fewest (C thrice): greyscale from the technician's next change.
    for _ in range(3):
        subprocess.run(["xdotool", "key", "--window", window, "c"], env={"DISPLAY": x_server.display}, capture_output=True, timeout=10)
    applet.expect("TECHNICIAN_SCREEN", "colours=very_low")
    technician_screen.run("xsetroot", "-solid", "#20b0e0")
    watch.until(lambda _: x_server.any_pixel_near(*SHOWN_AT, lambda r, g, b: abs(r - g) < 12 and abs(g - b) < 12 and 100 < g < 200))

    # The customer closes the window (Q): the console's button is back, the session goes on.
    assert "Administrator" in x_server.output("xprop", "-id", window, "_NET_WM_NAME")
    # The window closes on the key's press, so xdotool's release may find it gone: the applet's line is the proof.
    subprocess.run(["xdotool", "key", "--window", window, "q"], env={"DISPLAY": x_server.display}, capture_output=True, timeout=10)
    applet.expect("TECHNICIAN_SCREEN", "closed by=customer")
    console.until(lambda b: b.find_element(By.ID, "share-screen").get_attribute("aria-pressed") == "false")
    console.until(EC.text_to_be_present_in_element((By.ID, "console-error"), "The customer closed your screen; the session goes on."))
    gateway.wait_for_log_line(session["id"], "The customer closed Administrator's screen; the session goes on.", token)
    assert gateway.api("GET", f"sessions/{session['id']}", token=token)[1]["state"] == "active"

    # Shared again, then stopped from the console: the window closes.
    technician_browser.find_element(By.ID, "share-screen").click()
    applet.expect("TECHNICIAN_SCREEN", "shown")
    console.until(lambda b: b.find_element(By.ID, "share-screen").get_attribute("aria-pressed") == "true")
    console.until(EC.element_to_be_clickable((By.ID, "share-screen"))).click()
    applet.expect("TECHNICIAN_SCREEN", "closed by=technician")
    gateway.wait_for_log_line(session["id"], "Administrator stopped showing their screen.", token)


def test_a_browser_without_video_encoding_sends_pictures_and_the_customer_uses_the_buttons(gateway, technician_browser, technician_screen, x_server, applets):
    session, applet, _ = start_active_session(gateway, applets, "Pavel", display=x_server.display)
    console = sign_in(technician_browser, gateway)
    select_row(technician_browser, console, session["id"])
    # A browser without WebCodecs (Firefox, Safari): the same screen as changed JPEG tiles.
    technician_browser.execute_script("window.VideoEncoder = undefined;")
    technician_screen.run("xsetroot", "-solid", "#1060e0")
    console.until(EC.element_to_be_clickable((By.ID, "share-screen"))).click()
    applet.expect("TECHNICIAN_SCREEN", f"drawn size={TECHNICIAN_SCREEN[0]}x{TECHNICIAN_SCREEN[1]} encoding=jpeg", timeout=20)
    watch = WebDriverWait(None, 20, poll_frequency=0.3)
    watch.until(lambda _: x_server.any_pixel_near(*SHOWN_AT, lambda *rgb: near(rgb, (0x10, 0x60, 0xe0))))
    technician_screen.run("xsetroot", "-solid", "#20c040")
    watch.until(lambda _: x_server.any_pixel_near(*SHOWN_AT, lambda *rgb: near(rgb, (0x20, 0xc0, 0x40))))

    # The customer's buttons, top left while the pointer is in the window: Full screen, then End
    # (shown only in full screen, as in the manual).
    window = x_server.output("xdotool", "search", "--class", "lifeline-technician-screen").split()[0]
    x_server.run("xdotool", "mousemove", "--window", window, "16", "16", "click", "1")
    watch.until(lambda _: "1024x768" in x_server.output("xdotool", "getwindowgeometry", window))
    watch.until(lambda _: x_server.any_pixel_near(4 + 6 * 32 + 14, 18, lambda *rgb: near(rgb, (0xc4, 0x2b, 0x1c))))
    x_server.run("xdotool", "mousemove", str(4 + 6 * 32 + 14), "18", "click", "1")
    applet.expect("TECHNICIAN_SCREEN", "closed by=customer")
    console.until(lambda b: b.find_element(By.ID, "share-screen").get_attribute("aria-pressed") == "false")
