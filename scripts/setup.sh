#!/usr/bin/env bash
# Installs what the project needs and is missing; safe to run twice.
#   scripts/setup.sh demo   the wasm32 target, rust-src, wasm-bindgen-cli (version from Cargo.lock), npm packages
#   scripts/setup.sh test   the same, plus rustfmt, clippy, Debian's chromium and chromium-driver,
#                           and Debian's postgresql (consent-log's tests)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-demo}
say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

if [ "$mode" = test ]; then
  missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
  # consent-log's integration tests run against a real PostgreSQL (scripts/consent-log-postgres.sh).
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]} (apt)"
    sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  for component in rustfmt clippy; do
    rustup component list --installed 2>/dev/null | grep -q "^$component" || rustup component add "$component"
  done
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The shipped wasm rebuilds the standard library for size (scripts/wasm-pipeline.sh).
if ! rustup component list --installed 2>/dev/null | grep -q '^rust-src'; then
  say "adding the rust-src component (the wasm build rebuilds std for size)"
  rustup component add rust-src
fi

# wasm-bindgen-cli must match the wasm-bindgen crate exactly (Cargo.toml pins it with =).
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$have" != "$want" ]; then
  say "installing wasm-bindgen-cli $want (a few minutes)"
  # Without --locked: with it, a dependency version is missing from the registry.
  cargo install -q wasm-bindgen-cli --version "$want"
fi

if ! npm ls --depth=0 >/dev/null 2>&1; then
  say "installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi
