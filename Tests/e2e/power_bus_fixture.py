"""The `power_bus` fixture: a private system bus on which python-dbusmock plays logind and systemd
(CI has no systemd as PID 1); their call logs say what the applet asked. Registered in conftest.py."""
import json
import os
import subprocess
import tempfile
import time

import pytest

MOCK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "systemd_mock.py")


@pytest.fixture
def power_bus():
    """A private system bus with logind and systemd mocked; its address and the two call logs."""
    folder = tempfile.mkdtemp(prefix="lifeline-power-bus-")
    address = f"unix:path={folder}/bus"
    env = dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=address)
    daemon = subprocess.Popen(["dbus-daemon", "--session", "--nofork", f"--address={address}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    logs = {"logind": f"{folder}/logind.log", "systemd": f"{folder}/systemd.log"}
    mocks = [
        subprocess.Popen(["/usr/bin/python3", "-m", "dbusmock", "--system", "--template", "logind", "-l", logs["logind"]],
                         env=env, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE),
        subprocess.Popen(["/usr/bin/python3", "-m", "dbusmock", "--system", "--template", MOCK, "-l", logs["systemd"], "-p", json.dumps({"units": []})],
                         env=env, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE),
    ]
    try:
        for name in ["org.freedesktop.login1", "org.freedesktop.systemd1"]:
            deadline = time.monotonic() + 30
            while True:
                probe = subprocess.run(["dbus-send", f"--bus={address}", "--print-reply", "--dest=org.freedesktop.DBus", "/",
                                        "org.freedesktop.DBus.NameHasOwner", f"string:{name}"], capture_output=True, text=True)
                if "boolean true" in probe.stdout:
                    break
                assert time.monotonic() < deadline and all(mock.poll() is None for mock in mocks), f"{name} was not mocked: {probe.stderr}"
                time.sleep(0.1)
        yield address, logs
    finally:
        for process in [*mocks, daemon]:
            process.kill()
            process.wait()
