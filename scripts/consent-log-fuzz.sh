#!/usr/bin/env bash
# Fuzzes consent-log's receipt parser (consent-log/fuzz/): bodies any browser can send.
#   bash scripts/consent-log-fuzz.sh [SECONDS]   (default 20 s; what `make test` runs)
# Needs nightly and cargo-fuzz (scripts/fuzz.sh installs both); without them, it says so and exits 0.
# A crash fails, and its input is kept under consent-log/fuzz/artifacts/receipt/.
set -uo pipefail
cd "$(dirname "$0")/../consent-log"
export PATH="$HOME/.cargo/bin:$PATH"
seconds=${1:-20}
if ! rustup run nightly rustc --version >/dev/null 2>&1 || ! cargo fuzz --version >/dev/null 2>&1; then
  echo "log-fuzz: SKIPPED: no nightly toolchain or cargo-fuzz (bash scripts/fuzz.sh installs them)"; exit 0
fi
corpus=fuzz/corpus/receipt
mkdir -p "$corpus"
now=1796000000000
printf '{"v":1,"id":"3f0c1c9e-8a51-4c1e-9a8e-2b0a7f5d6e41","time":%s,"revision":1,"action":"custom","source":"banner","categories":{"essential":true,"functional":false,"statistics":true},"language":"en","textsSha256":"%s"}' \
  "$now" "$(printf '5d41%.0s' {1..16})" >"$corpus/readme"
printf '{"v":1,"id":"x","time":%s,"revision":2,"action":"gpc","source":"gpc","categories":{"essential":true,"marketing":false},"language":"de-AT","textsSha256":"%s"}' \
  "$now" "$(printf '0%.0s' {1..64})" >"$corpus/gpc"
cargo +nightly fuzz build -O -a receipt >fuzz/build.log 2>&1 || { tail -n 30 fuzz/build.log; echo "log-fuzz: build failed"; exit 1; }
log=fuzz/run.log
if cargo +nightly fuzz run -O -a receipt "$corpus" -- -max_total_time="$seconds" -max_len=8192 \
    -print_final_stats=1 >"$log" 2>&1; then
  echo "log-fuzz: ok: $(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$') runs"
else
  tail -n 40 "$log"
  echo "log-fuzz: FAILED (input kept in consent-log/fuzz/artifacts/receipt/)"
  exit 1
fi
