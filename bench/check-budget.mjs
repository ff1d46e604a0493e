// Fails when a shipped file in dist/ (or their total) is bigger, in brotli, than bench/budget.json
// allows, printing the size when the budget was set ("before") and now ("after").
// Also fails for a shipped file that has no budget, or a budgeted file that is missing.
//   node bench/check-budget.mjs [--dist dist] [--budget bench/budget.json]
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sizes } from '../scripts/size-report.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const dist = resolve(ROOT, arg('dist', 'dist'));
const budgetFile = resolve(ROOT, arg('budget', 'bench/budget.json'));

if (!existsSync(dist)) {
  console.error(`budget: ${dist} does not exist; run bash scripts/build.sh first`);
  process.exit(1);
}
const budget = JSON.parse(readFileSync(budgetFile, 'utf8'));
const limits = budget.limits.files;
const before = budget.measured.files;
const targets = (budget.targets && budget.targets.files) || {};
const rows = sizes(dist);
// The language files (dist/lang/): a first visit fetches at most one, so the largest counts, as
// "lang/*.json", in the total.
if (existsSync(join(dist, 'lang'))) {
  const langs = sizes(join(dist, 'lang'), /\.json$/);
  const largest = langs.reduce((a, b) => (b.brotli > a.brotli ? b : a), langs[0]);
  if (largest) rows.push({ ...largest, file: 'lang/*.json' });
}
const problems = [];

const pad = (s, n) => String(s ?? '–').padStart(n);
const line = (name, was, now, limit, target) =>
  `  ${name.padEnd(28)}${pad(was, 8)} ${pad(now, 8)} ${pad(limit, 8)} ${pad(target, 8)}`;
console.log(`budget (brotli bytes)              before    after    limit   target`);

for (const r of rows) {
  let mark = '';
  if (!(r.file in limits)) {
    problems.push(`${r.file}: shipped but has no budget in ${join('bench', 'budget.json')}`);
    mark = '  <- no budget';
  } else if (r.brotli > limits[r.file]) {
    problems.push(`${r.file}: ${r.brotli} bytes, over its limit of ${limits[r.file]} (was ${before[r.file] ?? '?'}, +${r.brotli - (before[r.file] ?? 0)})`);
    mark = '  <- OVER';
  }
  console.log(line(r.file, before[r.file], r.brotli, limits[r.file], targets[r.file]) + mark);
}
for (const name of Object.keys(limits)) {
  if (!rows.some((r) => r.file === name)) problems.push(`${name}: has a budget but is not in ${dist}`);
}
// The total is the one-script-tag first visit (issue 17's target). A page with a prerendered
// first layer (issue 16) loads other builds instead: consent-banner-prerendered.js instead of the
// loader, and, when the visitor opens the preferences, the UI without a first layer of its own
// (consent-banner-ui-pre*) instead of the UI. They have their own limits and are not added; that
// page's first visit that opens the preferences is printed below the total (its HTML's snippet
// aside: BENCHMARKS.md "Prerendered first layer").
const ALTERNATIVE = {
  'consent-banner-prerendered.js': 'consent-banner.js',
  'consent-banner-ui-pre.js': 'consent-banner-ui.js',
  'consent-banner-ui-pre_bg.wasm': 'consent-banner-ui_bg.wasm',
};
const total = rows.filter((r) => !(r.file in ALTERNATIVE)).reduce((t, r) => t + r.brotli, 0);
const totalOver = total > budget.limits.total;
if (totalOver) {
  problems.push(`total: ${total} bytes, over its limit of ${budget.limits.total} (was ${budget.measured.total}, +${total - budget.measured.total})`);
}
console.log(line('total', budget.measured.total, total, budget.limits.total, budget.targets && budget.targets.total) + (totalOver ? '  <- OVER' : ''));
const size = (file) => rows.find((r) => r.file === file)?.brotli ?? 0;
const prerendered = Object.entries(ALTERNATIVE).reduce((t, [file, instead]) => t - size(instead) + size(file), total);
console.log(`  (a prerendered page's first visit that opens the preferences, its builds instead: ${prerendered})`);

if (problems.length) {
  console.error('\nbudget exceeded:');
  for (const p of problems) console.error(`  ${p}`);
  console.error('Make it smaller (twiggy top on the wasm shows what grew), or, when the growth is worth it, raise the limit in bench/budget.json and say why in the commit.');
  process.exit(1);
}
console.log('budget: ok');
