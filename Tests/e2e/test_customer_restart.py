"""The customer restarting the computer themselves (C7: On hold → Rebooting → On hold) with a real
gateway and a real applet; logind is python-dbusmock's on a private system bus. The applet holds a
*delay* inhibitor; when logind announces the shutdown (PrepareForShutdown, emitted by the test as
logind would) the applet gets a ticket from the gateway, writes its one-shot return and lets the
inhibitor go. The machine "goes down" (the applet is killed), the test starts exactly the command
the autostart entry names, and the session is back On hold. A shutdown called off (the signal with
false) brings the session back at once, removes the return and takes the inhibitor again."""
import subprocess
import time

from conftest import start_active_session
from test_reboot import bus_env, customer_home, start_after_boot, state, wait_for_state

LOGIND = ["org.freedesktop.login1", "/org/freedesktop/login1"]


def announce_shutdown(address, going_down):
    """What logind sends before it shuts down (true), or when it does not after all (false)."""
    script = ("import dbus, sys\n"
              "bus = dbus.bus.BusConnection(sys.argv[1])\n"
              "logind = bus.get_object('org.freedesktop.login1', '/org/freedesktop/login1')\n"
              "logind.EmitSignal('org.freedesktop.login1.Manager', 'PrepareForShutdown', 'b', [sys.argv[2] == 'true'],"
              " dbus_interface='org.freedesktop.DBus.Mock')\n")
    subprocess.run(["/usr/bin/python3", "-c", script, address, "true" if going_down else "false"], check=True, timeout=30)


def inhibitors(address):
    reply = subprocess.run(["dbus-send", f"--bus={address}", "--print-reply", f"--dest={LOGIND[0]}", LOGIND[1],
                            "org.freedesktop.login1.Manager.ListInhibitors"], capture_output=True, text=True, timeout=30)
    assert reply.returncode == 0, reply.stderr
    return reply.stdout


def wait_for(condition, what, seconds=20):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


def holds_the_shutdown(address):
    listed = inhibitors(address)
    return '"Lifeline"' in listed and '"delay"' in listed


def test_the_customer_restarts_while_on_hold_and_the_session_comes_back_on_hold(gateway, applets, power_bus, tmp_path):
    address, _ = power_bus
    home, entry, ticket_file = customer_home(tmp_path)
    session, applet, token = start_active_session(gateway, applets, "Own restart", home=str(home), env_extra=bus_env(address))
    gateway.api("POST", f"sessions/{session['id']}/hold", token=token, expect=200)
    wait_for(lambda: holds_the_shutdown(address), "the applet never held the shutdown with a delay inhibitor")

    announce_shutdown(address, True)
    wait_for_state(gateway, token, session["id"], "rebooting")
    wait_for(lambda: entry.exists() and ticket_file.exists(), "the one-shot return was never written")
    wait_for(lambda: not holds_the_shutdown(address), "the applet kept holding the shutdown")
    assert ticket_file.stat().st_mode & 0o777 == 0o600
    gateway.wait_for_log_line(session["id"], "The customer is restarting their computer; the session resumes when it is back.", token)

    # The machine goes down; after the boot the desktop starts exactly what the entry names.
    applet.kill()
    time.sleep(0.5)
    assert state(gateway, token, session["id"]) == "rebooting"
    _, resumed = start_after_boot(entry, home, address)
    try:
        wait_for_state(gateway, token, session["id"], "on_hold", seconds=60)
        assert not entry.exists() and not ticket_file.exists(), "the return runs once"
        gateway.wait_for_log_line(session["id"], "The customer's computer restarted and the applet reconnected.", token)
    finally:
        resumed.kill()
        resumed.wait()


def test_a_shutdown_called_off_brings_the_session_back_at_once(gateway, applets, power_bus, tmp_path):
    address, _ = power_bus
    home, entry, _ = customer_home(tmp_path)
    session, applet, token = start_active_session(gateway, applets, "Called off", home=str(home), env_extra=bus_env(address))
    wait_for(lambda: holds_the_shutdown(address), "the applet never held the shutdown with a delay inhibitor")
    announce_shutdown(address, True)
    wait_for_state(gateway, token, session["id"], "rebooting")
    wait_for(lambda: entry.exists(), "the one-shot return was never written")

    announce_shutdown(address, False)
    wait_for_state(gateway, token, session["id"], "active")
    wait_for(lambda: not entry.exists(), "the return stayed after the restart was called off")
    wait_for(lambda: holds_the_shutdown(address), "the applet did not hold the next shutdown again")
    gateway.wait_for_log_line(session["id"], "The customer's computer did not restart after all; the session goes on.", token)
    # The session goes on: the customer's chat still arrives.
    applet.say("still here")
    gateway.wait_for_log_line(session["id"], "still here", token)
