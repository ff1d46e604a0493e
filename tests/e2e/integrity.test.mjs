// Consent integrity (issue 13): only the visitor decides, whatever else is on the page. Each test
// is an attack from the issue, made as an attacker would on a real site (a user comment that
// passes an HTML sanitizer, a third-party widget's script, a strict nonce-based CSP, Trusted
// Types, another tab, the host page's CSS), and asserts what a visitor, the site owner and the
// network see: the stored record, whether gated tags ran, requests to other origins, consent:error
// events, CSP violation reports, and what a real mouse click at a button's centre hits.
//
// No timed waits: a negative check ("nothing ran") waits for a sequence point first, e.g. a gated
// `essential` marker script added after the attack (activation runs in document order, one at a
// time, so once the marker has run, anything the attack unlocked has run too), or an API call that
// goes through the same queue as the attack.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, open, banner, button, until, countOf, hostPage, routeHtml } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

const KEY = 'consent-banner';
const ELSEWHERE = 'https://elsewhere.example';
const EXTRA = '/dist/consent-banner-extra.js';
const LOG = 'window.log = window.log || []; window.log.push';
// Gated tags of every kind; `stats` and stats.js must never run without the visitor's yes.
const GATED = `
  <script type="text/plain" data-consent="statistics" src="/www/demo/stats.js"></script>
  <script type="text/plain" data-consent="statistics">${LOG}('stats')</script>
  <script type="text/plain" data-consent="!statistics">${LOG}('declined')</script>
  <template data-consent="statistics"><script>${LOG}('template')</script></template>`;
const LOADER = '<script src="/dist/consent-banner.js"></script>';
// A statistics category that is required: what an attacker wants the banner to read.
const EVIL_CONFIG = '{"categories":[{"id":"statistics","label":"S","required":true}]}';

// Records consent events, CSP violation reports and unhandled rejections from the page's first
// line on (an init script: it runs before the page's own scripts and is not subject to its CSP).
function recorder() {
  window.events = [];
  window.violations = [];
  window.rejections = [];
  for (const n of ['ready', 'change', 'error', 'show', 'hide']) {
    addEventListener(`consent:${n}`, (e) => window.events.push({ name: n, detail: e.detail }));
  }
  document.addEventListener('securitypolicyviolation', (e) =>
    window.violations.push(`${e.violatedDirective} ${e.blockedURI} (${e.sourceFile}: ${e.sample})`));
  addEventListener('unhandledrejection', (e) => window.rejections.push(String(e.reason?.stack || e.reason)));
}

// Every `document.cookie` assignment, as written (the loader's and the wasm's alike).
function cookieWriter() {
  const native = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
  window.cookieWrites = [];
  Object.defineProperty(Document.prototype, 'cookie', {
    configurable: true,
    enumerable: true,
    get() { return native.get.call(this); },
    set(value) { window.cookieWrites.push(String(value)); native.set.call(this, value); },
  });
}

/**
 * Opens `html` at `path` in a fresh context. Every request to another origin
 * (https://elsewhere.example) is answered by the test and recorded in `session.foreign`: a script
 * there sets `window.pwned` (served with CORS, so a module import of it would run).
 */
async function visit(html, { path = '/host.html', headers = {}, setup, init, initArg } = {}) {
  const session = await open(env.browser);
  await prepare(session, html, { path, headers, setup, init, initArg });
  await session.page.goto(env.url + path);
  return session;
}

/** `visit` without the navigation: routes, init scripts and recorders for a session of `open`. */
async function prepare(session, html, { path = '/host.html', headers = {}, setup, init, initArg } = {}) {
  const { context, page } = session;
  session.foreign = [];
  session.pageErrors = [];
  page.on('pageerror', (e) => session.pageErrors.push(e.stack || String(e)));
  await context.addInitScript(recorder);
  if (init) await context.addInitScript(init, initArg);
  await context.route(`${ELSEWHERE}/**`, (route) => {
    const url = route.request().url();
    session.foreign.push(url);
    if (/\.png$/.test(new URL(url).pathname)) return route.fulfill({ status: 204, headers: { 'access-control-allow-origin': '*' } });
    return route.fulfill({
      status: 200,
      contentType: 'text/javascript',
      headers: { 'access-control-allow-origin': '*' },
      // (No export: as a module it then fails the loader's import, so a hijacked load ends in an
      // error the test sees instead of a silent wait.)
      body: `window.pwned = (window.pwned || []).concat(${JSON.stringify(url)});`,
    });
  });
  if (html !== undefined) await routeHtml(context, path, html, headers);
  if (setup) await setup(context);
}

const eventsNamed = (page, name) => page.evaluate((n) => window.events.filter((e) => e.name === n).map((e) => e.detail), name);
const log = (page) => page.evaluate(() => window.log || []);
const stored = (page) => page.evaluate((k) => JSON.parse(localStorage.getItem(k)), KEY);
const state = (page) => page.evaluate(() => window.ConsentBanner.get());

/** Waits for the first layer, failing at once (with the reason) on a consent:error instead. */
async function bannerShown(page) {
  await until(page, () => document.querySelector('consent-banner')?.shadowRoot?.querySelector('.banner')
    || window.events.some((e) => e.name === 'error') || window.rejections.length);
  assert.deepEqual(await eventsNamed(page, 'error'), [], 'no consent:error');
  assert.deepEqual(await page.evaluate(() => window.rejections), [], 'no unhandled rejection');
  await banner(page).waitFor();
}

/** The centre of a locator's box, in viewport coordinates (as a real mouse click takes them). */
async function centre(locator) {
  const box = await locator.boundingBox();
  assert.ok(box, 'the element has a box');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** A real mouse click (trusted, hit-tested like the visitor's own) at the centre of `locator`. */
async function realClick(page, locator) {
  const { x, y } = await centre(locator);
  await page.mouse.click(x, y);
}

/**
 * Adds `<script type="text/plain" data-consent=…>code</script>` at the end of the body. The code goes
 * in as a text node, not through `.text`: under Trusted Types the page's own `.text` assignment is
 * refused (the loader's activation uses its policy). `document.createElement` from its prototype:
 * some tests clobber it.
 */
const addGated = (page, consent, code) => page.evaluate(([c, text]) => {
  const s = Document.prototype.createElement.call(document, 'script');
  s.type = 'text/plain';
  s.dataset.consent = c;
  s.append(document.createTextNode(text));
  document.body.append(s);
}, [consent, code]);

/**
 * Sequence point: a gated `essential` script added now (at the end of the body) runs after every
 * gated element the loader has already taken in. Resolves when it has run.
 */
let markers = 0;
async function marker(page) {
  const name = `marker-${++markers}`;
  await addGated(page, 'essential', `${LOG}(${JSON.stringify(name)})`);
  await until(page, (n) => (window.log || []).includes(n), name);
}

/** Polls a condition in the test (not the page), e.g. on the requests the test has seen. */
async function eventually(check, what) {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((ok) => setTimeout(ok, 50));
  }
  assert.fail(`timed out waiting for ${what}`);
}

/** Answers receipt beacons to /receipts (204) and records their JSON bodies. */
const receiptsInto = (sent) => (context) => context.route('**/receipts', (route) => {
  sent.push(JSON.parse(route.request().postData()));
  return route.fulfill({ status: 204 });
});

// --- 1. markup hooks that decide: an overlay comment, synthetic clicks ---------------------------

const OVERLAY = '<div class="comment" data-consent-action="accept-all" style="position:fixed;inset:0;z-index:2147483647"></div>';

test('1. an accept-all overlay in a comment: a real click on Decline declines, a click on the overlay decides nothing and sends no receipt', async () => {
  const sent = [];
  const session = await visit(hostPage({ config: { receiptEndpoint: '/receipts' }, head: GATED, body: OVERLAY }), {
    setup: receiptsInto(sent),
  });
  const { page, context, requests } = session;
  await bannerShown(page);
  // The visitor clicks Decline (where the banner shows it; the overlay covers the whole window).
  await realClick(page, button(page, 'reject'));
  await until(page, (k) => localStorage.getItem(k), KEY);
  const record = await stored(page);
  assert.equal(record.categories.statistics, false, `the stored decision is the visitor's Decline: ${JSON.stringify(record)}`);
  await until(page, () => (window.log || []).includes('declined'));
  // Then somewhere else on the page (on the overlay), then the banner is opened again and the
  // visitor accepts: the receipts are the two decisions, nothing in between.
  await page.mouse.click(5, 5);
  await page.mouse.click(900, 60);
  await page.evaluate(() => window.ConsentBanner.show());
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), KEY), JSON.stringify(record), 'the overlay clicks changed nothing');
  assert.deepEqual(await log(page), ['declined'], 'no statistics tag ran');
  assert.equal(countOf(requests, /stats\.js|collect\.png/), 0, 'no tracker request');
  await realClick(page, button(page, 'accept'));
  await until(page, () => (window.log || []).includes('stats'));
  await eventually(() => sent.length >= 2, 'two receipts');
  assert.deepEqual(sent.map((r) => r.action), ['decline', 'accept'], 'one receipt per decision of the visitor');
  const changes = await eventsNamed(page, 'change');
  assert.deepEqual(changes.map((c) => c.categories.statistics), [false, true], 'the two changes, nothing in between');
  await context.close();
});

test('1. an accept-all overlay in a comment: a click on it alone stores nothing and sends nothing', async () => {
  const sent = [];
  const session = await visit(hostPage({ config: { receiptEndpoint: '/receipts' }, head: GATED, body: OVERLAY }), {
    setup: receiptsInto(sent),
  });
  const { page, context } = session;
  await bannerShown(page);
  await page.mouse.click(640, 100);
  await page.mouse.click(5, 5);
  // Sequence point: the UI has taken every call queued before this one.
  await page.evaluate(() => window.ConsentBanner.show());
  await marker(page);
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), KEY), null, 'nothing stored');
  assert.equal((await state(page)).decided, false);
  assert.deepEqual(await eventsNamed(page, 'change'), []);
  assert.deepEqual(await log(page), ['marker-' + markers], 'no gated tag ran but the marker');
  // The visitor's own decision still goes through (and is the only receipt).
  await realClick(page, button(page, 'accept'));
  await until(page, () => (window.log || []).includes('stats'));
  await eventually(() => sent.length > 0, 'a receipt');
  assert.deepEqual(sent.map((r) => r.action), ['accept']);
  await context.close();
});

test('1. decision hooks are off by default: trusted clicks on accept-all and reject-all hooks store nothing', async () => {
  const body = `<p><button id="hook-accept" data-consent-action="accept-all">Accept</button>
    <button id="hook-reject" data-consent-action="reject-all">Reject</button></p>`;
  const session = await visit(hostPage({ head: GATED, body }));
  const { page, context } = session;
  await bannerShown(page);
  await realClick(page, page.locator('#hook-accept'));
  await realClick(page, page.locator('#hook-reject'));
  await page.evaluate(() => window.ConsentBanner.show());
  await marker(page);
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), KEY), null, 'nothing stored');
  assert.deepEqual(await eventsNamed(page, 'change'), []);
  assert.ok(!(await log(page)).includes('stats'));
  await context.close();
});

test('1. decision hooks are off by default: a trusted click on a reset hook keeps a return visitor\'s decision', async () => {
  const body = '<p><button id="hook-reset" data-consent-action="reset">Forget my choice</button></p>';
  const session = await visit(hostPage({ head: GATED, body }));
  const { page, context } = session;
  await bannerShown(page);
  await page.evaluate(() => window.ConsentBanner.acceptAll());
  const before = await page.evaluate((k) => localStorage.getItem(k), KEY);
  await page.reload();
  await until(page, () => (window.log || []).includes('stats'));
  await realClick(page, page.locator('#hook-reset'));
  await page.evaluate(() => window.ConsentBanner.showPreferences());
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), KEY), before, 'the record is untouched');
  assert.equal((await state(page)).categories.statistics, true);
  await context.close();
});

test('1. markupDecisions: true: a trusted click on the page\'s accept-all hook accepts, el.click() and a dispatched click do not', async () => {
  const body = '<p><button id="own-accept" data-consent-action="accept-all">Accept all cookies</button></p>';
  const session = await visit(hostPage({ config: { markupDecisions: true }, head: GATED, body }));
  const { page, context } = session;
  await bannerShown(page);
  await page.evaluate(() => {
    const hook = document.getElementById('own-accept');
    hook.click();
    hook.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, view: window }));
  });
  await page.evaluate(() => window.ConsentBanner.show());
  await marker(page);
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), KEY), null, 'script clicks decide nothing');
  assert.deepEqual(await eventsNamed(page, 'change'), []);
  assert.ok(!(await log(page)).includes('stats'));
  // The visitor's own click on the site's hook.
  await realClick(page, page.locator('#own-accept'));
  await until(page, () => (window.log || []).includes('stats'));
  assert.equal((await stored(page)).categories.statistics, true);
  assert.equal((await state(page)).categories.statistics, true);
  await context.close();
});

test('1. preferences and show hooks keep working by default (a real click and el.click())', async () => {
  const body = `<footer><a id="prefs" href="#" data-consent-action="preferences">Cookie preferences</a>
    <a id="show" href="#" data-consent-action="show">Cookie banner</a></footer>`;
  const session = await visit(hostPage({ head: GATED, body }));
  const { page, context } = session;
  await bannerShown(page);
  await page.evaluate(() => window.ConsentBanner.rejectAll());
  await page.reload();
  await until(page, () => (window.log || []).includes('declined'));
  await realClick(page, page.locator('#prefs'));
  await page.locator('consent-banner .dialog').waitFor();
  await realClick(page, page.locator('consent-banner .dialog [data-action="close"]'));
  await page.locator('consent-banner .dialog').waitFor({ state: 'detached' });
  await page.evaluate(() => document.getElementById('show').click());
  await banner(page).waitFor();
  assert.equal((await stored(page)).categories.statistics, false, 'showing decides nothing');
  await context.close();
});

// --- 2. the config from the wrong element ----------------------------------------------------------

test('2. a <p hidden> with the config\'s id before the loader: one config error naming the element, fail closed', async () => {
  const body = `<div class="comment"><p hidden id="consent-banner-config">${EVIL_CONFIG}</p></div>${LOADER}`;
  const session = await visit(hostPage({ loader: '', head: GATED, body }));
  const { page, context, requests } = session;
  await until(page, () => window.events.some((e) => e.name === 'error') || (window.log || []).includes('stats'));
  assert.deepEqual(await log(page), [], 'no statistics tag ran');
  const answer = await page.evaluate(() => window.ConsentBanner.acceptAll().then(() => 'served', () => 'rejected'));
  assert.equal(answer, 'rejected', 'no decision possible');
  const errors = await eventsNamed(page, 'error');
  assert.equal(errors.length, 1, JSON.stringify(errors));
  assert.equal(errors[0].kind, 'config');
  assert.match(errors[0].message, /#consent-banner-config/);
  assert.match(errors[0].message, /<p>/);
  assert.deepEqual(await log(page), [], 'no statistics tag ran');
  assert.equal(countOf(requests, /stats\.js|collect\.png/), 0);
  assert.equal(await page.evaluate(() => window.ConsentBanner.accepted('statistics')), false);
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), KEY), null);
  assert.equal(await page.locator('consent-banner').count(), 0, 'no banner');
  await context.close();
});

test('2. a <p hidden> with the config\'s id in a comment, after the loader: Decline cannot store statistics as accepted', async () => {
  const body = `<div class="comment"><p hidden id="consent-banner-config">${EVIL_CONFIG}</p></div>`;
  const session = await visit(hostPage({ head: GATED, body }));
  const { page, context, requests } = session;
  await until(page, () => document.querySelector('consent-banner')?.shadowRoot?.querySelector('.banner')
    || window.events.some((e) => e.name === 'error'));
  const errors = await eventsNamed(page, 'error');
  if (errors.length) {
    // Failing closed is fine too, if it names the element.
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.equal(errors[0].kind, 'config');
    assert.match(errors[0].message, /<p>/);
  } else {
    await realClick(page, button(page, 'reject'));
    await until(page, (k) => localStorage.getItem(k), KEY);
    const record = await stored(page);
    assert.equal(record.categories.statistics, false, JSON.stringify(record));
    await until(page, () => (window.log || []).includes('declined'));
    assert.deepEqual(Object.keys(record.categories).sort(), ['essential', 'functional', 'statistics'], 'the site\'s (default) categories');
  }
  assert.ok(!(await log(page)).includes('stats'), 'no statistics tag ran');
  assert.equal(countOf(requests, /stats\.js|collect\.png/), 0);
  await context.close();
});

// The site's config: revision 7, two categories.
const SITE_CONFIG = {
  revision: 7,
  categories: [{ id: 'essential', label: 'Essential', required: true }, { id: 'statistics', label: 'Statistics' }],
};
// A widget's script, after the loader: it puts an element with the config's id first in the
// document, before the site's config (an empty one, or one holding `text`).
const widget = (text = '') => `<script>(function () {
    var a = document.createElement('a');
    a.id = 'consent-banner-config';
    a.textContent = ${JSON.stringify(text)};
    document.head.prepend(a);
  })();</script>`;

test('2. empty <a> elements with the config\'s id (in the body, and one a widget puts first): the site\'s config stands, first and return visit', async () => {
  const head = GATED + widget();
  const body = '<div class="comment"><a id="consent-banner-config"></a></div>';
  const session = await visit(hostPage({ config: SITE_CONFIG, head, body }));
  const { page, context } = session;
  await bannerShown(page);
  const first = await state(page);
  assert.equal(first.revision, 7);
  assert.deepEqual(Object.keys(first.categories), ['essential', 'statistics']);
  await realClick(page, button(page, 'preferences'));
  await page.locator('consent-banner .dialog').waitFor();
  assert.deepEqual(await page.locator('consent-banner .dialog [data-category]').evaluateAll((els) => els.map((e) => e.dataset.category)),
    ['essential', 'statistics'], 'the UI shows the site\'s categories');
  await realClick(page, page.locator('consent-banner .dialog [data-action="reject"]'));
  await until(page, () => (window.log || []).includes('declined'));
  const record = await stored(page);
  assert.equal(record.revision, 7);
  assert.deepEqual(record.categories, { essential: true, statistics: false });
  assert.deepEqual((await state(page)).categories, { essential: true, statistics: false });
  // A return visit: the UI loads later (the preferences), after the body and the widget ran.
  await page.reload();
  await until(page, () => (window.log || []).includes('declined'));
  await page.evaluate(() => window.ConsentBanner.showPreferences());
  assert.deepEqual(await page.locator('consent-banner .dialog [data-category]').evaluateAll((els) => els.map((e) => e.dataset.category)),
    ['essential', 'statistics']);
  const again = await state(page);
  assert.equal(again.revision, 7);
  assert.equal(again.decided, true, 'the stored decision still holds');
  assert.deepEqual(await eventsNamed(page, 'error'), []);
  await context.close();
});

test('2. a widget\'s <a> holding a config with statistics required, put before the site\'s config: Decline still declines', async () => {
  const session = await visit(hostPage({ config: SITE_CONFIG, head: GATED + widget(EVIL_CONFIG) }));
  const { page, context, requests } = session;
  await bannerShown(page);
  await realClick(page, button(page, 'reject'));
  await until(page, (k) => localStorage.getItem(k), KEY);
  const record = await stored(page);
  assert.deepEqual(record.categories, { essential: true, statistics: false });
  assert.equal(record.revision, 7);
  await until(page, () => (window.log || []).includes('declined'));
  assert.deepEqual(await log(page), ['declined']);
  assert.equal(countOf(requests, /stats\.js|collect\.png/), 0);
  await context.close();
});

// --- 3. DOM clobbering -------------------------------------------------------------------------------

test('3. <img name="currentScript"> before a loader in the body: nothing is loaded from elsewhere, the banner works', async () => {
  const body = `<div class="comment"><img name="currentScript" src="${ELSEWHERE}/x/p.png" alt=""></div>${LOADER}`;
  const session = await visit(hostPage({ loader: '', head: GATED, body }));
  const { page, context } = session;
  // (The loader's imports start as it runs, before the page's load event, which goto awaited.)
  assert.deepEqual(session.foreign.filter((u) => !u.endsWith('/x/p.png')), [], 'no request to another origin but the image');
  await until(page, () => document.querySelector('consent-banner')?.shadowRoot?.querySelector('.banner')
    || window.events.some((e) => e.name === 'error'));
  assert.equal(await page.evaluate(() => window.pwned), undefined, 'no foreign code ran');
  assert.deepEqual(await eventsNamed(page, 'error'), []);
  await realClick(page, button(page, 'accept'));
  await until(page, () => (window.log || []).includes('stats') && window.statsRuns === 1);
  assert.deepEqual(session.foreign.filter((u) => !u.endsWith('/x/p.png')), []);
  await context.close();
});

test('3. <form id="ConsentBanner"><input name="version"> before the loader: the API exists and the banner shows', async () => {
  const body = `<div class="comment"><form id="ConsentBanner"><input name="version"></form></div>${LOADER}`;
  const session = await visit(hostPage({ loader: '', head: GATED, body }));
  const { page, context } = session;
  await until(page, () => typeof window.ConsentBanner?.get === 'function');
  await bannerShown(page);
  assert.equal(typeof (await page.evaluate(() => window.ConsentBanner.version)), 'string');
  await realClick(page, button(page, 'accept'));
  await until(page, () => (window.log || []).includes('stats'));
  assert.equal((await stored(page)).categories.statistics, true);
  await context.close();
});

test('3. <img name="querySelectorAll"> and <form name="getElementById"> in the body: gating still works after accept', async () => {
  const body = '<div class="comment"><img name="querySelectorAll" alt=""><form name="getElementById"></form></div>';
  const session = await visit(hostPage({ head: GATED, body }));
  const { page, context } = session;
  await bannerShown(page);
  await realClick(page, button(page, 'accept'));
  await until(page, () => ['stats', 'template'].every((n) => (window.log || []).includes(n)) && window.statsRuns === 1);
  // Tags added later are gated too.
  await addGated(page, 'statistics', `${LOG}('late')`);
  await until(page, () => (window.log || []).includes('late'));
  assert.deepEqual(await eventsNamed(page, 'error'), []);
  assert.deepEqual(notTracker(session.pageErrors), []);
  assert.deepEqual(await page.evaluate(() => window.rejections), []);
  await context.close();
});

// Every document method the loader's gating uses, clobbered by a comment above gated markup.
const CLOBBERS = `<div class="comment"><img name="querySelectorAll" alt=""><form name="getElementById"></form>
  <img name="createElement" alt=""><img name="importNode" alt=""><img name="addEventListener" alt=""></div>`;
// The stand-in tracker (www/demo/stats.js) calls document.getElementById itself: its own error on a
// clobbered page is not the banner's.
const notTracker = (errors) => errors.filter((e) => !/www\/demo\/stats\.js/.test(e));
const BODY_GATED = `<script type="text/plain" data-consent="statistics">${LOG}('body-stats')</script>
  <template data-consent="statistics"><script>${LOG}('body-template')</script></template>`;

test('3. the document methods the loader uses, clobbered in the body: a return visit still activates the accepted tags, later ones too', async () => {
  const session = await visit(hostPage({ head: GATED }));
  const { page, context } = session;
  await bannerShown(page);
  await page.evaluate(() => window.ConsentBanner.acceptAll());
  await routeHtml(context, '/host.html', hostPage({ head: GATED, body: CLOBBERS + BODY_GATED }));
  await page.reload();
  await until(page, () => ['stats', 'template', 'body-stats', 'body-template'].every((n) => (window.log || []).includes(n)));
  await addGated(page, 'statistics', `${LOG}('late')`);
  await until(page, () => (window.log || []).includes('late'));
  assert.equal(await page.evaluate(() => typeof document.createElement), 'object', 'the page really is clobbered');
  assert.deepEqual(await eventsNamed(page, 'error'), []);
  assert.deepEqual(notTracker(session.pageErrors), []);
  assert.deepEqual(await page.evaluate(() => window.rejections), []);
  await context.close();
});

test('3. (guard) document.createElement clobbered before a first visit\'s UI loads: a working banner or one error, nothing runs', async () => {
  const session = await visit(hostPage({ head: GATED, body: CLOBBERS }));
  const { page, context, requests } = session;
  await until(page, () => document.querySelector('consent-banner')?.shadowRoot?.querySelector('.banner')
    || window.events.some((e) => e.name === 'error'));
  const errors = await eventsNamed(page, 'error');
  assert.ok(errors.length <= 1, JSON.stringify(errors));
  assert.deepEqual(await log(page), []);
  assert.equal(countOf(requests, /stats\.js|collect\.png/), 0);
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), KEY), null);
  assert.deepEqual(await page.evaluate(() => window.rejections), []);
  await context.close();
});

test('3. <img name="body"> in a comment before a first visit\'s UI loads: one load error, not a banner hidden inside the image', async () => {
  const session = await visit(hostPage({ head: GATED, body: '<div class="comment"><img name="body" alt=""></div>' }));
  const { page, context } = session;
  await until(page, () => window.events.some((e) => e.name === 'error'));
  const errors = await eventsNamed(page, 'error');
  assert.deepEqual(errors.map((e) => e.kind), ['load']);
  assert.match(errors[0].message, /could not create the banner element/);
  assert.equal(await page.evaluate(() => document.images[0].childNodes.length), 0, 'nothing mounted in the image');
  assert.deepEqual(await log(page), []);
  await context.close();
});

// --- 4. forged events ----------------------------------------------------------------------------------

const forgeChange = (page) => page.evaluate(() => dispatchEvent(new CustomEvent('consent:change', {
  detail: { decided: true, categories: { essential: true, functional: true, statistics: true }, revision: 1, changed: ['statistics'], source: 'banner', persisted: true },
})));

test('4. a forged consent:change on a first visit runs nothing and changes nothing', async () => {
  const session = await visit(hostPage({ head: GATED }));
  const { page, context, requests } = session;
  await bannerShown(page);
  await forgeChange(page);
  await marker(page);
  assert.deepEqual(await log(page), ['marker-' + markers], 'no gated tag ran but the marker');
  assert.equal(countOf(requests, /stats\.js|collect\.png/), 0);
  const now = await state(page);
  assert.equal(now.decided, false);
  assert.equal(now.categories.statistics, false);
  assert.equal(await page.evaluate(() => window.ConsentBanner.accepted('statistics')), false);
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), KEY), null, 'nothing stored');
  await banner(page).waitFor();
  await context.close();
});

test('4. a forged consent:change on a return visit with statistics declined runs nothing and changes nothing', async () => {
  const session = await visit(hostPage({ head: GATED }));
  const { page, context, requests } = session;
  await bannerShown(page);
  await page.evaluate(() => window.ConsentBanner.rejectAll());
  await page.reload();
  await until(page, () => (window.log || []).includes('declined'));
  const before = await page.evaluate((k) => localStorage.getItem(k), KEY);
  await forgeChange(page);
  await marker(page);
  assert.deepEqual(await log(page), ['declined', 'marker-' + markers]);
  assert.equal(countOf(requests, /stats\.js|collect\.png/), 0);
  assert.equal((await state(page)).categories.statistics, false);
  assert.equal(await page.evaluate(() => window.ConsentBanner.accepted('statistics')), false);
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), KEY), before, 'the record is untouched');
  await context.close();
});

test('4. a forged consent:error of kind panic does not remove the banner or stop it', async () => {
  const session = await visit(hostPage({ head: GATED }));
  const { page, context } = session;
  await bannerShown(page);
  const present = await page.evaluate(() => {
    dispatchEvent(new CustomEvent('consent:error', { detail: { kind: 'panic', message: 'forged' } }));
    return document.querySelectorAll('consent-banner').length;
  });
  assert.equal(present, 1, 'the banner is still there');
  await banner(page).waitFor();
  await realClick(page, button(page, 'accept'));
  await until(page, () => (window.log || []).includes('stats'));
  assert.equal((await stored(page)).categories.statistics, true);
  await context.close();
});

// --- 5. nonce-based CSP with 'strict-dynamic' ------------------------------------------------------------

const NONCE = 'abc';
const NONCE_CSP = { 'content-security-policy': `script-src 'nonce-${NONCE}' 'strict-dynamic' 'wasm-unsafe-eval'` };
const NONCE_LOADER = `<script src="/dist/consent-banner.js" nonce="${NONCE}"></script>`;
const NONCED = `
  <script type="text/plain" data-consent="essential" nonce="${NONCE}">${LOG}('nonced')</script>
  <script type="text/plain" data-consent="statistics" nonce="${NONCE}" src="/www/demo/stats.js"></script>
  <template data-consent="statistics" nonce="${NONCE}"><script>${LOG}('nonced-template')</script></template>`;

for (const [name, injected, element] of [
  ['a gated script', `<script type="text/plain" data-consent="essential" src="${ELSEWHERE}/x.js"></script>`, /<script\b/],
  ['a gated template', `<template data-consent="essential"><script src="${ELSEWHERE}/t.js"></script><img src="${ELSEWHERE}/t.png" alt=""></template>`, /<template\b/],
]) {
  test(`5. strict-dynamic nonce CSP: ${name} without the nonce in a comment stays inert and is reported once; nonced ones run`, async () => {
    const body = `<div class="comment">${injected}</div>`;
    const session = await visit(hostPage({ loader: NONCE_LOADER, head: NONCED, body }), { headers: NONCE_CSP });
    const { page, context } = session;
    await until(page, () => (window.log || []).includes('nonced'));
    await banner(page).waitFor();
    await realClick(page, button(page, 'accept'));
    await until(page, () => window.statsRuns === 1 && (window.log || []).includes('nonced-template'));
    assert.deepEqual(session.foreign, [], 'no request to another origin');
    assert.equal(await page.evaluate(() => window.pwned), undefined);
    await until(page, () => window.events.some((e) => e.name === 'error'));
    const errors = await eventsNamed(page, 'error');
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.equal(errors[0].kind, 'markup');
    assert.match(errors[0].message, element);
    assert.match(errors[0].message, /data-consent="essential"/);
    assert.deepEqual(await page.evaluate(() => window.violations), []);
    assert.deepEqual(await log(page), ['nonced', 'nonced-template']);
    await context.close();
  });
}

// --- 6. Trusted Types --------------------------------------------------------------------------------------

test('6. Trusted Types with the consent-banner policy allowed: gated inline and external scripts run after accept', async () => {
  const headers = { 'content-security-policy': "require-trusted-types-for 'script'; trusted-types consent-banner" };
  const session = await visit(hostPage({ head: GATED }), { headers });
  const { page, context } = session;
  await bannerShown(page);
  await realClick(page, button(page, 'accept'));
  await until(page, () => (['stats', 'template'].every((n) => (window.log || []).includes(n)) && window.statsRuns === 1)
    || window.rejections.length || window.events.some((e) => e.name === 'error'));
  assert.deepEqual(await page.evaluate(() => window.rejections), [], 'no unhandled rejection');
  assert.deepEqual(await eventsNamed(page, 'error'), []);
  // A later one too: one activation never blocks the next.
  await marker(page);
  assert.deepEqual(session.pageErrors, []);
  assert.deepEqual(await eventsNamed(page, 'error'), []);
  // No Trusted Types violation report caused by the banner's files. (The marker, a script the
  // test's page code fills with a plain text node, is the page's own report.)
  const ours = (await page.evaluate(() => window.violations)).filter((v) => v.includes('/dist/'));
  assert.deepEqual(ours, [], 'no violation report from the banner');
  await context.close();
});

test('6. Trusted Types without the consent-banner policy: one markup error naming trusted-types, tags stay inert, nothing uncaught', async () => {
  const headers = { 'content-security-policy': "require-trusted-types-for 'script'; trusted-types site-policy" };
  const session = await visit(hostPage({ head: GATED }), { headers });
  const { page, context, requests } = session;
  await banner(page).waitFor();
  await realClick(page, button(page, 'accept'));
  await until(page, () => window.ConsentBanner.accepted('statistics'));
  await until(page, () => window.events.some((e) => e.name === 'error') || window.rejections.length);
  assert.deepEqual(await page.evaluate(() => window.rejections), [], 'no unhandled rejection');
  // A tag added after the failure is not activated either, and nothing throws.
  await addGated(page, 'statistics', `${LOG}('late')`);
  await page.evaluate(() => window.ConsentBanner.showPreferences());
  const errors = await eventsNamed(page, 'error');
  assert.equal(errors.length, 1, JSON.stringify(errors));
  assert.equal(errors[0].kind, 'markup');
  assert.match(errors[0].message, /trusted-types/);
  assert.deepEqual(await log(page), [], 'no gated tag ran');
  assert.equal(countOf(requests, /stats\.js|collect\.png/), 0);
  assert.deepEqual(await page.evaluate(() => window.rejections), [], 'no unhandled rejection');
  assert.deepEqual(session.pageErrors, []);
  // The site's CSP reports: the refused policy, and the refused script assignments (each gated tag
  // is tried: one failing activation does not block the next), nothing else of the banner's.
  const violations = await page.evaluate(() => window.violations);
  assert.ok(violations.some((v) => v.startsWith('trusted-types ')), `the refused policy is reported: ${violations}`);
  const ours = violations.filter((v) => v.includes('/dist/') && !v.startsWith('trusted-types '));
  assert.ok(ours.every((v) => /^require-trusted-types-for \S+ \(\S+: HTMLScriptElement (src|text)\|/.test(v)), ours.join('\n'));
  await context.close();
});

// --- 7. withdrawal in another tab, into a tab that has only the loader -----------------------------------

test('7. a withdrawal in another tab applies at once in a loader-only tab: a statistics tag added in that storage event stays inert', async () => {
  const session = await open(env.browser);
  await prepare(session, hostPage({ head: GATED }));
  const { context, page: a } = session;
  await a.goto(env.url + '/host.html');
  await banner(a).waitFor();
  await a.evaluate(() => window.ConsentBanner.acceptAll());
  const b = await context.newPage();
  const bRequests = [];
  b.on('request', (r) => bRequests.push(new URL(r.url()).pathname));
  await b.goto(env.url + '/host.html');
  await until(b, () => (window.log || []).includes('stats'));
  assert.equal(countOf(bRequests, /consent-banner-(extra|ui)/), 0, 'tab B has only the loader');
  // Registered after the loader's own storage listener.
  await b.evaluate((code) => addEventListener('storage', (e) => {
    if (e.key !== 'consent-banner') return;
    window.atStorage = { statistics: window.ConsentBanner.get().categories.statistics, accepted: window.ConsentBanner.accepted('statistics') };
    for (const [consent, text] of [['statistics', code.late], ['essential', code.marker]]) {
      const s = document.createElement('script');
      s.type = 'text/plain';
      s.dataset.consent = consent;
      s.append(document.createTextNode(text));
      document.body.append(s);
    }
  }), { late: `${LOG}('late')`, marker: `${LOG}('after-storage')` });
  await a.evaluate(() => window.ConsentBanner.set({ statistics: false }));
  await until(b, () => (window.log || []).includes('after-storage'));
  assert.deepEqual(await b.evaluate(() => window.atStorage), { statistics: false, accepted: false }, 'B\'s state in the storage event');
  assert.ok(!(await log(b)).includes('late'), `the late statistics tag stayed inert: ${await log(b)}`);
  await until(b, () => window.ConsentBanner.get().categories.statistics === false);
  await context.close();
});

// --- 8. host CSS that would push the banner off-screen or cover it --------------------------------------

const TALL = '<div style="height:4000px">A long article.</div><button id="page-button">page button</button>';
const CSS = {
  'body transform': 'body{transform:translateZ(0)}',
  'body filter': 'body{filter:blur(0)}',
  'body contain:paint': 'body{contain:paint}',
  'html zoom': 'html{zoom:1.5}',
  'html and body overflow:hidden': 'html,body{overflow:hidden}',
};
CSS.combined = Object.values(CSS).join('\n');

/** Checks that `locator` (a button in the banner) is what a click at its centre hits, then clicks. */
async function assertReachable(page, locator) {
  const { x, y } = await centre(locator);
  const { width, height } = page.viewportSize();
  assert.ok(x >= 0 && x < width && y >= 0 && y < height, `its centre (${x}, ${y}) is in the ${width}x${height} viewport`);
  const hit = await page.evaluate(([px, py]) => {
    const host = document.elementFromPoint(px, py);
    const inner = document.querySelector('consent-banner')?.shadowRoot?.elementFromPoint(px, py);
    return { page: host?.localName, banner: inner?.closest('button')?.dataset.action ?? inner?.outerHTML.slice(0, 80) };
  }, [x, y]);
  const action = await locator.evaluate((el) => el.dataset.action);
  assert.deepEqual(hit, { page: 'consent-banner', banner: action }, 'what elementFromPoint hits at its centre');
  await page.mouse.click(x, y);
}

const OVERLAY_WIDGET = () => {
  const div = document.createElement('div');
  div.id = 'widget-overlay';
  div.style.cssText = 'position:fixed;inset:0;z-index:2147483647;background:transparent';
  div.addEventListener('click', () => { window.overlayClicks = (window.overlayClicks || 0) + 1; });
  document.body.append(div);
};

for (const [name, css] of Object.entries(CSS)) {
  test(`8. host CSS (${name}) and a full-page overlay: Accept is on screen, hit at its centre, and a real click accepts`, async () => {
    const session = await visit(hostPage({ head: `<style>${css}</style>${GATED}`, body: TALL }));
    const { page, context } = session;
    await bannerShown(page);
    // A widget then covers the whole window with the highest z-index there is.
    await page.evaluate(OVERLAY_WIDGET);
    await assertReachable(page, button(page, 'accept'));
    await until(page, () => (window.log || []).includes('stats'));
    assert.equal((await stored(page)).categories.statistics, true);
    assert.equal(await page.evaluate(() => window.overlayClicks), undefined, 'the click did not reach the overlay');
    await context.close();
  });
}

test('8. host CSS (combined, no overlay): Accept is hit at its centre', async () => {
  const session = await visit(hostPage({ head: `<style>${CSS.combined}</style>${GATED}`, body: TALL }));
  const { page, context } = session;
  await bannerShown(page);
  await assertReachable(page, button(page, 'accept'));
  await until(page, () => (window.log || []).includes('stats'));
  await context.close();
});

test('8. host CSS (combined) and an overlay: the blocking first layer and the preferences are reachable too', async () => {
  const session = await visit(hostPage({ config: { blocking: true }, head: `<style>${CSS.combined}</style>${GATED}`, body: TALL }));
  const { page, context } = session;
  await bannerShown(page);
  await page.evaluate(OVERLAY_WIDGET);
  await assertReachable(page, button(page, 'preferences'));
  await page.locator('consent-banner .dialog').waitFor();
  await assertReachable(page, page.locator('consent-banner .dialog [data-action="reject"]'));
  await until(page, () => (window.log || []).includes('declined'));
  assert.equal((await stored(page)).categories.statistics, false);
  await context.close();
});

// --- 9. the lower items ------------------------------------------------------------------------------------

test('9. a category named "constructor" works in the loader and the UI', async () => {
  const config = { categories: [{ id: 'essential', label: 'Essential', required: true }, { id: 'constructor', label: 'Builders' }] };
  const head = `<script type="text/plain" data-consent="constructor">${LOG}('ctor')</script>`;
  const session = await visit(hostPage({ config, head }));
  const { page, context, requests } = session;
  await bannerShown(page);
  assert.deepEqual((await state(page)).categories, { essential: true, constructor: false });
  await realClick(page, button(page, 'accept'));
  await until(page, () => (window.log || []).includes('ctor'));
  assert.deepEqual((await stored(page)).categories, { essential: true, constructor: true });
  assert.deepEqual((await state(page)).categories, { essential: true, constructor: true });
  // A return visit: the loader alone reads the record and runs the tag.
  const before = countOf(requests, /consent-banner-(extra|ui)/);
  await page.reload();
  await until(page, () => (window.log || []).includes('ctor'));
  assert.equal(await page.evaluate(() => window.ConsentBanner.accepted('constructor')), true);
  assert.equal(countOf(requests, /consent-banner-(extra|ui)/), before, 'nothing but the loader loaded');
  assert.deepEqual(await eventsNamed(page, 'error'), []);
  await context.close();
});

test('9. policyUrl "/\\elsewhere.example/" is a config error', async () => {
  const session = await visit(hostPage({ config: { policyUrl: '/\\elsewhere.example/' }, head: GATED }));
  const { page, context } = session;
  await until(page, () => window.events.some((e) => e.name === 'error'));
  const errors = await eventsNamed(page, 'error');
  assert.equal(errors.length, 1, JSON.stringify(errors));
  assert.equal(errors[0].kind, 'config');
  assert.match(errors[0].message, /^config: policyUrl: /);
  assert.equal(await page.locator('consent-banner a[href*="elsewhere"]').count(), 0, 'no off-site link rendered');
  assert.deepEqual(await log(page), []);
  await context.close();
});

test('9. a page path holding ";domain=": deleting a declined category\'s cookies writes no foreign Domain attribute', async () => {
  const path = '/a;domain=elsewhere.example/page.html';
  const config = { categories: [{ id: 'essential', label: 'E', required: true }, { id: 'statistics', label: 'S', cookies: ['_stats*'] }] };
  const session = await open(env.browser);
  await prepare(session, hostPage({ config, head: GATED }), {
    path,
    init: cookieWriter,
    setup: (context) => context.addCookies([{ name: '_stats_visitor', value: '1', url: `${env.url}/` }]),
  });
  const { page, context } = session;
  await page.goto(env.url + path);
  assert.equal(new URL(page.url()).pathname, path);
  await bannerShown(page);
  await realClick(page, button(page, 'reject'));
  await until(page, (k) => localStorage.getItem(k), KEY);
  await until(page, () => !document.cookie.includes('_stats_visitor'));
  const writes = await page.evaluate(() => window.cookieWrites);
  assert.ok(writes.some((w) => w.startsWith('_stats_visitor=')), `a deletion was written: ${writes}`);
  const foreign = writes.filter((w) => /;\s*domain\s*=\s*\.?elsewhere/i.test(w));
  assert.deepEqual(foreign, [], 'no cookie write names another domain');
  const attrs = writes.flatMap((w) => w.split(';').slice(1).map((a) => a.trim().split('=')[0].toLowerCase()));
  assert.ok(attrs.every((a) => ['path', 'domain', 'max-age', 'expires', 'samesite', 'secure'].includes(a)), `only cookie attributes: ${attrs}`);
  assert.deepEqual((await context.cookies()).filter((c) => c.name.startsWith('_stats')), []);
  await context.close();
});

test('9. reset() removes a mirror cookie left at another path prefix of the page', async () => {
  const path = '/s/t/page.html';
  const host = new URL(env.url).hostname;
  const session = await open(env.browser);
  await prepare(session, hostPage({ config: { cookie: { name: 'consent' } }, head: GATED }), {
    path,
    // Mirror cookies an earlier config (another `cookie.path`) left behind.
    setup: (context) => context.addCookies([
      { name: 'consent', value: 'old-s', domain: host, path: '/s' },
      { name: 'consent', value: 'old-st', domain: host, path: '/s/t' },
    ]),
  });
  const { page, context } = session;
  await page.goto(env.url + path);
  await bannerShown(page);
  await realClick(page, button(page, 'accept'));
  await until(page, () => (window.log || []).includes('stats'));
  assert.ok((await context.cookies()).some((c) => c.name === 'consent' && c.path === '/'), 'the mirror was written');
  await page.evaluate(() => window.ConsentBanner.reset());
  const left = (await context.cookies()).filter((c) => c.name === 'consent').map((c) => `${c.path}=${c.value}`);
  assert.deepEqual(left, [], 'no mirror cookie at any path');
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), KEY), null);
  await context.close();
});
