#!/usr/bin/env bash
# Runs every check and test layer, installing what is missing first (scripts/setup.sh test).
# Ends with one summary line: "summary: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/setup.sh test || { echo "summary: 0 passed, 1 failed (setup)"; exit 1; }

logs=target/test-logs
mkdir -p "$logs"
passed=0 failed=0 failed_stages=() report=()

# stage NAME COMMAND...: runs it, keeps its log, counts the tests its runner reports.
stage() {
  local name=$1; shift
  local log="$logs/$name.log" start=$SECONDS
  printf '\033[1m== %s\033[0m\n' "$name"
  "$@" >"$log" 2>&1
  local status=$?
  local p f
  # cargo: "test result: ok. N passed; M failed"; node --test: "# pass N" / "# fail M".
  p=$(awk '/^test result:/ { for (i = 1; i < NF; i++) if ($(i+1) ~ /^passed/) s += $i } /^# pass / { s += $3 } END { print s + 0 }' "$log")
  f=$(awk '/^test result:/ { for (i = 1; i < NF; i++) if ($(i+1) ~ /^failed/) s += $i } /^# fail / { s += $3 } END { print s + 0 }' "$log")
  p=${p:-0} f=${f:-0}
  if [ $status -ne 0 ]; then
    tail -n 60 "$log"
    failed_stages+=("$name")
    [ "$f" -eq 0 ] && f=1
  fi
  passed=$((passed + p)) failed=$((failed + f))
  local counts=""
  [ "$p" -gt 0 ] || [ "$f" -gt 0 ] && counts=" ($p passed, $f failed)"
  report+=("$(printf '%-14s %s%s in %ss' "$name" "$([ $status -eq 0 ] && echo ok || echo FAILED)" "$counts" $((SECONDS - start)))")
  printf '   %s\n' "${report[-1]}"
}

# The browser tests: the UI and the prerendered layer, then a hydrated Yew SSR app (with Yew's
# hydration, a feature of its own: the other tests and the shipped wasm never carry it).
wasm_test() (
  export CHROMEDRIVER=/usr/bin/chromedriver
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
  status=0
  cargo test --target wasm32-unknown-unknown --features ssr --test web --test prerender_web || status=1
  cargo test --target wasm32-unknown-unknown --features hydration,ssr --test hydrate_web || status=1
  exit $status
)

stage fmt          cargo fmt --check
stage clippy-host  cargo clippy --all-targets --features ssr -- -D warnings
stage clippy-wasm  cargo clippy --target wasm32-unknown-unknown --lib --test web --test prerender_web --test hydrate_web --features talc,embed,hydration,ssr -- -D warnings
stage docs         env RUSTDOCFLAGS=-Dwarnings cargo doc --no-deps -q --features ssr
stage native       cargo test --features ssr
# The crate as a dependency (issue 19): it packages and its packaged copy builds, for a server
# (feature ssr, with the render command) and for a Yew app in wasm32.
stage package      bash -c 'cargo package -q --allow-dirty --features ssr && cargo package -q --allow-dirty --target wasm32-unknown-unknown --features talc,embed'
stage build        bash scripts/build.sh
stage example      bash scripts/build-example.sh
stage budget       node bench/check-budget.mjs
stage browser      wasm_test
# consent-log/ (its own crate): lint, tests on SQLite, the same tests on a throw-away PostgreSQL.
stage log-lint     bash -c 'cd consent-log && cargo fmt --check && cargo clippy --release --all-targets -- -D warnings'
stage log-sqlite   cargo test --release --manifest-path consent-log/Cargo.toml -- --skip postgres_
stage log-postgres bash scripts/consent-log-postgres.sh cargo test --release --manifest-path consent-log/Cargo.toml --test log postgres_
stage e2e          node --test --test-concurrency=1 tests/e2e/
stage fuzz         bash scripts/fuzz.sh 20
# Every public item has a doc example (rustdoc's lint, nightly only: after the fuzz stage, which
# installs nightly; skipped without it).
stage doc-examples bash -c 'if rustup toolchain list | grep -q "^nightly"; then CARGO_TARGET_DIR=target/nightly cargo +nightly rustdoc -q --lib --features ssr,schema -- -Z unstable-options -Z crate-attr="feature(rustdoc_missing_doc_code_examples)" -D missing_docs -D rustdoc::missing_doc_code_examples; else echo "doc-examples: no nightly toolchain, skipped"; fi'
stage log-fuzz     bash scripts/consent-log-fuzz.sh 20

echo
printf '%s\n' "${report[@]}"
if [ ${#failed_stages[@]} -gt 0 ]; then
  echo "failed stages: ${failed_stages[*]} (logs in $logs/)"
  echo "summary: $passed passed, $failed failed"
  exit 1
fi
echo "summary: $passed passed, $failed failed"
