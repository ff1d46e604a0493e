#!/usr/bin/env bash
# The consent-log benchmark: every request to 127.0.0.1, every phase bounded in count and time.
#   bash bench/consent-log/run.sh            SQLite, then PostgreSQL (a throw-away cluster)
#   SECONDS_PER_RUN=10 bash bench/consent-log/run.sh
# Phases per database: intake at full speed (64 connections, closed loop) and at a fixed 5,000/s
# (open loop, latency from the scheduled time); SIGKILL under load, restart, every acknowledged
# receipt present and the chain verifies; 10,000 malformed/oversized/hostile requests, only 4xx,
# nothing stored. Prints one JSON line per phase; results also in bench/results/consent-log.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
secs=${SECONDS_PER_RUN:-10}
log=$root/target/consent-log
bin=$root/consent-log/target/release/consent-log
bench=$root/bench/consent-log/target/release/consent-log-bench
mkdir -p "$root/bench/results"
out=$root/bench/results/consent-log.txt

if [ "${1:-}" != --phases ]; then
  cargo build -q --release --manifest-path consent-log/Cargo.toml
  cargo build -q --release --manifest-path bench/consent-log/Cargo.toml
  : >"$out"
  work=$(mktemp -d /tmp/consent-log-bench.XXXXXX)
  trap 'rm -rf "$work"' EXIT
  bash "$0" --phases sqlite "sqlite://$work/bench.db"
  # PostgreSQL: a fresh cluster (scripts/consent-log-postgres.sh), fsync and synchronous_commit on.
  bash scripts/consent-log-postgres.sh bash -c 'bash "$0" --phases postgres "$CONSENT_LOG_TEST_POSTGRES/postgres"' "$0"
  echo "results: $out"
  exit 0
fi

kind=$2 url=$3
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
export CONSENT_LOG_DATABASE_URL=$url CONSENT_LOG_LISTEN=127.0.0.1:$port \
  CONSENT_LOG_ALLOWED_ORIGINS=http://bench.test CONSENT_LOG_RATE_PER_MINUTE=0 CONSENT_LOG_LOG_FORMAT=json
mkdir -p "$log"
pid=
start_server() {
  "$bin" serve 2>>"$log/$kind-server.log" &
  pid=$!
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "server did not start (see $log/$kind-server.log)"; exit 1
}
stop_server() { kill -TERM "$pid"; wait "$pid" || true; }
# Each line carries the 1-minute load average: other work on the 2 cores shows in the tails.
report() { echo "$kind $1 $2 load=$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$out"; }
reset_db() {
  if [ "$kind" = sqlite ]; then rm -f "${url#sqlite://}"*; else
    psql -q "$url" -c 'DROP TABLE IF EXISTS receipts, chain_head, checkpoints, texts, _sqlx_migrations' >/dev/null; fi
}

reset_db
start_server
report intake-max "$("$bench" load --port "$port" --seconds "$secs" --max 300000 --conns 64)"
report intake-5000/s "$("$bench" load --port "$port" --seconds "$secs" --max 100000 --conns 64 --rate 5000)"
stop_server
report verify "$("$bin" verify 2>/dev/null | cut -c1-60)"

# SIGKILL under load: the load runs 8 s; the server is killed after 3 s and restarted.
reset_db
start_server
"$bench" load --port "$port" --seconds 8 --max 200000 --conns 64 --acked "$log/$kind-acked.txt" >"$log/$kind-kill-load.json" &
load=$!
sleep 3
kill -KILL "$pid"; wait "$pid" 2>/dev/null || true
sleep 0.5
start_server
wait "$load" || true
report kill-load "$(cat "$log/$kind-kill-load.json")"
stop_server
"$bin" export --from 0 --to 99999999999999 >"$log/$kind-export.ndjson" 2>/dev/null
report kill-check "$("$bench" check --acked "$log/$kind-acked.txt" --export "$log/$kind-export.ndjson")"
report kill-verify "$("$bin" verify 2>/dev/null | cut -c1-60)"

# Hostile bodies on an empty log: only 4xx, and still nothing stored.
reset_db
start_server
report hostile "$("$bench" hostile --port "$port" --count 10000)"
curl -sf "http://127.0.0.1:$port/health" >/dev/null && report hostile-alive ok
stop_server
report hostile-stored "$("$bin" verify 2>/dev/null | cut -c1-40)"
