"""Predefined replies and URLs end to end (D2, D3): a technician adds a reply and a URL, exports
replies.xml, deletes them, imports the file again, sends the reply into the chat and the URL to
the customer's applet, which opens it with xdg-open. A hostile replies.xml is refused."""
import os
import stat
import tempfile
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from test_console_session import select_row, sign_in


def fake_xdg_open():
    """Stands in for the customer's desktop: records the links it is asked to open."""
    folder = tempfile.mkdtemp(prefix="lifeline-xdg-")
    opened = os.path.join(folder, "opened.txt")
    script = os.path.join(folder, "xdg-open")
    with open(script, "w") as file:
        file.write(f'#!/bin/sh\nprintf "%s\\n" "$1" >> "{opened}"\n')
    os.chmod(script, stat.S_IRWXU)
    return folder, opened


def opened_links(opened, timeout=5):
    """The links the fake xdg-open was given, once it wrote a whole line (it runs on its own)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if os.path.exists(opened):
            with open(opened) as file:
                text = file.read()
            if text.endswith("\n"):
                return text.splitlines()
        time.sleep(0.1)
    return []


def add(browser, kind, name, content):
    form = browser.find_element(By.ID, "reply-form")
    Select(form.find_element(By.NAME, "kind")).select_by_value(kind)
    form.find_element(By.NAME, "name").send_keys(name)
    form.find_element(By.NAME, "content").send_keys(content)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()


def test_reply_exported_deleted_reimported_and_sent(gateway, browser, applets):
    folder, opened = fake_xdg_open()
    token = gateway.login()
    session = gateway.api("POST", "sessions", {"name": "Gail", "method": "pin"}, token=token, expect=201)[1]
    applet = applets(gateway.url, "--pin", session["pin"], path_first=folder)
    applet.expect("WELCOME")
    gateway.api("POST", f"sessions/{session['id']}/start", token=token, expect=200)

    wait = sign_in(browser, gateway)
    select_row(browser, wait, session["id"])
    wait.until(EC.element_to_be_clickable((By.ID, "manage-replies"))).click()
    add(browser, "reply", "Greeting", "Hello, I am here to help <you>.")
    wait.until(lambda b: len(b.find_elements(By.CSS_SELECTOR, "#replies-table tr")) == 1)
    add(browser, "url", "Docs", "https://example.com/docs?page=1")
    wait.until(lambda b: len(b.find_elements(By.CSS_SELECTOR, "#replies-table tr")) == 2)
    xml = browser.execute_async_script(
        "fetch(document.getElementById('replies-export').href).then((r) => r.text()).then(arguments[0]);")
    assert '<reply name="Greeting">Hello, I am here to help &lt;you&gt;.</reply>' in xml

    for _ in range(2):
        browser.find_element(By.CSS_SELECTOR, "#replies-table .reply-delete").click()
        time.sleep(0.3)
    wait.until(lambda b: len(b.find_elements(By.CSS_SELECTOR, "#replies-table tr")) == 0)
    path = os.path.join(tempfile.mkdtemp(prefix="lifeline-replies-"), "replies.xml")
    with open(path, "w") as file:
        file.write(xml)
    browser.find_element(By.ID, "replies-import").send_keys(path)
    wait.until(EC.text_to_be_present_in_element((By.ID, "replies-status"), "2 added"))

    # A hostile file: refused, with the reason, nothing added.
    bomb = os.path.join(os.path.dirname(path), "bomb.xml")
    with open(bomb, "w") as file:
        file.write('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><replies><reply name="b">&b;</reply></replies>')
    browser.find_element(By.ID, "replies-import").send_keys(bomb)
    wait.until(EC.text_to_be_present_in_element((By.ID, "replies-status"), "DOCTYPE"))
    assert len(browser.find_elements(By.CSS_SELECTOR, "#replies-table tr")) == 2
    browser.find_element(By.ID, "replies-close").click()

    # Pick the reply, edit it in the box, send it.
    Select(browser.find_element(By.ID, "reply-pick")).select_by_visible_text("Greeting")
    box = browser.find_element(By.ID, "chat-input")
    assert box.get_attribute("value") == "Hello, I am here to help <you>."
    box.send_keys(" Gail!")
    browser.find_element(By.ID, "chat-send").click()
    applet.expect("CHAT", "Hello, I am here to help <you>. Gail!")

    # Pick the URL and send it: the applet opens it in the customer's browser.
    Select(browser.find_element(By.ID, "reply-pick")).select_by_visible_text("🔗 Docs")
    browser.find_element(By.ID, "send-url").click()
    applet.expect("URL", 'url="https://example.com/docs?page=1"')
    assert opened_links(opened) == ["https://example.com/docs?page=1"]
