// Shared set-up for the end-to-end tests: one static server over the repository (serving the
// built dist/), one headless Debian Chromium, and pages that log every request they make.
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.mjs';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Starts the server and the browser; returns { url, browser, close }. */
export async function start() {
  const server = await serve({ port: 0, root: ROOT });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  return {
    url: server.url,
    browser,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/** A fresh context and page whose requests and console errors are recorded. */
export async function open(browser, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname + new URL(r.url()).search));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  return { context, page, requests, errors };
}

/** Locator of an element inside the banner's shadow root (Playwright pierces open roots). */
export const banner = (page) => page.locator('consent-banner .banner');
export const button = (page, action) => page.locator(`consent-banner [data-action="${action}"]`);

/** Waits until a condition on the page is true. */
export const until = (page, fn, arg) => page.waitForFunction(fn, arg, { timeout: 10_000 });

export const countOf = (requests, re) => requests.filter((r) => re.test(r)).length;

/** A minimal host page: optional inline config, the loader tag, extra head and body markup. */
export function hostPage({ config, head = '', body = '', loader = '<script src="/dist/consent-banner.js"></script>', lang = 'en' } = {}) {
  const json = config === undefined ? ''
    : `<script type="application/json" id="consent-banner-config">${typeof config === 'string' ? config : JSON.stringify(config)}</script>`;
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>host page</title>${json}${loader}${head}</head><body><main><h1>Host page</h1><p>Article text.</p></main>${body}</body></html>`;
}

/** Serves `html` at `path` for this page or context (paths under the real server's origin). */
export async function routeHtml(target, path, html, headers = {}) {
  await target.route((url) => url.pathname === path, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', headers, body: html }));
}

/** Serves a script at `path` whose body is `code`, optionally after `delay` ms. */
export async function routeScript(target, path, code, delay = 0) {
  await target.route((url) => url.pathname === path, async (route) => {
    if (delay) await new Promise((ok) => setTimeout(ok, delay));
    await route.fulfill({ status: 200, contentType: 'text/javascript', body: code });
  });
}

/** Adds `<script type="text/plain" data-consent="statistics">code</script>` to the page's body. */
export const addGatedScript = (page, code) => page.evaluate((text) => {
  const s = document.createElement('script');
  s.type = 'text/plain';
  s.dataset.consent = 'statistics';
  s.text = text;
  document.body.append(s);
}, code);

/** Resolves with the detail of the next `consent:<name>` event on the page. */
export const nextEvent = (page, name) => page.evaluate((n) => new Promise((ok) =>
  addEventListener(`consent:${n}`, (e) => ok(e.detail), { once: true })), name);
