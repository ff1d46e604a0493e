#!/usr/bin/env bash
# The size floor of a Yew banner: builds bench/yew-floor (three buttons and a dialog, nothing
# else) with the shipped pipeline (scripts/wasm-pipeline.sh) and prints its brotli sizes.
#   bash bench/yew-floor.sh      (CB_STD_BUILD=0 for the plain stable build)
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/yew-floor-out
bash scripts/wasm-pipeline.sh bench/yew-floor yew_floor "$out" floor
br() { node -e 'const z=require("zlib"),f=require("fs");const b=f.readFileSync(process.argv[1]);process.stdout.write(String(z.brotliCompressSync(b,{params:{[z.constants.BROTLI_PARAM_QUALITY]:11}}).length))' "$1"; }
wasm=$(br "$out/floor_bg.wasm")
node_modules/.bin/terser "$out/floor.js" --module --ecma 2020 --compress passes=3 --mangle -o "$out/floor.min.js"
glue=$(br "$out/floor.min.js")
echo "yew floor (brotli): wasm $wasm B ($(stat -c %s "$out/floor_bg.wasm") raw), glue $glue B, together $((wasm + glue)) B"
