// The consent engine as a host page sees it: record validity (shared vectors), gating, the API,
// storage faults, tabs in sync, cookies. Pages are served by route from hostPage().
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ROOT, start, open, banner, button, until, countOf, hostPage, routeHtml, routeScript, nextEvent, addGatedScript,
} from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

const vectors = JSON.parse(readFileSync(join(ROOT, 'tests/vectors/records.json'), 'utf8'));
const KEY = 'consent-banner';

/** Opens a page at `path` serving `html`; `init` runs before any page script. */
async function visit(html, { path = '/host.html', init, options } = {}) {
  const session = await open(env.browser, options);
  await routeHtml(session.context, path, html);
  if (init) await session.context.addInitScript(init);
  await session.page.goto(env.url + path);
  return session;
}

const accepted = (detail) => Object.keys(detail.categories).filter((k) => detail.categories[k]).sort();

test('the loader reads every shared record vector as the Rust core does', async () => {
  const { page, context } = await open(env.browser);
  await routeHtml(context, '/blank.html', '<!doctype html><title>blank</title>');
  await routeHtml(context, '/vectors.html', hostPage({ config: vectors.config }));
  await page.clock.setFixedTime(vectors.now);
  await page.goto(`${env.url}/blank.html`);
  for (const c of vectors.cases) {
    await page.evaluate(([key, stored]) => {
      localStorage.clear();
      if (stored !== null) localStorage.setItem(key, stored);
    }, [KEY, c.stored]);
    await page.goto(`${env.url}/vectors.html`);
    const state = await page.evaluate(() => window.ConsentBanner.get());
    assert.equal(state.decided, c.valid, `${c.name}: decided`);
    assert.deepEqual(accepted(state), [...c.accepted].sort(), `${c.name}: accepted`);
  }
  await context.close();
});

/** A valid stored record deciding `decisions` (every category of `config` when null) now. */
function recordFor(config, decisions) {
  const c = { revision: 1, categories: [{ id: 'essential' }, { id: 'functional' }, { id: 'statistics' }], ...config };
  const categories = {};
  for (const cat of c.categories) categories[cat.id] = cat.required ? true : decisions?.[cat.id] ?? true;
  const now = Date.now();
  return JSON.stringify({ v: 1, revision: c.revision, categories, given: now, updated: now, expires: now + 864e5, id: 'vector', source: 'banner' });
}

test('the loader accepts and rejects every shared config vector as its checks say (tests/vectors/configs.json)', async () => {
  const configs = JSON.parse(readFileSync(join(ROOT, 'tests/vectors/configs.json'), 'utf8'));
  const { page, context } = await open(env.browser);
  await routeHtml(context, '/blank.html', '<!doctype html><title>blank</title>');
  // No UI is needed to tell the loader's verdict: a config it accepts reads the valid record
  // (decided), one it rejects reads nothing. (The UI's own report is not waited for.)
  await context.route(/consent-banner-(extra|ui)/, (route) => route.abort());
  for (const c of configs.cases) {
    let stored = null;
    try {
      stored = recordFor(c.config, null);
    } catch {}
    await page.goto(`${env.url}/blank.html`);
    const key = typeof c.config?.storageKey == 'string' ? c.config.storageKey : KEY;
    await page.evaluate(([k, r]) => { localStorage.clear(); if (r) localStorage.setItem(k, r); }, [key, stored]);
    await routeHtml(context, '/config-vector.html', hostPage({ config: c.config }));
    await page.goto(`${env.url}/config-vector.html`);
    const decided = await page.evaluate(() => window.ConsentBanner.get().decided);
    assert.equal(decided, c.loader == 'ok', `${c.name}: the loader's verdict`);
  }
  await context.close();
});

test('the loader deletes what every shared deletion vector says, on every page view (tests/vectors/cookies.json)', async () => {
  const vectors = JSON.parse(readFileSync(join(ROOT, 'tests/vectors/cookies.json'), 'utf8'));
  const { hostname } = new URL(env.url);
  const cases = vectors.cases.filter((c) => c.host == hostname);
  assert.ok(cases.length >= 8, 'most vectors run in the browser');
  const { page, context } = await open(env.browser);
  await context.route(/consent-banner-(extra|ui)/, (route) => route.abort());
  await routeHtml(context, '/blank.html', '<!doctype html><title>blank</title>');
  for (const c of cases) {
    await context.clearCookies();
    await page.goto(`${env.url}/blank.html`);
    const key = c.config.storageKey || KEY;
    await page.evaluate(([k, r, keys]) => {
      localStorage.clear();
      sessionStorage.clear();
      for (const s of [localStorage, sessionStorage]) for (const name of keys) s.setItem(name, 'x');
      if (r) localStorage.setItem(k, r);
    }, [key, c.decisions ? recordFor(c.config, c.decisions) : null, c.storageKeys || []]);
    // Each present cookie at every path it may have been set at.
    await context.addCookies(c.present.flatMap((name) => c.paths.map((path) =>
      ({ name, value: '1', domain: hostname, path }))));
    await routeHtml(context, c.path, hostPage({ config: c.config }));
    await page.goto(env.url + c.path);
    await page.evaluate(() => new Promise((ok) => window.ConsentBanner.on('ready', ok)));
    const left = new Set((await context.cookies()).map((k) => k.name));
    const gone = c.present.filter((name) => !left.has(name));
    assert.deepEqual(gone.sort(), [...c.deleted].sort(), `${c.name}: cookies deleted`);
    // Deleted at every path: no copy of a deleted cookie is left anywhere.
    if (c.storageKeys) {
      const kept = await page.evaluate(() => [Object.keys(localStorage), Object.keys(sessionStorage)]);
      for (const keys of kept) {
        const removed = c.storageKeys.filter((k) => !keys.includes(k));
        assert.deepEqual(removed.sort(), [...c.storageDeleted].sort(), `${c.name}: storage keys deleted`);
      }
    }
  }
  await context.close();
});

const LOG = 'window.log = window.log || []; window.log.push';

test('gated scripts run in document order, once each, with attributes and module type', async () => {
  const { page, context } = await open(env.browser);
  await routeScript(context, '/t/slow.js', `${LOG}('slow:' + document.currentScript.dataset.extra)`, 400);
  await routeScript(context, '/t/fast.js', `${LOG}('fast')`);
  await routeScript(context, '/t/module.js', `${LOG}('module:' + (typeof import.meta === 'object'))`);
  await routeScript(context, '/t/functional.js', `${LOG}('functional')`);
  const head = `
    <script type="text/plain" data-consent="statistics" src="/t/slow.js" data-extra="kept"></script>
    <script type="text/plain" data-consent="statistics">${LOG}('inline')</script>
    <script type="text/plain" data-consent="statistics" src="/t/fast.js"></script>
    <script type="text/plain" data-consent="statistics" data-type="module" src="/t/module.js"></script>
    <script type="text/plain" data-consent="functional" src="/t/functional.js"></script>
    <script type="text/plain" data-consent="!statistics">${LOG}('declined-statistics')</script>
    <script type="text/plain" data-consent="marketing">${LOG}('unknown-category')</script>`;
  const body = `<template data-consent="statistics"><p id="from-template">shown</p><script>${LOG}('template')</script></template>`;
  await routeHtml(context, '/gate.html', hostPage({ head, body }));
  await page.goto(`${env.url}/gate.html`);
  await page.waitForTimeout(300);
  assert.deepEqual(await page.evaluate(() => window.log), undefined, 'nothing runs before consent');
  await page.evaluate(() => window.ConsentBanner.set({ statistics: true }));
  await until(page, () => (window.log || []).length >= 5);
  await page.waitForTimeout(300);
  assert.deepEqual(await page.evaluate(() => window.log),
    ['slow:kept', 'inline', 'fast', 'module:true', 'template']);
  assert.equal(await page.locator('#from-template').innerText(), 'shown');
  // A second change does not run anything twice.
  await page.evaluate(() => window.ConsentBanner.set({ statistics: true, functional: true }));
  await until(page, () => window.log.includes('functional'));
  await page.waitForTimeout(200);
  assert.deepEqual(await page.evaluate(() => window.log),
    ['slow:kept', 'inline', 'fast', 'module:true', 'template', 'functional']);
  await context.close();
});

test('a declined category runs only its "!" scripts, also after reload', async () => {
  const head = `<script type="text/plain" data-consent="statistics">${LOG}('stats')</script>
    <script type="text/plain" data-consent="!statistics">${LOG}('no-stats')</script>`;
  const { page, context } = await visit(hostPage({ head }));
  await button(page, 'reject').click();
  await until(page, () => (window.log || []).includes('no-stats'));
  for (let i = 0; i < 3; i++) {
    await page.reload();
    await page.waitForTimeout(150);
    assert.deepEqual(await page.evaluate(() => window.log), ['no-stats'], `navigation ${i + 1}`);
  }
  await context.close();
});

test('a gated block that stays inert (data-type="text/plain") is activated once, not for ever', async () => {
  // Its copy keeps type text/plain and data-consent: it must not count as a new gated tag (the
  // page would hang re-activating it). Also a gated script inside a gated template.
  const head = `<script type="text/plain" data-consent="statistics" data-type="text/plain" id="data">{"a":1}</script>
    <script type="text/plain" data-consent="statistics">${LOG}('stats')</script>`;
  const body = `<template data-consent="statistics"><script type="text/plain" data-consent="statistics">${LOG}('nested')</script></template>`;
  const { page, context } = await visit(hostPage({ head, body }));
  await page.evaluate(() => window.ConsentBanner.set({ statistics: true }));
  await until(page, () => (window.log || []).includes('stats'));
  const settled = await Promise.race([
    page.evaluate(() => new Promise((ok) => setTimeout(() => ok({
      log: window.log,
      data: [...document.querySelectorAll('#data')].map((s) => [s.type, s.text]),
    }), 300))),
    new Promise((ok) => setTimeout(ok, 5000, 'the page hangs')),
  ]);
  assert.deepEqual(settled, { log: ['stats'], data: [['text/plain', '{"a":1}']] });
  await context.close();
});

test('elements added later are activated once their category is accepted', async () => {
  const { page, context } = await visit(hostPage({}));
  await page.evaluate(() => window.ConsentBanner.acceptAll());
  await until(page, () => window.ConsentBanner.accepted('statistics'));
  await addGatedScript(page, `${LOG}('late')`);
  await until(page, () => (window.log || []).includes('late'));
  await page.waitForTimeout(100);
  assert.deepEqual(await page.evaluate(() => window.log), ['late']);
  await context.close();
});

test('the API: state, queue before load, subscribe, set, reset, markup hooks', async () => {
  const head = `<script>
      window.calls = [];
      (window.ConsentBanner = window.ConsentBanner || []).push(function (api) { window.calls.push('queued:' + typeof api.get); });
    </script>`;
  const loader = `${head}<script src="/dist/consent-banner.js"></script>`;
  const body = '<a href="#" id="prefs" data-consent-action="preferences">Cookie preferences</a>';
  const { page, context } = await visit(hostPage({ loader, body }));
  assert.deepEqual(await page.evaluate(() => window.calls), ['queued:function']);
  const state = await page.evaluate(() => window.ConsentBanner.get());
  assert.equal(state.decided, false);
  assert.deepEqual(state.categories, { essential: true, functional: false, statistics: false });
  assert.equal(await page.evaluate(() => window.ConsentBanner.accepted('essential')), true);
  assert.equal(await page.evaluate(() => window.ConsentBanner.accepted('statistics')), false);

  await page.evaluate(() => {
    window.seen = [];
    window.off = window.ConsentBanner.on('change', (d) => window.seen.push(d.source + ':' + d.changed.join('+')));
  });
  await page.evaluate(() => window.ConsentBanner.set({ statistics: true }));
  await until(page, () => window.seen.length === 1);
  assert.deepEqual(await page.evaluate(() => window.seen), ['api:statistics']);
  assert.equal(await page.evaluate(() => window.ConsentBanner.accepted('statistics')), true);
  assert.equal(await banner(page).count(), 0, 'an API decision closes the banner');

  await page.locator('#prefs').click();
  await page.locator('consent-banner [role="dialog"]').waitFor();
  assert.equal(await page.locator('consent-banner #cb-cat-statistics').isChecked(), true, 'pre-filled');
  await button(page, 'close').click();

  await page.evaluate(() => window.ConsentBanner.reset());
  await banner(page).waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem('consent-banner')), null);
  assert.equal(await page.evaluate(() => window.ConsentBanner.get().decided), false);
  await page.evaluate(() => window.off());
  await page.evaluate(() => window.ConsentBanner.rejectAll());
  await page.waitForTimeout(200);
  assert.equal((await page.evaluate(() => window.seen)).length, 2, 'reset was seen, then unsubscribed');
  await context.close();
});

test('including the script twice is a no-op: one banner, one API, no second request for the UI', async () => {
  const loader = '<script src="/dist/consent-banner.js"></script><script src="/dist/consent-banner.js?again"></script>';
  const session = await open(env.browser);
  const warnings = [];
  session.page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  await routeHtml(session.context, '/twice.html', hostPage({ loader }));
  await session.page.goto(`${env.url}/twice.html`);
  await banner(session.page).waitFor();
  await session.page.waitForTimeout(300);
  assert.equal(await session.page.locator('consent-banner').count(), 1);
  // Silent (the 2 KB loader has no room for a message), and the first copy's API stays.
  assert.deepEqual(warnings.filter((w) => w.includes('consent-banner')), []);
  assert.equal(await session.page.evaluate(() => typeof window.ConsentBanner.acceptAll), 'function');
  assert.equal(session.requests.filter((r) => r.startsWith('/dist/consent-banner-extra.js')).length, 1, 'one copy loads the rest');
  await session.context.close();
});

test('blocked storage: the choice works for the page, persisted is false, the banner asks again', async () => {
  const init = () => Object.defineProperty(window, 'localStorage', {
    get() { throw new DOMException('The operation is insecure.', 'SecurityError'); },
  });
  const head = `<script type="text/plain" data-consent="statistics">${LOG}('stats')</script>`;
  const { page, context } = await visit(hostPage({ head }), { init });
  await banner(page).waitFor();
  const change = nextEvent(page, 'change');
  await button(page, 'accept').click();
  const detail = await change;
  assert.equal(detail.persisted, false);
  await until(page, () => (window.log || []).includes('stats'));
  await page.reload();
  await banner(page).waitFor();
  assert.equal(await page.evaluate(() => window.log), undefined, 'nothing runs on the next page');
  await context.close();
});

test('a full quota: persisted is false and consent:error says so', async () => {
  const init = () => {
    Storage.prototype.setItem = function () { throw new DOMException('Quota exceeded', 'QuotaExceededError'); };
  };
  const { page, context, errors } = await visit(hostPage({}), { init });
  await banner(page).waitFor();
  const error = nextEvent(page, 'error');
  const change = nextEvent(page, 'change');
  await button(page, 'reject').click();
  const [e, c] = await Promise.all([error, change]);
  assert.equal(e.kind, 'storage');
  assert.match(e.message, /for this page only/);
  assert.equal(c.persisted, false);
  assert.equal(errors.filter((m) => m.startsWith('consent-banner:')).length, 1, 'one console message');
  await context.close();
});

test('a corrupted record reads as no decision and is replaced only by a new decision', async () => {
  const init = () => { if (!sessionStorage.getItem('seeded')) { sessionStorage.setItem('seeded', '1'); localStorage.setItem('consent-banner', '{"v":1,"revision":1,"categories":'); } };
  const head = `<script type="text/plain" data-consent="statistics">${LOG}('stats')</script>`;
  const { page, context } = await visit(hostPage({ head }), { init });
  await banner(page).waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem('consent-banner')), '{"v":1,"revision":1,"categories":');
  assert.equal(await page.evaluate(() => window.log), undefined);
  await button(page, 'accept').click();
  await until(page, () => (window.log || []).includes('stats'));
  assert.equal(JSON.parse(await page.evaluate(() => localStorage.getItem('consent-banner'))).v, 1);
  await context.close();
});

test('a record of a newer format is not overwritten until the user acts', async () => {
  const newer = '{"v":2,"future":true}';
  const init = (value) => { if (!sessionStorage.getItem('seeded')) { sessionStorage.setItem('seeded', '1'); localStorage.setItem('consent-banner', value); } };
  const session = await open(env.browser);
  await routeHtml(session.context, '/newer.html', hostPage({}));
  await session.context.addInitScript(init, newer);
  await session.page.goto(`${env.url}/newer.html`);
  await banner(session.page).waitFor();
  await session.page.waitForTimeout(200);
  assert.equal(await session.page.evaluate(() => localStorage.getItem('consent-banner')), newer);
  await button(session.page, 'reject').click();
  await until(session.page, () => JSON.parse(localStorage.getItem('consent-banner')).v === 1);
  await session.context.close();
});

test('a revision bump asks again and keeps earlier acceptances inactive', async () => {
  const head = `<script type="text/plain" data-consent="statistics">${LOG}('stats')</script>`;
  const session = await open(env.browser);
  await routeHtml(session.context, '/r1.html', hostPage({ head, config: { revision: 1 } }));
  await routeHtml(session.context, '/r2.html', hostPage({ head, config: { revision: 2 } }));
  await session.page.goto(`${env.url}/r1.html`);
  await button(session.page, 'accept').click();
  await until(session.page, () => (window.log || []).includes('stats'));
  await session.page.goto(`${env.url}/r2.html`);
  await banner(session.page).waitFor();
  await session.page.waitForTimeout(200);
  assert.equal(await session.page.evaluate(() => window.log), undefined);
  await session.context.close();
});

test('a decision in one tab applies in the others without reload, and their banners close', async () => {
  const head = `<script type="text/plain" data-consent="statistics">${LOG}('stats')</script>`;
  const session = await open(env.browser);
  await routeHtml(session.context, '/tab.html', hostPage({ head }));
  const other = await session.context.newPage();
  await session.page.goto(`${env.url}/tab.html`);
  await other.goto(`${env.url}/tab.html`);
  await banner(session.page).waitFor();
  await banner(other).waitFor();
  const change = nextEvent(other, 'change');
  await button(session.page, 'accept').click();
  const detail = await change;
  assert.equal(detail.source, 'storage');
  assert.deepEqual(detail.changed, ['functional', 'statistics']);
  await until(other, () => (window.log || []).includes('stats'));
  await other.locator('consent-banner .banner').waitFor({ state: 'detached' });
  await session.context.close();
});

test('the cookie mirror is written; a withdrawal deletes the category cookies and can reload', async () => {
  const config = {
    cookie: { name: 'consent' },
    reloadOnWithdraw: true,
    categories: [
      { id: 'essential', label: 'Essential', required: true },
      { id: 'statistics', label: 'Statistics', cookies: ['_stats*'] },
    ],
  };
  const head = `<script type="text/plain" data-consent="statistics">document.cookie = '_stats_visitor=1; path=/'</script>`;
  const { page, context } = await visit(hostPage({ head, config }));
  await button(page, 'accept').click();
  await until(page, () => document.cookie.includes('_stats_visitor=1'));
  const mirror = (await context.cookies()).find((c) => c.name === 'consent');
  assert.ok(mirror, 'mirror cookie set');
  const value = JSON.parse(decodeURIComponent(mirror.value));
  assert.deepEqual(value.accepted, ['essential', 'statistics']);
  assert.equal(mirror.sameSite, 'Lax');
  const navigated = page.waitForEvent('framenavigated');
  await page.evaluate(() => window.ConsentBanner.rejectAll());
  await navigated;
  const names = (await context.cookies()).map((c) => c.name);
  assert.ok(!names.includes('_stats_visitor'), `deleted: ${names}`);
  const after = JSON.parse(decodeURIComponent((await context.cookies()).find((c) => c.name === 'consent').value));
  assert.deepEqual(after.accepted, ['essential']);
  await page.waitForLoadState('load');
  await page.evaluate(() => window.ConsentBanner.reset());
  await banner(page).waitFor();
  assert.ok(!(await context.cookies()).some((c) => c.name === 'consent'), 'a reset deletes the mirror');
  await context.close();
});

test('with no interaction the network log holds only first-party requests and no tracker', async () => {
  const { page, requests, context } = await open(env.browser);
  const hosts = new Set();
  page.on('request', (r) => hosts.add(new URL(r.url()).host));
  await page.goto(`${env.url}/one-tag.html`);
  await banner(page).waitFor();
  await page.waitForTimeout(5000);
  assert.deepEqual([...hosts], [new URL(env.url).host]);
  assert.equal(countOf(requests, /stats\.js|collect\.png/), 0);
  await context.close();
});
