# The Debian packages Lifeline needs, in one place for scripts/test.sh, scripts/run-demo.sh and .ci/run.
# Building: SQLite for the store (GRDB links the system's); X11, XTEST, XFixes, XDamage, libjpeg-turbo and zlib for the
# applet's remote desktop (XRandR for monitors; TurboJPEG linked in statically); libcurl for the applet's HTTP calls
# (Foundation's URLSession, linked against the system's libcurl when the Swift libraries are static); libqrencode for
# two-step enrolment QR codes; libsystemd's sd-bus for the applet's services view (L3).
BUILD_PACKAGES="libsqlite3-dev libcurl4-openssl-dev libx11-dev libxext-dev libxtst-dev libxfixes-dev libxdamage-dev libxrandr-dev libturbojpeg0-dev libvpx-dev libyuv-dev zlib1g-dev libqrencode-dev libsystemd-dev"
# Testing: GTK 4, gio (to open launchers) and a window manager (openbox) for the applet's window, headless Chromium and its driver, Python for the end-to-end suite, openssl for
# throw-away certificates, Xvfb with an xterm, xsetroot, xrandr, xwd, xprop, xdotool and xclip as the
# customer's screen, ffprobe (ffmpeg) to check recordings, curl for the install commands, and
# PostgreSQL for the suites' second database (scripts/postgres-for-tests.sh starts a throw-away server);
# colour emoji and Thai fonts, so the console's screenshots and text-fit checks see real glyphs;
# a D-Bus daemon with python3-dbusmock playing systemd for the services view (CI has no systemd as PID 1),
# systemd-journal-remote to make journal fixtures; procps (pgrep) to see what a script left running; rpm (and
# its rpmbuild) to list and remove an RPM package built by the tests; kmod (modinfo, depmod), xz-utils and gcc to
# build and read a kernel module file for the drivers view; systemd for systemd-analyze (the reboot and agent
# units); tzdata for the time zones the unattended agent reads (ZoneRules); openssh-server, iproute2 and
# avahi-daemon for the LAN connector's network of machines (SSH servers, one announcing itself over mDNS);
# haproxy to check deploy/haproxy.cfg; coturn, the TURN server a Lens call is relayed through (issue 22).
TEST_PACKAGES="tzdata coturn procps rpm openssh-server avahi-daemon haproxy iproute2 kmod xz-utils gcc systemd dbus-daemon python3-dbusmock systemd-journal-remote libgtk-4-1 libglib2.0-bin openbox chromium chromium-driver fonts-noto-color-emoji fonts-thai-tlwg python3-venv openssl xvfb xterm x11-xserver-utils x11-apps x11-utils x11-xkb-utils xdotool xclip ffmpeg sudo curl postgresql"

# Installs what is missing when running as root, or says what to install.
ensure_packages() {
  local missing=()
  for package in "$@"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Install first: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
}
