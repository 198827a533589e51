"""Console options B1 and B5: light, dark and high-contrast schemes with the same features, kept
with the technician's options; the chat box spell-checked in the technician's language."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from test_console_session import sign_in


def background(browser):
    return browser.execute_script("return getComputedStyle(document.body).backgroundColor")


def choose_theme(browser, wait, theme):
    browser.find_element(By.ID, "open-options").click()
    wait.until(EC.visibility_of_element_located((By.ID, "options-theme")))
    Select(browser.find_element(By.ID, "options-theme")).select_by_value(theme)
    browser.find_element(By.ID, "options-save").click()
    wait.until(lambda b: b.execute_script("return document.documentElement.dataset.theme") == theme)


def test_colour_schemes_are_saved_and_keep_every_feature(gateway, browser):
    wait = sign_in(browser, gateway)
    assert background(browser) == "rgb(246, 248, 250)"
    choose_theme(browser, wait, "dark")
    assert background(browser) == "rgb(13, 17, 23)"
    assert browser.execute_script("return getComputedStyle(document.querySelector('.chat-pane')).color") == "rgb(230, 237, 243)"
    token = gateway.login()
    assert gateway.api("GET", "me/options", token=token)[1]["options"]["theme"] == "dark"
    browser.refresh()
    wait.until(EC.visibility_of_element_located((By.ID, "console-view")))
    assert browser.execute_script("return document.documentElement.dataset.theme") == "dark"
    # The same console: every toolbar button is there in every scheme.
    buttons = ["new-session", "start-session", "hold-session", "end-session", "transfer-session", "open-options"]
    assert all(browser.find_element(By.ID, name).is_displayed() for name in buttons)
    choose_theme(browser, wait, "contrast")
    assert background(browser) == "rgb(255, 255, 255)"
    assert browser.execute_script("return getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
    assert all(browser.find_element(By.ID, name).is_displayed() for name in buttons)


def test_chat_box_is_spell_checked_in_the_technicians_language(gateway, browser):
    sign_in(browser, gateway, language="fr")
    box = browser.find_element(By.ID, "chat-input")
    assert box.get_attribute("lang") == "fr"
    assert browser.execute_script("return document.getElementById('chat-input').spellcheck") is True
    assert browser.execute_script("return document.getElementById('floating-chat-input').lang") == "fr"
