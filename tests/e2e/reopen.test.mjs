// The reopen button on every page view after a decision (issue 14): a return visit loads the
// loader alone, and the loader draws the button, so withdrawal is one click away on every page.
// What the visitor and the network see: its accessible name in each language, keyboard access,
// nothing more loaded until it is pressed, the preferences when it is, no layout shift, and no
// page element able to cover it (it is in the top layer). With floatingButton: false, none.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, open, banner, until, hostPage, routeHtml } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

const CONFIG = {
  categories: [
    { id: 'essential', label: 'Essential', required: true },
    { id: 'statistics', label: 'Statistics' },
  ],
};
// A page with content to the bottom edge and a footer link (the last thing Tab reaches on it).
const BODY = '<p style="height:150vh">Long article.</p><footer id="footer"><a href="#top" id="last-link">Back to top</a></footer>';

const REOPEN = 'consent-banner [data-action="reopen"]';
const reopenOf = (page) => page.locator(REOPEN);
const dialogOf = (page) => page.locator('consent-banner dialog');
/** The files a page view requested beyond the loader: the extra, the UI's glue or its wasm. */
const more = (requests) => requests.filter((r) => /consent-banner-extra\.js|consent-banner-ui\.js|\.wasm$/.test(r.split('?')[0]));

/**
 * A return visit: a first visit on which the visitor declines (by the banner), then a new page
 * view, with `later` added to its body. Returns the session, with the request log emptied at the
 * reload.
 */
async function returnVisit({ config = CONFIG, lang = 'en', later = '', options } = {}) {
  const session = await open(env.browser, { reducedMotion: 'reduce', ...options });
  const { context, page } = session;
  await routeHtml(context, '/w-reopen.html', hostPage({ config, lang, body: BODY }));
  await page.goto(`${env.url}/w-reopen.html`);
  await page.locator('consent-banner .banner [data-action="reject"]').click();
  await until(page, () => localStorage.getItem('consent-banner') !== null);
  // (The route added last answers first.)
  if (later) await routeHtml(context, '/w-reopen.html', hostPage({ config, lang, body: BODY + later }));
  session.requests.length = 0;
  await page.reload();
  await until(page, () => document.readyState === 'complete' && window.ConsentBanner.get().decided);
  return session;
}

/** The reopen button once there (a clear failure instead of a timeout in a click). */
async function reopenButton(page) {
  await reopenOf(page).waitFor({ timeout: 10_000 })
    .catch(() => assert.fail('no reopen button on this page view'));
  return reopenOf(page);
}

test('reopen: a return visit has the button, named "Cookie preferences", in the top layer, with nothing more loaded until it is pressed', async () => {
  const { page, context, requests, errors } = await returnVisit();
  const reopen = await reopenButton(page);
  assert.equal(await reopen.count(), 1, 'one reopen button');
  assert.equal(await page.getByRole('button', { name: 'Cookie preferences', exact: true }).count(), 1,
    'its accessible name is the reopen text');
  assert.equal(await reopen.evaluate((b) => b.matches(':popover-open')), true, 'it is an open popover (the top layer)');
  assert.equal(await reopen.isVisible(), true);
  assert.deepEqual(more(requests), [], 'a return visit loads nothing but the loader');
  await reopen.click();
  await dialogOf(page).waitFor();
  assert.equal(await dialogOf(page).locator('#cb-cat-statistics').isChecked(), false, 'the stored choice');
  assert.deepEqual(more(requests).map((r) => r.split('?')[0]).sort(),
    ['/dist/consent-banner-extra.js', '/dist/consent-banner-ui.js', '/dist/consent-banner-ui_bg.wasm']);
  assert.deepEqual(errors, []);
  await context.close();
});

test('reopen: on the page of the decision, exactly one reopen button (the loader\'s) appears', async () => {
  const { page, context } = await open(env.browser, { reducedMotion: 'reduce' });
  await routeHtml(context, '/w-reopen.html', hostPage({ config: CONFIG, body: BODY }));
  await page.goto(`${env.url}/w-reopen.html`);
  assert.equal(await reopenOf(page).count(), 0, 'no reopen button before a decision');
  await page.locator('consent-banner .banner [data-action="accept"]').click();
  await banner(page).waitFor({ state: 'detached' });
  await reopenButton(page);
  assert.equal(await reopenOf(page).count(), 1);
  assert.equal(await reopenOf(page).evaluate((b) => b.matches(':popover-open')), true, 'the loader\'s (a popover), not the UI\'s');
  await context.close();
});

test('reopen: its name follows the page language and the config\'s texts', async () => {
  for (const [lang, texts, name] of [
    ['de', undefined, 'Cookie-Einstellungen'],
    ['fr', undefined, 'Préférences cookies'],
    ['es', undefined, 'Preferencias de cookies'],
    ['ar', undefined, 'تفضيلات ملفات تعريف الارتباط'],
    ['en', { en: { reopen: 'Privacy choices' } }, 'Privacy choices'],
  ]) {
    const { page, context } = await returnVisit({ lang, config: { ...CONFIG, texts } });
    await reopenButton(page);
    assert.equal(await page.getByRole('button', { name, exact: true }).count(), 1, `${lang}: "${name}"`);
    await context.close();
  }
});

test('reopen: keyboard reachable (Tab after the page\'s last link), Enter and Space open the preferences', async () => {
  for (const key of ['Enter', 'Space']) {
    const { page, context, requests } = await returnVisit();
    await reopenButton(page);
    await page.locator('#last-link').focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.dataset.action), 'reopen',
      'Tab after the page\'s last link reaches the reopen button');
    assert.deepEqual(more(requests), [], 'focus alone loads nothing');
    await page.evaluate(() => {
      window.heard = [];
      for (const type of ['keydown', 'keypress', 'keyup']) document.addEventListener(type, (e) => window.heard.push(`${e.type} ${e.key}`));
    });
    await page.keyboard.press(key);
    await dialogOf(page).waitFor();
    assert.deepEqual(await page.evaluate(() => window.heard), [], `the page did not hear ${key} on the button`);
    await context.close();
  }
});

test('reopen: a page element over everything cannot cover it; a real click at its centre opens the preferences', async () => {
  const cover = '<div id="cover" style="position:fixed;inset:0;z-index:2147483647;background:rgba(255,0,0,.2)"'
    + ' onclick="window.coverClicks=(window.coverClicks||0)+1"></div>';
  const { page, context } = await returnVisit({ later: cover });
  const reopen = await reopenButton(page);
  const box = await reopen.boundingBox();
  const centre = [box.x + box.width / 2, box.y + box.height / 2];
  assert.equal(await page.evaluate(([x, y]) => {
    const hit = document.elementFromPoint(x, y);
    return hit?.localName === 'consent-banner' ? hit.shadowRoot.elementFromPoint(x, y)?.closest('button')?.dataset.action : hit?.id;
  }, centre), 'reopen', 'the button is what is at its centre');
  await page.mouse.click(...centre);
  await dialogOf(page).waitFor();
  assert.equal(await page.evaluate(() => window.coverClicks ?? 0), 0, 'the cover got no click');
  await context.close();
});

test('reopen: the page\'s layout does not move when it appears', async () => {
  // The page measures itself while it is parsed (before the loader adds anything at
  // DOMContentLoaded), and keeps a record of every layout shift.
  const probe = `<script>
    window.shifts = 0;
    new PerformanceObserver((l) => l.getEntries().forEach((e) => { if (!e.hadRecentInput) window.shifts += e.value; }))
      .observe({ type: 'layout-shift', buffered: true });
    window.boxesBefore = [...document.querySelectorAll('h1, p, footer')].map((e) => JSON.stringify(e.getBoundingClientRect()));
    window.sizeBefore = [document.documentElement.scrollWidth, document.documentElement.scrollHeight];
  </script>`;
  const { page, context } = await returnVisit({ later: probe });
  await reopenButton(page);
  const after = await page.evaluate(() => ({
    boxes: [...document.querySelectorAll('h1, p, footer')].map((e) => JSON.stringify(e.getBoundingClientRect())),
    size: [document.documentElement.scrollWidth, document.documentElement.scrollHeight],
  }));
  assert.deepEqual(after.boxes, await page.evaluate(() => window.boxesBefore));
  assert.deepEqual(after.size, await page.evaluate(() => window.sizeBefore));
  assert.equal(await page.evaluate(() => window.shifts), 0, 'no layout shift');
  await context.close();
});

test('reopen: with floatingButton: false a return visit has none', async () => {
  const { page, context, requests } = await returnVisit({ config: { ...CONFIG, floatingButton: false } });
  await page.evaluate(() => new Promise((ok) => window.ConsentBanner.on('ready', ok)));
  assert.equal(await reopenOf(page).count(), 0);
  assert.equal(await page.locator('consent-banner').count(), 0, 'no banner element at all');
  assert.deepEqual(more(requests), []);
  await context.close();
});
