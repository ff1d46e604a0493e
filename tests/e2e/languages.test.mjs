// Languages as a visitor and the network see them (issue 17): the page's <html lang>, the config and
// the browser's languages pick one of the language files in dist/lang/, fetched alongside the wasm
// and only when needed; a file that fails falls back to English with one error; right to left for
// Arabic; axe-core finds nothing; screenshots of a few languages in tests/e2e/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, start, open, banner, button, until, countOf, hostPage, routeHtml } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

const ARTIFACTS = join(ROOT, 'tests/e2e/artifacts');
const AXE = join(ROOT, 'node_modules/axe-core/axe.min.js');
const file = (tag) => JSON.parse(readFileSync(join(ROOT, 'www/lang', `${tag}.json`), 'utf8'));
const langRequests = (requests) => requests.filter((r) => r.startsWith('/dist/lang/'));

/** Opens `html` at /lang-host.html; records consent:error events from the start. */
async function visit(html, options = {}, prepare) {
  const session = await open(env.browser, options);
  await session.context.addInitScript(() => {
    window.errorsSeen = [];
    addEventListener('consent:error', (e) => window.errorsSeen.push(e.detail));
  });
  await routeHtml(session.context, '/lang-host.html', html);
  if (prepare) await prepare(session);
  await session.page.goto(`${env.url}/lang-host.html`);
  return session;
}

const languageOf = (page) => page.locator('consent-banner .cb').getAttribute('lang');

async function axe(page) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
  }));
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

test('<html lang="pl">: Polish texts from lang/pl.json, fetched once and alongside the wasm, not after it', async () => {
  let wasmAnswered = 0, langAsked = 0;
  const session = await visit(hostPage({ lang: 'pl' }), { viewport: { width: 1280, height: 800 } }, async ({ context }) => {
    // The wasm answers late: the language file must be asked for before that, not after.
    await context.route(/consent-banner-ui_bg\.wasm$/, async (route) => {
      const response = await route.fetch();
      await new Promise((ok) => setTimeout(ok, 400));
      wasmAnswered = Date.now();
      await route.fulfill({ response });
    });
    await context.route(/\/dist\/lang\//, async (route) => {
      langAsked ||= Date.now();
      await route.continue();
    });
  });
  const { page, requests, context } = session;
  await banner(page).waitFor();
  const pl = file('pl');
  assert.equal(await languageOf(page), 'pl');
  assert.equal(await button(page, 'accept').innerText(), pl.acceptAll);
  assert.equal(await button(page, 'reject').innerText(), pl.rejectAll);
  assert.deepEqual(langRequests(requests), ['/dist/lang/pl.json']);
  assert.ok(langAsked && langAsked < wasmAnswered, 'the language file was asked for while the wasm was still on its way');
  assert.deepEqual(await page.evaluate(() => window.errorsSeen), []);
  assert.deepEqual(await axe(page), [], 'axe: Polish first layer');
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, 'lang-pl-1280.png') });
  await button(page, 'preferences').click();
  await page.locator('consent-banner dialog').waitFor();
  assert.equal(await page.locator('consent-banner label[for=cb-cat-statistics]').innerText(), pl.categories.statistics.label);
  assert.deepEqual(await axe(page), [], 'axe: Polish preferences');
  await context.close();
});

test('the config\'s language (ja) wins over the page\'s; the browser\'s languages (de-DE) count when the page has none', async () => {
  {
    const { page, requests, context } = await visit(hostPage({ lang: 'en', config: { language: 'ja' } }), { viewport: { width: 1280, height: 800 } });
    await banner(page).waitFor();
    assert.equal(await languageOf(page), 'ja');
    assert.equal(await button(page, 'accept').innerText(), file('ja').acceptAll);
    assert.deepEqual(langRequests(requests), ['/dist/lang/ja.json']);
    assert.deepEqual(await axe(page), [], 'axe: Japanese');
    await page.screenshot({ path: join(ARTIFACTS, 'lang-ja-1280.png') });
    await context.close();
  }
  {
    const html = hostPage().replace('<html lang="en">', '<html>');
    const { page, requests, context } = await visit(html, { locale: 'de-DE' });
    await banner(page).waitFor();
    assert.equal(await languageOf(page), 'de');
    assert.equal(await button(page, 'accept').innerText(), file('de').acceptAll);
    assert.deepEqual(langRequests(requests), ['/dist/lang/de.json']);
    // (The host page's own missing lang is the page's finding, not the banner's.)
    assert.deepEqual((await axe(page)).filter((v) => !v.startsWith('html-has-lang')), [], 'axe: German');
    await context.close();
  }
});

test('Arabic from <html lang="ar">: right to left, mirrored, and axe finds nothing', async () => {
  const { page, context } = await visit(hostPage({ lang: 'ar' }), { viewport: { width: 1280, height: 800 } });
  await banner(page).waitFor();
  const root = page.locator('consent-banner .cb');
  assert.deepEqual([await root.getAttribute('lang'), await root.getAttribute('dir')], ['ar', 'rtl']);
  assert.equal(await button(page, 'accept').innerText(), file('ar').acceptAll);
  const box = (action) => button(page, action).evaluate((el) => el.getBoundingClientRect().x);
  assert.ok(await box('accept') > await box('reject'), 'the first button is on the right');
  assert.deepEqual(await axe(page), [], 'axe: Arabic');
  await page.screenshot({ path: join(ARTIFACTS, 'lang-ar-1280.png') });
  await context.close();
});

test('the loader chooses every shared language vector as the Rust core does (tests/vectors/languages.json)', async () => {
  const vectors = JSON.parse(readFileSync(join(ROOT, 'tests/vectors/languages.json'), 'utf8'));
  for (const c of vectors.cases) {
    const session = await open(env.browser);
    const { page, requests, context } = session;
    // Only the choice is looked at here (the file it fetches on a first visit): no UI is needed.
    await context.route(/consent-banner-(extra|ui)/, (route) => route.abort());
    await context.addInitScript((languages) => {
      Object.defineProperty(Navigator.prototype, 'languages', { get: () => languages });
    }, c.browser);
    const config = { texts: Object.fromEntries(c.texts.map((t) => [t, {}])), ...c.language && { language: c.language } };
    const html = hostPage({ config, lang: c.page ?? '' }).replace(c.page === null ? ' lang=""' : '\0', '');
    await routeHtml(context, '/lang-match.html', html);
    await page.goto(`${env.url}/lang-match.html`);
    await page.evaluate(() => new Promise((ok) => window.ConsentBanner.on('ready', ok)));
    await page.waitForLoadState('networkidle');
    const file = c.chosen == 'en' || c.texts.includes(c.chosen) ? [] : [`/dist/lang/${c.chosen}.json`];
    assert.deepEqual(langRequests(requests), file, c.name);
    await context.close();
  }
});

test('an English page and a site with every text of its own for its language fetch no language file; some texts of its own, the file fills the rest', async () => {
  {
    const { page, requests, context } = await visit(hostPage({ lang: 'en' }));
    await banner(page).waitFor();
    await page.waitForLoadState('networkidle');
    assert.deepEqual(langRequests(requests), []);
    await context.close();
  }
  {
    // Every text of its own: no file. (Some of them only: the file fills the rest, below.)
    const de = { ...file('de'), acceptAll: 'Ja, gerne', rejectAll: 'Nein, danke' };
    delete de.categories;
    const { page, requests, context } = await visit(hostPage({ lang: 'de', config: { texts: { de } } }));
    await banner(page).waitFor();
    await page.waitForLoadState('networkidle');
    assert.equal(await button(page, 'accept').innerText(), 'Ja, gerne');
    assert.deepEqual(langRequests(requests), []);
    await context.close();
  }
  {
    const config = { texts: { de: { acceptAll: 'Ja, gerne' } } };
    const { page, requests, context } = await visit(hostPage({ lang: 'de', config }));
    await banner(page).waitFor();
    assert.equal(await button(page, 'accept').innerText(), 'Ja, gerne', 'the site\'s own text wins');
    assert.equal(await button(page, 'reject').innerText(), file('de').rejectAll, 'the file fills the rest');
    assert.deepEqual(langRequests(requests), ['/dist/lang/de.json']);
    await context.close();
  }
});

for (const [name, answer, kind] of [
  ['answers 404', { status: 404, contentType: 'text/plain', body: 'not found' }, 'load'],
  ['is not JSON', { status: 200, contentType: 'application/json', body: '{"title": "Prywatność",' }, 'config'],
  ['lacks a text', { status: 200, contentType: 'application/json', body: JSON.stringify({ ...file('pl'), save: undefined }) }, 'config'],
]) {
  test(`a language file that ${name}: the banner falls back to English, with one ${kind} error naming the file`, async () => {
    const { page, context } = await visit(hostPage({ lang: 'pl' }), {}, ({ context }) =>
      context.route(/\/dist\/lang\/pl\.json$/, (route) => route.fulfill(answer)));
    await banner(page).waitFor();
    assert.equal(await languageOf(page), 'en');
    assert.equal(await button(page, 'accept').innerText(), 'Accept all');
    await until(page, () => window.errorsSeen.length > 0);
    const errors = await page.evaluate(() => window.errorsSeen);
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.equal(errors[0].kind, kind);
    assert.match(errors[0].message, /lang\/pl\.json/);
    // The banner works: a decision is stored.
    await button(page, 'reject').click();
    await until(page, () => window.ConsentBanner.get().decided);
    await context.close();
  });
}

test('a return visit in German: the reopen button is named from lang/de.json, and no UI file loads', async () => {
  const session = await open(env.browser);
  const { page, requests, context } = session;
  await routeHtml(context, '/blank.html', '<!doctype html><title>blank</title>');
  await routeHtml(context, '/lang-host.html', hostPage({ lang: 'de' }));
  await page.goto(`${env.url}/blank.html`);
  await page.evaluate(() => {
    const now = Date.now();
    localStorage.setItem('consent-banner', JSON.stringify({ v: 1, revision: 1,
      categories: { essential: true, functional: false, statistics: true }, given: now, updated: now,
      expires: now + 864e5, id: 'de-return', source: 'banner' }));
  });
  await page.goto(`${env.url}/lang-host.html`);
  const reopen = page.locator('consent-banner [data-action="reopen"]');
  await reopen.waitFor();
  assert.equal(await reopen.getAttribute('aria-label'), file('de').reopen);
  assert.equal(countOf(requests, /consent-banner-(extra|ui)/), 0, 'no extra, glue or wasm');
  await context.close();
});
