// Gives the wasm's imports, exports and import module one- or two-letter names, and renames them
// in the wasm-bindgen glue to match.
//
//   node scripts/wasm-minify-names.mjs <wasm-opt> <module.wasm> <glue.js> [wasm-opt feature flags...]
//
// wasm-bindgen names every import after the JS function it wraps plus a 16-hex-digit hash
// (`__wbg_preventDefault_cfb06b02e7406899`), its closure shims after their full Rust types, and
// puts each name in both files: 140 imports, ~8 KB of names in the wasm and again in the glue,
// the hashes incompressible. Binaryen's `--minify-imports-and-exports-and-modules` renames them
// in the wasm and prints the mapping; this script applies it to the glue (before terser), where
// the names occur in exactly three shapes:
//   - the import object's keys:       `    __wbg_preventDefault_cfb06b02e7406899: function(`
//   - its module key:                 `"./consent-banner-ui_bg.js": import0`
//   - the wasm's exports, as read:    `wasm.mount(`, `wasm.__wbindgen_malloc`
// Each must match exactly as expected (every import key once, the module key once, no `wasm.`
// access to an old export name left), else the build stops: a wasm-bindgen release that changes
// the glue's shape is found here, not by a banner that fails to instantiate.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const [wasmOpt, wasmPath, gluePath, ...features] = process.argv.slice(2);
if (!wasmOpt || !wasmPath || !gluePath) {
  console.error('usage: node scripts/wasm-minify-names.mjs <wasm-opt> <module.wasm> <glue.js> [flags...]');
  process.exit(2);
}
const fail = (message) => {
  console.error(`wasm-minify-names: ${message}`);
  process.exit(1);
};
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const before = readFileSync(wasmPath).length;
const stdout = execFileSync(
  wasmOpt,
  [...features, '--minify-imports-and-exports-and-modules', wasmPath, '-o', wasmPath],
  { encoding: 'utf8', maxBuffer: 1 << 26 },
);
let map;
try {
  map = JSON.parse(stdout);
} catch (e) {
  fail(`wasm-opt printed no mapping (${e.message})`);
}
if (!Array.isArray(map.imports) || !Array.isArray(map.exports)) fail('unexpected mapping shape');

let glue = readFileSync(gluePath, 'utf8');
const replaceOnce = (pattern, replacement, what) => {
  const found = glue.match(new RegExp(pattern.source, pattern.flags + 'g'))?.length ?? 0;
  if (found != 1) fail(`${what}: expected once in the glue, found ${found} times`);
  glue = glue.replace(pattern, replacement);
};

// The import module: one module for all imports (the glue's own), and its key in the glue.
const modules = new Set(map.imports.map(([module]) => module));
if (modules.size != 1) fail(`expected one import module, found ${[...modules].join(', ')}`);
const module = [...modules][0];
const newModule = WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(wasmPath)))[0]?.module;
if (!newModule) fail('the minified wasm has no imports');
replaceOnce(new RegExp(`(["'])${escape(module)}\\1(?=: import0\\b)`), JSON.stringify(newModule), `module "${module}"`);

for (const [, name, short] of map.imports) {
  replaceOnce(new RegExp(`^(\\s+)${escape(name)}(?=: function\\()`, 'm'), `$1${short}`, `import ${name}`);
}

// Exports: every `wasm.<name>` access (whole names only: `wasm.ui_set` is not `wasm.ui_setX`).
const exports = new Map(map.exports);
for (const [name, short] of exports) {
  glue = glue.replace(new RegExp(`\\bwasm\\.${escape(name)}\\b`, 'g'), `wasm.${short}`);
}
const shorts = new Set(exports.values());
for (const [, name] of glue.matchAll(/\bwasm\.([A-Za-z_$][\w$]*)/g)) {
  if (!shorts.has(name)) fail(`the glue reads wasm.${name}, which the wasm does not export`);
}

writeFileSync(gluePath, glue);
const after = readFileSync(wasmPath).length;
console.log(`wasm-minify-names: ${map.imports.length} imports, ${map.exports.length} exports renamed; wasm ${before} -> ${after} B`);
