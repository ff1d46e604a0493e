// The Yew example app (examples/yew-app/, built by scripts/build-example.sh into its pkg/) in
// Chromium, as a Yew developer ships it: the banner in its own shadow root, the app's state from
// the hook on the first render (no flash of "off" after a reload with a stored accept), the app's
// "Cookie settings" button, and not one console error or failed request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { start, open, banner, button, until, ROOT } from './harness.mjs';

const APP = '/examples/yew-app/index.html';

let env;
before(async () => {
  // scripts/test.sh builds it first; a run of this file alone builds it when it is missing.
  if (!existsSync(`${ROOT}/examples/yew-app/pkg/yew-app_bg.wasm`)) {
    const built = spawnSync('bash', ['scripts/build-example.sh'], { cwd: ROOT, stdio: 'inherit' });
    assert.equal(built.status, 0, 'scripts/build-example.sh');
  }
  env = await start();
});
after(async () => { await env?.close(); });

// Every text #statistics ever shows, from the first one the app renders.
const WATCH = `window.shown = [];
  new MutationObserver(() => {
    const text = document.getElementById('statistics')?.textContent;
    if (text && text !== window.shown.at(-1)) window.shown.push(text);
  }).observe(document, { childList: true, subtree: true, characterData: true });`;

test('the example app decides, keeps the decision from its first render and logs no error', async () => {
  const { context, page, errors, requests } = await open(env.browser);
  const failed = [];
  page.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`); });
  await page.addInitScript(WATCH);
  await page.goto(env.url + APP);
  await banner(page).waitFor();
  assert.deepEqual(await page.evaluate(() => window.shown), ['Usage statistics: off']);
  assert.equal(await page.locator('consent-banner').count(), 1, 'one host');

  await button(page, 'accept').click();
  await until(page, () => document.getElementById('statistics').textContent === 'Usage statistics: on');
  await banner(page).waitFor({ state: 'detached' });

  // A reload: "on" from the first render, and no banner.
  await page.reload();
  await until(page, () => window.shown.length > 0 && document.querySelector('consent-banner'));
  assert.deepEqual(await page.evaluate(() => window.shown), ['Usage statistics: on'], 'no flash of off');
  assert.equal(await banner(page).count(), 0);

  // The app's own "Cookie settings" button (the hook) opens the preferences.
  await page.click('#cookie-settings');
  const dialog = page.locator('consent-banner dialog[open]');
  await dialog.waitFor();
  await button(page, 'reject').click();
  await until(page, () => document.getElementById('statistics').textContent === 'Usage statistics: off');

  // The banner's `.title` rule stays in its shadow root: the app's <h1 class="title"> keeps 2em.
  assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('h1.title')).fontSize), '32px');
  assert.deepEqual(failed, [], 'no failed requests');
  assert.deepEqual(errors, [], 'no console errors');
  assert.ok(requests.every((r) => !r.includes('receipt')), 'no receipt endpoint');
  await context.close();
});
