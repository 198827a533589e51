"""Customer survey (D5): the admin switches it on for a group in the admin page; at the end of an
Instant Chat session the customer gets a link, answers, and the answer is in the report and its
CSV; in an applet session the technician sends it by hand from the session list's context menu
and the applet opens it in the customer's browser (xdg-open)."""
import urllib.request

from selenium.webdriver import ActionChains
from selenium.common.exceptions import ElementNotInteractableException, NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from test_console_session import select_row, sign_in
from test_instant_chat import customer_browser, start_instant_chat  # noqa: F401 (fixture)
from test_replies import fake_xdg_open, opened_links


def helpers_group_with_survey(gateway, browser):
    """A group "Helpers" with a technician, Hana; the admin switches its survey on in the admin page."""
    admin = gateway.login()
    group = gateway.api("POST", "admin/groups", {"name": "Helpers", "permissions": ["start_private_sessions", "connect_by_pin", "chat", "send_survey"]},
                        token=admin, expect=201)[1]
    gateway.api("POST", "admin/technicians", {"email": "hana@e2e.test", "name": "Hana", "password": "hana password 1",
                                                "groupId": group["id"]}, token=admin, expect=201)
    wait = sign_in(browser, gateway)
    browser.get(f"{gateway.url}/admin/#/organisation/surveys")
    # The table is drawn again when its data arrives: a row found before that is gone, or not yet
    # shown (not interactable), so look again.
    def edit_clicked(driver):
        try:
            driver.find_element(By.CSS_SELECTOR, f"#surveys tr[data-scope-id='{group['id']}'] button").click()
            return True
        except (NoSuchElementException, StaleElementReferenceException, ElementNotInteractableException):
            return False
    wait.until(edit_clicked)
    wait.until(EC.visibility_of_element_located((By.ID, "survey-form")))
    browser.find_element(By.ID, "survey-enabled").click()
    browser.find_element(By.ID, "survey-add").click()
    browser.find_elements(By.CSS_SELECTOR, "#survey-questions .question-text")[-1].send_keys("Would you recommend us?")
    browser.find_elements(By.CSS_SELECTOR, "#survey-questions .question-kind")[-1].send_keys("Yes")
    browser.find_element(By.CSS_SELECTOR, "#survey-form button[type=submit]").click()
    wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, f"#surveys tr[data-scope-id='{group['id']}']"), "On"))
    return admin, gateway.login("hana@e2e.test", "hana password 1"), wait


def test_instant_chat_survey_link_at_the_end_and_the_answer_in_the_report(gateway, browser, customer_browser):
    admin, hana, wait = helpers_group_with_survey(gateway, browser)
    session = gateway.api("POST", "sessions", {"name": "Rosa", "method": "pin"}, token=hana, expect=201)[1]
    customer = start_instant_chat(gateway, customer_browser, session["pin"], technician="Hana")
    gateway.api("POST", f"sessions/{session['id']}/start", token=hana, expect=200)
    gateway.api("POST", f"sessions/{session['id']}/end", token=hana, expect=200)

    link = customer.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#instant-log li.survey a")))
    assert "Hana would like you to fill in a short customer survey." in customer_browser.find_element(By.ID, "instant-log").text
    customer.until(EC.text_to_be_present_in_element((By.ID, "instant-ended"), "The session has ended."))
    customer_browser.get(link.get_attribute("href"))
    customer.until(EC.visibility_of_element_located((By.ID, "survey-form")))
    assert "Hana from Lifeline helped you." in customer_browser.find_element(By.ID, "survey-intro").text
    # Sending without the required answers is stopped with the reason.
    customer_browser.find_element(By.CSS_SELECTOR, "#survey-form button[type=submit]").click()
    assert customer_browser.execute_script("return document.getElementById('survey-form').checkValidity()") is False
    customer_browser.find_element(By.CSS_SELECTOR, "fieldset[data-question=q1] input[value='5']").click()
    customer_browser.find_element(By.CSS_SELECTOR, "fieldset[data-question=q2] input[value='true']").click()
    customer_browser.find_element(By.CSS_SELECTOR, "fieldset[data-question=q3] textarea").send_keys("<i>Patient</i> and quick")
    customer_browser.find_element(By.CSS_SELECTOR, "fieldset[data-question=q4] input[value='true']").click()
    customer_browser.find_element(By.CSS_SELECTOR, "#survey-form button[type=submit]").click()
    customer.until(EC.text_to_be_present_in_element((By.ID, "survey-done"), "Thank you!"))
    customer_browser.refresh()
    customer.until(EC.text_to_be_present_in_element((By.ID, "survey-done"), "already answered"))

    # The report in the admin page, and its CSV.
    browser.get(f"{gateway.url}/admin/#/organisation/reports")
    report = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#survey-report tbody tr")))
    text = report.text
    assert "Rosa" in text and "Hana" in text
    assert "How satisfied are you with the help you received? — 5/5" in text
    assert "<i>Patient</i> and quick" in text
    assert "Would you recommend us? — yes" in text
    csv_href = browser.find_element(By.ID, "report-csv").get_attribute("href")
    request = urllib.request.Request(csv_href, headers={"Authorization": f"Bearer {admin}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        csv = response.read().decode()
    assert csv.startswith("Session ID,Customer,Technician,Channel,Sent,Answered,Question,Answer")
    assert f"{session['id']},Rosa,Hana," in csv
    assert "Would you recommend us?,yes" in csv


def open_session_menu(browser, wait, session_id):
    """Right-clicks the session's row; the list may be drawn again meanwhile (a row found before is gone)."""
    def opened(driver):
        try:
            ActionChains(driver).context_click(driver.find_element(By.CSS_SELECTOR, f"#session-list tr[data-session-id='{session_id}']")).perform()
            return True
        except (NoSuchElementException, StaleElementReferenceException):
            return False
    wait.until(opened)


def test_survey_sent_by_hand_from_the_context_menu_opens_in_the_customers_browser(gateway, browser, applets):
    _, hana, _ = helpers_group_with_survey(gateway, browser)
    folder, opened = fake_xdg_open()
    session = gateway.api("POST", "sessions", {"name": "Sami", "method": "pin"}, token=hana, expect=201)[1]
    applet = applets(gateway.url, "--pin", session["pin"], path_first=folder)
    applet.expect("WELCOME")
    gateway.api("POST", f"sessions/{session['id']}/start", token=hana, expect=200)

    browser.delete_all_cookies()
    wait = sign_in(browser, gateway, email="hana@e2e.test", password="hana password 1")
    select_row(browser, wait, session["id"])
    open_session_menu(browser, wait, session["id"])
    wait.until(EC.element_to_be_clickable((By.ID, "menu-send-survey"))).click()
    line = applet.expect("SURVEY", "opened")
    assert 'technician="Hana"' in line
    url = line.split('url="')[1].rstrip('"')
    assert url.startswith(f"{gateway.url}/survey/")
    assert opened_links(opened) == [url]
    wait.until(EC.text_to_be_present_in_element((By.ID, "chat-log"), "The customer survey was sent to the customer."))
    # Once per session: the menu says why a second one is refused, and the end sends none.
    open_session_menu(browser, wait, session["id"])
    wait.until(EC.element_to_be_clickable((By.ID, "menu-send-survey"))).click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "console-error"), "already sent"))
    gateway.api("POST", f"sessions/{session['id']}/end", token=hana, expect=200)
    applet.expect("ENDED")
    assert not [seen for seen in applet.seen if seen.startswith("SURVEY") and seen != line]
