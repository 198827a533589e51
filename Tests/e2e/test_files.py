"""Files between technician and customer end to end (D4, G1): the technician's browser sends a
50 MB file to a real applet process, which saves it where the customer says, MD5 matching on
both sides; the customer sends a file back; a technician who closes the browser mid-upload
leaves nothing on the customer's disk."""
import hashlib
import os
import tempfile
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from conftest import open_browser
from test_console_session import select_row, sign_in


def active_session(gateway, applets):
    token = gateway.login()
    session = gateway.api("POST", "sessions", {"name": "Fiona", "method": "pin"}, token=token, expect=201)[1]
    applet = applets(gateway.url, "--pin", session["pin"])
    applet.expect("WELCOME")
    gateway.api("POST", f"sessions/{session['id']}/start", token=token, expect=200)
    return token, session, applet


def offer_from_browser(browser, path):
    """Chooses a file in the console's Send file dialog (the hidden file input)."""
    browser.execute_script("document.getElementById('send-file-input').hidden = false;")
    browser.find_element(By.ID, "send-file-input").send_keys(path)


def test_a_50_mb_file_reaches_the_applet_with_matching_md5(gateway, browser, applets):
    token, session, applet = active_session(gateway, applets)
    folder = tempfile.mkdtemp(prefix="lifeline-files-")
    source = os.path.join(tempfile.mkdtemp(prefix="lifeline-source-"), "big update.bin")
    with open(source, "wb") as file:
        file.write(os.urandom(50 * 1024 * 1024))
    expected = hashlib.md5(open(source, "rb").read()).hexdigest()

    wait = sign_in(browser, gateway)
    select_row(browser, wait, session["id"])
    wait.until(EC.visibility_of_element_located((By.ID, "send-file")))
    offer_from_browser(browser, source)
    applet.expect("FILE_OFFER", 'name="big update.bin" size=52428800')
    wait.until(EC.text_to_be_present_in_element((By.ID, "file-list"), "waiting for the customer"))
    applet.say(f"/save {folder}")
    saved = applet.expect("FILE_SAVED", timeout=60)
    assert f'path="{folder}/big update.bin"' in saved and f"md5={expected}" in saved
    assert hashlib.md5(open(os.path.join(folder, "big update.bin"), "rb").read()).hexdigest() == expected
    assert sorted(os.listdir(folder)) == ["big update.bin"], "no part file left"
    wait.until(EC.text_to_be_present_in_element((By.ID, "file-list"), f"done · MD5 {expected}"))
    texts = [e["text"] for e in gateway.api("GET", f"sessions/{session['id']}/log", token=token)[1]]
    assert any("saved the file big update.bin" in text and expected in text for text in texts)

    # The customer sends a file back; the technician downloads it from the console's list.
    report = os.path.join(folder, "report.txt")
    with open(report, "w") as file:
        file.write("disk check: ok\n")
    applet.say(f"/send {report}")
    applet.expect("FILE_SENT", f"md5={hashlib.md5(b'disk check: ok' + bytes([10])).hexdigest()}")
    link = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#file-list a")))
    request = urllib.request.Request(link.get_attribute("href"), headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.read() == b"disk check: ok\n"


def test_a_technician_leaving_mid_upload_leaves_nothing_behind(gateway, applets):
    token, session, applet = active_session(gateway, applets)
    folder = tempfile.mkdtemp(prefix="lifeline-files-")
    source = os.path.join(tempfile.mkdtemp(prefix="lifeline-source-"), "large.img")
    with open(source, "wb") as file:
        for _ in range(300):
            file.write(os.urandom(1024 * 1024))
    browser = open_browser()
    try:
        wait = sign_in(browser, gateway)
        select_row(browser, wait, session["id"])
        wait.until(EC.visibility_of_element_located((By.ID, "send-file")))
        offer_from_browser(browser, source)
        applet.expect("FILE_OFFER", 'name="large.img"')
        applet.say(f"/save {folder}")
        applet.expect("FILE_PROGRESS", timeout=30)
    finally:
        browser.quit()
    failed = applet.expect("FILE_FAILED", timeout=30)
    assert 'name="large.img"' in failed
    assert os.listdir(folder) == [], "neither the file nor a part of it is kept"
    texts = [e["text"] for e in gateway.api("GET", f"sessions/{session['id']}/log", token=token)[1]]
    assert any("large.img was not transferred" in text for text in texts)



def test_the_big_x_takes_every_right_back_and_a_downloaded_applet_removes_itself(gateway, applets):
    import shutil
    import time
    from conftest import BIN
    token = gateway.login()
    session = gateway.api("POST", "sessions", {"name": "Jo", "method": "pin"}, token=token, expect=201)[1]
    folder = tempfile.mkdtemp(prefix="lifeline-applet-copy-")
    copy = os.path.join(folder, "lifeline-applet")
    shutil.copy(BIN / "lifeline-applet", copy)
    os.chmod(copy, 0o755)
    applet = applets(gateway.url, "--pin", session["pin"], "--remove-when-done", binary=copy)
    applet.expect("WELCOME")
    gateway.api("POST", f"sessions/{session['id']}/start", token=token, expect=200)
    offer = gateway.api("POST", f"sessions/{session['id']}/files", {"name": "tool.sh", "size": 10}, token=token, expect=201)[1]
    applet.expect("FILE_OFFER")
    applet.say("/revoke")
    applet.expect("REVOKED")
    deadline = time.time() + 5
    while time.time() < deadline:
        files = gateway.api("GET", f"sessions/{session['id']}/files", token=token)[1]
        if files[0]["phase"] == "declined":
            break
        time.sleep(0.1)
    assert [f["phase"] for f in files if f["id"] == offer["id"]] == ["declined"]
    applet.say("/quit")
    assert applet.wait(timeout=15) == 0
    assert not os.path.exists(copy), "the downloaded applet removed itself"
