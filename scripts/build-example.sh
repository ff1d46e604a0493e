#!/usr/bin/env bash
# Builds the Yew example app (examples/yew-app/) for the browser: examples/yew-app/pkg/ with
# yew-app.js and yew-app_bg.wasm (release profile, wasm-bindgen, then npm binaryen's wasm-opt
# -Oz), as a Yew developer would ship it. Used by tests/e2e/yew-app.test.mjs.
#   bash scripts/build-example.sh           the app
#   bash scripts/build-example.sh --sizes   also the same app without the banner
#                                           (yew-app-plain), and the brotli size of each wasm
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
mkdir -p target && exec 9>target/.example.lock && flock 9
out=examples/yew-app/pkg
rm -rf "$out" && mkdir -p "$out"

# build NAME: target/.../examples/NAME.wasm -> $out/NAME.js and $out/NAME_bg.wasm
build() {
  cargo build -q --release --example "$1" --target wasm32-unknown-unknown
  wasm-bindgen --target web --no-typescript --out-dir "$out" \
    "target/wasm32-unknown-unknown/release/examples/$1.wasm"
  # binaryen from npm (never Debian's /usr/bin/wasm-opt: its output breaks at run time).
  node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-reference-types --enable-mutable-globals \
    "$out/$1_bg.wasm" -o "$out/$1_bg.wasm"
}

build yew-app
if [ "${1:-}" = --sizes ]; then
  build yew-app-plain
  node -e '
    const { readFileSync } = require("fs"), z = require("zlib");
    const size = (f) => { const b = readFileSync(f); return [b.length, z.gzipSync(b, { level: 9 }).length,
      z.brotliCompressSync(b, { params: { [z.constants.BROTLI_PARAM_QUALITY]: 11 } }).length]; };
    console.log("wasm of the example app (release, wasm-opt -Oz)   raw     gzip   brotli");
    for (const [name, label] of [["yew-app-plain", "without the banner"], ["yew-app", "with ConsentProvider"]]) {
      const [r, g, b] = size(process.argv[1] + "/" + name + "_bg.wasm");
      console.log(`  ${label.padEnd(46)}${String(r).padStart(7)}${String(g).padStart(9)}${String(b).padStart(9)}`);
    }' "$out"
  rm -f "$out"/yew-app-plain*
fi
