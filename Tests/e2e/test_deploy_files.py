"""The example files of deploy/ that docs/operations.md installs are valid for the programs that read
them: HAProxy's configuration by Debian's HAProxy itself (`haproxy -c`) and the systemd unit by
systemd-analyze (its example settings file is read by GatewaySettingsTests)."""
import shutil
import subprocess
import tempfile
from pathlib import Path

from conftest import ROOT

DEPLOY = ROOT / "deploy"


def test_haproxy_accepts_the_example_configuration():
    haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
    checked = subprocess.run([haproxy, "-c", "-f", str(DEPLOY / "haproxy.cfg")], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    text = (DEPLOY / "haproxy.cfg").read_text()
    assert "option httpchk GET /health/ready" in text and "check-ssl" in text


def test_systemd_accepts_the_unit():
    """systemd-analyze verify, with ExecStart pointing at the real lifeline-server of this build."""
    from conftest import BIN
    folder = Path(tempfile.mkdtemp(prefix="lifeline-unit-"))
    unit = (DEPLOY / "lifeline.service").read_text().replace("/usr/local/bin/lifeline-server", str(BIN / "lifeline-server"))
    (folder / "lifeline.service").write_text(unit)
    checked = subprocess.run(["systemd-analyze", "verify", "--man=no", str(folder / "lifeline.service")], capture_output=True, text=True, timeout=60)
    problems = [line for line in (checked.stdout + checked.stderr).splitlines()
                # This container runs no systemd: a missing bus or manager is its, not the unit's.
                if line.strip() and "lifeline.service" in line]
    assert checked.returncode == 0 or not problems, checked.stdout + checked.stderr
    assert problems == [], problems
