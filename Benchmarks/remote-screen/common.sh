# What the screen benchmarks share (sourced by remote-screen/run.sh and browser-screen/run.sh):
# the kit copied and built, the two displays (customer :99, viewer :98, 1920x1080), release
# builds, a gateway on $PORT with a benchmark account, `api` and `sent` (bytes the gateway sent).
# Needs ROOT and PORT set; leaves the shell in the kit's copy, with BIN, TOKEN, EMAIL, PASSWORD, WORK.
KIT_SOURCE=${BENCH_KIT:-$ROOT/../shared/bench}
WORK=$(mktemp -d)
cp -r "$KIT_SOURCE" "$WORK/bench"
KIT=$WORK/bench
cd "$KIT"
if [ "$(id -u)" = 0 ]; then make deps >/dev/null 2>&1 || true; fi
make >/dev/null
mkdir -p out

cleanup() {
  for pid in ${PIDS:-}; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
PIDS=""
Xvfb :99 -screen 0 1920x1080x24 -noreset -nolisten tcp >/dev/null 2>&1 & PIDS="$PIDS $!"
Xvfb :98 -screen 0 1920x1080x24 -noreset -nolisten tcp >/dev/null 2>&1 & PIDS="$PIDS $!"
sleep 1

build_release() {
  if ! (cd "$ROOT" && swift build -c release --product lifeline-server && swift build -c release --product lifeline-applet) > "$WORK/build.log" 2>&1; then
    tail -30 "$WORK/build.log"
    exit 1
  fi
  BIN=$(cd "$ROOT" && swift build -c release --show-bin-path)
}

EMAIL=bench@lifeline.test
PASSWORD="benchmark password 1"
start_gateway() {
  LIFELINE_ADMIN_EMAIL=$EMAIL LIFELINE_ADMIN_PASSWORD=$PASSWORD "$BIN/lifeline-server" --host 127.0.0.1 --port "$PORT" \
    --data-dir "$WORK/data" --web-root "$ROOT/Web" > "$WORK/gateway.log" 2>&1 & PIDS="$PIDS $!"
  for _ in $(seq 50); do curl -fs "http://127.0.0.1:$PORT/api/v1/health" >/dev/null && break; sleep 0.2; done
  TOKEN=$(api -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" "http://127.0.0.1:$PORT/api/v1/auth/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
}
# A PIN session with the applet joined on the customer display (:99, or APPLET_DISPLAY), Started: sets ID and APPLET.
start_applet_session() {
  local log=$1 session pin
  session=$(api -d '{"name":"Benchmark","method":"pin"}' "http://127.0.0.1:$PORT/api/v1/sessions")
  ID=$(echo "$session" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  pin=$(echo "$session" | python3 -c 'import json,sys; print(json.load(sys.stdin)["pin"])')
  DISPLAY=${APPLET_DISPLAY:-:99} "$BIN/lifeline-applet" --gateway "http://127.0.0.1:$PORT" --pin "$pin" --non-interactive --remote-consent accept \
    < <(sleep 100000) > "$log" 2>&1 & APPLET=$!; PIDS="$PIDS $APPLET"
  for _ in $(seq 50); do grep -q WELCOME "$log" && break; sleep 0.2; done
  api -X POST "http://127.0.0.1:$PORT/api/v1/sessions/$ID/start" >/dev/null
}
# Bytes a client process (its name matched in ss's users column) `sent` or `received` on its sockets to the gateway.
client_bytes() {
  ss -tinpH state established "( dport = :$PORT )" | awk -v who="$1" -v field="bytes_$2:" '
    $0 ~ who { want = 1; next }
    want { if (match($0, field "[0-9]+")) print substr($0, RSTART + length(field), RLENGTH - length(field)); want = 0 }' | paste -sd+ | bc
}
api() { curl -fs -H "Content-Type: application/json" ${TOKEN:+-H "Authorization: Bearer $TOKEN"} "$@"; }
sent() { ss -tinH state established "( sport = :$PORT )" | grep -o 'bytes_sent:[0-9]*' | cut -d: -f2 | paste -sd+ | bc; }
