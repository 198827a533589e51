# Sourced by the benchmarks that compare with scp and rsync (needs ROOT): a private temporary
# folder WORK removed on exit, a private sshd on 127.0.0.1:2222 with throw-away ed25519 keys
# (OpenSSH's default cipher) stopped on exit, SSH_OPTIONS to reach it, and the release gateway
# and applet built, in BIN.
WORK=$(mktemp -d)
SSHD_PID=""
cleanup() {
  [ -n "$SSHD_PID" ] && kill "$SSHD_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
if [ ! -x /usr/sbin/sshd ] || ! command -v rsync >/dev/null; then
  [ "$(id -u)" = 0 ] || { echo "needs openssh-server and rsync (run once as root to install them)" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-server openssh-client rsync >/dev/null
fi
ssh-keygen -q -t ed25519 -N "" -f "$WORK/host_key"
ssh-keygen -q -t ed25519 -N "" -f "$WORK/user_key"
cp "$WORK/user_key.pub" "$WORK/authorized_keys"
cat > "$WORK/sshd_config" <<CONFIG
Port 2222
ListenAddress 127.0.0.1
HostKey $WORK/host_key
AuthorizedKeysFile $WORK/authorized_keys
PidFile $WORK/sshd.pid
PermitRootLogin prohibit-password
PasswordAuthentication no
StrictModes no
UsePAM no
Subsystem sftp /usr/lib/openssh/sftp-server
CONFIG
mkdir -p /run/sshd
/usr/sbin/sshd -f "$WORK/sshd_config" -D & SSHD_PID=$!
sleep 1
SSH_OPTIONS="-i $WORK/user_key -o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no -o BatchMode=yes -o LogLevel=ERROR"

(cd "$ROOT" && swift build -c release --product lifeline-server && swift build -c release --product lifeline-applet) > "$WORK/build.log" 2>&1 \
  || { tail -30 "$WORK/build.log"; exit 1; }
BIN=$(cd "$ROOT" && swift build -c release --show-bin-path)
