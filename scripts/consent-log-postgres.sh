#!/usr/bin/env bash
# Runs a command with a throw-away PostgreSQL: a fresh cluster in a temporary folder, on
# 127.0.0.1 and a free port, trust authentication; CONSENT_LOG_TEST_POSTGRES holds its base URL
# (postgres://postgres@127.0.0.1:PORT). Stopped and deleted afterwards, whatever the command did.
#   bash scripts/consent-log-postgres.sh cargo test --release --test log postgres_
# PostgreSQL refuses to run as root: as root, the server runs as the `postgres` user (Debian's
# package creates it; scripts/setup.sh test installs the package).
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/initdb" ] || { echo "consent-log-postgres: no PostgreSQL (bash scripts/setup.sh test installs it)" >&2; exit 1; }
dir=$(mktemp -d /tmp/consent-log-pg.XXXXXX)
as_pg=()
if [ "$(id -u)" = 0 ]; then
  chown postgres "$dir"
  as_pg=(runuser -u postgres --)
fi
# A free port: the kernel's choice for a socket bound to port 0.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
  || node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
stop() {
  "${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT
"${as_pg[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log"; exit 1; }
"${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200" start >/dev/null \
  || { cat "$dir/server.log"; exit 1; }
export CONSENT_LOG_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port"
echo "consent-log-postgres: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
status=0
"$@" || status=$?
exit $status
