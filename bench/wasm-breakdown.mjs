// What the shipped wasm is made of, by crate / module, from `twiggy top` on a copy of the release
// build that keeps its function names (wasm-bindgen without --remove-name-section, then the same
// wasm-opt -Oz as scripts/build.sh with -g). Needs twiggy (`cargo install twiggy`) and a build.
//   node bench/wasm-breakdown.mjs [--top 30]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { homedir } from 'node:os';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// scripts/wasm-pipeline.sh builds into target/std (build-std) or, with CB_STD_BUILD=0, target/.
const WASM = ['target/std', 'target'].map((d) => join(ROOT, d, 'wasm32-unknown-unknown/release/consent_banner.wasm'))
  .find((f) => existsSync(f));
const OUT = join(ROOT, 'target/wasm-breakdown');
const i = process.argv.indexOf('--top');
const top = i > 0 ? Number(process.argv[i + 1]) : 30;
const env = { ...process.env, PATH: `${homedir()}/.cargo/bin:${process.env.PATH}` };
const run = (cmd, args) => execFileSync(cmd, args, { cwd: ROOT, env, maxBuffer: 1 << 28 }).toString();

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
run('wasm-bindgen', ['--target', 'web', '--remove-producers-section', '--no-typescript', '--out-dir', OUT, '--out-name', 'ui', WASM]);
const named = join(OUT, 'named.wasm');
run(join(ROOT, 'node_modules/.bin/wasm-opt'), ['-Oz', '-g', '--enable-bulk-memory', '--enable-nontrapping-float-to-int',
  '--enable-sign-ext', '--enable-reference-types', '--enable-mutable-globals', join(OUT, 'ui_bg.wasm'), '-o', named]);

// CSV: Name,ShallowSize,ShallowSizePercent,RetainedSize,RetainedSizePercent
const rows = run('twiggy', ['top', '-n', '1000000', '--format', 'csv', named]).trim().split('\n').slice(1).map((line) => {
  const m = line.match(/^("(?:[^"]|"")*"|[^,]*),(\d+),/);
  return m ? { name: m[1].replace(/^"|"$/g, '').replace(/""/g, '"').replace(/\[[0-9a-f]+\]/g, ''), bytes: Number(m[2]) } : null;
}).filter(Boolean);

// The first rule that matches names the group.
const RULES = [
  [/^"function names" subsection$|^"\w+" subsection$|^custom section/, null], // names: not shipped
  [/^data segment/, 'data segments (strings, texts, CSS, tables)'],
  [/serde_json/, 'serde_json'],
  [/serde/, 'serde (derived Deserialize/Serialize)'],
  [/^<?consent_banner::(\w+)/, (m) => `consent_banner::${m[1]}`],
  [/^<?yew|yew::/, 'yew'],
  [/core::fmt|::fmt::|as core::fmt|escape_debug|Formatter|Display>|Debug>/, 'core::fmt (formatting)'],
  [/dlmalloc/, 'dlmalloc (allocator)'],
  [/web_sys/, 'web-sys'],
  [/js_sys/, 'js-sys'],
  [/wasm_bindgen|__wbindgen|__wbg|externref|multivalue shim/, 'wasm-bindgen glue'],
  [/gloo/, 'gloo'],
  [/hashbrown|indexmap|HashMap|BTreeMap|btree/, 'hash/btree maps'],
  [/panic|unwind/, 'panic machinery'],
  [/^<?(core|alloc|std)::|^<?(core|alloc|std)\[/, 'core/alloc/std'],
];
const groups = new Map();
let shipped = 0;
for (const r of rows) {
  let group = 'other (imports, types, tables, unnamed)';
  for (const [re, name] of RULES) {
    const m = r.name.match(re);
    if (!m) continue;
    group = typeof name === 'function' ? name(m) : name;
    break;
  }
  if (group === null) continue;
  shipped += r.bytes;
  groups.set(group, (groups.get(group) || 0) + r.bytes);
}

const pct = (n) => `${((100 * n) / shipped).toFixed(1)}%`;
console.log(`named build: ${named} (${statSync(named).size} bytes with names; ${shipped} bytes without)`);
console.log('\nby group (raw bytes, shallow):');
for (const [g, n] of [...groups].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(8)}  ${pct(n).padStart(6)}  ${g}`);
console.log(`\ntop ${top} items:`);
for (const r of rows.filter((r) => !/subsection$/.test(r.name)).slice(0, top)) {
  console.log(`  ${String(r.bytes).padStart(8)}  ${pct(r.bytes).padStart(6)}  ${r.name.slice(0, 150)}`);
}
