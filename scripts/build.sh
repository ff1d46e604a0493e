#!/usr/bin/env bash
# Builds dist/: the loader, the wasm UI and its glue, then prints the size report.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
# One build at a time (parallel test runs share target/ and dist/).
mkdir -p target && exec 9>target/.build.lock && flock 9

# Panic locations name source files: short, machine-independent paths instead of this machine's.
remap="--remap-path-prefix=$PWD=cb"
for registry in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do
  remap="$remap --remap-path-prefix=${registry%/}=r"
done
# cargo build of a cdylib+rlib crate skips LTO; cargo rustc with --crate-type cdylib does not.
RUSTFLAGS="$remap" cargo rustc -q --lib --release --target wasm32-unknown-unknown --crate-type cdylib
out=target/dist-staging
rm -rf "$out" target/bindgen && mkdir -p "$out" target/bindgen
wasm-bindgen --target web --remove-name-section --remove-producers-section --no-typescript \
  --out-dir target/bindgen --out-name consent-banner-ui \
  target/wasm32-unknown-unknown/release/consent_banner.wasm

# binaryen from npm (never Debian's /usr/bin/wasm-opt: its output breaks at run time).
node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-reference-types --enable-mutable-globals \
  target/bindgen/consent-banner-ui_bg.wasm -o "$out/consent-banner-ui_bg.wasm"

terser() { node_modules/.bin/terser "$@" --ecma 2020 --compress passes=3 --mangle --comments '/^!/'; }
terser --module target/bindgen/consent-banner-ui.js -o "$out/consent-banner-ui.js"
terser www/consent-banner.js -o "$out/consent-banner.js"
terser --module www/consent-banner-extra.js -o "$out/consent-banner-extra.js"
cp LICENSE* "$out/" 2>/dev/null || true
cp www/consent-banner.schema.json "$out/"

# Swap in one step, so a test or server reading dist/ never sees it half-built.
rm -rf target/dist-old
[ -d dist ] && mv dist target/dist-old
mv "$out" dist
rm -rf target/dist-old

# Subresource Integrity for the snippet (sha384, base64), as README "Five minutes" uses it.
node -e '
  const { createHash } = require("node:crypto"), { readFileSync } = require("node:fs");
  const sri = (f) => "sha384-" + createHash("sha384").update(readFileSync("dist/" + f)).digest("base64");
  for (const f of ["consent-banner.js", "consent-banner-extra.js", "consent-banner-ui.js", "consent-banner-ui_bg.wasm"]) console.log(`  ${f.padEnd(28)}${sri(f)}`);
  console.log("\nsnippet (adjust the path to where dist/ is served):");
  console.log(`  <script src="/consent-banner/consent-banner.js" integrity="${sri("consent-banner.js")}" crossorigin="anonymous"></script>\n`);
' | sed '1i subresource integrity (dist/)'

node scripts/size-report.mjs dist
