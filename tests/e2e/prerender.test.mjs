// The prerendered first layer (issue 16): the crate's `render` command prints the <head> snippet
// (config + consent-banner-prerendered.js) and the <body> snippet (a declarative shadow root with
// the first layer, rendered by the UI's own Yew components). What a visitor, the host page, an
// attacker and the network see: the banner in the page's first frame with every UI file blocked;
// never a frame of it on a return visit; Accept and Decline deciding at once, before any UI file
// arrives, with the UI's record; Preferences loading the UI without removing a prerendered node;
// a stale snippet reported and rendered fresh; a strict CSP with no violation; and markup from the
// page's content that is never adopted.
//
// Snippets come from the real command (target/debug/consent-banner, built by scripts/build.sh).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { start, open, until, ROOT, routeHtml } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

const CLI = join(ROOT, 'target/debug/consent-banner');
const KEY = 'consent-banner';
const UI_FILES = /consent-banner-extra\.js|consent-banner-ui(-pre)?\.js|\.wasm$/;
const LOG = 'window.log = window.log || []; window.log.push';
const GATED = `<script type="text/plain" data-consent="statistics">${LOG}('stats')</script>
  <script type="text/plain" data-consent="!statistics">${LOG}('declined')</script>`;
const CONFIG = { revision: 3, policyUrl: '/privacy', receiptEndpoint: '/receipts' };

/** The snippets of `config` (an object or the exact text) from the command line. */
function render(config, args = []) {
  const dir = mkdtempSync(join(tmpdir(), 'cb-render-'));
  const file = join(dir, 'site.json');
  writeFileSync(file, typeof config == 'string' ? config : JSON.stringify(config));
  const out = execFileSync(CLI, ['render', '--config', file, '--base', '/dist/', '--dist', join(ROOT, 'dist'), '--json', ...args], { encoding: 'utf8' });
  return JSON.parse(out);
}

/** A host page with the snippets where the README puts them; `head` and `body` replace them. */
function page({ head, body, content = '', gated = GATED, htmlLang = 'en' }) {
  return `<!doctype html><html lang="${htmlLang}"><head><meta charset="utf-8"><title>prerendered</title>${head}${gated}</head>` +
    `<body>${body}<main><h1>Host page</h1><p id="text">Article text.</p>${content}</main></body></html>`;
}

// From the page's first line: consent events, CSP violations, the removal of any node of a
// prerendered layer, and, at every frame (requestAnimationFrame runs right before each paint),
// whether the prerendered layer would be painted in it.
function recorder() {
  window.events = [];
  window.violations = [];
  window.removed = [];
  window.frames = [];
  window.shifts = 0;
  new PerformanceObserver((list) => {
    // As CLS counts them: not within 500 ms of the visitor's input (a switch that moves its knob).
    for (const e of list.getEntries()) if (!e.hadRecentInput) window.shifts += e.value;
  }).observe({ type: 'layout-shift', buffered: true });
  for (const n of ['ready', 'change', 'error', 'show', 'hide']) {
    addEventListener(`consent:${n}`, (e) => window.events.push({ name: n, detail: e.detail }));
  }
  document.addEventListener('securitypolicyviolation', (e) =>
    window.violations.push(`${e.violatedDirective} ${e.blockedURI} (${e.sample})`));
  const watch = (root) => new MutationObserver((list) => {
    for (const m of list) for (const n of m.removedNodes) window.removed.push(n.nodeName);
  }).observe(root, { childList: true, subtree: true });
  const frame = () => {
    const host = document.querySelector('consent-banner[data-prerendered]');
    const layer = host?.shadowRoot?.querySelector('.banner');
    if (host && !host.watched) {
      host.watched = 1;
      new MutationObserver((list) => {
        for (const m of list) for (const n of m.removedNodes) if (n === host) window.removed.push('host');
      }).observe(host.parentNode, { childList: true });
      if (host.shadowRoot) watch(host.shadowRoot);
    }
    const box = layer?.getBoundingClientRect();
    window.frames.push({
      at: performance.now(),
      content: !!document.getElementById('text'),
      painted: !!(host?.isConnected && layer && getComputedStyle(layer).display != 'none' && box.height > 0),
    });
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

const ui = (requests) => requests.filter((r) => UI_FILES.test(r.split('?')[0]));
const layerOf = (p) => p.locator('consent-banner[data-prerendered] .banner');
const actionOf = (p, action) => p.locator(`consent-banner[data-prerendered] [data-action="${action}"]`);
const storedRecord = (p) => p.evaluate((k) => JSON.parse(localStorage.getItem(k)), KEY);

/** A session on a fresh context, with `path` serving `html`, the recorder, and the receipts kept. */
async function session(html, { path = '/w-pre.html', headers, blockUi = false, delayUi = 0 } = {}) {
  const s = await open(env.browser, { reducedMotion: 'reduce' });
  await s.context.addInitScript(recorder);
  await routeHtml(s.context, path, html, headers);
  s.receipts = [];
  await s.context.route((url) => url.pathname === '/receipts', async (route) => {
    s.receipts.push(JSON.parse(route.request().postData()));
    await route.fulfill({ status: 204 });
  });
  if (blockUi || delayUi) {
    await s.context.route((url) => UI_FILES.test(url.pathname), async (route) => {
      if (blockUi) return route.abort();
      await new Promise((ok) => setTimeout(ok, delayUi));
      await route.continue();
    });
  }
  s.url = env.url + path;
  return s;
}

test('prerender: the command needs a built CLI and dist/', () => {
  assert.ok(existsSync(CLI), `${CLI} (scripts/build.sh builds it)`);
  assert.ok(existsSync(join(ROOT, 'dist/consent-banner-prerendered.js')));
});

test('prerender: with every UI file blocked, the banner is in the first frame that paints the page, and Accept decides at once', async () => {
  const snippets = render(CONFIG);
  const s = await session(page(snippets), { blockUi: true });
  const { page: p, requests, errors, context } = s;
  await p.goto(s.url);
  await until(p, () => window.events.some((e) => e.name == 'ready'));
  const frames = await p.evaluate(() => window.frames);
  const first = frames.find((f) => f.content);
  assert.ok(first, 'a frame with the page content');
  assert.equal(first.painted, true, 'the banner is painted in the first frame with content');
  assert.equal(await layerOf(p).evaluate((el) => el.matches(':popover-open')), true, 'in the top layer');
  mkdirSync(join(ROOT, 'tests/e2e/artifacts'), { recursive: true });
  await p.screenshot({ path: join(ROOT, 'tests/e2e/artifacts/prerender-first-visit.png') });
  assert.deepEqual(ui(requests), [], 'a prerendered first visit loads no UI file');
  assert.deepEqual(await p.evaluate(() => window.events.map((e) => e.name)), ['ready', 'show']);

  await actionOf(p, 'accept').click();
  const record = await storedRecord(p);
  assert.deepEqual(Object.keys(record), ['v', 'revision', 'categories', 'given', 'updated', 'expires', 'id', 'source']);
  assert.deepEqual(record.categories, { essential: true, functional: true, statistics: true });
  assert.equal(record.revision, 3);
  assert.equal(record.source, 'banner');
  assert.equal(record.expires - record.updated, 182 * 864e5);
  assert.deepEqual(await p.evaluate(() => window.log), ['stats'], 'the gated tag ran');
  const names = await p.evaluate(() => window.events.map((e) => e.name));
  assert.deepEqual(names, ['ready', 'show', 'change', 'hide']);
  const change = (await p.evaluate(() => window.events))[2].detail;
  assert.deepEqual(change.changed, ['functional', 'statistics']);
  assert.equal(change.id, record.id);
  await until(p, () => true);
  assert.equal(await layerOf(p).isVisible(), false, 'the layer closed');
  await p.locator('consent-banner [data-action="reopen"]').waitFor();
  assert.equal(s.receipts.length, 1, 'one receipt');
  assert.deepEqual({ ...s.receipts[0], time: 0 }, {
    v: 1, id: record.id, time: 0, revision: 3, action: 'accept', source: 'banner',
    categories: { essential: true, functional: true, statistics: true }, language: 'en',
    textsSha256: await p.locator('consent-banner[data-prerendered]').getAttribute('data-texts-sha256'),
  });
  assert.deepEqual(ui(requests), [], 'deciding loads no UI file');
  assert.deepEqual(await p.evaluate(() => window.removed), [], 'no prerendered node removed');
  assert.deepEqual(errors.filter((e) => !/ERR_FAILED|Failed to load/.test(e)), []);
  await context.close();
});

test('prerender: a click on Accept 100 ms after the first paint, with the UI files delayed by 3 s, stores the decision and runs the tag within one frame', async () => {
  const s = await session(page(render(CONFIG)), { delayUi: 3000 });
  const { page: p, context } = s;
  await p.goto(s.url, { waitUntil: 'commit' });
  await layerOf(p).waitFor();
  await p.waitForTimeout(100);
  const box = await actionOf(p, 'accept').boundingBox();
  await p.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  // One frame later: stored and run.
  const seen = await p.evaluate(() => new Promise((ok) => requestAnimationFrame(() =>
    ok({ stored: localStorage.getItem('consent-banner'), log: window.log }))));
  assert.ok(seen.stored, 'stored');
  assert.deepEqual(seen.log, ['stats']);
  await context.close();
});

test('prerender: Decline stores the decline, runs the !statistics tag, and a reload paints no frame of the layer', async () => {
  const s = await session(page(render(CONFIG)));
  const { page: p, requests, errors, context } = s;
  await p.goto(s.url);
  await actionOf(p, 'reject').click();
  const record = await storedRecord(p);
  assert.deepEqual(record.categories, { essential: true, functional: false, statistics: false });
  assert.deepEqual(await p.evaluate(() => window.log), ['declined']);
  assert.equal(s.receipts.at(-1).action, 'decline');
  requests.length = 0;
  await p.reload();
  await until(p, () => window.events.some((e) => e.name == 'ready') && document.readyState == 'complete');
  await p.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
  const frames = await p.evaluate(() => window.frames);
  assert.ok(frames.length >= 2);
  assert.deepEqual(frames.filter((f) => f.painted), [], 'no frame of a return visit paints the layer');
  assert.equal(await p.locator('consent-banner[data-prerendered]').count(), 0, 'removed before it was painted');
  assert.deepEqual(ui(requests), [], 'a return visit loads no UI file');
  assert.deepEqual(await p.evaluate(() => window.events.filter((e) => e.name == 'error')), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('prerender: Preferences loads the UI and opens it over the layer without removing a node or moving the page; closing shows the layer again with focus back on Preferences, Save decides', async () => {
  const s = await session(page({ ...render(CONFIG), content: '<p style="height:300vh">Long article.</p>' }));
  const { page: p, requests, errors, context } = s;
  await p.goto(s.url);
  await p.evaluate(() => scrollTo(0, 400));
  await actionOf(p, 'preferences').click();
  const dialog = p.locator('consent-banner:not([data-prerendered]) dialog');
  await dialog.waitFor();
  assert.equal(await layerOf(p).isVisible(), false, 'the layer steps back for the preferences');
  assert.deepEqual(ui(requests).map((r) => r.split('?')[0]).sort(),
    ['/dist/consent-banner-extra.js', '/dist/consent-banner-ui-pre.js', '/dist/consent-banner-ui-pre_bg.wasm'],
    'the UI loads now: the build without a first layer of its own');
  assert.equal(await p.evaluate(() => scrollY), 400, 'the page did not move');
  await dialog.locator('[data-action="close"]').click();
  await layerOf(p).waitFor();
  assert.equal(await layerOf(p).evaluate((el) => el.matches(':popover-open')), true, 'the layer is back');
  assert.equal(await p.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.dataset.action), 'preferences',
    'focus is back on the button that opened the preferences');
  assert.equal(await p.evaluate(() => scrollY), 400);
  assert.equal(await p.locator('consent-banner:not([data-prerendered]) .banner').count(), 0, 'the UI draws no first layer of its own');
  await actionOf(p, 'preferences').click();
  await dialog.waitFor();
  await dialog.locator('#cb-cat-statistics').check();
  await dialog.locator('[data-action="save"]').click();
  await until(p, () => localStorage.getItem('consent-banner'));
  const record = await storedRecord(p);
  assert.deepEqual(record.categories, { essential: true, functional: false, statistics: true });
  assert.equal(await layerOf(p).isVisible(), false);
  assert.deepEqual(await p.evaluate(() => window.log), ['stats']);
  assert.deepEqual(await p.evaluate(() => window.removed), [], 'no prerendered node removed');
  assert.equal(await p.evaluate(() => window.shifts), 0, 'no layout shift');
  assert.deepEqual(errors, []);
  await context.close();
});

test('prerender: a blocking layer is a modal dialog from the start, Escape does not close it, and Decline decides', async () => {
  const s = await session(page(render({ ...CONFIG, blocking: true })), { blockUi: true });
  const { page: p, context } = s;
  await p.goto(s.url);
  await until(p, () => window.events.some((e) => e.name == 'ready'));
  assert.equal(await layerOf(p).evaluate((el) => el.localName == 'dialog' && el.matches(':modal')), true);
  await p.keyboard.press('Escape');
  assert.equal(await layerOf(p).evaluate((el) => el.matches(':modal')), true, 'still open');
  await actionOf(p, 'reject').click();
  assert.equal((await storedRecord(p)).categories.statistics, false);
  assert.equal(await layerOf(p).isVisible(), false);
  await context.close();
});

test('prerender: with Global Privacy Control the UI shows its own first layer (with the GPC note) and the prerendered one is never painted', async () => {
  const s = await session(page(render({ ...CONFIG, categories: [
    { id: 'essential', label: 'Essential', required: true },
    { id: 'ads', label: 'Ads', sharesData: true },
  ] })));
  await s.context.addInitScript(() =>
    Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));
  const { page: p, errors, context } = s;
  await p.goto(s.url);
  await p.locator('consent-banner:not([data-prerendered]) .banner .gpc').waitFor();
  assert.equal(await p.locator('consent-banner[data-prerendered]').count(), 0);
  assert.deepEqual(await p.evaluate(() => window.frames.filter((f) => f.painted)), []);
  assert.deepEqual(await p.evaluate(() => window.events.filter((e) => e.name == 'error')), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('prerender: another tab\'s decision closes the layer here at once', async () => {
  const s = await session(page(render(CONFIG)), { blockUi: true });
  const { page: p, context } = s;
  await p.goto(s.url);
  const other = await context.newPage();
  await other.goto(s.url);
  await actionOf(other, 'accept').click();
  await until(p, () => localStorage.getItem('consent-banner') && !document.querySelector('consent-banner[data-prerendered]').shadowRoot.querySelector('.banner').checkVisibility());
  assert.deepEqual(await p.evaluate(() => window.log), ['stats'], 'the tag ran here too');
  assert.deepEqual((await p.evaluate(() => window.events.map((e) => e.name))).slice(-2), ['change', 'hide']);
  await context.close();
});

test('prerender: the demo page (index.html, built by scripts/build.sh) shows the prerendered banner, and one-tag.html the one-script-tag embed', async () => {
  const { page: p, requests, errors, context } = await open(env.browser);
  await p.goto(`${env.url}/`);
  await layerOf(p).waitFor();
  assert.deepEqual(ui(requests), []);
  await actionOf(p, 'accept').click();
  await p.locator('#stats-status').filter({ hasText: 'page view counted' }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('prerender: a stale snippet (config changed, layout changed, another language) is reported once and the banner renders fresh', async () => {
  const fresh = render(CONFIG);
  const cases = [
    ['config text changed', { ...fresh, head: fresh.head.replace('"revision":3', '"revision":4') }],
    ['layout changed', { head: fresh.head, body: render({ ...CONFIG, layout: 'center' }).body }],
    ['rendered for German', { head: fresh.head, body: render(CONFIG, ['--lang', 'de']).body }],
  ];
  for (const [name, snippets] of cases) {
    const s = await session(page(snippets));
    const { page: p, errors, context, requests } = s;
    await p.goto(s.url);
    await p.locator('consent-banner:not([data-prerendered]) .banner').waitFor();
    assert.deepEqual(ui(requests).map((r) => r.split('?')[0]).sort(),
      ['/dist/consent-banner-extra.js', '/dist/consent-banner-ui.js', '/dist/consent-banner-ui_bg.wasm'], `${name}: the whole UI`);
    const reported = await p.evaluate(() => window.events.filter((e) => e.name == 'error').map((e) => e.detail));
    assert.equal(reported.length, 1, name);
    assert.equal(reported[0].kind, 'markup');
    assert.match(reported[0].message, /^the prerendered banner is stale \(rendered as [0-9a-f]{8}, this config, language and build need [0-9a-f]{8}\): render it again; the banner renders fresh$/);
    assert.equal(errors.filter((e) => /stale/.test(e)).length, 1, 'once on the console');
    assert.equal(await p.locator('consent-banner[data-prerendered]').count(), 0, `${name}: the stale layer is gone`);
    assert.deepEqual(await p.evaluate(() => window.frames.filter((f) => f.painted)), [], `${name}: never painted`);
    await context.close();
  }
});

test('prerender: under a strict CSP (hashes, no unsafe-inline) with the loader external or inline, no violation', async () => {
  for (const inline of [false, true]) {
    const snippets = render(CONFIG, inline ? ['--inline-loader'] : []);
    const csp = `default-src 'self'; script-src 'self' 'wasm-unsafe-eval' ${snippets.csp.scriptSrc ?? ''}; style-src 'self' ${snippets.csp.styleSrc}; connect-src 'self'; img-src 'self' data:; require-trusted-types-for 'script'; trusted-types consent-banner`;
    const gated = `<script type="text/plain" data-consent="statistics" src="/www/demo/stats.js"></script>`;
    const s = await session(page({ ...snippets, gated }), { headers: { 'Content-Security-Policy': csp } });
    const { page: p, errors, context } = s;
    await p.goto(s.url);
    await layerOf(p).waitFor();
    const color = await actionOf(p, 'accept').evaluate((b) => getComputedStyle(b).backgroundColor);
    assert.notEqual(color, 'rgba(0, 0, 0, 0)', 'the shadow root\'s styles apply');
    await actionOf(p, 'preferences').click();
    await p.locator('consent-banner:not([data-prerendered]) dialog').waitFor();
    await p.locator('consent-banner:not([data-prerendered]) dialog [data-action="accept"]').click();
    await until(p, () => localStorage.getItem('consent-banner'));
    assert.deepEqual(await p.evaluate(() => window.violations), [], inline ? 'inline loader' : 'external loader');
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('prerender: only the visitor decides: untrusted clicks, a layer in the page content, a tag without data-prerendered', async () => {
  const snippets = render(CONFIG);
  // A copy of the real layer in a user comment (at the top of the window, where the visitor can
  // click it), with its buttons swapped: never adopted.
  const fake = render({ ...CONFIG, layout: 'top' }).body.replace('data-action="accept"', 'data-action="x"').replace('data-action="reject"', 'data-action="accept"');
  const s = await session(page({ ...snippets, content: `<section class="comment">${fake}</section>` }));
  const { page: p, context } = s;
  await p.goto(s.url);
  await layerOf(p).first().waitFor();
  // A script's click is no visitor's.
  await p.evaluate(() => document.querySelector('consent-banner[data-prerendered]').shadowRoot.querySelector('[data-action=accept]').click());
  // The visitor clicks "Decline" in the comment's copy (really its accept button).
  await p.locator('.comment consent-banner [data-action="accept"]').click();
  await p.evaluate(() => new Promise((ok) => setTimeout(ok, 50)));
  assert.equal(await p.evaluate(() => localStorage.getItem('consent-banner')), null, 'nothing decided');
  assert.equal(await p.evaluate(() => window.log), undefined);
  await context.close();

  // The loader tag does not say the page has a prerendered layer: whatever <body> starts with
  // is removed, and the UI renders the banner.
  const s2 = await session(page({ head: snippets.head.replace(' data-prerendered', ''), body: snippets.body }));
  await s2.page.goto(s2.url);
  await s2.page.locator('consent-banner:not([data-prerendered]) .banner').waitFor();
  assert.equal(await s2.page.locator('consent-banner[data-prerendered]').count(), 0);
  assert.deepEqual(await s2.page.evaluate(() => window.frames.filter((f) => f.painted)), []);
  await s2.context.close();
});

test('prerender: Space and Enter on the layer\'s buttons stay with the banner (a host page\'s key handler never hears them)', async () => {
  const s = await session(page({ ...render(CONFIG), content: `<script>window.keys = []; document.addEventListener('keydown', (e) => window.keys.push(e.key));</script>` }));
  const { page: p, context } = s;
  await p.goto(s.url);
  await actionOf(p, 'reject').focus();
  await p.keyboard.press('Enter');
  await until(p, () => localStorage.getItem('consent-banner'));
  assert.deepEqual(await p.evaluate(() => window.keys), []);
  await context.close();
});

test('prerender: every decision vector (tests/vectors/decisions.json), clicked in the prerendered layer, stores, writes and sends the UI\'s bytes', async () => {
  const { cases } = JSON.parse(readFileSync(join(ROOT, 'tests/vectors/decisions.json'), 'utf8'));
  for (const c of cases) {
    const snippets = render(c.config.replace(/^\{/, '{"receiptEndpoint":"/receipts",').replace(',}', '}'));
    const s = await session(page(snippets));
    await s.context.addInitScript(([now, id]) => {
      Date.now = () => now;
      crypto.randomUUID = () => id;
      const native = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
      window.cookieWrites = [];
      Object.defineProperty(Document.prototype, 'cookie', {
        configurable: true,
        get() { return native.get.call(this); },
        set(value) { window.cookieWrites.push(String(value)); native.set.call(this, value); },
      });
    }, [c.now, c.id]);
    const bodies = [];
    await s.context.route((url) => url.pathname === '/receipts', async (route) => {
      bodies.push(route.request().postData());
      await route.fulfill({ status: 204 });
    });
    const { page: p, context } = s;
    await p.goto(s.url);
    assert.equal(await p.locator('consent-banner[data-prerendered]').getAttribute('data-texts-sha256'), c.textsSha256, `${c.name}: the snippet's digest`);
    await actionOf(p, c.action == 'accept' ? 'accept' : 'reject').click();
    await until(p, () => localStorage.length > 0);
    const stored = await p.evaluate(() => [...Array(localStorage.length).keys()].map((i) => localStorage.getItem(localStorage.key(i)))[0]);
    assert.equal(stored, c.record, `${c.name}: record`);
    const writes = await p.evaluate(() => window.cookieWrites.filter((w) => !/Max-Age=0/.test(w)));
    assert.deepEqual(writes, c.cookie ? [c.cookie] : [], `${c.name}: cookie mirror`);
    await until(p, () => true);
    for (let i = 0; i < 50 && !bodies.length; i++) await p.waitForTimeout(20);
    assert.deepEqual(bodies, [c.receipt], `${c.name}: receipt`);
    await context.close();
  }
});

test('prerender: the loader computes every snippet hash of tests/vectors/prerender.json as src/prerender.rs does (the layer is adopted, not stale)', async () => {
  const { cases } = JSON.parse(readFileSync(join(ROOT, 'tests/vectors/prerender.json'), 'utf8'));
  for (const c of cases) {
    const head = `<script type="application/json" id="consent-banner-config">${c.config}</script><script src="/dist/consent-banner-prerendered.js" data-prerendered></script>`;
    const body = `<consent-banner data-prerendered="${c.hash}"><template shadowrootmode="open"><section class="banner"><button data-action="reject">Decline</button></section></template></consent-banner>`;
    const s = await session(page({ head, body, htmlLang: c.language }), { blockUi: true });
    const { page: p, context } = s;
    await p.goto(s.url);
    await until(p, () => window.events.some((e) => e.name == 'ready'));
    assert.deepEqual(await p.evaluate(() => window.events.map((e) => e.name == 'error' ? e.detail.message : e.name)), ['ready', 'show'], c.name);
    await context.close();
  }
});

test('prerender: ConsentBanner.show() after a decision shows the prerendered layer again (through the UI without a first layer), and Decline there withdraws with the same consent id', async () => {
  const s = await session(page(render(CONFIG)));
  const { page: p, requests, errors, context } = s;
  await p.goto(s.url);
  await actionOf(p, 'accept').click();
  const first = await storedRecord(p);
  await p.evaluate(() => window.ConsentBanner.show());
  await until(p, () => document.querySelector('consent-banner[data-prerendered]').shadowRoot.querySelector('.banner').matches(':popover-open'));
  assert.ok(requests.some((r) => r.startsWith('/dist/consent-banner-ui-pre.js')), 'the UI without a first layer');
  assert.equal(await p.locator('consent-banner:not([data-prerendered]) .banner').count(), 0, 'no second first layer');
  await actionOf(p, 'reject').click();
  const second = await storedRecord(p);
  assert.equal(second.id, first.id, 'the same consent id');
  assert.equal(second.given, first.given);
  assert.equal(second.categories.statistics, false);
  assert.equal(s.receipts.at(-1).action, 'withdraw');
  assert.equal(await layerOf(p).isVisible(), false);
  assert.deepEqual(errors, []);
  await context.close();
});
