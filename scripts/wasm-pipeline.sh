#!/usr/bin/env bash
# The wasm build pipeline shared by scripts/build.sh and bench/yew-floor.sh:
#   scripts/wasm-pipeline.sh MANIFEST_DIR LIB_NAME OUT_DIR OUT_NAME
# builds the crate's cdylib for wasm32 with size settings, runs wasm-bindgen (--target web) and
# npm binaryen's wasm-opt -Oz, and leaves OUT_DIR/OUT_NAME.js and OUT_DIR/OUT_NAME_bg.wasm.
#
# Size settings (measured in BENCHMARKS.md, "What was cut"):
# - the standard library is rebuilt with the crate (-Zbuild-std, needs the rust-src component,
#   which scripts/setup.sh adds) with `optimize_for_size`, and panics abort at once
#   (panic=immediate-abort): no panic message formatting in the wasm. A panic is an `unreachable`
#   trap; the loader reports it as consent:error kind "panic". RUSTC_BOOTSTRAP lets the pinned
#   stable toolchain take these unstable flags; set CB_STD_BUILD=0 for a plain stable build (the
#   size budget is set for the default).
# - real LTO: cargo build of a cdylib+rlib crate skips it; cargo rustc --crate-type cdylib does not.
set -euo pipefail
manifest=$1 lib=$2 out=$3 name=$4
root=$(cd "$(dirname "$0")/.." && pwd)
export PATH="$HOME/.cargo/bin:$PATH"
target_dir="$root/target"
[ "$(cd "$manifest" && pwd)" = "$root" ] || target_dir="$root/target/$(basename "$manifest")"

# Panic locations name source files: short, machine-independent paths instead of this machine's.
flags="--remap-path-prefix=$root=cb"
for registry in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do
  flags="$flags --remap-path-prefix=${registry%/}=r"
done
std=()
if [ "${CB_STD_BUILD:-1}" = 1 ]; then
  export RUSTC_BOOTSTRAP=1
  flags="$flags -Zunstable-options -Cpanic=immediate-abort"
  std=(-Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size)
  target_dir="$target_dir/std"
fi
# CB_FEATURES: cargo features of the crate to build (scripts/build.sh: the shipped allocator and the
# embed's JavaScript exports).
features=()
[ -n "${CB_FEATURES:-}" ] && features=(--features "$CB_FEATURES")
(cd "$manifest" && RUSTFLAGS="$flags" cargo rustc -q --lib --release --target wasm32-unknown-unknown \
  --crate-type cdylib --target-dir "$target_dir" "${std[@]}" "${features[@]}")

bindgen="$target_dir/bindgen-$name"
rm -rf "$bindgen" && mkdir -p "$bindgen" "$out"
wasm-bindgen --target web --remove-name-section --remove-producers-section --no-typescript \
  --out-dir "$bindgen" --out-name "$name" "$target_dir/wasm32-unknown-unknown/release/$lib.wasm"
cp "$bindgen/$name.js" "$out/$name.js"
# binaryen from npm (never Debian's /usr/bin/wasm-opt: its output breaks at run time).
# --converge repeats -Oz until the module stops shrinking (~0.2% more, 2 s).
wasm_opt="$root/node_modules/.bin/wasm-opt"
wasm_features=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-reference-types --enable-mutable-globals)
"$wasm_opt" -Oz --converge "${wasm_features[@]}" "$bindgen/${name}_bg.wasm" -o "$out/${name}_bg.wasm"
# Short import, export and module names in the wasm and the glue, instead of wasm-bindgen's
# hashed ones (3.8 KB brotli less in all; see the script).
node "$root/scripts/wasm-minify-names.mjs" "$wasm_opt" "$out/${name}_bg.wasm" "$out/$name.js" "${wasm_features[@]}"
# The module name only (a few bytes), so a trap's stack names our wasm even when it was not
# compiled from its response (see scripts/wasm-module-name.mjs).
node "$root/scripts/wasm-module-name.mjs" "$out/${name}_bg.wasm" "$name"
