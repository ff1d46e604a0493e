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
// The same page under the README's strict CSP, its inline scripts (gated ones too) with a nonce.
const NONCE = 'dHJhY2tlcnMtZTJl';
const CSP = `script-src 'self' 'wasm-unsafe-eval' 'nonce-${NONCE}'; connect-src 'self'; style-src 'self'`;
const CSP_PAGE = hostPage({
  config: CONFIG,
  loader: `<script src="/dist/consent-banner.js" nonce="${NONCE}"></script>`,
  head: HEAD.replaceAll('<script type="text/plain"', `<script nonce="${NONCE}" type="text/plain"`),
});

/**
 * A fresh visitor on the tracker page. Every request to /collect/ is recorded with the number of
 * page views (DOMContentLoaded events) the tab had when it arrived: a request that a page sends
 * while it unloads arrives before the next page's DOMContentLoaded, so it counts for the old page.
 */
async function visitor({ csp = false } = {}) {
  const session = await open(env.browser);
  const { context, page } = session;
  const violations = [];
  await context.exposeBinding('cspViolation', (_, v) => violations.push(v));
  await context.addInitScript(() => document.addEventListener('securitypolicyviolation',
    (e) => window.cspViolation(`${e.effectiveDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`)));
  const collected = [];
  let views = 0;
  page.on('domcontentloaded', () => { views += 1; });
  await context.route((url) => url.pathname.startsWith('/collect/'), (route) => {
    const r = route.request();
    collected.push({ view: views, method: r.method(), path: new URL(r.url()).pathname });
    return route.fulfill({ status: 200, contentType: 'application/json', body: '{"status":1}' });
  });
  await routeHtml(context, '/w-trackers.html', csp ? CSP_PAGE : PAGE, csp ? { 'content-security-policy': CSP } : {});
  /** The next page view (a new document of the same page); resolves once it is ready. */
  const view = async (query = '') => {
    await page.goto(`${env.url}/w-trackers.html${query}`);
    await until(page, () => window.ConsentBanner?.get && document.readyState !== 'loading');
    return views;
  };
  return { ...session, collected, violations, view, views: () => views };
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
  // A script that already ran cannot be un-run: the visitor goes on reading this page, the
  // trackers go on tracking, and what they write comes back after the clean-up of the moment
  // (with these versions: mixpanel's cookie and its queue in localStorage). Only a clean-up on
  // every page view removes it.
  await page.evaluate(() => { window.posthog.capture('still-running'); window.mixpanel.track('still-running'); });
  let back;
  await eventually(async () => (back = await traces(s)).length > 0,
    () => 'the trackers still running on the page of the withdrawal write again (the premise of this test)');

  // One reload, then two more page views. Requests sent while page view 2 unloads (posthog's
  // $pageleave beacon, mixpanel's last batch) may still arrive and are not counted: a script that
  // already ran cannot be un-run. What counts is that nothing it wrote then survives, and that
  // no new page view sends anything or loads a tracker.
  for (const query of ['?view=3', '?view=4', '?view=5']) {
    s.requests.length = 0;
    const view = await s.view(query);
    assert.deepEqual(await traces(s), [], `page view ${view}: no tracker cookie or storage key (page view ${withdrawnAt} had ${back})`);
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

test('trackers: under the README\'s strict CSP (with a nonce for inline scripts), both send after Accept and on a return visit, with no violation', async () => {
  const s = await visitor({ csp: true });
  const { page } = s;
  await s.view();
  await page.locator('consent-banner .banner [data-action="accept"]').click();
  const sentBy = (prefix, view) => s.collected.some((c) => c.path.startsWith(prefix) && c.view === view);
  for (const query of ['', '?view=2']) {
    if (query) await s.view(query);
    const view = s.views();
    await eventually(() => sentBy('/collect/ph/', view) && sentBy('/collect/mp/', view),
      () => `page view ${view}: both trackers send; the collector has ${JSON.stringify(s.collected)}; violations ${s.violations}`);
  }
  assert.deepEqual(s.violations, []);
  noBannerErrors(s.errors);
  await s.context.close();
});

// --- a standing refusal before any tag: Global Privacy Control in the loader ---

const GPC_CONFIG = {
  categories: [
    { id: 'essential', label: 'Essential', required: true },
    { id: 'statistics', label: 'Statistics' },
    { id: 'marketing', label: 'Marketing', sharesData: true, cookies: ['mp_*'] },
  ],
  googleConsentMode: { map: { marketing: ['ad_storage'] }, region: ['DE'] },
};
// Right after the loader tag, before any other script: what dataLayer and the state are then.
const AT_START = `<script>
  window.atStart = {
    dataLayer: (window.dataLayer || []).map((e) => Array.from(e)),
    state: window.ConsentBanner.get(),
    ui: !!document.querySelector('consent-banner'),
  };
</script>
<script type="text/plain" data-consent="marketing">window.marketingRan = true;</script>`;

/** Two page views of the GPC page (no decision on either); `atStart` of each. */
async function gpcViews(gpc) {
  const { context, page, errors } = await open(env.browser);
  if (gpc) {
    await context.addInitScript(() =>
      Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));
  }
  await routeHtml(context, '/w-gpc.html', hostPage({ config: GPC_CONFIG, head: AT_START }));
  const views = [];
  for (const query of ['', '?view=2']) {
    await page.goto(`${env.url}/w-gpc.html${query}`);
    views.push(await page.evaluate(() => ({ ...window.atStart, marketingRan: !!window.marketingRan })));
  }
  await context.close();
  return { views, errors };
}

const isDefault = (e) => e[0] === 'consent' && e[1] === 'default';

test('GPC: before any tag, a region-less Consent Mode default denies the sharing category\'s types, and the state says gpc before the UI loads', async () => {
  const { views, errors } = await gpcViews(true);
  for (const [i, start] of views.entries()) {
    const label = `page view ${i + 1}`;
    const regionless = start.dataLayer.filter((e) => isDefault(e) && !('region' in e[2]));
    assert.equal(regionless.length, 1, `${label}: one default without region: ${JSON.stringify(start.dataLayer)}`);
    assert.equal(regionless[0][2].ad_storage, 'denied', `${label}: it denies ad_storage`);
    // (and the regional default of the map is there too, as without GPC)
    assert.ok(start.dataLayer.some((e) => isDefault(e) && e[2].region?.[0] === 'DE'), `${label}: the regional default`);
    assert.equal(start.ui, false, `${label}: measured before the UI exists`);
    assert.equal(start.state.source, 'gpc', `${label}: ConsentBanner.get().source`);
    assert.deepEqual([start.state.decided, start.state.categories.marketing], [false, false]);
    assert.equal(start.marketingRan, false, `${label}: the sharing category's tag did not run`);
  }
  assert.deepEqual(errors, []);
});

test('GPC: without the signal, no region-less default and no gpc source', async () => {
  const { views, errors } = await gpcViews(false);
  for (const start of views) {
    assert.deepEqual(start.dataLayer.filter((e) => isDefault(e) && !('region' in e[2])), []);
    assert.equal(start.dataLayer.filter(isDefault).length, 1, 'only the regional default');
    assert.equal(start.state.source, null);
  }
  assert.deepEqual(errors, []);
});

test('GPC: the visitor\'s own choice overrides it on later page views (no gpc source, no region-less denial)', async () => {
  const { context, page, errors } = await open(env.browser);
  await context.addInitScript(() =>
    Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));
  await routeHtml(context, '/w-gpc.html', hostPage({ config: GPC_CONFIG, head: AT_START }));
  await page.goto(`${env.url}/w-gpc.html`);
  await page.locator('consent-banner .banner [data-action="accept"]').click();
  await until(page, () => window.marketingRan === true);
  await page.reload();
  const start = await page.evaluate(() => window.atStart);
  assert.equal(start.state.source, 'banner');
  assert.equal(start.state.categories.marketing, true);
  assert.deepEqual(start.dataLayer.filter((e) => isDefault(e) && !('region' in e[2])), []);
  assert.deepEqual(start.dataLayer.filter((e) => e[0] === 'consent' && e[1] === 'update').map((e) => e[2]), [{ ad_storage: 'granted' }]);
  await until(page, () => window.marketingRan === true);
  assert.deepEqual(errors, []);
  await context.close();
});

// --- errors that say whose they are: a gated script that fails is its own error ---

test('a gated inline script that fails to parse or throws is reported as that script\'s error, and the next one still runs', async () => {
  const { context, page } = await open(env.browser);
  const lines = [];
  const pageErrors = [];
  page.on('console', (m) => lines.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => pageErrors.push(`${e.name}: ${e.message}\n${e.stack}`));
  // Scripts #1 (the config) and #2 (the loader) come first; the two failing ones are #3 and #4.
  const head = `
    <script type="text/plain" data-consent="statistics">window.ranBefore = true; this is not JavaScript (</script>
    <script type="text/plain" data-consent="marketing">throw new TypeError('the site\\'s own bug')</script>
    <script type="text/plain" data-consent="statistics">window.ranAfter = true;</script>`;
  await routeHtml(context, '/w-broken.html', hostPage({ config: CONFIG, head }));
  await page.goto(`${env.url}/w-broken.html`);
  await page.evaluate(() => window.ConsentBanner.acceptAll());
  await until(page, () => window.ranAfter === true).catch(() => assert.fail(`the next gated script did not run: ${lines.join('\n')}`));
  const ours = lines.filter((l) => l.includes('consent-banner'));
  assert.equal(ours.length, 2, `one line per failing script: ${ours.join('\n')}`);
  assert.match(ours[0], /^error: consent-banner: gated script <script data-consent="statistics"> \(#3 in the page\) failed: (Uncaught )?SyntaxError: /);
  assert.match(ours[1], /^error: consent-banner: gated script <script data-consent="marketing"> \(#4 in the page\) failed: (Uncaught )?TypeError: the site's own bug/);
  assert.equal(await page.evaluate(() => window.ranBefore), undefined, 'a script that does not parse runs nothing');
  // No uncaught error that names the loader (the old symptom: "Failed to execute 'replaceWith'").
  assert.deepEqual(pageErrors.filter((e) => /consent-banner|replaceWith/.test(e)), []);
  await context.close();
});
