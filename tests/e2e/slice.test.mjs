// The vertical slice, seen as a user and the host page see it, with the network log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, open, banner, button, until, countOf } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

const TRACKER = /\/www\/demo\/stats\.js$/;
const HIT = /\/www\/demo\/collect\.png/;
const WASM = /\.wasm$/;

test('first visit shows the banner and requests no tracker before Accept; Accept runs it once', async () => {
  const { page, requests, context } = await open(env.browser);
  await page.goto(`${env.url}/one-tag.html`);
  await banner(page).waitFor();
  assert.match(await banner(page).innerText(), /never shared with third parties/);
  assert.equal(await page.locator('consent-banner a[href="www/privacy-policy.html"]').count(), 1);
  await page.waitForTimeout(300);
  assert.equal(countOf(requests, TRACKER), 0, 'tracker requested before consent');
  assert.equal(countOf(requests, HIT), 0);
  assert.equal(await page.evaluate(() => window.statsRuns), undefined);

  const change = page.evaluate(() => new Promise((ok) =>
    addEventListener('consent:change', (e) => ok(e.detail), { once: true })));
  await button(page, 'accept').click();
  const detail = await change;
  assert.equal(detail.categories.statistics, true);
  assert.equal(detail.source, 'banner');
  await until(page, () => window.statsRuns === 1);
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => window.statsRuns), 1);
  assert.equal(countOf(requests, TRACKER), 1);
  assert.equal(await banner(page).count(), 0, 'banner closes');
  const stored = JSON.parse(await page.evaluate(() => localStorage.getItem('consent-banner')));
  assert.equal(stored.v, 1);
  assert.deepEqual(stored.categories, { essential: true, functional: true, statistics: true });
  assert.equal(stored.id, detail.id);
  await context.close();
});

test('Decline, reload: no banner, and the tracker is never requested', async () => {
  const { page, requests, context } = await open(env.browser);
  await page.goto(`${env.url}/one-tag.html`);
  await button(page, 'reject').click();
  await page.waitForTimeout(200);
  const before = requests.length;
  const ready = page.waitForEvent('console', { predicate: (m) => m.text().startsWith('ready:') });
  await page.addInitScript(() => addEventListener('consent:ready', (e) => console.log('ready:' + JSON.stringify(e.detail))));
  await page.reload();
  const detail = JSON.parse((await ready).text().slice(6));
  assert.equal(detail.decided, true);
  assert.equal(detail.categories.statistics, false);
  await page.waitForTimeout(500);
  assert.equal(await banner(page).count(), 0);
  assert.equal(countOf(requests, TRACKER), 0);
  assert.equal(countOf(requests, HIT), 0);
  assert.equal(countOf(requests.slice(before), WASM), 0, 'no wasm on a return visit');
  await context.close();
});

test('Accept, reload: the tracker runs at once and no wasm or glue is requested', async () => {
  const { page, requests, context } = await open(env.browser);
  await page.goto(`${env.url}/one-tag.html`);
  await button(page, 'accept').click();
  await until(page, () => window.statsRuns === 1);
  const before = requests.length;
  await page.reload();
  await until(page, () => window.statsRuns === 1);
  const after = requests.slice(before);
  assert.equal(countOf(after, TRACKER), 1);
  assert.equal(countOf(after, WASM), 0);
  assert.equal(countOf(after, /consent-banner-ui\.js$/), 0);
  assert.equal(await banner(page).count(), 0);
  await context.close();
});
