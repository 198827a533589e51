"""The small admin page: groups with permissions, technicians, disabling, organisation settings,
channels; the administrators' Monitored tab."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import ADMIN_EMAIL, ADMIN_PASSWORD, click_xpath
from test_console_session import row_status, sign_in


def test_admin_creates_a_group_and_a_technician_then_disables_them(gateway, browser):
    wait = sign_in(browser, gateway)
    browser.get(f"{gateway.url}/admin/")
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, '#group-permissions input[value="chat"]')))
    browser.find_element(By.ID, "group-name").send_keys("Level 1")
    for permission in ["chat", "connect_by_pin", "start_private_sessions"]:
        browser.find_element(By.CSS_SELECTOR, f'#group-permissions input[value="{permission}"]').click()
    browser.find_element(By.CSS_SELECTOR, "#group-form button[type=submit]").click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "groups"), "Chat, Connect by PIN, Start private sessions"))

    browser.find_element(By.ID, "technician-name").send_keys("Jo")
    browser.find_element(By.ID, "technician-email").send_keys("jo@e2e.test")
    browser.find_element(By.ID, "technician-password").send_keys("jo's password 1")
    Select(browser.find_element(By.ID, "technician-group")).select_by_visible_text("Level 1")
    browser.find_element(By.CSS_SELECTOR, "#technician-form button[type=submit]").click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "technicians"), "jo@e2e.test"))
    jo = gateway.login("jo@e2e.test", "jo's password 1")
    assert gateway.api("GET", "me", token=jo, expect=200)[1]["permissions"] == ["chat", "connect_by_pin", "start_private_sessions"]

    row = browser.find_element(By.XPATH, "//table[@id='technicians']//tr[td[text()='jo@e2e.test']]")
    row.find_element(By.XPATH, ".//button[text()='Disable']").click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "technicians"), "Disabled"))
    assert gateway.api("GET", "me", token=jo)[0] == 401, "a disabled technician is signed out at once"


def test_admin_sets_the_console_defaults(gateway, browser):
    wait = sign_in(browser, gateway)
    browser.get(f"{gateway.url}/admin/#/organisation/settings")
    urgent = wait.until(EC.visibility_of_element_located((By.ID, "settings-urgent")))
    wait.until(lambda b: urgent.get_attribute("value") == "120")
    browser.find_element(By.ID, "settings-auto-start").click()
    urgent.clear()
    urgent.send_keys("45")
    browser.find_element(By.ID, "settings-fields").send_keys("Ticket, Phone number")
    idle = browser.find_element(By.ID, "settings-idle")
    idle.clear()
    idle.send_keys("30")
    browser.find_element(By.CSS_SELECTOR, "#settings-recording-format option[value='webm-vp9']").click()
    browser.find_element(By.ID, "settings-notify-monitored").click()
    browser.find_element(By.ID, "settings-approved-external").send_keys("Partner@Example.com\nnot an address")
    browser.find_element(By.ID, "settings-applet-terms").send_keys("Sessions may be recorded.")
    browser.find_element(By.CSS_SELECTOR, "#settings-form button[type=submit]").click()
    # A wrong address is refused with its reason, and nothing is saved.
    wait.until(EC.text_to_be_present_in_element((By.ID, "admin-error"), "\"not an address\" is not an email address"))
    assert gateway.api("GET", "admin/settings", token=gateway.login(), expect=200)[1]["urgentAfterSeconds"] == 120
    approved = browser.find_element(By.ID, "settings-approved-external")
    approved.clear()
    approved.send_keys("Partner@Example.com")
    browser.find_element(By.CSS_SELECTOR, "#settings-form button[type=submit]").click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "settings-status"), "Saved."))
    token = gateway.login()
    assert gateway.api("GET", "admin/settings", token=token, expect=200)[1] == {
        "autoStartDefault": True, "urgentAfterSeconds": 45, "customFieldNames": ["Ticket", "Phone number"],
        "idleTimeoutMinutes": 30, "connectingTimeoutMinutes": 20, "awayAfterMinutes": 15, "busyAtSessions": 10,
        "recordingFormat": "webm-vp9", "maxFileMegabytes": 2048, "requireTwoStep": False,
        "holdTimeoutDays": 14, "customFieldRules": {}, "notifyWhenMonitored": False,
        "approvedExternalTechnicians": ["partner@example.com"], "appletTerms": "Sessions may be recorded."}

    # The custom fields become columns of every technician's session list (C3).
    browser.get(f"{gateway.url}/console/")
    wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "#session-list thead"), "Phone number"))


def test_admin_creates_a_channel_with_its_link_and_form(gateway, browser):
    wait = sign_in(browser, gateway)
    token = gateway.login()
    gateway.api("POST", "admin/groups", {"name": "Level 1", "permissions": ["channel_sessions"]}, token=token, expect=201)
    browser.get(f"{gateway.url}/admin/#/organisation/channels")
    wait.until(EC.visibility_of_element_located((By.ID, "channel-name"))).send_keys("Website help")
    wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "#channel-groups input[type=checkbox]"))).click()
    browser.find_element(By.ID, "channel-message").send_keys("Back at 9.")
    browser.find_element(By.CSS_SELECTOR, "#channel-form button[type=submit]").click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "channels"), "Level 1"))
    [channel] = gateway.api("GET", "admin/channels", token=token, expect=200)[1]
    assert channel["name"] == "Website help" and channel["unavailableMessage"] == "Back at 9."
    assert channel["link"] in browser.find_element(By.ID, "channels").text
    assert "Always open" in browser.find_element(By.ID, "channels").text

    # Working hours: Monday to Friday by default once "Always open" is off; Monday mornings only.
    # Edit opens the channel's own view, at its own address, listed in the organisation tree.
    row = browser.find_element(By.CSS_SELECTOR, f"#channels tr[data-channel-id='{channel['id']}']")
    row.find_element(By.XPATH, ".//button[text()='Edit']").click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "channel-form-title"), "Edit channel Website help"))
    assert browser.current_url.endswith(f"/admin/#/channel/{channel['id']}/channels")
    assert browser.find_element(By.ID, "object-title").text == "Website help"
    assert browser.execute_script("return document.querySelector('#org-tree a[aria-current=page]').textContent") == "Website help"
    browser.find_element(By.ID, "channel-always-open").click()
    zone = browser.find_element(By.ID, "channel-time-zone")
    zone.clear()
    zone.send_keys("Mars/Olympus")
    browser.execute_script("document.querySelector('#channel-days tr[data-weekday=\"1\"] .day-closes').value = '12:00';")
    browser.find_element(By.ID, "channel-submit").click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "admin-error"), 'Unknown time zone "Mars/Olympus"'))
    zone.clear()
    zone.send_keys("Europe/Paris")
    browser.find_element(By.ID, "channel-submit").click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "channels"), "(Europe/Paris)"))
    hours = gateway.api("GET", "admin/channels", token=token, expect=200)[1][0]["workingHours"]
    assert hours["timeZone"] == "Europe/Paris"
    assert [(span["weekday"], span["opens"], span["closes"]) for span in hours["spans"]] == [
        (1, 540, 720), (2, 540, 1020), (3, 540, 1020), (4, 540, 1020), (5, 540, 1020)]
    assert "Mon 09:00–12:00" in browser.find_element(By.ID, "channels").text
    # Back to always open.
    browser.find_element(By.CSS_SELECTOR, f"#channels tr[data-channel-id='{channel['id']}']").find_element(By.XPATH, ".//button[text()='Edit']").click()
    assert not browser.find_element(By.ID, "channel-always-open").is_selected()
    browser.find_element(By.ID, "channel-always-open").click()
    browser.find_element(By.ID, "channel-submit").click()
    wait.until(lambda b: gateway.api("GET", "admin/channels", token=token)[1][0].get("workingHours") is None)


def test_monitored_tab_shows_colleagues_sessions_to_administrators_only(gateway, browser):
    admin = gateway.login()
    group = gateway.api("POST", "admin/groups", {"name": "Desk", "permissions": ["start_private_sessions", "connect_by_pin"]},
                        token=admin, expect=201)[1]
    gateway.api("POST", "admin/technicians", {"email": "una@e2e.test", "name": "Una", "password": "Una password 1",
                                                "groupId": group["id"]}, token=admin, expect=201)
    una = gateway.login("una@e2e.test", "Una password 1")
    session = gateway.api("POST", "sessions", {"name": "Vera", "method": "pin"}, token=una, expect=201)[1]

    wait = sign_in(browser, gateway)
    wait.until(EC.element_to_be_clickable((By.ID, "monitored-tab"))).click()
    wait.until(lambda b: row_status(b, session["id"]) == "Connecting")
    row = browser.find_element(By.CSS_SELECTOR, f"#session-list tr[data-session-id='{session['id']}']").text
    assert "Vera" in row and "Una" in row, "the Technician column says whose session it is"

    browser.delete_all_cookies()
    sign_in(browser, gateway, email="una@e2e.test", password="Una password 1")
    assert not browser.find_element(By.ID, "monitored-tab").is_displayed(), "technicians do not have the tab"


def test_admin_edits_a_groups_permissions_on_one_page(gateway, browser):
    admin = gateway.login()
    group = gateway.api("POST", "admin/groups", {"name": "Level 2", "permissions": ["chat"]}, token=admin, expect=201)[1]
    gateway.api("POST", "admin/technicians", {"email": "lu@e2e.test", "name": "Lu", "password": "lu's long password",
                                                "groupId": group["id"]}, token=admin, expect=201)
    wait = sign_in(browser, gateway)
    browser.get(f"{gateway.url}/admin/")
    row = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, f"#groups tr[data-group-id='{group['id']}']")))
    row.find_element(By.XPATH, ".//button[text()='Edit']").click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "group-form-title"), "Edit group Level 2"))
    # The group's view: its Organisation tab (name, place, members), then its Permissions tab.
    assert browser.current_url.endswith(f"/admin/#/group/{group['id']}/organisation")
    assert browser.find_element(By.ID, "technicians").text.count("lu@e2e.test") == 1
    assert not browser.find_element(By.ID, "group-permissions").is_displayed()
    click_xpath(browser, "//nav[@id='object-tabs']/a[text()='Permissions']")
    wait.until(EC.visibility_of_element_located((By.ID, "group-permissions")))
    assert browser.current_url.endswith(f"/admin/#/group/{group['id']}/permissions")
    assert not browser.find_element(By.ID, "group-name").is_displayed()
    assert browser.find_element(By.CSS_SELECTOR, '#group-permissions input[value="chat"]').is_selected()
    # Features not built yet are marked, not offered.
    planned = browser.find_element(By.CSS_SELECTOR, '#group-permissions input[value="lens_sessions"]')
    assert not planned.is_enabled()
    assert "coming in a later version" in planned.find_element(By.XPATH, "..").text
    # Features that shipped are offered.
    for built in ["system_info", "system_actions", "deploy_scripts", "run_embedded_scripts", "reboot", "unattended_access", "lan_connection",
                  "monitor_technicians", "share_screen"]:
        assert browser.find_element(By.CSS_SELECTOR, f'#group-permissions input[value="{built}"]').is_enabled(), built
    browser.find_element(By.CSS_SELECTOR, '#group-permissions input[value="send_files"]').click()
    browser.find_element(By.ID, "group-submit").click()
    # Saved: the group's view stays, showing what is granted now; its Organisation tab lists them.
    wait.until(lambda b: gateway.api("GET", "admin/groups", token=admin)[1][0]["permissions"] == ["chat", "send_files"])
    wait.until(lambda b: b.find_element(By.CSS_SELECTOR, '#group-permissions input[value="send_files"]').is_selected())
    click_xpath(browser, "//nav[@id='object-tabs']/a[text()='Organisation']")
    wait.until(EC.text_to_be_present_in_element((By.ID, "groups"), "Chat, Send files"))
    lu = gateway.login("lu@e2e.test", "lu's long password")
    assert gateway.api("GET", "me", token=lu)[1]["permissions"] == ["chat", "send_files"]


def test_signed_out_the_admin_center_offers_sign_in_and_comes_back(gateway, french_browser):
    """Issue 15, item 7: signed out, the Admin Center shows no empty forms but a way to sign in (in
    the browser's language) that leads back to it; the console's header leads there for administrators."""
    browser = french_browser
    wait = WebDriverWait(browser, 10)
    browser.get(f"{gateway.url}/admin/")
    notice = wait.until(EC.visibility_of_element_located((By.ID, "admin-signed-out")))
    assert "Vous êtes déconnecté" in notice.text, notice.text
    assert not browser.find_element(By.ID, "settings-section").is_displayed()
    assert not browser.find_element(By.ID, "group-form").is_displayed()
    assert not browser.find_element(By.ID, "admin-error").is_displayed(), "no error banner, a way in"

    # The Admin Center's own sign-in form: a wrong password is refused in French, the right one opens it.
    assert browser.find_element(By.ID, "admin-sign-in").get_attribute("href").endswith("/console/?next=/admin/")
    browser.find_element(By.ID, "admin-login-email").send_keys(ADMIN_EMAIL)
    browser.find_element(By.ID, "admin-login-password").send_keys("not the password")
    browser.find_element(By.ID, "admin-login-submit").click()
    wait.until(EC.visibility_of_element_located((By.ID, "admin-login-error")))
    assert "mot de passe" in browser.find_element(By.ID, "admin-login-error").text.lower()
    browser.find_element(By.ID, "admin-login-password").send_keys(ADMIN_PASSWORD)
    browser.find_element(By.ID, "admin-login-submit").click()
    wait.until(EC.visibility_of_element_located((By.ID, "org-tree")))
    click_xpath(browser, "//nav[@id='object-tabs']/a[text()='Réglages']")
    wait.until(EC.visibility_of_element_located((By.ID, "settings-urgent")))
    assert not browser.find_element(By.ID, "admin-signed-out").is_displayed()

    browser.get(f"{gateway.url}/console/")
    link = wait.until(EC.visibility_of_element_located((By.ID, "open-admin")))
    assert link.text == "Centre d'administration" and link.get_attribute("href").endswith("/admin/")

    # The other way in (two-step accounts): the console's sign-in page, which comes back here.
    browser.delete_all_cookies()
    browser.get(f"{gateway.url}/admin/")
    wait.until(EC.element_to_be_clickable((By.ID, "admin-sign-in"))).click()
    wait.until(EC.visibility_of_element_located((By.ID, "login-email"))).send_keys(ADMIN_EMAIL)
    browser.find_element(By.ID, "login-password").send_keys(ADMIN_PASSWORD)
    browser.find_element(By.ID, "login-submit").click()
    wait.until(lambda b: b.current_url.rstrip("/").endswith("/admin"))
    wait.until(EC.visibility_of_element_located((By.ID, "org-tree")))


def test_a_technician_has_no_admin_center_link(gateway, browser):
    admin = gateway.login()
    group = gateway.api("POST", "admin/groups", {"name": "Desk", "permissions": ["chat"]}, token=admin, expect=201)[1]
    gateway.api("POST", "admin/technicians", {"email": "tess@e2e.test", "name": "Tess", "password": "tess password 1",
                                                "groupId": group["id"]}, token=admin, expect=201)
    sign_in(browser, gateway, email="tess@e2e.test", password="tess password 1")
    assert not browser.find_element(By.ID, "open-admin").is_displayed()


def test_the_admin_center_is_an_organisation_tree_with_views_at_their_own_addresses(gateway, browser):
    """Issue 15, item 7: the tree (administrators, groups with subgroups and their technicians,
    channels) beside the selected object's tabs; every view opens from its address, Back returns."""
    admin = gateway.login()
    desk = gateway.api("POST", "admin/groups", {"name": "Desk", "permissions": ["chat"]}, token=admin, expect=201)[1]
    night = gateway.api("POST", "admin/groups", {"name": "Night shift", "permissions": ["chat"], "parentId": desk["id"]},
                        token=admin, expect=201)[1]
    nina = gateway.api("POST", "admin/technicians", {"email": "nina@e2e.test", "name": "Nina", "password": "nina password 1",
                                                       "groupId": night["id"]}, token=admin, expect=201)[1]
    gateway.api("POST", "admin/channels", {"name": "Web help", "groupIds": [desk["id"]]}, token=admin, expect=201)
    wait = sign_in(browser, gateway)

    # A technician's view straight from its address: the form edits her.
    browser.get(f"{gateway.url}/admin/#/technician/{nina['id']}/organisation")
    wait.until(EC.text_to_be_present_in_element((By.ID, "technician-form-title"), "Nina"))
    assert browser.find_element(By.ID, "object-title").text == "Nina"
    assert browser.find_element(By.ID, "technician-name").get_attribute("value") == "Nina"
    rows = [row for row in browser.find_elements(By.CSS_SELECTOR, "#technicians tbody tr") if row.is_displayed()]
    assert [row.get_attribute("data-technician-id") for row in rows] == [nina["id"]]

    # The tree: the organisation, its administrators, Desk > Night shift > Nina, the channel.
    nina_in_tree = "//nav[@id='org-tree']//li[a[text()='Desk']]/ul/li[a[text()='Night shift']]/ul/li/a[text()='Nina']"
    wait.until(lambda b: b.execute_script(
        "return document.evaluate(arguments[0], document, null, 9, null).singleNodeValue?.getAttribute('aria-current')", nina_in_tree) == "page")
    assert browser.find_elements(By.XPATH, "//nav[@id='org-tree']//li[span]/ul/li/a[text()='Administrator']")
    click_xpath(browser, "//nav[@id='org-tree']//a[text()='Web help']")
    wait.until(lambda b: b.find_element(By.ID, "object-title").text == "Web help")
    assert browser.find_element(By.ID, "channel-name").get_attribute("value") == "Web help"

    # A group's Reports tab is that group's report; Back returns to the channel.
    click_xpath(browser, "//nav[@id='org-tree']//a[text()='Desk']")
    wait.until(lambda b: b.find_element(By.ID, "object-title").text == "Desk")
    click_xpath(browser, "//nav[@id='object-tabs']/a[text()='Reports']")
    wait.until(EC.visibility_of_element_located((By.ID, "reports-section")))
    assert browser.current_url.endswith(f"#/group/{desk['id']}/reports")
    wait.until(lambda b: b.find_element(By.ID, "reports-group").get_attribute("value") == desk["id"])
    browser.back()
    browser.back()
    wait.until(lambda b: b.find_element(By.ID, "object-title").text == "Web help")

    # The audit log is a tab of the organisation: the changes above are in it, by whom.
    browser.get(f"{gateway.url}/admin/#/organisation/audit")
    wait.until(EC.text_to_be_present_in_element((By.ID, "audit-log"), "Group created"))
    log = browser.find_element(By.ID, "audit-log").text
    assert "Technician created" in log and "Channel created" in log and "Administrator" in log
    assert "format=csv" in browser.find_element(By.ID, "audit-csv").get_attribute("href")

    # An address that names nothing (a deleted group) falls back to the organisation.
    browser.get(f"{gateway.url}/admin/#/group/no-such-group/permissions")
    wait.until(lambda b: b.find_element(By.ID, "groups-section").is_displayed())
    assert browser.execute_script("return document.querySelector('#object-tabs a[aria-current=page]').textContent") == "Organisation"
