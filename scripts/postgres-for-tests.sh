#!/usr/bin/env bash
# A throw-away PostgreSQL server for the test suites (Debian's postgresql package).
#   scripts/postgres-for-tests.sh start   → prints the server's URL; its folder is in the URL's host
#   scripts/postgres-for-tests.sh stop URL → stops it and removes its folder
# It listens on a Unix socket in a new folder under /tmp and on a free loopback port. initdb refuses
# to run as root, so as root it runs as the postgres user, in /tmp (the project's folder may be
# closed to other users). LIFELINE_PG_LISTEN adds addresses to listen on (a test's network
# namespace reaching it over a veth pair), trusted for the subnets they are on.
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)." >&2; exit 1; }
as_owner=()
if [ "$(id -u)" = 0 ]; then as_owner=(runuser -u postgres --); fi

case "${1:-}" in
start)
  dir=$(mktemp -d /tmp/lifeline-pg.XXXXXX)
  chmod 755 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  cd /tmp
  "${as_owner[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
  if [ -n "${LIFELINE_PG_LISTEN:-}" ]; then echo "host all all samenet trust" >>"$dir/data/pg_hba.conf"; fi
  "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start \
    -o "-k $dir -p $port -c listen_addresses=127.0.0.1${LIFELINE_PG_LISTEN:+,$LIFELINE_PG_LISTEN} -c fsync=off -c synchronous_commit=off -c max_connections=1000" >/dev/null
  echo "postgres://postgres@localhost:$port/postgres?host=$dir"
  ;;
stop)
  url=${2:?the URL that start printed}
  dir=${url##*host=}
  case "$dir" in /tmp/lifeline-pg.*) ;; *) echo "Not a test server: $url" >&2; exit 1 ;; esac
  cd /tmp
  "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null || true
  rm -rf "$dir"
  ;;
*)
  echo "usage: $0 start | stop URL" >&2
  exit 2
  ;;
esac
