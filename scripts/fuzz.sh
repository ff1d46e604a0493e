#!/usr/bin/env bash
# Fuzzes the parsers of untrusted text (fuzz/): the config, the stored record, the rich text.
#   bash scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]   (default 20 s, every target)
# Installs cargo-fuzz and the nightly toolchain when missing. When nightly cannot be had, it says
# so and exits 0 (skipped), since the stable layers already ran. A crash fails, and its input is
# kept under fuzz/artifacts/<target>/ (replay: cargo +nightly fuzz run <target> <file>).
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
seconds=${1:-20}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(config record richtext)

if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  rustup toolchain install nightly --profile minimal >/dev/null 2>&1 || {
    echo "fuzz: SKIPPED: no nightly toolchain (rustup toolchain install nightly failed)"; exit 0; }
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --version '^0.13' >/dev/null 2>&1 || {
    echo "fuzz: SKIPPED: cargo install cargo-fuzz failed"; exit 0; }
fi

# Seeds: the shared record vectors and the README's example config, so runs start from real shapes.
corpus=target/fuzz-corpus
mkdir -p "$corpus"/{config,record,richtext}
node -e '
  const fs = require("fs"), v = JSON.parse(fs.readFileSync("tests/vectors/records.json", "utf8"));
  v.cases.forEach((c, i) => c.stored !== null && fs.writeFileSync(`'"$corpus"'/record/vector-${i}`, c.stored));
  fs.writeFileSync("'"$corpus"'/config/vectors", JSON.stringify(v.config));
  fs.writeFileSync("'"$corpus"'/config/full", JSON.stringify({revision: 2, policyUrl: "/p", layout: "corner",
    cookie: {name: "c", sameSite: "Strict"}, language: "de", texts: {de: {title: "T", categories: {statistics: {label: "S"}}}},
    googleConsentMode: {map: {statistics: ["analytics_storage"]}, region: ["DE"]}, receiptEndpoint: "/r"}));
  fs.writeFileSync("'"$corpus"'/richtext/summary", "We log **IP**.\n\n* one [policy](/p)\n- [x](javascript:y) two");
' 2>/dev/null || true

# Builds once, with overflow checks (-a); the first build of the dependencies takes minutes.
cargo +nightly fuzz build -O -a >target/fuzz-build.log 2>&1 || {
  tail -n 30 target/fuzz-build.log; echo "fuzz: build failed"; exit 1; }
status=0
for t in "${targets[@]}"; do
  echo "== fuzz $t for ${seconds}s"
  if cargo +nightly fuzz run -O -a "$t" "$corpus/$t" -- -max_total_time="$seconds" -max_len=8192 \
      -print_final_stats=1 >"target/fuzz-$t.log" 2>&1; then
    echo "   ok: $(grep -o 'stat::number_of_executed_units: *[0-9]*' "target/fuzz-$t.log" | grep -o '[0-9]*$') runs"
  else
    status=1
    tail -n 40 "target/fuzz-$t.log"
    echo "   FAILED: $t (input kept in fuzz/artifacts/$t/)"
  fi
done
exit $status
