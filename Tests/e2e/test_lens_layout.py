"""The Lens customer's page at phone sizes (issue 22, Q4): in English, French, Japanese and Arabic
(right to left), from the PIN page to the camera allowed, photographed (Tests/e2e/screenshots/, for
a person to look at) and checked for what a person holding a phone would notice: nothing wider than
the screen, buttons big enough for a finger, the page in their language and direction."""
import json
import tempfile
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import open_browser
from test_browser_camera import orange_clip
from test_languages import RAW_KEY, photograph

CATALOGS = Path(__file__).resolve().parents[2] / "Web" / "i18n" / "customer"
# Phone screens: an iPhone 14's and a small Android's, in CSS pixels.
PHONES = [(390, 844), (360, 740)]
# The smallest a finger hits reliably (Apple's 44 pt, Material's 48 dp).
FINGER = 44


def test_the_lens_page_fits_a_phone_in_four_languages_one_right_to_left(gateway_for_module):
    gateway = gateway_for_module
    token = gateway.login()
    camera = orange_clip(tempfile.mkdtemp(prefix="lifeline-lens-layout-"))
    for language, locale, direction in [("en", "en-US", "ltr"), ("fr", "fr-FR", "ltr"), ("ja", "ja-JP", "ltr"), ("ar", "ar", "rtl")]:
        words = json.loads((CATALOGS / f"{language}.json").read_text(encoding="utf-8"))
        for width, height in PHONES:
            session = gateway.api("POST", "sessions", {"name": "Lena", "method": "pin", "type": "lens"}, token=token, expect=201)[1]
            phone = open_browser(locale, camera_file=camera)
            try:
                phone.set_window_size(width, height)
                # The window's inner size is what the page gets: make it the phone's.
                phone.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                      {"width": width, "height": height, "deviceScaleFactor": 2, "mobile": True})
                wait = WebDriverWait(phone, 20)
                phone.get(f"{gateway.url}/")
                wait.until(EC.visibility_of_element_located((By.ID, "pin-input"))).send_keys(session["pin"])
                phone.find_element(By.ID, "pin-submit").click()
                start = wait.until(EC.element_to_be_clickable((By.ID, "start-lens")))
                assert start.text == words["lens.continue"]
                photograph(phone, f"lens-pin-{language}-{width}x{height}")
                start.click()
                allow = wait.until(EC.element_to_be_clickable((By.ID, "lens-allow")))
                assert allow.text == words["lens.allow"]
                assert phone.find_element(By.TAG_NAME, "html").get_attribute("dir") == direction
                allow.click()
                wait.until(lambda p: p.execute_script("return document.getElementById('lens-preview').videoWidth") > 0)
                photograph(phone, f"lens-{language}-{width}x{height}")
                page = phone.execute_script("""
                    const sizes = (ids) => ids.map((id) => { const r = document.getElementById(id).getBoundingClientRect();
                                                           return [id, Math.round(r.width), Math.round(r.height)]; });
                    return { overflow: document.documentElement.scrollWidth - window.innerWidth,
                             buttons: sizes(['lens-mute', 'send-file', 'end-chat']),
                             preview: document.getElementById('lens-preview').getBoundingClientRect().width,
                             text: document.body.innerText };""")
                assert page["overflow"] <= 0, f"{language} {width}: the page is {page['overflow']} px wider than the phone"
                for name, w, h in page["buttons"]:
                    assert w >= FINGER and h >= FINGER, f"{language} {width}: {name} is {w}×{h} px, under {FINGER}"
                assert page["preview"] >= width - 40, "the camera's picture takes the phone's width"
                assert not RAW_KEY.search(page["text"]) and "lens." not in page["text"]
                if language != "en":
                    assert "Allow camera and microphone" not in page["text"] and "Mute" not in page["text"]
            finally:
                phone.quit()
