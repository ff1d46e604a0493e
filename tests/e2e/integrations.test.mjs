// Integrations, seen as the host page sees them: Google Consent Mode entries in dataLayer, Global
// Privacy Control, consent receipt beacons, dist/ served from anywhere, config errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, open, banner, button, until, countOf, ROOT } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

/** dataLayer as plain arrays (gtag pushes `arguments` objects) and objects. */
const dataLayer = (page) => page.evaluate(() => (window.dataLayer || []).map((e) =>
  Object.prototype.toString.call(e) === '[object Arguments]' ? Array.from(e) : e));

const consentCalls = async (page) => (await dataLayer(page)).filter((e) => Array.isArray(e) && e[0] === 'consent');

const ALL_DENIED = {
  security_storage: 'granted', // mapped to the required category
  analytics_storage: 'denied', ad_user_data: 'denied', ad_storage: 'denied', ad_personalization: 'denied',
};

/** Serves `path` with its inline config replaced by `config`. */
async function withConfig(page, path, config) {
  const html = readFileSync(join(ROOT, path), 'utf8').replace(
    /(<script type="application\/json" id="consent-banner-config">)[\s\S]*?(<\/script>)/,
    (_, open, close) => open + JSON.stringify(config) + close);
  await page.route(`${env.url}/${path}`, (route) => route.fulfill({ body: html, contentType: 'text/html' }));
}

const gpcOn = (page) => page.addInitScript(() =>
  Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));

/** Records every receipt beacon sent to /receipts: { body, headers }. */
async function receipts(page) {
  const sent = [];
  await page.route('**/receipts', (route) => {
    const r = route.request();
    sent.push({ body: r.postData(), headers: r.headers(), method: r.method() });
    return route.fulfill({ status: 204 });
  });
  return sent;
}

// --- Google Consent Mode v2 ---

test('consent mode: the default denies every mapped type before any Google tag runs', async () => {
  const { page, context } = await open(env.browser);
  await page.goto(`${env.url}/tests/e2e/pages/gcm.html`);
  await banner(page).waitFor();
  const entries = await dataLayer(page);
  assert.deepEqual(entries.slice(0, 3), [
    ['consent', 'default', { ...ALL_DENIED, wait_for_update: 800, region: ['DE', 'US-CA'] }],
    ['set', 'ads_data_redaction', true],
    ['set', 'url_passthrough', true],
  ]);
  assert.equal(entries.length, 3, 'no update and no gated tag before a decision');
  assert.equal(await page.evaluate(() => window.seenByUngatedTag), 3, 'an ungated tag already sees the default');
  assert.equal(await page.evaluate(() => typeof window.gtag), 'function');
  await context.close();
});

test('consent mode: Accept all pushes an update granting every type, before the gated tag runs', async () => {
  const { page, context } = await open(env.browser);
  await page.goto(`${env.url}/tests/e2e/pages/gcm.html`);
  await button(page, 'accept').click();
  await until(page, () => window.dataLayer.some((e) => e.event === 'gated-tag-ran'));
  const entries = await dataLayer(page);
  assert.deepEqual(entries.slice(3), [
    ['consent', 'update', {
      security_storage: 'granted', analytics_storage: 'granted', ad_user_data: 'granted',
      ad_storage: 'granted', ad_personalization: 'granted',
    }],
    { event: 'gated-tag-ran' },
  ]);
  await context.close();
});

test('consent mode: Decline pushes an update denying every optional type; the gated tag never runs', async () => {
  const { page, context } = await open(env.browser);
  await page.goto(`${env.url}/tests/e2e/pages/gcm.html`);
  await button(page, 'reject').click();
  await until(page, () => window.dataLayer.length === 4);
  await page.waitForTimeout(200);
  assert.deepEqual((await dataLayer(page)).slice(3), [['consent', 'update', ALL_DENIED]]);
  await context.close();
});

test('consent mode: a partial choice grants only the types whose every category is accepted', async () => {
  const { page, context } = await open(env.browser);
  await page.goto(`${env.url}/tests/e2e/pages/gcm.html`);
  await banner(page).waitFor();
  await page.evaluate(() => window.ConsentBanner.set({ marketing: true, statistics: false }));
  await until(page, () => window.dataLayer.length === 4);
  const calls = await consentCalls(page);
  assert.deepEqual(calls[1], ['consent', 'update', {
    security_storage: 'granted', analytics_storage: 'denied',
    ad_user_data: 'denied', // statistics maps it too, and is declined
    ad_storage: 'granted', ad_personalization: 'granted',
  }]);
  // Withdrawal: marketing off again.
  await page.evaluate(() => window.ConsentBanner.set({ marketing: false }));
  await until(page, () => window.dataLayer.length === 5);
  assert.deepEqual((await consentCalls(page))[2], ['consent', 'update', ALL_DENIED]);
  await context.close();
});

test('consent mode: a return visit pushes the default, then the stored decision, then runs the tag, with no wasm', async () => {
  const { page, context, requests } = await open(env.browser);
  await page.goto(`${env.url}/tests/e2e/pages/gcm.html`);
  await page.evaluate(() => window.ConsentBanner.set({ statistics: true, marketing: false }));
  await until(page, () => window.dataLayer.some((e) => e.event === 'gated-tag-ran'));
  const before = requests.length;
  await page.reload();
  await until(page, () => window.dataLayer.some((e) => e.event === 'gated-tag-ran'));
  const entries = await dataLayer(page);
  assert.deepEqual(entries.map((e) => (Array.isArray(e) ? e.slice(0, 2).join(' ') : e.event)), [
    'consent default', 'set ads_data_redaction', 'set url_passthrough', 'consent update', 'gated-tag-ran',
  ]);
  assert.deepEqual(entries[3][2], {
    security_storage: 'granted', analytics_storage: 'granted',
    ad_user_data: 'denied', ad_storage: 'denied', ad_personalization: 'denied',
  });
  // README: the default already carries the stored decision (wait_for_update and region aside).
  const { wait_for_update: wait, region, ...types } = entries[0][2];
  assert.deepEqual([types, wait, region], [entries[3][2], 800, ['DE', 'US-CA']]);
  assert.equal(await page.evaluate(() => window.seenByUngatedTag), 4, 'the update precedes page tags');
  assert.equal(countOf(requests.slice(before), /\.wasm$/), 0);
  await context.close();
});

test('consent mode: an existing dataLayer and gtag are used, not replaced', async () => {
  const { page, context } = await open(env.browser);
  await page.addInitScript(() => {
    window.dataLayer = [{ event: 'site-first' }];
    window.gtag = function () { window.dataLayer.push(['site-gtag', ...arguments]); };
  });
  await page.goto(`${env.url}/tests/e2e/pages/gcm.html`);
  const entries = await dataLayer(page);
  assert.deepEqual(entries[0], { event: 'site-first' });
  assert.deepEqual(entries[1].slice(0, 3), ['site-gtag', 'consent', 'default']);
  await context.close();
});

// --- Global Privacy Control ---

test('GPC without a decision declines the data-sharing category, says so, and stores nothing', async () => {
  const { page, context } = await open(env.browser);
  await gpcOn(page);
  const sent = await receipts(page);
  await page.addInitScript(() => addEventListener('consent:change', (e) => { window.changes = (window.changes || []).concat([e.detail]); }));
  await page.goto(`${env.url}/tests/e2e/pages/gpc.html`);
  await banner(page).waitFor();
  assert.match(await page.locator('consent-banner .gpc').innerText(), /Global Privacy Control/);
  await until(page, () => (window.changes || []).length === 1);
  const [detail] = await page.evaluate(() => window.changes);
  assert.equal(detail.source, 'gpc');
  assert.equal(detail.decided, false, 'not the user\'s own choice');
  assert.deepEqual(detail.categories, { essential: true, statistics: false, marketing: false });
  assert.equal((await page.evaluate(() => window.ConsentBanner.get())).source, 'gpc');
  assert.equal(await page.evaluate(() => localStorage.getItem('consent-banner')), null);
  await page.waitForTimeout(300);
  assert.equal(sent.length, 1, 'one GPC receipt');
  const receipt = JSON.parse(sent[0].body);
  assert.equal(receipt.action, 'gpc');
  assert.equal(receipt.source, 'gpc');
  assert.deepEqual(receipt.categories, { essential: true, marketing: false });
  assert.equal(await page.evaluate(() => window.marketingRuns), undefined);
  await context.close();
});

test('GPC: an explicit Accept all overrides the signal and is stored as the user\'s choice', async () => {
  const { page, context } = await open(env.browser);
  await gpcOn(page);
  await page.goto(`${env.url}/tests/e2e/pages/gpc.html`);
  await button(page, 'accept').click();
  await until(page, () => window.marketingRuns === 1);
  const stored = JSON.parse(await page.evaluate(() => localStorage.getItem('consent-banner')));
  assert.equal(stored.source, 'banner');
  assert.equal(stored.categories.marketing, true);
  await page.reload();
  await until(page, () => window.marketingRuns === 1);
  await page.waitForTimeout(300);
  assert.equal(await page.locator('consent-banner .gpc').count(), 0, 'no notice once the user decided');
  await context.close();
});

test('GPC is ignored when the config turns it off, and the seed policy marks nothing as shared', async () => {
  for (const config of [
    { categories: [{ id: 'essential', label: 'E', required: true }, { id: 'marketing', label: 'M', sharesData: true }], gpc: false },
    {},
  ]) {
    const { page, context } = await open(env.browser);
    await gpcOn(page);
    await withConfig(page, 'tests/e2e/pages/gpc.html', config);
    await page.addInitScript(() => addEventListener('consent:change', () => { window.changed = true; }));
    await page.goto(`${env.url}/tests/e2e/pages/gpc.html`);
    await banner(page).waitFor();
    await page.waitForTimeout(300);
    assert.equal(await page.locator('consent-banner .gpc').count(), 0, JSON.stringify(config));
    assert.equal(await page.evaluate(() => window.changed), undefined);
    await context.close();
  }
});

// --- Consent receipts ---

const RECEIPT_KEYS = ['action', 'categories', 'id', 'language', 'revision', 'source', 'textsSha256', 'time', 'v'];

test('receipts: every decision sends one beacon with the decision and nothing personal', async () => {
  const { page, context } = await open(env.browser, { userAgent: 'ReceiptProbe/1.0 (unique-ua-marker)' });
  const sent = await receipts(page);
  await page.goto(`${env.url}/tests/e2e/pages/receipt.html?user=unique-url-marker`);
  const t0 = Date.now();
  await button(page, 'accept').click();
  await until(page, () => localStorage.getItem('consent-banner') !== null);
  await page.waitForTimeout(300);
  assert.equal(sent.length, 1);
  assert.equal(sent[0].method, 'POST');
  assert.match(sent[0].headers['content-type'], /^text\/plain/);
  const receipt = JSON.parse(sent[0].body);
  const stored = JSON.parse(await page.evaluate(() => localStorage.getItem('consent-banner')));
  assert.deepEqual(Object.keys(receipt).sort(), RECEIPT_KEYS);
  assert.equal(receipt.v, 1);
  assert.equal(receipt.id, stored.id);
  assert.equal(receipt.time, stored.updated);
  assert.ok(receipt.time >= t0 - 5000 && receipt.time <= Date.now());
  assert.equal(receipt.revision, 3);
  assert.equal(receipt.action, 'accept');
  assert.equal(receipt.source, 'banner');
  assert.deepEqual(receipt.categories, { essential: true, functional: true, statistics: true });
  assert.equal(receipt.language, 'en');
  assert.match(receipt.textsSha256, /^[0-9a-f]{64}$/);
  for (const marker of ['unique-ua-marker', 'unique-url-marker', '127.0.0.1', 'receipt.html', 'ReceiptProbe']) {
    assert.ok(!sent[0].body.includes(marker), `receipt holds ${marker}`);
  }

  // Withdrawal through the preferences link, then a reset through the API.
  await page.evaluate(() => window.ConsentBanner.set({ statistics: false }));
  await until(page, () => JSON.parse(localStorage.getItem('consent-banner')).categories.statistics === false);
  await page.evaluate(() => window.ConsentBanner.reset());
  await until(page, () => localStorage.getItem('consent-banner') === null);
  await page.waitForTimeout(300);
  const [, withdrawn, reset] = sent.map((s) => JSON.parse(s.body));
  assert.equal(sent.length, 3);
  assert.deepEqual([withdrawn.action, withdrawn.source, withdrawn.categories.statistics], ['withdraw', 'api', false]);
  assert.equal(withdrawn.id, receipt.id, 'same consent id');
  assert.equal(withdrawn.textsSha256, receipt.textsSha256, 'same texts, same digest');
  assert.deepEqual([reset.action, reset.id], ['withdraw', receipt.id]);
  assert.deepEqual(reset.categories, { essential: true, functional: false, statistics: false });
  await context.close();
});

test('receipts: a refusal is sent too, and the digest differs with the language shown', async () => {
  const digests = [];
  for (const language of ['en', 'de']) {
    const { page, context } = await open(env.browser);
    const sent = await receipts(page);
    await withConfig(page, 'tests/e2e/pages/receipt.html', { receiptEndpoint: '/receipts', language });
    await page.goto(`${env.url}/tests/e2e/pages/receipt.html`);
    await button(page, 'reject').click();
    await until(page, () => localStorage.getItem('consent-banner') !== null);
    await page.waitForTimeout(300);
    assert.equal(sent.length, 1);
    const receipt = JSON.parse(sent[0].body);
    assert.deepEqual([receipt.action, receipt.language], ['decline', language]);
    digests.push(receipt.textsSha256);
    await context.close();
  }
  assert.notEqual(digests[0], digests[1]);
});

test('receipts: without receiptEndpoint no beacon is sent', async () => {
  const { page, context } = await open(env.browser);
  const beacons = [];
  page.on('request', (r) => { if (r.method() === 'POST') beacons.push(r.url()); });
  await page.goto(`${env.url}/one-tag.html`);
  await button(page, 'accept').click();
  await until(page, () => localStorage.getItem('consent-banner') !== null);
  await page.waitForTimeout(300);
  assert.deepEqual(beacons, []);
  await context.close();
});

// --- Distribution ---

const DIST = (name) => readFileSync(join(ROOT, 'dist', name));
const TYPES = { js: 'text/javascript', wasm: 'application/wasm' };

/** Serves dist/ at `prefix` (any origin), with CORS as a CDN sends it. */
async function serveDist(page, prefix) {
  await page.route(`${prefix}**`, (route) => {
    const name = new URL(route.request().url()).pathname.split('/').pop();
    return route.fulfill({
      body: DIST(name),
      contentType: TYPES[name.split('.').pop()],
      headers: { 'access-control-allow-origin': '*' },
    });
  });
}

async function hostPage(page, path, script) {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>host</title>
    <script type="application/json" id="consent-banner-config">{"policyUrl": "/privacy"}</script>
    ${script}
    <script type="text/plain" data-consent="statistics">window.statsRan = true;</script>
    </head><body><p>host page</p></body></html>`;
  await page.route(`${env.url}${path}`, (route) => route.fulfill({ body: html, contentType: 'text/html' }));
}

test('dist/ copied under another path: the loader finds the UI next to itself', async () => {
  const { page, context, requests, errors } = await open(env.browser);
  await serveDist(page, `${env.url}/static/vendor/consent/v0.1.0/`);
  await hostPage(page, '/shop/deep/page.html', '<script src="/static/vendor/consent/v0.1.0/consent-banner.js"></script>');
  await page.goto(`${env.url}/shop/deep/page.html`);
  await button(page, 'accept').click();
  await until(page, () => window.statsRan === true);
  assert.equal(countOf(requests, /^\/static\/vendor\/consent\/v0\.1\.0\/consent-banner-ui(\.js|_bg\.wasm)$/), 2);
  assert.equal(countOf(requests, /^\/dist\//), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('dist/ on another origin with the build\'s SRI hash: loads; a wrong hash blocks the loader', async () => {
  const sri = 'sha384-' + createHash('sha384').update(DIST('consent-banner.js')).digest('base64');
  for (const [integrity, loads] of [[sri, true], ['sha384-' + 'A'.repeat(64), false]]) {
    const { page, context } = await open(env.browser);
    await serveDist(page, 'https://cdn.example.test/consent-banner/0.1.0/');
    await hostPage(page, '/cdn.html', `<script src="https://cdn.example.test/consent-banner/0.1.0/consent-banner.js" integrity="${integrity}" crossorigin="anonymous"></script>`);
    await page.goto(`${env.url}/cdn.html`);
    if (loads) {
      await button(page, 'accept').click();
      await until(page, () => window.statsRan === true);
    } else {
      await page.waitForTimeout(500);
      assert.equal(await page.evaluate(() => typeof window.ConsentBanner), 'undefined');
      assert.equal(await page.evaluate(() => window.statsRan), undefined, 'gated tags stay inert');
    }
    await context.close();
  }
});

// --- Config errors: the browser console says what the Rust tests pin ---

for (const [name, config, message] of [
  ['duplicate category id', { categories: [{ id: 'essential', label: 'E', required: true }, { id: 'statistics', label: 'S' }, { id: 'statistics', label: 'S2' }] },
    'config: categories[2].id: duplicate "statistics"'],
  ['consent mode mapping an unknown category', { googleConsentMode: { map: { stats: ['analytics_storage'] } } },
    'config: googleConsentMode.map.stats: no category "stats"'],
]) {
  test(`invalid config (${name}): the console and consent:error carry the field-named message`, async () => {
    const { page, context, errors } = await open(env.browser);
    await withConfig(page, 'tests/e2e/pages/receipt.html', config);
    await page.addInitScript(() => addEventListener('consent:error', (e) => { window.errorDetail = e.detail; }));
    await page.goto(`${env.url}/tests/e2e/pages/receipt.html`);
    await until(page, () => window.errorDetail !== undefined);
    assert.deepEqual(await page.evaluate(() => window.errorDetail), { kind: 'config', message });
    assert.ok(errors.includes(`consent-banner: ${message}`), errors.join('\n'));
    assert.equal(await banner(page).count(), 0, 'fails closed: no banner');
    await context.close();
  });
}
