// The loader in two files (issue 6): on a return visit consent-banner.js is the only banner file
// until the user or the page needs more; consent-banner-extra.js then loads and everything the
// README promises works as on a first visit: markup hooks, the API, other tabs, Consent Mode.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, open, banner, until, hostPage, routeHtml, nextEvent as anyNextEvent } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

const LOG = 'window.log = window.log || []; window.log.push';
const CONFIG = {
  categories: [
    { id: 'essential', label: 'Essential', required: true },
    { id: 'functional', label: 'Functional' },
    { id: 'statistics', label: 'Statistics' },
  ],
  googleConsentMode: { map: { statistics: ['analytics_storage'] } },
  // This site's own "Accept all" link decides (README "Markup hooks").
  markupDecisions: true,
};
// Every kind of gated markup, so that activating each of them is shown to need no other file.
const HEAD = `
  <script type="text/plain" data-consent="statistics">${LOG}('stats')</script>
  <script type="text/plain" data-consent="!statistics">${LOG}('no-stats')</script>`;
const BODY = `
  <template data-consent="functional"><p id="functional-markup">on</p><script>${LOG}('template')</script></template>
  <a href="#prefs" id="prefs" data-consent-action="preferences">Cookie preferences</a>
  <a href="#all" id="all" data-consent-action="accept-all">Accept all</a>
  <a href="#nope" id="nope" data-consent-action="nope">not an action</a>`;
const PAGE = hostPage({ config: CONFIG, head: HEAD, body: BODY });

/** The detail of the next `consent:<name>` event; rejects after 10 s instead of hanging. */
const nextEvent = (page, name) => Promise.race([anyNextEvent(page, name),
  new Promise((_, no) => setTimeout(() => no(new Error(`no consent:${name} within 10 s`)), 10_000).unref())]);

const dist = (requests) => requests.filter((r) => r.startsWith('/dist/'));

/** A page of a context whose stored decision (made a day ago) is `categories`. */
async function returnVisit(categories, session) {
  session ||= await open(env.browser);
  const { context, page } = session;
  await routeHtml(context, '/blank.html', '<!doctype html><title>blank</title>');
  await routeHtml(context, '/host.html', PAGE);
  await page.goto(`${env.url}/blank.html`);
  await page.evaluate((c) => {
    const now = Date.now();
    localStorage.setItem('consent-banner', JSON.stringify({
      v: 1, revision: 1, categories: c, given: now - 864e5, updated: now - 864e5,
      expires: now + 100 * 864e5, id: 'c0ffee', source: 'banner',
    }));
  }, { essential: true, ...categories });
  session.requests.length = 0;
  await page.goto(`${env.url}/host.html`);
  return session;
}

/** The consent types of the last `gtag('consent', ...)` entry in dataLayer. */
const lastConsent = () => [...window.dataLayer].reverse().find((e) => e[0] === 'consent')[2];

test('a return visit requests the loader alone, before load and after, and activates every kind of gated markup', async () => {
  const session = await returnVisit({ functional: true, statistics: false });
  const { page, requests, context } = session;
  assert.deepEqual(dist(requests), ['/dist/consent-banner.js'], 'before the load event');
  await until(page, () => (window.log || []).length === 2);
  assert.deepEqual(await page.evaluate(() => window.log), ['no-stats', 'template']);
  assert.equal(await page.locator('#functional-markup').innerText(), 'on');
  assert.deepEqual(await page.evaluate(lastConsent), { analytics_storage: 'denied' });
  const state = await page.evaluate(() => window.ConsentBanner.get());
  assert.deepEqual([state.decided, state.source, state.id], [true, 'banner', 'c0ffee']);
  // An unknown markup action is not ours: the link works and nothing loads.
  await page.locator('#nope').click();
  assert.equal(await page.evaluate(() => location.hash), '#nope');
  await page.waitForTimeout(1500);
  assert.deepEqual(dist(requests), ['/dist/consent-banner.js'], 'nothing more without a need');
  // hide() with no banner: resolves, and loads no UI.
  assert.equal(await page.evaluate(() => window.ConsentBanner.hide().then(() => 'resolved')), 'resolved');
  await page.waitForTimeout(300);
  assert.deepEqual(dist(requests), ['/dist/consent-banner.js', '/dist/consent-banner-extra.js']);
  assert.equal(await page.locator('consent-banner .banner, consent-banner dialog').count(), 0, 'no banner');
  assert.equal(await page.locator('consent-banner [data-action="reopen"]').isVisible(), true, 'the loader\'s reopen button');
  await context.close();
});

test('a return visit: the preferences link loads the rest at the click and opens the stored choice', async () => {
  const { page, requests, context } = await returnVisit({ functional: false, statistics: true });
  await until(page, () => (window.log || []).includes('stats'));
  await page.locator('#prefs').click();
  await page.locator('consent-banner [role="dialog"]').waitFor();
  assert.equal(await page.evaluate(() => location.hash), '', 'the link did not navigate');
  assert.equal(await page.locator('consent-banner #cb-cat-statistics').isChecked(), true);
  assert.equal(await page.locator('consent-banner #cb-cat-functional').isChecked(), false);
  assert.deepEqual(dist(requests).sort(), ['/dist/consent-banner-extra.js', '/dist/consent-banner-ui.js',
    '/dist/consent-banner-ui_bg.wasm', '/dist/consent-banner.js']);
  await context.close();
});

test('a return visit: Accept all through a markup hook runs the newly accepted tags and updates Consent Mode', async () => {
  const { page, context } = await returnVisit({ functional: false, statistics: false });
  await until(page, () => (window.log || []).includes('no-stats'));
  const change = nextEvent(page, 'change');
  await page.locator('#all').click();
  const detail = await change;
  assert.deepEqual([detail.source, detail.changed], ['api', ['functional', 'statistics']]);
  await until(page, () => window.log.includes('stats') && window.log.includes('template'));
  assert.deepEqual(await page.evaluate(lastConsent), { analytics_storage: 'granted' });
  assert.equal(JSON.parse(await page.evaluate(() => localStorage.getItem('consent-banner'))).categories.statistics, true);
  assert.equal(await banner(page).count(), 0, 'no banner after a decision');
  await context.close();
});

test('a change is in the state and in Consent Mode before the page\'s own listeners run', async () => {
  const { page, context } = await returnVisit({ functional: false, statistics: false });
  // Subscribed at load, before the rest of the loader is imported.
  await page.evaluate(() => {
    window.seen = [];
    window.ConsentBanner.on('change', (d) => window.seen.push([d.categories.statistics,
      window.ConsentBanner.accepted('statistics'), window.ConsentBanner.get().categories.statistics,
      [...window.dataLayer].reverse().find((e) => e[0] === 'consent')[2].analytics_storage]));
  });
  await page.evaluate(() => window.ConsentBanner.acceptAll());
  await until(page, () => window.seen.length === 1);
  await page.evaluate(() => window.ConsentBanner.set({ statistics: false }));
  await until(page, () => window.seen.length === 2);
  assert.deepEqual(await page.evaluate(() => window.seen), [[true, true, true, 'granted'], [false, false, false, 'denied']]);
  await context.close();
});

test('a decision in another tab reaches a tab that had loaded only the loader', async () => {
  const session = await returnVisit({ functional: false, statistics: false });
  const { page, context, requests } = session;
  await until(page, () => (window.log || []).includes('no-stats'));
  assert.deepEqual(dist(requests), ['/dist/consent-banner.js']);
  const other = await context.newPage();
  await other.goto(`${env.url}/host.html`);
  const change = nextEvent(page, 'change');
  await other.evaluate(() => window.ConsentBanner.set({ statistics: true }));
  const detail = await change;
  assert.deepEqual([detail.source, detail.decided, detail.changed], ['storage', true, ['statistics']]);
  await until(page, () => window.log.includes('stats'));
  assert.equal(await page.evaluate(() => window.ConsentBanner.accepted('statistics')), true);
  assert.deepEqual(await page.evaluate(lastConsent), { analytics_storage: 'granted' });
  assert.deepEqual(dist(requests), ['/dist/consent-banner.js'], 'no other file was loaded for it');
  await context.close();
});

test('reset() on a return visit forgets the decision and shows the banner', async () => {
  const { page, context } = await returnVisit({ functional: true, statistics: true });
  await until(page, () => (window.log || []).includes('stats'));
  const change = nextEvent(page, 'change');
  await page.evaluate(() => window.ConsentBanner.reset());
  const detail = await change;
  assert.deepEqual([detail.decided, detail.changed], [false, ['functional', 'statistics']]);
  await banner(page).waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem('consent-banner')), null);
  assert.equal(await page.evaluate(() => window.ConsentBanner.accepted('statistics')), false);
  assert.deepEqual(await page.evaluate(lastConsent), { analytics_storage: 'denied' });
  await context.close();
});

test('a return visit: when the rest cannot load, the click reports it once and nothing more is activated', async () => {
  const session = await open(env.browser);
  await session.context.route((url) => url.pathname === '/dist/consent-banner-extra.js',
    (route) => route.fulfill({ status: 404, body: 'not found' }));
  const { page, context, errors } = await returnVisit({ functional: false, statistics: true }, session);
  await until(page, () => (window.log || []).includes('stats'));
  const error = nextEvent(page, 'error');
  await page.locator('#prefs').click();
  const detail = await error;
  assert.equal(detail.kind, 'load');
  assert.match(detail.message, /consent-banner-extra\.js/);
  assert.equal(await page.evaluate(() => location.hash), '', 'the hook still took the click');
  assert.match(await page.evaluate(() => window.ConsentBanner.acceptAll().then(() => 'served', (e) => `rejected: ${e.message}`)), /^rejected: /);
  // A template added now is not activated: the loader failed closed.
  await page.evaluate(() => document.body.insertAdjacentHTML('beforeend',
    '<template data-consent="statistics"><script>window.log.push("late")</script></template>'));
  await page.waitForTimeout(300);
  assert.deepEqual(await page.evaluate(() => window.log), ['stats']);
  assert.deepEqual(errors.filter((m) => m.startsWith('consent-banner:')), [`consent-banner: ${detail.message}`]);
  await context.close();
});

test('the loader tag\'s data-* attributes: config id, revision, storage key, policy link, language', async () => {
  const session = await open(env.browser);
  const { page, context, requests } = session;
  const loader = '<script type="application/json" id="site-consent">{"policyUrl": "/ignored"}</script>'
    + '<script src="/dist/consent-banner.js" data-config="site-consent" data-revision="3"'
    + ' data-storage-key="site-consent-v3" data-policy-url="/site/privacy" data-language="de"></script>';
  await routeHtml(context, '/attrs.html', hostPage({ loader, head: HEAD }));
  await page.goto(`${env.url}/attrs.html`);
  await banner(page).waitFor();
  assert.match(await banner(page).innerText(), /Alle akzeptieren/);
  assert.equal(await page.locator('consent-banner a[href="/site/privacy"]').count(), 1);
  assert.equal(await page.evaluate(() => window.ConsentBanner.get().revision), 3);
  await page.locator('consent-banner [data-action="accept"]').click();
  await until(page, () => (window.log || []).includes('stats'));
  const stored = await page.evaluate(() => [localStorage.getItem('consent-banner'), JSON.parse(localStorage.getItem('site-consent-v3'))]);
  assert.equal(stored[0], null);
  assert.equal(stored[1].revision, 3);
  // The return visit reads the same key and revision with the loader alone, and fetches the German
  // file for the reopen button's name (immutable: from the HTTP cache on a real site).
  requests.length = 0;
  await page.reload();
  await until(page, () => (window.log || []).includes('stats'));
  await page.locator('consent-banner [data-action="reopen"]').waitFor();
  assert.deepEqual(dist(requests), ['/dist/consent-banner.js', '/dist/lang/de.json']);
  assert.equal(await page.evaluate(() => window.ConsentBanner.get().decided), true);
  await context.close();
});
