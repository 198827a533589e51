"""Uninstalling an application (L4) with a real applet and a real dpkg: the test builds and installs
a small Debian package, and one that depends on it; the technician asks to uninstall them; the
customer refuses, then allows; only the chosen package goes (one another package needs is refused
by dpkg and stays); the session log and the audit log say so. Needs root to install packages (as in
CI); skipped elsewhere."""
import os
import shutil
import subprocess
import time
import uuid

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from conftest import start_active_session, start_active_session_as, technician_with
from test_applet_window import desktop  # noqa: F401 (fixture)
from test_console_session import select_row, sign_in
from test_file_manager import Console
from test_system_info import act, view

pytestmark = pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("dpkg-deb"), reason="needs root and dpkg-deb to install a package")


def build_package(folder, name, depends=None):
    root = folder / name
    (root / "DEBIAN").mkdir(parents=True)
    (root / "usr" / "share" / name).mkdir(parents=True)
    (root / "usr" / "share" / name / "README").write_text("A package the Lifeline tests install and remove.\n")
    control = f"Package: {name}\nVersion: 1.0\nArchitecture: all\nMaintainer: Lifeline tests <tests@e2e.test>\nDescription: Lifeline uninstall test\n"
    if depends:
        control += f"Depends: {depends}\n"
    (root / "DEBIAN" / "control").write_text(control)
    subprocess.run(["dpkg-deb", "--build", "--root-owner-group", str(root), str(folder / f"{name}.deb")], check=True, capture_output=True)
    return folder / f"{name}.deb"


def installed(name):
    status = subprocess.run(["dpkg-query", "-W", "-f=${Status}", name], capture_output=True, text=True)
    return status.returncode == 0 and status.stdout.endswith(" installed")


def uninstall(console, applet, name, answer):
    """Asks to uninstall `name`, answers the customer's question with `answer`; returns the result."""
    request_id = uuid.uuid4().hex
    console.send({"type": "system_action_request", "sessionId": console.session_id, "requestId": request_id,
                  "action": {"kind": "uninstall", "source": "dpkg", "name": name}})
    applet.expect("UNINSTALL_REQUEST", name)
    applet.say(answer)
    return console.next(lambda m: m["type"] == "system_action_reply" and m["requestId"] == request_id, timeout=60)["result"]


@pytest.fixture
def packages(tmp_path):
    """Two installed packages, the second depending on the first; both removed afterwards."""
    marker = uuid.uuid4().hex[:8]
    base, dependent = f"lifeline-e2e-base-{marker}", f"lifeline-e2e-user-{marker}"
    subprocess.run(["dpkg", "-i", str(build_package(tmp_path, base))], check=True, capture_output=True)
    subprocess.run(["dpkg", "-i", str(build_package(tmp_path, dependent, depends=base))], check=True, capture_output=True)
    yield base, dependent
    subprocess.run(["dpkg", "--purge", dependent, base], capture_output=True)


def test_the_customer_refuses_then_allows_and_only_the_chosen_package_goes(gateway_for_module, applets, packages):
    base, dependent = packages
    gateway = gateway_for_module
    session, applet, token = start_active_session(gateway, applets, "Uninstall")
    console = Console(gateway, token, session["id"])
    try:
        listed = {row["name"]: row for row in view(console, "applications")["applications"]}
        assert listed[base]["source"] == "dpkg" and listed[dependent]["version"] == "1.0"

        # The customer is asked, and says no: nothing is removed.
        refused = uninstall(console, applet, dependent, "/deny uninstall")
        assert refused == {"kind": "failed", "code": "refused_by_customer", "message": f"The customer did not allow {dependent} to be uninstalled."}
        assert installed(dependent)

        # A package another one needs: dpkg refuses, it stays, and the technician reads why.
        failed = uninstall(console, applet, base, "/allow")
        assert failed["kind"] == "failed" and failed["code"] == "package_manager_failed", failed
        assert "still installed" in failed["message"] and dependent in failed["message"], failed
        assert installed(base)

        # Allowed: exactly this package goes; the log and the audit log say so.
        done = uninstall(console, applet, dependent, "/allow uninstall")
        assert done["kind"] == "uninstalled" and done["name"] == dependent and done["source"] == "dpkg", done
        applet.expect("UNINSTALLED", dependent)
        assert not installed(dependent) and installed(base)
        gateway.wait_for_log_line(session["id"], f"Administrator uninstalled {dependent} (dpkg) from the customer's computer.", token)
        audit = gateway.api("GET", "admin/audit", token=token, expect=200)[1]
        assert any(entry["action"] == "customer_system_changed" and f'"name":"{dependent}"' in (entry.get("after") or "").replace(" ", "")
                   and '"operation":"uninstall"' in (entry.get("after") or "").replace(" ", "") for entry in audit), audit[:3]

        # Something that is not a package name never reaches the applet.
        assert act(console, {"kind": "uninstall", "source": "dpkg", "name": "--force-all"}) == {"kind": "refused", "code": "bad_request"}
        assert act(console, {"kind": "uninstall", "source": "dpkg", "name": dependent}) == {
            "kind": "failed", "code": "not_installed", "message": f"{dependent} is not installed."}
    finally:
        console.close()


def test_without_the_permission_nothing_is_uninstalled(gateway_for_module, applets, packages):
    base, _ = packages
    gateway = gateway_for_module
    nora = technician_with(gateway, ["start_private_sessions", "connect_by_pin", "system_info", "system_actions"], "nouninstall@e2e.test", "Nora")
    session, applet = start_active_session_as(nora, gateway, applets, "No uninstall")
    console = Console(gateway, nora, session["id"])
    try:
        assert act(console, {"kind": "uninstall", "source": "dpkg", "name": base}) == {"kind": "refused", "code": "permission_denied"}
    finally:
        console.close()
    assert installed(base)
    assert not any(line.startswith("UNINSTALL") for line in applet.seen), applet.seen


def test_the_applications_view_uninstalls_the_chosen_row(gateway_for_module, applets, browser, packages):
    base, dependent = packages
    gateway = gateway_for_module
    session, applet, token = start_active_session(gateway, applets, "Uninstall tab", remote_consent="accept")
    wait = sign_in(browser, gateway)
    select_row(browser, wait, session["id"])
    wait.until(EC.element_to_be_clickable((By.ID, "tool-system"))).click()
    browser.find_element(By.CSS_SELECTOR, "#panel-system [data-view='applications']").click()
    browser.find_element(By.ID, "system-request").click()
    row = wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, f"#system-view tr[data-application='{dependent}']")))
    uninstall = browser.find_element(By.ID, "system-uninstall")
    assert uninstall.is_displayed() and not uninstall.is_enabled()
    row.click()
    uninstall.click()
    assert dependent in browser.switch_to.alert.text
    browser.switch_to.alert.accept()
    wait.until(lambda b: f"{dependent} was uninstalled." in b.find_element(By.ID, "system-status").text)
    assert not browser.find_elements(By.CSS_SELECTOR, f"#system-view tr[data-application='{dependent}']")
    assert not installed(dependent) and installed(base)


def test_the_window_asks_before_anything_is_uninstalled(gateway_for_module, applets, desktop, packages):
    from test_applet_window import SHOTS, find_window, open_window, press

    _, dependent = packages
    gateway = gateway_for_module
    session, applet, token, window = open_window(gateway, applets, desktop, "Ursula")
    press(desktop, window, "alt+a")
    gateway.wait_for_state(session["id"], "waiting", token)
    gateway.api("POST", f"sessions/{session['id']}/start", token=token, expect=200)
    console = Console(gateway, token, session["id"])
    try:
        console.send({"type": "system_action_request", "sessionId": session["id"], "requestId": "w1",
                      "action": {"kind": "uninstall", "source": "dpkg", "name": dependent}})
        request = find_window(desktop, "a request from your technician")
        applet.expect(f"Administrator asks to uninstall {dependent} from this computer.")
        time.sleep(0.3)
        desktop.screenshot(SHOTS / "applet-window-uninstall.png", window=request)
        press(desktop, request, "alt+d")
        result = console.next(lambda m: m["type"] == "system_action_reply" and m["requestId"] == "w1", timeout=30)["result"]
        assert result["code"] == "refused_by_customer", result
        assert installed(dependent)
    finally:
        console.close()


@pytest.fixture
def rpm_package(tmp_path):
    """An RPM package built and installed by the test (rpm on Debian, as on any RPM machine)."""
    if not shutil.which("rpmbuild") or not shutil.which("rpm"):
        pytest.skip("needs rpm and rpmbuild")
    name = f"lifeline-e2e-rpm-{uuid.uuid4().hex[:8]}"
    (tmp_path / "package.spec").write_text(f"""Name: {name}
Version: 2.1
Release: 3
Summary: A package the Lifeline tests install and remove
License: MIT
BuildArch: noarch
%description
Installed and removed by the Lifeline tests.
%install
mkdir -p %{{buildroot}}/usr/share/{name}
echo test > %{{buildroot}}/usr/share/{name}/README
%files
/usr/share/{name}/README
""")
    subprocess.run(["rpmbuild", "-bb", "--define", f"_topdir {tmp_path}/top", str(tmp_path / "package.spec")], check=True, capture_output=True)
    [built] = (tmp_path / "top" / "RPMS" / "noarch").glob("*.rpm")
    subprocess.run(["rpm", "--install", "--nodeps", str(built)], check=True, capture_output=True)
    yield name
    subprocess.run(["rpm", "--erase", name], capture_output=True)


def test_an_rpm_package_is_listed_and_uninstalled(gateway_for_module, applets, rpm_package):
    gateway = gateway_for_module
    session, applet, token = start_active_session(gateway, applets, "RPM", remote_consent="accept")
    console = Console(gateway, token, session["id"])
    try:
        listed = [row for row in view(console, "applications")["applications"] if row["name"] == rpm_package]
        assert [(row["source"], row["version"], row["summary"]) for row in listed] == [
            ("rpm", "2.1-3", "A package the Lifeline tests install and remove")], listed
        result = act(console, {"kind": "uninstall", "source": "rpm", "name": rpm_package})
        assert result["kind"] == "uninstalled" and result["source"] == "rpm", result
        assert subprocess.run(["rpm", "--query", rpm_package], capture_output=True).returncode != 0
        assert not os.path.exists(f"/usr/share/{rpm_package}/README")
    finally:
        console.close()
