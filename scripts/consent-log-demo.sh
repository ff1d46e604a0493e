#!/usr/bin/env bash
# `make demo`'s consent log: builds consent-log, starts it with SQLite (target/consent-log-demo.db)
# on 127.0.0.1:${LOG_PORT:-8787}, stores the demo's texts by hash, writes a copy of the demo page whose
# config sends receipts to it, then runs the given command (the demo server); the collector stops
# with it.
#   bash scripts/consent-log-demo.sh PORT COMMAND...
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
port=$1; shift
log_port=${LOG_PORT:-8787}
echo "consent-log: building (the first time takes a few minutes)"
cargo build -q --release --manifest-path consent-log/Cargo.toml
bin=consent-log/target/release/consent-log
export CONSENT_LOG_DATABASE_URL=sqlite://target/consent-log-demo.db
export CONSENT_LOG_LISTEN=127.0.0.1:$log_port
export CONSENT_LOG_ALLOWED_ORIGINS=http://127.0.0.1:$port,http://localhost:$port
export CONSENT_LOG_ADMIN_TOKEN=${CONSENT_LOG_ADMIN_TOKEN:-demo-admin-token-change-me}
export CONSENT_LOG_LOG_FORMAT=text

# The demo page with "receiptEndpoint" added to its config, served from target/ (<base> keeps its links).
mkdir -p target/consent-log-demo
endpoint="http://127.0.0.1:$log_port/receipts"
node -e '
  const fs = require("fs");
  const [endpoint, out] = process.argv.slice(1);
  let html = fs.readFileSync("one-tag.html", "utf8");
  const re = /(<script type="application\/json" id="consent-banner-config">)([\s\S]*?)(<\/script>)/;
  const config = JSON.parse(html.match(re)[2]);
  config.receiptEndpoint = endpoint;
  html = html.replace(re, (_, a, b, c) => a + JSON.stringify(config) + c).replace("<head>", "<head><base href=\"/\">");
  fs.writeFileSync(out + "/index.html", html);
  fs.writeFileSync(out + "/site.json", JSON.stringify(config));
' "$endpoint" target/consent-log-demo
"$bin" texts add --config target/consent-log-demo/site.json >/dev/null

"$bin" serve &
collector=$!
trap 'kill -TERM $collector 2>/dev/null; wait $collector 2>/dev/null || true' EXIT INT TERM
cat <<MSG

  demo:          http://127.0.0.1:$port/   (the banner prerendered; one script tag: /one-tag.html)
  demo + log:    http://127.0.0.1:$port/target/consent-log-demo/   (its receipts go to the consent log)
  consent log:   $endpoint   (SQLite: target/consent-log-demo.db)
  try:           CONSENT_LOG_DATABASE_URL=$CONSENT_LOG_DATABASE_URL $bin export --from 2020-01-01 --to 2100-01-01
                 CONSENT_LOG_DATABASE_URL=$CONSENT_LOG_DATABASE_URL $bin verify

MSG
"$@"
