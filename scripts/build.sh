#!/usr/bin/env bash
# Builds dist/: the loader, the wasm UI and its glue, then prints the size report.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
# One build at a time (parallel test runs share target/ and dist/).
mkdir -p target && exec 9>target/.build.lock && flock 9

out=target/dist-staging
rm -rf "$out" && mkdir -p "$out"
# The wasm UI and its glue: build-std for size, LTO, wasm-bindgen, wasm-opt -Oz (see the script).
CB_FEATURES=talc,embed bash scripts/wasm-pipeline.sh . consent_banner target/wasm-out consent-banner-ui
cp target/wasm-out/consent-banner-ui_bg.wasm "$out/"

terser() { node_modules/.bin/terser "$@" --ecma 2020 --compress passes=3 --mangle --comments '/^!/'; }
terser --module target/wasm-out/consent-banner-ui.js -o "$out/consent-banner-ui.js"
# Two builds of the loader from one source: consent-banner.js (the one-script-tag embed) without
# the blocks marked /*+prerender*/ ... /*-prerender*/, and consent-banner-prerendered.js with them,
# for pages with a prerendered first layer (README "Prerendered first layer").
node -e 'const fs = require("fs");
  fs.writeFileSync(process.argv[2], fs.readFileSync(process.argv[1], "utf8").replace(/\/\*\+prerender\*\/[\s\S]*?\/\*-prerender\*\//g, ""));' \
  www/consent-banner.js target/consent-banner.plain.js
terser target/consent-banner.plain.js -o "$out/consent-banner.js"
terser www/consent-banner.js -o "$out/consent-banner-prerendered.js"
terser --module www/consent-banner-extra.js -o "$out/consent-banner-extra.js"
cp LICENSE* "$out/" 2>/dev/null || true
cp www/consent-banner.schema.json "$out/"
# The language files (English is built into the UI): one small JSON file each, fetched only when
# that language is chosen.
if compgen -G "www/lang/*.json" >/dev/null; then
  mkdir -p "$out/lang"
  # Minified: the visitor needs no indentation.
  node -e 'const fs = require("fs");
    for (const f of process.argv.slice(2)) fs.writeFileSync(process.argv[1] + "/" + f.split("/").pop(), JSON.stringify(JSON.parse(fs.readFileSync(f, "utf8"))));' "$out/lang" www/lang/*.json
fi

# Swap in one step, so a test or server reading dist/ never sees it half-built.
rm -rf target/dist-old
[ -d dist ] && mv dist target/dist-old
mv "$out" dist
rm -rf target/dist-old

# Subresource Integrity for the snippet (sha384, base64), as README "Five minutes" uses it.
node -e '
  const { createHash } = require("node:crypto"), { readFileSync } = require("node:fs");
  const sri = (f) => "sha384-" + createHash("sha384").update(readFileSync("dist/" + f)).digest("base64");
  for (const f of ["consent-banner.js", "consent-banner-prerendered.js", "consent-banner-extra.js", "consent-banner-ui.js", "consent-banner-ui_bg.wasm"]) console.log(`  ${f.padEnd(28)}${sri(f)}`);
  console.log("\nsnippet (adjust the path to where dist/ is served):");
  console.log(`  <script src="/consent-banner/consent-banner.js" integrity="${sri("consent-banner.js")}" crossorigin="anonymous"></script>\n`);
' | sed '1i subresource integrity (dist/)'

node scripts/size-report.mjs dist
