// Reliability and security (issue 7): loading faults, CSP, hostile config text, panics, storage
// and config faults, concurrent clicks. "Fail closed" as a host page observes it: no gated tag
// runs, no tracker request, the page stays usable, one `consent:error` and one console message
// that names what happened, API calls are answered (rejected), no banner element left behind.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  ROOT, start, open, banner, button, until, countOf, hostPage, routeHtml, addGatedScript,
} from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

const KEY = 'consent-banner';
const GLUE = '/dist/consent-banner-ui.js';
const WASM = '/dist/consent-banner-ui_bg.wasm';
const EXTRA = '/dist/consent-banner-extra.js';
const TRACKER = /stats\.js|collect\.png/;
const LOG = 'window.log = window.log || []; window.log.push';
// Every kind of gated markup, and a page button to prove the page stays usable.
const GATED = `
  <script type="text/plain" data-consent="statistics" src="/www/demo/stats.js"></script>
  <script type="text/plain" data-consent="statistics">${LOG}('stats')</script>
  <script type="text/plain" data-consent="!statistics">${LOG}('declined')</script>`;
const BODY = `<template data-consent="functional"><script>${LOG}('template')</script></template>
  <button id="page-button">page button</button>`;

// Records every consent event and CSP violation from the first line of the page on.
function recorder() {
  window.events = [];
  window.violations = [];
  // The page's own button (a listener, not an inline handler, so strict CSP pages have it too).
  addEventListener('click', (e) => { if (e.target.id === 'page-button') window.clicks = (window.clicks || 0) + 1; });
  for (const n of ['ready', 'change', 'error', 'show', 'hide']) {
    addEventListener(`consent:${n}`, (e) => window.events.push({ name: n, detail: e.detail }));
  }
  document.addEventListener('securitypolicyviolation', (e) =>
    window.violations.push(`${e.violatedDirective} ${e.blockedURI}`));
}

/** Opens `html` at `path`; `setup(context)` adds routes, `init` runs before any page script. */
async function visit(html, { path = '/host.html', headers = {}, setup, init, initArg } = {}) {
  const session = await open(env.browser);
  session.dialogs = [];
  session.page.on('dialog', (d) => { session.dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  await session.context.addInitScript(recorder);
  if (init) await session.context.addInitScript(init, initArg);
  await routeHtml(session.context, path, html, headers);
  if (setup) await setup(session.context);
  await session.page.goto(env.url + path);
  return session;
}

// Config JSON as a careful site owner inlines it: "<" escaped, so "</script>" in a text cannot end
// the config element early.
const inline = (config) => (typeof config === 'string' ? config : JSON.stringify(config).replace(/</g, '\\u003c'));
const eventsNamed = (page, name) => page.evaluate((n) => window.events.filter((e) => e.name === n).map((e) => e.detail), name);
const ours = (errors) => errors.filter((m) => m.startsWith('consent-banner:'));
// Network and module-loading lines that Chromium prints itself are not the banner's messages.
const unexpected = (errors) => errors.filter((m) => !m.startsWith('consent-banner:')
  && !/Failed to load resource|Failed to load module script|Refused to (compile|execute|load)/.test(m));

/** Waits for the first consent:error, then checks everything "fail closed" promises. */
async function assertFailsClosed(session, { kind, message }) {
  const { page, requests, errors } = session;
  await until(page, () => window.events.some((e) => e.name === 'error'));
  // A late API call is answered: rejected, not left pending.
  const answer = await page.evaluate(() => window.ConsentBanner.acceptAll().then(() => 'served', (e) => `rejected: ${e.message}`));
  assert.match(answer, /^rejected: /);
  await page.waitForTimeout(400);
  const reported = await eventsNamed(page, 'error');
  assert.equal(reported.length, 1, `one consent:error: ${JSON.stringify(reported)}`);
  assert.equal(reported[0].kind, kind);
  assert.match(reported[0].message, message);
  assert.deepEqual(ours(errors), [`consent-banner: ${reported[0].message}`], 'one console message, the same');
  assert.deepEqual(unexpected(errors), [], 'no uncaught errors');
  assert.equal(countOf(requests, TRACKER), 0, 'no tracker request');
  assert.equal(await page.evaluate(() => window.log), undefined, 'no gated tag ran');
  assert.equal(await page.evaluate(() => window.ConsentBanner.accepted('statistics')), false);
  assert.equal(await page.locator('consent-banner').count(), 0, 'no banner element left behind');
  await page.locator('#page-button').click({ timeout: 2000 });
  assert.equal(await page.evaluate(() => window.clicks), 1, 'the page stays usable');
}

// --- loading faults -----------------------------------------------------------------------------

const real = (path) => readFileSync(join(ROOT, path));
const LOAD_FAULTS = [
  ['the glue answers 404', GLUE, { status: 404, body: 'not found' }, /consent-banner-ui\.js/],
  ['the glue answers 500', GLUE, { status: 500, body: 'error' }, /consent-banner-ui\.js/],
  ['the glue answers HTML with status 200', GLUE, { status: 200, contentType: 'text/html', body: '<!doctype html><p>Welcome</p>' }, /consent-banner-ui\.js/],
  ['the glue is truncated', GLUE, () => ({ status: 200, contentType: 'text/javascript', body: real('dist/consent-banner-ui.js').subarray(0, 4000) }), /consent-banner-ui\.js/],
  ['the wasm answers 404', WASM, { status: 404, body: 'not found' }, /consent-banner-ui_bg\.wasm.*404/],
  ['the wasm answers 500', WASM, { status: 500, body: 'error' }, /consent-banner-ui_bg\.wasm.*500/],
  ['the wasm answers HTML with status 200', WASM, { status: 200, contentType: 'text/html', body: '<!doctype html><p>Welcome</p>' }, /consent-banner-ui_bg\.wasm/],
  ['the wasm is truncated', WASM, () => ({ status: 200, contentType: 'application/wasm', body: real('dist/consent-banner-ui_bg.wasm').subarray(0, 20000) }), /consent-banner-ui_bg\.wasm/],
  ['the loader\'s second part answers 404', EXTRA, { status: 404, body: 'not found' }, /consent-banner-extra\.js/],
  ['the loader\'s second part is truncated', EXTRA, () => ({ status: 200, contentType: 'text/javascript', body: real('dist/consent-banner-extra.js').subarray(0, 600) }), /consent-banner-extra\.js/],
  // No answer at all (offline, a content blocker, a reset connection): fetch() and import()
  // reject, early on a first visit (the loader starts the glue and the wasm itself); the loader's
  // early attempt fails quietly and the extra's second attempt gives the reason.
  ['the glue never answers (network error)', GLUE, 'abort', /consent-banner-ui\.js\): .*Failed to fetch/],
  ['the wasm never answers (network error)', WASM, 'abort', /consent-banner-ui_bg\.wasm\): .*Failed to fetch/],
  ['the loader\'s second part never answers (network error)', EXTRA, 'abort', /consent-banner-extra\.js: .*Failed to fetch/],
];

for (const [name, path, answer, message] of LOAD_FAULTS) {
  test(`${name}: fails closed, queued API calls are rejected`, async () => {
    // A call queued before the loader, and one made while the UI loads.
    const loader = `<script>(window.ConsentBanner = window.ConsentBanner || []).push(function (api) {
        api.show().then(function () { window.queued = 'served'; }, function () { window.queued = 'rejected'; });
      }, ['acceptAll']);</script><script src="/dist/consent-banner.js"></script>`;
    const session = await visit(hostPage({ loader, head: GATED, body: BODY }), {
      setup: (context) => context.route((url) => url.pathname === path, (route) => (answer === 'abort'
        ? route.abort('failed') : route.fulfill(typeof answer === 'function' ? answer() : answer))),
    });
    await assertFailsClosed(session, { kind: 'load', message });
    assert.equal(await session.page.evaluate(() => window.queued), 'rejected');
    await session.context.close();
  });
}

/** A route setup: `path` is answered 2 s late (after a 700 ms data-timeout). */
const answerLate = (path) => (context) => context.route((url) => url.pathname === path, async (route) => {
  await new Promise((ok) => setTimeout(ok, 2000));
  await route.continue().catch(() => {});
});

test('a wasm that arrives after the load timeout fails closed and is never mounted', async () => {
  const loader = '<script src="/dist/consent-banner.js" data-timeout="700"></script>';
  const session = await visit(hostPage({ loader, head: GATED, body: BODY }), {
    setup: answerLate(WASM),
  });
  await assertFailsClosed(session, { kind: 'load', message: /consent-banner-ui_bg\.wasm.*timed out after 700 ms/ });
  // The wasm has arrived by now: still no banner, no tracker, no second message.
  await session.page.waitForTimeout(2200);
  assert.ok(session.requests.includes(WASM));
  assert.equal(await session.page.locator('consent-banner').count(), 0);
  assert.equal(countOf(session.requests, TRACKER), 0);
  assert.equal(ours(session.errors).length, 1);
  await session.context.close();
});

test('the loader\'s second part arriving after the load timeout fails closed and starts nothing', async () => {
  const loader = '<script src="/dist/consent-banner.js" data-timeout="700"></script>';
  const session = await visit(hostPage({ loader, head: GATED, body: BODY }), {
    setup: answerLate(EXTRA),
    // Counts every start of a wasm compile or instantiation on the page.
    init: () => {
      window.wasmStarts = 0;
      for (const k of ['compile', 'compileStreaming', 'instantiate', 'instantiateStreaming']) {
        const f = WebAssembly[k];
        WebAssembly[k] = function (...args) { window.wasmStarts++; return f.apply(this, args); };
      }
    },
  });
  await assertFailsClosed(session, { kind: 'load', message: /consent-banner-extra\.js.*timed out/ });
  // It has arrived by now: still no UI requested, no banner, no second message.
  await session.page.waitForTimeout(2200);
  assert.ok(session.requests.includes(EXTRA));
  // (The wasm download and the glue start alongside the extra on a first visit; nothing compiles
  // or runs the wasm.)
  assert.equal(await session.page.evaluate(() => window.wasmStarts), 0, 'no wasm compiled');
  assert.equal(await session.page.locator('consent-banner').count(), 0);
  assert.equal(ours(session.errors).length, 1);
  await session.context.close();
});

test('the loader waits 15 s at most by default', () => {
  // For its second part, then for the UI that part loads.
  for (const file of ['www/consent-banner.js', 'www/consent-banner-extra.js']) {
    const source = readFileSync(join(ROOT, file), 'utf8');
    const match = source.match(/attr\('timeout'\) \|\| ([\de]+)[;,]/);
    assert.ok(match, `a default load timeout in ${file}`);
    assert.ok(Number(match[1]) >= 5000 && Number(match[1]) <= 15000, match[1]);
  }
});

test('a browser without WebAssembly fails closed and fetches nothing of the UI', async () => {
  const session = await visit(hostPage({ head: GATED, body: BODY }), {
    init: () => { delete window.WebAssembly; },
  });
  await assertFailsClosed(session, { kind: 'load', message: /no WebAssembly in this browser/ });
  assert.equal(countOf(session.requests, /consent-banner-ui/), 0);
  await session.context.close();
});

// --- Content Security Policy ----------------------------------------------------------------------

const STRICT = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

test('a strict CSP runs the whole flow with zero violations', async () => {
  const head = '<script type="text/plain" data-consent="statistics" src="/www/demo/stats.js"></script>';
  const body = '<button id="page-button">page button</button>';
  const session = await visit(hostPage({ head, body }), { headers: { 'content-security-policy': STRICT } });
  const { page, requests, errors } = session;
  await banner(page).waitFor();
  await button(page, 'preferences').click();
  await button(page, 'close').click();
  await button(page, 'accept').click();
  await until(page, () => window.statsRuns === 1);
  await until(page, () => performance.getEntriesByType('resource').some((r) => /collect\.png/.test(r.name)));
  await page.waitForTimeout(200);
  assert.equal(countOf(requests, /collect\.png/), 1);
  assert.deepEqual(await page.evaluate(() => window.violations), []);
  assert.deepEqual(await eventsNamed(page, 'error'), []);
  assert.deepEqual(errors, []);
  // The styles applied: the banner is laid out, not raw unstyled text in the flow.
  await page.locator('consent-banner button').first().waitFor();
  await session.context.close();
});

test("a CSP without 'wasm-unsafe-eval' fails closed and names the missing directive", async () => {
  const session = await visit(hostPage({ head: GATED, body: BODY }), {
    headers: { 'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self'" },
  });
  await assertFailsClosed(session, { kind: 'load', message: /add 'wasm-unsafe-eval' to script-src/ });
  await session.context.close();
});

test('a nonce-based CSP activates gated inline and external scripts that carry the nonce, only those', async () => {
  const nonce = 'bm9uY2UtZm9yLXRlc3Rz';
  const loader = `<script src="/dist/consent-banner.js" nonce="${nonce}"></script>`;
  const head = `
    <script type="text/plain" data-consent="statistics" nonce="${nonce}">${LOG}('inline-with-nonce')</script>
    <script type="text/plain" data-consent="statistics" nonce="${nonce}" src="/www/demo/stats.js"></script>
    <script type="text/plain" data-consent="statistics">${LOG}('inline-without-nonce')</script>`;
  const session = await visit(hostPage({ loader, head }), {
    headers: { 'content-security-policy': `script-src 'nonce-${nonce}' 'wasm-unsafe-eval'; style-src 'self'` },
  });
  const { page } = session;
  await banner(page).waitFor();
  await button(page, 'accept').click();
  await until(page, () => window.statsRuns === 1 && (window.log || []).length === 1);
  await page.waitForTimeout(300);
  assert.deepEqual(await page.evaluate(() => window.log), ['inline-with-nonce']);
  // The one without the nonce is not even tried (the loader's trust is not lent to it): no
  // violation, one markup error that names it.
  assert.deepEqual(await page.evaluate(() => window.violations), []);
  const reported = await eventsNamed(page, 'error');
  assert.deepEqual(reported.map((e) => e.kind), ['markup']);
  assert.match(reported[0].message, /^<script data-consent="statistics"> \(#\d+ in the page\) lacks the loader's nonce: left inert$/);
  await session.context.close();
});

test('the shipped JavaScript holds no eval and no new Function', () => {
  const files = readdirSync(join(ROOT, 'dist')).filter((f) => f.endsWith('.js'));
  assert.ok(files.length >= 2, `${files}`);
  for (const f of files) {
    const code = readFileSync(join(ROOT, 'dist', f), 'utf8');
    assert.doesNotMatch(code, /\beval\s*\(|new\s+Function\b|\bFunction\s*\(\s*['"`]/, f);
    assert.doesNotMatch(code, /set(Timeout|Interval)\(\s*['"`]/, `${f}: string timers`);
  }
});

// --- concurrency ----------------------------------------------------------------------------------

test('Accept and Decline clicked in the same frame: the last wins, in storage, state and tags', async () => {
  const session = await visit(hostPage({ head: GATED, body: BODY }));
  const { page, requests } = session;
  await banner(page).waitFor();
  await page.evaluate(() => {
    const root = document.querySelector('consent-banner').shadowRoot;
    const accept = root.querySelector('[data-action="accept"]');
    const reject = root.querySelector('[data-action="reject"]');
    accept.click();
    reject.click();
  });
  await until(page, () => (window.log || []).includes('declined'));
  await page.waitForTimeout(500);
  const stored = JSON.parse(await page.evaluate((k) => localStorage.getItem(k), KEY));
  const state = await page.evaluate(() => window.ConsentBanner.get());
  assert.deepEqual(stored.categories, { essential: true, functional: false, statistics: false });
  assert.deepEqual(state.categories, stored.categories, 'state agrees with storage');
  assert.deepEqual(await page.evaluate(() => window.log), ['declined'], 'only the declined branch ran');
  assert.equal(countOf(requests, TRACKER), 0);
  const changes = await eventsNamed(page, 'change');
  assert.deepEqual(changes.at(-1).categories, stored.categories, 'the last change event is the decline');
  await session.context.close();
});

test('acceptAll then rejectAll in one task through the API: the decline wins and nothing runs', async () => {
  const session = await visit(hostPage({ head: GATED, body: BODY }));
  const { page, requests } = session;
  await banner(page).waitFor();
  await page.evaluate(() => Promise.all([window.ConsentBanner.acceptAll(), window.ConsentBanner.rejectAll()]));
  await until(page, () => (window.log || []).includes('declined'));
  await page.waitForTimeout(500);
  assert.equal(JSON.parse(await page.evaluate((k) => localStorage.getItem(k), KEY)).categories.statistics, false);
  assert.deepEqual(await page.evaluate(() => window.log), ['declined']);
  assert.equal(countOf(requests, TRACKER), 0);
  await session.context.close();
});

// --- injection ------------------------------------------------------------------------------------

const PAYLOAD = (field) => `${field}<img src=x onerror="window.pwned='${field}'"><script>window.pwned='${field}'</script>"><svg onload=alert(1)>`;

test('HTML and script in every text field of the config render as text and run nothing', async () => {
  const TEXT_FIELDS = ['title', 'acceptAll', 'rejectAll', 'preferences', 'save', 'close', 'policyLink',
    'preferencesTitle', 'alwaysOn', 'reopen'];
  const en = Object.fromEntries(TEXT_FIELDS.map((f) => [f, PAYLOAD(f)]));
  en.summary = `${PAYLOAD('summary')} [link](javascript:window.pwned='link') **${PAYLOAD('bold')}**`;
  en.categories = { functional: { label: PAYLOAD('textLabel'), description: PAYLOAD('textDescription') } };
  const config = {
    language: 'en',
    texts: { en },
    categories: [
      { id: 'essential', label: PAYLOAD('label'), description: PAYLOAD('description'), required: true },
      { id: 'functional', label: 'Functional', description: 'x' },
      { id: 'statistics', label: PAYLOAD('statsLabel'), description: PAYLOAD('statsDescription') },
    ],
  };
  const session = await visit(hostPage({ config: inline(config), head: GATED, body: BODY }));
  const { page, dialogs } = session;
  const shadow = () => page.evaluate(() => {
    // The UI's shadow root and the loader's (the reopen button).
    const roots = [...document.querySelectorAll('consent-banner')].map((h) => h.shadowRoot);
    const all = roots.flatMap((root) => [...root.querySelectorAll('*')]);
    return {
      text: roots.map((root) => root.textContent).join(' ') + all.map((e) => [e.getAttribute('aria-label'), e.getAttribute('title')].join(' ')).join(' '),
      injected: all.filter((e) => /^(img|script|svg|iframe|object|embed)$/i.test(e.tagName)
        && !e.closest('[aria-hidden="true"]')).map((e) => e.outerHTML),
      handlers: all.flatMap((e) => [...e.attributes].filter((a) => /^on/i.test(a.name)).map((a) => a.name)),
      links: all.filter((e) => e.localName == 'a').map((a) => a.getAttribute('href')),
    };
  });
  const check = async (fields) => {
    const seen = await shadow();
    for (const f of fields) assert.ok(seen.text.includes(PAYLOAD(f)), `${f} shown literally`);
    assert.deepEqual(seen.handlers, [], 'no event handler attributes');
    assert.ok(seen.injected.every((html) => !html.includes('pwned') && !html.includes('onload')), `${seen.injected}`);
    assert.ok(seen.links.every((href) => !/^\s*javascript:/i.test(href)), `${seen.links}`);
  };
  await banner(page).waitFor();
  await check(['title', 'summary', 'bold', 'acceptAll', 'rejectAll', 'preferences', 'policyLink']);
  await button(page, 'preferences').click();
  await page.locator('consent-banner [role="dialog"]').waitFor();
  await check(['preferencesTitle', 'save', 'alwaysOn', 'label', 'description', 'textLabel', 'textDescription', 'statsLabel', 'statsDescription']);
  await button(page, 'reject').click();
  await page.locator('consent-banner .banner').waitFor({ state: 'detached' }).catch(() => {});
  await page.waitForTimeout(300);
  await check(['reopen']);
  assert.equal(await page.evaluate(() => window.pwned), undefined, 'no payload ran');
  assert.deepEqual(dialogs, [], 'no alert');
  assert.deepEqual(await page.evaluate(() => window.log), ['declined']);
  await session.context.close();
});

// --- panics ---------------------------------------------------------------------------------------

// A hostile page: DOM insertion inside the banner's shadow root throws, so Yew's renderer panics
// ("failed to insert ...") at its next render: a real panic in the shipped build, no test hook.
function breakShadowDom() {
  for (const name of ['insertBefore', 'appendChild']) {
    const original = Node.prototype[name];
    Node.prototype[name] = function (...args) {
      if (window.breakBanner && this.getRootNode() instanceof ShadowRoot) throw new Error('hostile page');
      return original.apply(this, args);
    };
  }
}

// A server that sends the wasm as application/octet-stream (a common misconfiguration): the glue
// falls back from streaming to WebAssembly.instantiate, and the trap's stack names wasm://, not the
// file; the glue is still on it.
const wrongMime = (context) => context.route('**/consent-banner-ui_bg.wasm', async (route) => {
  const response = await route.fetch();
  await route.fulfill({ response, headers: { ...response.headers(), 'content-type': 'application/octet-stream' } });
});

for (const [name, setup] of [['', undefined], [' (wasm served with the wrong MIME type)', wrongMime]]) test(
  `a panic in the wasm is reported once as kind panic, stops activation and removes the banner${name}`, async () => {
  const config = { blocking: true };
  const session = await visit(hostPage({ config, head: GATED, body: BODY }), { init: breakShadowDom, setup });
  const { page, requests, errors } = session;
  await banner(page).waitFor();
  await page.evaluate(() => { window.breakBanner = true; });
  await button(page, 'preferences').click();
  await until(page, () => window.events.some((e) => e.name === 'error'));
  await page.evaluate(() => { window.breakBanner = false; });
  // Further calls do not activate anything, whatever the dead instance does.
  const answer = await page.evaluate(() => window.ConsentBanner.acceptAll().then(() => 'served', () => 'rejected'));
  assert.equal(answer, 'rejected');
  await page.waitForTimeout(400);
  const reported = await eventsNamed(page, 'error');
  assert.equal(reported.length, 1, JSON.stringify(reported));
  assert.equal(reported[0].kind, 'panic');
  assert.match(reported[0].message, /^internal error: the banner stopped \(RuntimeError: unreachable/);
  assert.deepEqual(ours(errors), [`consent-banner: ${reported[0].message}`], 'logged once');
  // Yew prints the DOM error it is about to panic on; nothing else may reach the console.
  assert.deepEqual(unexpected(errors).filter((m) => !/^failed to append child/.test(m)), [], 'no uncaught trap');
  assert.equal(countOf(requests, TRACKER), 0);
  assert.equal(await page.evaluate(() => window.log), undefined);
  assert.equal(await page.evaluate(() => window.ConsentBanner.accepted('statistics')), false);
  assert.equal(await page.locator('consent-banner').count(), 0, 'the dead (modal) banner is gone');
  await page.locator('#page-button').click({ timeout: 2000 });
  assert.equal(await page.evaluate(() => window.clicks), 1, 'the page is usable again');
  await session.context.close();
});

test('a trap in the host page\'s own wasm is not ours: no error, the banner keeps working', async () => {
  const session = await visit(hostPage({ head: GATED, body: BODY }));
  const { page, errors } = session;
  await banner(page).waitFor();
  // (module (func (export "f") unreachable)), called from a timer: an uncaught RuntimeError.
  await page.evaluate(() => WebAssembly.instantiate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0,
    3, 2, 1, 0, 7, 5, 1, 1, 102, 0, 0, 10, 5, 1, 3, 0, 0, 11])).then((r) => setTimeout(() => r.instance.exports.f())));
  await page.waitForTimeout(300);
  assert.deepEqual(await eventsNamed(page, 'error'), []);
  assert.ok(errors.some((m) => /unreachable/.test(m)), 'the page\'s own trap stays uncaught, as without us');
  await button(page, 'accept').click();
  await until(page, () => window.ConsentBanner.accepted('statistics'));
  assert.equal(await page.locator('consent-banner .banner').count(), 0);
  await session.context.close();
});

test('a decision is stored before any gated tag runs', async () => {
  const head = `<script type="text/plain" data-consent="statistics">window.seenRecord = localStorage.getItem('${KEY}')</script>`;
  const session = await visit(hostPage({ head, body: BODY }), {
    init: () => addEventListener('consent:change', () => { window.storedAtChange = localStorage.getItem('consent-banner'); }),
  });
  const { page } = session;
  await banner(page).waitFor();
  await button(page, 'accept').click();
  await until(page, () => window.seenRecord !== undefined);
  const [seen, atChange, now] = await page.evaluate((k) => [window.seenRecord, window.storedAtChange, localStorage.getItem(k)], KEY);
  assert.ok(seen && JSON.parse(seen).categories.statistics === true, `stored when the tag ran: ${seen}`);
  assert.equal(atChange, now, 'stored before consent:change');
  await session.context.close();
});

// --- storage --------------------------------------------------------------------------------------

test('a 5 MB stored record reads as no decision, asks again, and is replaced by the new decision', async () => {
  const init = () => {
    if (sessionStorage.getItem('seeded')) return;
    sessionStorage.setItem('seeded', '1');
    localStorage.setItem('consent-banner', `{"v":1,"junk":"${'x'.repeat(5 * 1024 * 1024 - 200)}"}`);
  };
  const session = await visit(hostPage({ head: GATED, body: BODY }), { init });
  const { page, requests } = session;
  await banner(page).waitFor();
  assert.equal(await page.evaluate((k) => localStorage.getItem(k).length > 5e6, KEY), true, 'the big record was there');
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.log), undefined);
  assert.equal(countOf(requests, TRACKER), 0);
  const reported = await eventsNamed(page, 'error');
  assert.deepEqual(reported.map((e) => e.kind), ['record']);
  assert.match(reported[0].message, /too large/);
  await button(page, 'reject').click();
  await until(page, () => (window.log || []).includes('declined'));
  const stored = await page.evaluate((k) => localStorage.getItem(k), KEY);
  assert.ok(stored.length < 1024 && JSON.parse(stored).categories.statistics === false, stored);
  await session.context.close();
});

test('storage wiped between visits: the banner asks again and nothing runs', async () => {
  const session = await visit(hostPage({ head: GATED, body: BODY }));
  const { page, requests } = session;
  await button(page, 'accept').click();
  await until(page, () => window.statsRuns === 1);
  await page.evaluate(() => localStorage.clear());
  const before = countOf(requests, TRACKER);
  await page.reload();
  await banner(page).waitFor();
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.ConsentBanner.get().decided), false);
  assert.equal(await page.evaluate(() => window.log), undefined);
  assert.equal(countOf(requests, TRACKER), before, 'no tracker request on the second visit');
  await session.context.close();
});

// --- config faults --------------------------------------------------------------------------------

const CONFIG_FAULTS = [
  ['malformed JSON', '{"revision": 2,', /^config: EOF while parsing/],
  ['an unknown field', { revison: 2 }, /^config: revison: unknown field `revison`/],
  ['a wrong type the loader reads', { revision: '2' }, /^config: revision: invalid type: string "2"/],
  ['a wrong type only the UI reads', { blocking: 'yes' }, /^config: blocking: invalid type: string "yes", expected a boolean/],
  ['a 1 MB config', { policyUrl: `/${'p'.repeat(1024 * 1024)}` }, /^config: too large \(\d+ bytes, at most 262144\)/],
  ['a category id with quotes', { categories: [{ id: 'a"b', label: 'A' }] }, /^config: categories\[0\]\.id: "a\\"b" is not a simple token/],
  ['a category id with brackets and spaces', { categories: [{ id: 'stats]', label: 'S' }, { id: 'x y', label: 'X' }] }, /^config: categories\[0\]\.id: "stats\]" is not a simple token/],
  ['a javascript: policy link', { policyUrl: 'javascript:alert(1)' }, /^config: policyUrl: "javascript:alert\(1\)" is not an http\(s\), relative or mailto link$/],
  ['a data: policy link', { policyUrl: 'data:text/html,<script>alert(1)</script>' }, /^config: policyUrl: "data:text\/html,<script>alert\(1\)<\/script>" is not/],
  ['a language with no texts', { language: 'xx' }, /^config: language: no texts for "xx"$/],
];

for (const [name, config, message] of CONFIG_FAULTS) {
  test(`config with ${name}: the field-named error, fail closed, no panic`, async () => {
    const session = await visit(hostPage({ config: inline(config), head: GATED, body: BODY }));
    await assertFailsClosed(session, { kind: 'config', message });
    await session.context.close();
  });
}

test('a config error only the UI finds, on a return visit: the stored decision applies until the banner opens, then the error', async () => {
  const session = await visit(hostPage({ head: GATED, body: BODY }));
  const { page, context, requests, errors } = session;
  await button(page, 'accept').click();
  await until(page, () => (window.log || []).includes('stats'));
  // The site owner then breaks the config in a field the loader does not read (README, "What
  // happens when things go wrong").
  await routeHtml(context, '/host.html', hostPage({ config: inline({ polcyUrl: '/privacy' }), head: GATED, body: BODY }));
  await page.reload();
  await until(page, () => (window.log || []).includes('template'));
  assert.deepEqual(await page.evaluate(() => window.log), ['stats', 'template'], 'the stored decision applies');
  assert.equal(countOf(requests, /\.wasm$/), 1, 'the first visit\'s only: no UI on the return visit');
  assert.deepEqual(await eventsNamed(page, 'error'), [], 'nothing reported while the UI is not loaded');
  const answer = await page.evaluate(() => window.ConsentBanner.showPreferences().then(() => 'served', () => 'rejected'));
  assert.equal(answer, 'rejected');
  const reported = await eventsNamed(page, 'error');
  assert.deepEqual(reported.map((e) => e.kind), ['config']);
  assert.match(reported[0].message, /^config: polcyUrl: unknown field `polcyUrl`/);
  assert.deepEqual(ours(errors), [`consent-banner: ${reported[0].message}`]);
  assert.equal(await page.locator('consent-banner').count(), 0, 'no banner');
  // Nothing more is activated on this page.
  await addGatedScript(page, `${LOG}('late')`);
  await page.waitForTimeout(300);
  assert.deepEqual(await page.evaluate(() => window.log), ['stats', 'template']);
  await context.close();
});

test("a missing translation falls back to that language's file, not to English", async () => {
  const config = { language: 'de', texts: { de: { title: 'Eigene Überschrift' } } };
  const session = await visit(hostPage({ config: inline(config), head: GATED, body: BODY }));
  const { page } = session;
  await banner(page).waitFor();
  const text = await banner(page).innerText();
  assert.match(text, /Eigene Überschrift/);
  assert.doesNotMatch(text, /Accept all|acceptAll/, 'no English and no raw key');
  assert.deepEqual(await eventsNamed(page, 'error'), []);
  await session.context.close();
});
