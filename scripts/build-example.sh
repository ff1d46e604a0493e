#!/usr/bin/env bash
# Builds the Yew example app (examples/yew-app/) for the browser: examples/yew-app/pkg/ with
# yew-app.js and yew-app_bg.wasm (wasm-bindgen, then npm binaryen's wasm-opt -Oz), as a Yew
# developer would ship it. Used by tests/e2e/yew-app.test.mjs.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
mkdir -p target && exec 9>target/.example.lock && flock 9
cargo build -q --release --example yew-app --target wasm32-unknown-unknown
out=examples/yew-app/pkg
rm -rf "$out" && mkdir -p "$out"
wasm-bindgen --target web --no-typescript --out-dir "$out" \
  target/wasm32-unknown-unknown/release/examples/yew-app.wasm
# binaryen from npm (never Debian's /usr/bin/wasm-opt: its output breaks at run time).
node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-reference-types --enable-mutable-globals \
  "$out/yew-app_bg.wasm" -o "$out/yew-app_bg.wasm"
