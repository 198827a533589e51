"""An unattended connection to a computer with no desktop (F5): no window can say who is connected,
so the agent tells the users signed in on terminals, as `wall` does. The signed-in user is a real
pseudo-terminal owned by the customer's account with its login record written by glibc
(pututxline into the system's utmp, as a login would), read back from the terminal's other side."""
import ctypes
import os
import pwd
import select
import time

import pytest

from test_unattended import ANY_HOUR, PASSWORD, approve, computers, customer_account, wait_until

# An account of its own: this module may run beside test_unattended.py, whose account it must not touch.
USER = "lifeline-notice"
UTMP = "/var/run/utmp"
USER_PROCESS, DEAD_PROCESS = 7, 8


class Utmpx(ctypes.Structure):
    """glibc's struct utmpx on 64-bit Linux (384 bytes)."""
    _fields_ = [("ut_type", ctypes.c_short), ("ut_pid", ctypes.c_int), ("ut_line", ctypes.c_char * 32), ("ut_id", ctypes.c_char * 4),
                ("ut_user", ctypes.c_char * 32), ("ut_host", ctypes.c_char * 256), ("e_termination", ctypes.c_short),
                ("e_exit", ctypes.c_short), ("ut_session", ctypes.c_int32), ("tv_sec", ctypes.c_int32), ("tv_usec", ctypes.c_int32),
                ("ut_addr_v6", ctypes.c_int32 * 4), ("reserved", ctypes.c_char * 20)]


def login_record(kind, line, user):
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.pututxline.restype = ctypes.c_void_p
    record = Utmpx(ut_type=kind, ut_pid=os.getpid(), ut_line=line.encode(), ut_id=line[-4:].encode(), ut_user=user.encode(),
                   tv_sec=int(time.time()))
    libc.setutxent()
    written = libc.pututxline(ctypes.byref(record))
    libc.endutxent()
    assert written, f"glibc could not write the login record: errno {ctypes.get_errno()}"


@pytest.fixture
def customer():
    yield from customer_account(USER)


@pytest.fixture
def signed_in_terminal(customer):
    """A pseudo-terminal the customer's account is signed in on: its other side, and its name."""
    assert ctypes.sizeof(Utmpx) == 384
    created = not os.path.exists(UTMP)
    if created:
        open(UTMP, "wb").close()
    master, slave = os.openpty()
    line = os.ttyname(slave)[len("/dev/"):]
    account = pwd.getpwnam(USER)
    os.chown(os.ttyname(slave), account.pw_uid, -1)
    login_record(USER_PROCESS, line, USER)
    try:
        yield master, line
    finally:
        login_record(DEAD_PROCESS, line, USER)
        os.close(slave)
        os.close(master)
        if created:
            os.unlink(UTMP)


def read_terminal(master, wanted, seconds=20):
    seen = b""
    deadline = time.time() + seconds
    while wanted.encode() not in seen and time.time() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            seen += os.read(master, 4096)
    return seen.decode(errors="replace")


def test_with_no_desktop_the_signed_in_user_is_told_on_their_terminal(gateway, applets, customer, signed_in_terminal):
    master, line = signed_in_terminal
    home, binary = customer
    computer_id, applet, token = approve(gateway, applets, home, binary, "No desktop", rules=ANY_HOUR, user=USER)
    applet.kill()
    wait_until(lambda: any(c["id"] == computer_id and c["online"] for c in computers(gateway, token)), what="the computer online")
    gateway.api("POST", f"computers/{computer_id}/connect", {"username": USER, "password": PASSWORD}, token=token, expect=201)
    said = read_terminal(master, "with unattended access")
    assert "*** Lifeline: Administrator is connected to this computer with unattended access. ***" in said, said
    log = open(os.path.join(home, ".local/share/lifeline/agent.log")).read()
    assert "Signed-in users were told on their terminals" in log and line in log, log
