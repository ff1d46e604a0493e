// The consent log (consent-log/) with the real banner: Chromium decides on a page whose
// receiptEndpoint is a running collector on another origin; the receipt is in the log, chained,
// with the texts hash that `consent-log texts add` computed for the same site config.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { start, open, button, banner, until, hostPage, ROOT } from './harness.mjs';

const BIN = join(ROOT, 'consent-log/target/release/consent-log');
const TOKEN = 'e2e-admin-token-0123456789';
let env, dir, collector, collectorUrl, hashes;

const freePort = () => new Promise((ok) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
});

// The site's banner config: the page embeds it, `texts add` hashes it.
const SITE = {
  revision: 2,
  policyUrl: '/www/privacy-policy.html',
  categories: [
    { id: 'essential', label: 'Essential', required: true },
    { id: 'statistics', label: 'Usage statistics', description: 'Counts page views.' },
  ],
  texts: { en: { title: 'Cookies on this test site' } },
};

function cli(...args) {
  const r = spawnSync(BIN, args, { env: collectorEnv(), encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function collectorEnv() {
  return {
    ...process.env,
    CONSENT_LOG_DATABASE_URL: `sqlite://${join(dir, 'log.db')}`,
    CONSENT_LOG_ALLOWED_ORIGINS: env.url,
    CONSENT_LOG_ADMIN_TOKEN: TOKEN,
    CONSENT_LOG_LOG_FORMAT: 'text',
  };
}

async function api(path) {
  const r = await fetch(`${collectorUrl}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return { status: r.status, body: r.status === 200 ? await r.text() : '' };
}

/** Polls the collector until `consentId` has `n` receipts. */
async function receiptsOf(consentId, n) {
  for (let i = 0; i < 100; i++) {
    const r = await api(`/api/consents/${consentId}`);
    if (r.status === 200) {
      const report = JSON.parse(r.body);
      if (report.receipts.length >= n) return report.receipts;
    }
    await new Promise((ok) => setTimeout(ok, 100));
  }
  const health = await (await fetch(`${collectorUrl}/health`)).text();
  assert.fail(`no ${n} receipt(s) for ${consentId} in the log (collector: ${health})`);
}

before(async () => {
  // Up to date after `make test`'s log stages (then this takes a second).
  const built = spawnSync('cargo', ['build', '-q', '--release', '--manifest-path', join(ROOT, 'consent-log/Cargo.toml')], { stdio: 'inherit' });
  assert.equal(built.status, 0, 'consent-log builds');
  assert.ok(existsSync(BIN));
  env = await start();
  dir = mkdtempSync(join(tmpdir(), 'consent-log-e2e-'));
  writeFileSync(join(dir, 'site.json'), JSON.stringify(SITE));
  const added = cli('texts', 'add', '--config', join(dir, 'site.json'), '--lang-dir', join(ROOT, 'dist/lang'));
  assert.equal(added.status, 0, added.stderr);
  // "<sha256> <language> added", one line per language the banner can show (English, the
  // config's own, each file in dist/lang/).
  hashes = Object.fromEntries(added.stdout.trim().split('\n').map((l) => l.split(' ')).map(([h, lang]) => [lang, h]));
  const port = await freePort();
  collectorUrl = `http://127.0.0.1:${port}`;
  collector = spawn(BIN, ['serve'], { env: { ...collectorEnv(), CONSENT_LOG_LISTEN: `127.0.0.1:${port}` }, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  collector.stderr.on('data', (d) => { log += d; });
  for (let i = 0; ; i++) {
    try { if ((await fetch(`${collectorUrl}/health`)).ok) break; } catch {}
    if (i > 100) assert.fail(`the collector did not start: ${log}`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
});

after(async () => {
  if (collector) {
    const exited = new Promise((ok) => collector.once('exit', ok));
    collector.kill('SIGTERM');
    await exited;
  }
  await env?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// The page is a real file served by the real server: a page that Playwright fulfils has no
// address, so Chromium counts it as public and refuses its beacon to a loopback collector.
function page(lang) {
  const folder = join(ROOT, 'tests/e2e/artifacts');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, `consent-log-${lang}.html`),
    hostPage({ config: { ...SITE, receiptEndpoint: `${collectorUrl}/receipts` }, lang }));
  return `/tests/e2e/artifacts/consent-log-${lang}.html`;
}

test('consent log: the banner decides in Chromium and its receipt is in the log with the texts it showed', async () => {
  const { page: p, context } = await open(env.browser);
  await p.goto(`${env.url}${page('en')}`);
  await banner(p).waitFor();
  await button(p, 'accept').click();
  await until(p, () => localStorage.getItem('consent-banner') !== null);
  const record = JSON.parse(await p.evaluate(() => localStorage.getItem('consent-banner')));
  const [receipt] = await receiptsOf(record.id, 1);
  assert.equal(receipt.action, 'accept');
  assert.equal(receipt.source, 'banner');
  assert.equal(receipt.revision, 2);
  assert.deepEqual(receipt.categories, { essential: true, statistics: true });
  assert.equal(receipt.language, 'en');
  assert.equal(receipt.textsSha256, hashes.en, 'the banner hashed the texts as `texts add` did');
  assert.equal(receipt.texts.shown.title, 'Cookies on this test site', 'what the visitor saw, from the log');
  assert.deepEqual(receipt.texts.shown.categories.map((c) => c.label), ['Essential', 'Usage statistics']);
  assert.equal(receipt.client, null, 'nothing identifying stored');
  await context.close();
});

test('consent log: a German visitor declines: one decline receipt with the German texts hash; the chain verifies', async () => {
  const { page: p, context } = await open(env.browser, { locale: 'de-DE' });
  await p.goto(`${env.url}${page('de')}`);
  await banner(p).waitFor();
  await button(p, 'reject').click();
  await until(p, () => localStorage.getItem('consent-banner') !== null);
  const record = JSON.parse(await p.evaluate(() => localStorage.getItem('consent-banner')));
  const [receipt] = await receiptsOf(record.id, 1);
  assert.deepEqual([receipt.action, receipt.language, receipt.categories.statistics], ['decline', 'de', false]);
  assert.equal(receipt.textsSha256, hashes.de);
  assert.notEqual(hashes.de, hashes.en);
  const verified = cli('verify');
  assert.equal(verified.status, 0, verified.stdout + verified.stderr);
  assert.match(verified.stdout, /^ok: \d+ rows verify/);
  await context.close();
});

test('consent log: a page on an origin the collector does not serve gets its receipt refused, and nothing is stored', async () => {
  const health = async () => JSON.parse(await (await fetch(`${collectorUrl}/health`)).text());
  const rejectedBefore = (await health()).rejected;
  const before = (await api(`/api/export?from=0&to=99999999999999`)).body.trim().split('\n').filter(Boolean).length;
  const { page: p, context } = await open(env.browser);
  const other = env.url.replace('127.0.0.1', 'localhost');
  const beacons = [];
  p.on('request', (r) => { if (r.url().startsWith(collectorUrl)) beacons.push(r.method()); });
  await p.goto(`${other}${page('en')}`);
  await banner(p).waitFor();
  await button(p, 'accept').click();
  await until(p, () => localStorage.getItem('consent-banner') !== null);
  for (let i = 0; i < 50 && beacons.length === 0; i++) await p.waitForTimeout(100);
  assert.deepEqual(beacons, ['POST'], 'the banner sent its receipt');
  await p.waitForTimeout(300);
  const afterCount = (await api(`/api/export?from=0&to=99999999999999`)).body.trim().split('\n').filter(Boolean).length;
  assert.equal(afterCount, before, 'no receipt from an origin that is not allowed');
  assert.equal((await health()).rejected, rejectedBefore + 1, 'the collector refused it (403)');
  await context.close();
});
