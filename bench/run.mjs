// Side-by-side benchmark of this banner against the peer banners (bench/banners.mjs).
//   node bench/run.mjs [--runs N] [--runs-4x N] [--runs-net N] [--quick] [--only id,id]
//   node bench/run.mjs --report bench/results/latest.json   (the tables again, from a saved run)
// Serves the repository with scripts/serve.mjs (brotli/gzip, long-lived caching) on 127.0.0.1 and
// drives headless Chromium (playwright-core) with a fresh context for every visit:
//   first visit   no stored decision: time to a visible, clickable accept button, blocking time,
//                 layout shift, CPU and heap; then a click on accept and the time to the tracker
//   return visit  a fresh context (cold HTTP cache) holding the stored decision: time to the
//                 tracker, bytes, CPU and heap
//   early click   prerendered embeds only (issue 16): the UI files (extra, glue, wasm, language
//                 files) held back 3 s, a trusted click on accept 100 ms after the first contentful
//                 paint; the time to the tracker's request and run, the stored record, and which
//                 UI files were requested
// unthrottled, at 4x CPU throttling, and unthrottled over an emulated "Fast 4G" network (Chrome
// DevTools' preset: every request's answer 165 ms late, 9 Mbit/s x 0.9 down), where round trips
// and bytes count as they do for a visitor. Writes bench/results/latest.{json,md}; a full run (no
// --quick / --only) also rewrites the results section of BENCHMARKS.md. Exits 1 when a tracker
// request happened before consent, or a banner could not be measured.
import { chromium } from 'playwright-core';
import { execSync } from 'node:child_process';
import { cpus } from 'node:os';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../scripts/serve.mjs';
import { CHROMIUM_ARGS } from '../tests/e2e/harness.mjs';
import { BANNERS, REFERENCE, TRACKER, TRACKER_REQUEST } from './banners.mjs';
import { page as pageHtml, writePages } from './pages.mjs';
import { brotliCompressSync, constants as zlib } from 'node:zlib';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = join(ROOT, 'bench/results');
const SETTLE_MS = 500; // quiet time after the measured moment, for trailing work to land in CPU/heap
const VIEWPORT = { width: 1280, height: 720 };
const UI_DELAY_MS = 3000; // early click: how long the UI files are held back
const CLICK_AFTER_FCP_MS = 100; // early click: when the click is sent, after the first contentful paint
const UI_FILES = ['consent-banner-extra.js*', 'consent-banner-ui.js*', 'consent-banner-ui_bg.wasm*', 'lang/*']; // under /dist/

// --- arguments ---
const argv = process.argv.slice(2);
const opt = (name) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const quick = argv.includes('--quick');
const only = opt('only') ? opt('only').split(',') : null;
const runs1x = Number(opt('runs') || (quick ? 2 : 5));
const runs4x = Number(opt('runs-4x') || opt('runs') || (quick ? 2 : 7));
const runsNet = Number(opt('runs-net') || opt('runs') || (quick ? 2 : 5));
if (!(runs1x >= 1 && runs4x >= 1 && runsNet >= 1)) throw new Error('--runs must be a positive number');
// Chrome DevTools' "Fast 4G" preset (front_end/core/sdk/NetworkManager.ts): 9 Mbit/s down and
// 1.5 Mbit/s up, each x 0.9 for packet overhead, and 60 ms x 2.75 = 165 ms of request latency.
const FAST_4G = { offline: false, latency: 165, downloadThroughput: (9e6 / 8) * 0.9, uploadThroughput: (1.5e6 / 8) * 0.9 };
// The measurement profiles: CPU throttling rate and network emulation.
const PROFILES = [
  { id: '1x', rate: 1, runs: runs1x, title: 'Unthrottled' },
  { id: '4x', rate: 4, runs: runs4x, title: '4x CPU throttling' },
  { id: 'fast4g', rate: 1, net: FAST_4G, runs: runsNet, title: 'Fast 4G network (165 ms request latency, 8.1 Mbit/s down), CPU unthrottled' },
];
const full = !quick && !only;
const banners = BANNERS.filter((b) => b.baseline || !only || only.includes(b.id));
if (!banners.some((b) => b.id === REFERENCE)) banners.push(BANNERS.find((b) => b.id === REFERENCE));

// --- the in-page probe, installed before any page script ---
// Records: the accept button's first frame as visible and clickable, long tasks, layout shifts
// (without recent input) and the first click's event time. All times are performance.now(), ms
// since navigation start, the same clock as the tracker's window.__tracker.at.
function probe(accept) {
  const body = function (accept) {
    const b = (window.__bench = { acceptAt: null, clickAt: null, cls: 0, longTasks: [], fcp: null, frames: [] });
    // The first contentful paint: startTime (its presentation) for the FCP figure, and paintTime
    // (the end of the rendering update that painted it) to tell which frame it was.
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          if (e.name === 'first-contentful-paint') b.fcp = { start: e.startTime, paint: e.paintTime ?? e.startTime };
        }
      }).observe({ type: 'paint', buffered: true });
    } catch (e) { /* not supported */ }
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) b.longTasks.push([e.startTime, e.duration]);
      }).observe({ type: 'longtask', buffered: true });
    } catch (e) { /* not supported */ }
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (!e.hadRecentInput) b.cls += e.value;
      }).observe({ type: 'layout-shift', buffered: true });
    } catch (e) { /* not supported */ }
    // The first click's time, and what the page holds in the next frame after it: the decision
    // stored, the gated tracker activated (its script element made runnable, so requested).
    addEventListener('click', (e) => {
      if (b.clickAt !== null) return;
      b.clickAt = e.timeStamp;
      requestAnimationFrame(() => {
        let stored = false;
        try { stored = !!localStorage.getItem('consent-banner'); } catch (e) { /* none */ }
        b.nextFrame = { at: performance.now(), stored, activated: !!document.querySelector('script[src$="/tracker.js"]:not([type="text/plain"])') };
      });
    }, true);
    if (!accept) return;
    const find = () => {
      let root = document;
      if (accept.host) {
        const host = document.querySelector(accept.host);
        root = host && host.shadowRoot;
        if (!root) return null;
      }
      return root.querySelector(accept.selector);
    };
    const up = (n) => n.parentElement || (n.getRootNode() instanceof ShadowRoot ? n.getRootNode().host : null);
    const usable = (el) => {
      const r = el.getBoundingClientRect();
      if (r.width < 1 || r.height < 1 || r.bottom <= 0 || r.right <= 0 || r.top >= innerHeight || r.left >= innerWidth) return false;
      if (getComputedStyle(el).visibility !== 'visible') return false;
      for (let n = el; n; n = up(n)) if (Number(getComputedStyle(n).opacity) === 0) return false;
      const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
      const y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
      const hit = el.getRootNode().elementFromPoint(x, y);
      return !!hit && (hit === el || el.contains(hit));
    };
    // Each frame's animation-frame callback until the button is usable (its time in `frames`),
    // so the frames between the first contentful paint and the accept button can be counted.
    const check = () => {
      if (b.acceptAt !== null || performance.now() > 60000) return;
      const now = performance.now();
      b.frames.push(now);
      const el = find();
      if (el && usable(el)) b.acceptAt = now;
      else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  };
  return `(${body})(${JSON.stringify(accept || null)});`;
}

// --- one visit in a fresh context ---
async function visit(browser, url, banner, { rate, net, storageState, mode }) {
  const context = await browser.newContext({ viewport: VIEWPORT, storageState });
  const out = { errors: [] };
  try {
    await context.addInitScript({ content: probe(mode === 'first' ? banner.accept : null) });
    const page = await context.newPage();
    page.on('pageerror', (e) => out.errors.push(String(e)));
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    // Thread time, not wall time: on a busy shared machine a descheduled main thread would
    // otherwise count as busy. (So at 4x throttling this is the real CPU, not 4x of it.)
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    if (rate > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    if (net) await cdp.send('Network.emulateNetworkConditions', net);
    const requests = new Map();
    cdp.on('Network.requestWillBeSent', (e) => {
      requests.set(e.requestId, { path: new URL(e.request.url).pathname, body: 0, transfer: 0, done: false, consentGiven: false });
    });
    cdp.on('Network.responseReceived', (e) => {
      const r = requests.get(e.requestId);
      if (!r) return;
      const length = Object.entries(e.response.headers).find(([k]) => k.toLowerCase() === 'content-length');
      r.length = length ? Number(length[1]) : 0;
      r.cached = !!(e.response.fromDiskCache || e.response.fromPrefetchCache);
    });
    cdp.on('Network.loadingFinished', (e) => {
      const r = requests.get(e.requestId);
      if (!r) return;
      r.done = true;
      r.transfer = e.encodedDataLength;
      r.body = r.cached || e.encodedDataLength === 0 ? 0 : r.length; // compressed body over the wire
    });
    const wait = (fn, timeout) => page.waitForFunction(fn, null, { timeout, polling: 20 });
    const timeout = 30_000 * Math.max(1, rate / 2, net ? 2 : 1);

    await page.goto(url, { waitUntil: 'load', timeout });
    if (mode === 'first' && banner.accept) await wait(() => window.__bench.acceptAt !== null, timeout);
    // Every visit makes a waitForFunction call: Playwright's injected script then sits in every
    // page's heap alike (about 700 KB), not only in the pages that had something to wait for.
    else if (mode === 'first') await wait(() => document.readyState === 'complete', timeout);
    if (mode === 'return') await wait(() => window.__tracker && window.__tracker.at !== null, timeout);
    await page.waitForTimeout(SETTLE_MS);

    const cpu = await metrics(cdp);
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = (await metrics(cdp)).JSHeapUsedSize;
    const probed = await page.evaluate(() => ({ ...window.__bench, tracker: window.__tracker || null }));
    const mine = [...requests.values()].filter((r) => banner.files.some((p) => r.path.startsWith(p)));
    Object.assign(out, {
      cpuMs: cpu.TaskDuration * 1000,
      scriptMs: cpu.ScriptDuration * 1000,
      heapKB: heap / 1024,
      bytes: mine.reduce((t, r) => t + r.body, 0),
      transfer: mine.reduce((t, r) => t + r.transfer, 0),
      files: mine.map((r) => r.path),
      wasm: mine.some((r) => r.path.endsWith('.wasm')),
      cls: probed.cls,
      tbtMs: probed.longTasks.reduce((t, [, d]) => t + Math.max(0, d - 50), 0),
      longTasks: probed.longTasks.length,
      acceptMs: probed.acceptAt,
      trackerMs: probed.tracker ? probed.tracker.at : null,
      fcpMs: probed.fcp ? probed.fcp.start : null,
      // Frames from the first contentful paint to the first one with the button usable: 0 when
      // the button was checked usable in the frame that made the first contentful paint.
      acceptFrames: probed.fcp && probed.acceptAt !== null
        ? probed.frames.filter((t) => t > probed.fcp.paint && t <= probed.acceptAt).length : null,
    });

    if (mode === 'first' && banner.accept) {
      // Nothing of the tracker may have run or been requested before consent.
      const early = [...requests.values()].filter((r) => TRACKER_REQUEST.test(r.path)).map((r) => r.path);
      if (early.length || probed.tracker) out.violation = `tracker before consent: ${early.join(', ') || 'it ran'}`;
      const button = banner.accept.host ? `${banner.accept.host} ${banner.accept.selector}` : banner.accept.selector;
      await page.locator(button).first().click({ timeout });
      await wait(() => window.__tracker && window.__tracker.at !== null, timeout);
      const { clickAt, at } = await page.evaluate(() => ({ clickAt: window.__bench.clickAt, at: window.__tracker.at }));
      out.clickToTrackerMs = at - clickAt;
      out.storageState = await context.storageState();
    }
  } catch (e) {
    out.errors.push(String(e.message || e).split('\n')[0]);
    out.failed = true;
  } finally {
    await context.close();
  }
  return out;
}

// --- the early click (prerendered embeds): the UI files held back, accept clicked just after the
// first contentful paint. What counts: the tracker requested and run, the record stored, with no
// UI file requested at all (design (b)) ---
async function earlyClick(browser, url, banner, { rate, net }) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const out = { errors: [], uiFiles: [] };
  try {
    await context.addInitScript({ content: probe(null) });
    const page = await context.newPage();
    page.on('pageerror', (e) => out.errors.push(String(e)));
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    // Only the UI files are paused (a catch-all interception would slow every request, the
    // tracker's too): each is held back, then continued.
    cdp.on('Fetch.requestPaused', (e) => {
      out.uiFiles.push(new URL(e.request.url).pathname);
      setTimeout(() => cdp.send('Fetch.continueRequest', { requestId: e.requestId }).catch(() => {}), UI_DELAY_MS);
    });
    await cdp.send('Fetch.enable', { patterns: UI_FILES.map((f) => ({ urlPattern: `*/dist/${f}`, requestStage: 'Request' })) });
    if (rate > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    if (net) await cdp.send('Network.emulateNetworkConditions', net);
    const timeout = 30_000 * Math.max(1, rate / 2, net ? 2 : 1);
    await page.goto(url, { waitUntil: 'commit', timeout });
    await page.waitForFunction(() => window.__bench && window.__bench.fcp, null, { timeout, polling: 'raf' });
    // Wait in the page until 100 ms after the first contentful paint, then read the button's box
    // and click its centre through the browser's input (a trusted click, as a visitor's).
    const point = await page.evaluate(async ({ host, selector, after }) => {
      const at = window.__bench.fcp.start + after;
      while (performance.now() < at) await new Promise((r) => setTimeout(r, Math.max(1, Math.min(5, at - performance.now()))));
      const el = document.querySelector(host).shadowRoot.querySelector(selector);
      const r = el.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2, ranBefore: !!window.__tracker };
    }, { host: banner.accept.host, selector: banner.accept.selector, after: CLICK_AFTER_FCP_MS });
    if (point.ranBefore) out.violation = 'tracker before consent (early click)';
    await page.mouse.click(point.x, point.y);
    await page.waitForFunction(() => window.__tracker && window.__tracker.at !== null, null, { timeout, polling: 20 });
    await page.waitForTimeout(SETTLE_MS); // time for a UI file request, had the click started one
    const r = await page.evaluate(({ tracker, key }) => {
      const b = window.__bench;
      const res = performance.getEntriesByType('resource').find((e) => new URL(e.name).pathname === tracker);
      return { fcp: b.fcp.start, clickAt: b.clickAt, at: window.__tracker.at, requestAt: res ? res.startTime : null, stored: localStorage.getItem(key), next: b.nextFrame };
    }, { tracker: TRACKER, key: 'consent-banner' });
    const record = r.stored ? JSON.parse(r.stored) : null;
    Object.assign(out, {
      clickAfterFcpMs: r.clickAt - r.fcp,
      clickToRequestMs: r.requestAt === null ? null : r.requestAt - r.clickAt,
      clickToTrackerMs: r.at - r.clickAt,
      stored: !!(record && record.categories && record.categories.statistics === true),
      // In the first frame after the click: stored and activated (the decision took no more).
      nextFrame: !!(r.next && r.next.stored && r.next.activated),
      clickToNextFrameMs: r.next ? r.next.at - r.clickAt : null,
    });
  } catch (e) {
    out.errors.push(String(e.message || e).split('\n')[0]);
    out.failed = true;
  } finally {
    await context.close();
  }
  return out;
}

async function metrics(cdp) {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
}

// --- statistics and formatting ---
const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const summary = (xs) => {
  const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x));
  return s.length ? { median: median(s), min: Math.min(...s), max: Math.max(...s), n: s.length } : null;
};

const FIGURES = [
  // key, heading, unit decimals, first or return
  ['fcpMs', 'FCP, ms', 0],
  ['acceptMs', 'accept visible, ms', 0],
  ['acceptFrames', 'accept: frames after FCP', 0],
  ['tbtMs', 'TBT, ms', 0],
  ['cls', 'CLS', 3],
  ['clickToTrackerMs', 'click → tracker, ms', 0],
  ['returnTrackerMs', 'return: tracker, ms', 0],
  ['cpuOverBaselineMs', 'CPU over baseline, ms', 0],
  ['scriptOverBaselineMs', 'of which script, ms', 0],
  ['returnCpuOverBaselineMs', 'return: CPU over baseline, ms', 0],
  ['heapOverBaselineKB', 'JS heap over baseline, KB', 0],
];

function fmt(x, decimals) {
  return x === null || x === undefined ? '–' : x.toFixed(decimals);
}

function ratio(a, b) {
  // Only between positive figures: an "over baseline" figure can dip below zero in noise.
  if (a === null || b === null || a === undefined || b === undefined || b <= 0 || a < 0) return '–';
  return `×${(a / b).toFixed(2)}`;
}

function markdown(report) {
  const lines = [];
  const { machine } = report;
  lines.push(`Run on ${machine.date}: ${machine.nproc} cores (${machine.cpu}), ${machine.chromium}, Node ${machine.node}, headless, ` +
    `served by scripts/serve.mjs (brotli) from 127.0.0.1. Each visit uses a fresh browser context; the return visit ` +
    `carries the first visit's cookies and localStorage but a cold HTTP cache. Medians (min–max); × is the ratio of ` +
    `medians to ${REFERENCE} in the same run. "Over baseline" subtracts the no-banner page measured in the same run ` +
    `(return visits: the no-banner page with the tracker ungated).`);
  lines.push('');
  if (report.violations.length || report.failures.length) {
    lines.push('**PROBLEMS**');
    for (const v of report.violations) lines.push(`- VIOLATION: ${v}`);
    for (const f of report.failures) lines.push(`- could not measure: ${f}`);
    lines.push('');
  }
  const rows = report.banners;
  const ref = rows.find((r) => r.id === REFERENCE);
  lines.push('Bytes: compressed (brotli) bodies of each banner\'s own files, from the network log.');
  lines.push('');
  lines.push('For the prerendered embeds, what their snippets add to the page\'s HTML (brotli of the page minus the one-tag page\'s, ' +
    'which has the same config) is counted in both visits (a return visit\'s HTML carries it too) and shown on its own.');
  lines.push('');
  lines.push(`| banner | first visit, bytes | | return visit, bytes | | of which in the HTML | files, first / return | wasm on return |`);
  lines.push('|---|--:|--:|--:|--:|--:|---|---|');
  for (const r of rows.filter((x) => !x.baseline)) {
    lines.push(`| ${r.name} ${r.version} | ${r.bytes.first ?? '–'} | ${ratio(r.bytes.first, ref.bytes.first)} | ` +
      `${r.bytes.return ?? '–'} | ${ratio(r.bytes.return, ref.bytes.return)} | ${r.bytes.html || '–'} | ${r.bytes.filesFirst} / ${r.bytes.filesReturn} | ${r.bytes.wasmOnReturn ? 'yes' : 'no'} |`);
  }
  for (const t of report.profiles) {
    lines.push('');
    lines.push(`**${t.title}**, ${t.runs} runs`);
    lines.push('');
    lines.push(`| banner | ${FIGURES.map(([, h]) => h).join(' | ')} |`);
    lines.push(`|---|${FIGURES.map(() => '--:').join('|')}|`);
    for (const r of rows) {
      const cells = FIGURES.map(([key, , d]) => {
        const s = r.figures[t.id][key];
        if (!s) return '–';
        const refS = ref.figures[t.id][key];
        const spread = s.n > 1 ? ` (${fmt(s.min, d)}–${fmt(s.max, d)})` : '';
        const x = r.id === REFERENCE || r.baseline ? '' : ` ${ratio(s.median, refS && refS.median)}`;
        return `${fmt(s.median, d)}${spread}${x}`;
      });
      lines.push(`| ${r.name}${r.version ? ' ' + r.version : ''} | ${cells.join(' | ')} |`);
    }
  }
  const pre = rows.filter((r) => r.early);
  if (pre.length) {
    lines.push('');
    lines.push(`**Prerendered, early click**: a trusted click on accept ${CLICK_AFTER_FCP_MS} ms after the first contentful paint, ` +
      `the UI files (extra, glue, wasm, language files) held back ${UI_DELAY_MS / 1000} s. The tracker is requested when the loader ` +
      'activates it, and runs when its file has arrived (over Fast 4G, one request later).');
    lines.push('');
    lines.push('| embed | profile | click after FCP, ms | stored and activated by the next frame | click → next frame, ms | click → tracker requested, ms | click → tracker ran, ms | record stored | visits requesting a UI file |');
    lines.push('|---|---|--:|--:|--:|--:|--:|--:|--:|');
    for (const r of pre) {
      for (const t of report.profiles) {
        const e = r.early[t.id];
        const cell = (x) => (x ? `${fmt(x.median, 0)} (${fmt(x.min, 0)}–${fmt(x.max, 0)})` : '–');
        lines.push(`| ${r.name} | ${t.id} | ${cell(e.clickAfterFcpMs)} | ${e.nextFrame} of ${e.n} | ${cell(e.clickToNextFrameMs)} | ${cell(e.clickToRequestMs)} | ${cell(e.clickToTrackerMs)} | ` +
          `${e.stored} of ${e.n} | ${e.uiRequested} of ${e.n}${e.uiFiles.length ? ' (' + e.uiFiles.join(', ') + ')' : ''} |`);
      }
    }
    lines.push('');
    lines.push(...targets(report));
  }
  return lines.join('\n');
}

// Issue 16's targets, read off this run's medians (and maxima where "every visit" is meant).
function targets(report) {
  const rows = report.banners;
  const get = (id) => rows.find((r) => r.id === id);
  const peers = rows.filter((r) => !r.baseline && !r.id.startsWith('consent-banner'));
  const out = ['**Issue 16 targets in this run**', ''];
  const yes = (ok) => (ok ? 'met' : '**not met**');
  for (const t of report.profiles) {
    out.push(`- ${t.title}:`);
    for (const r of rows.filter((x) => x.early)) {
      const f = r.figures[t.id];
      const frames = f.acceptFrames;
      const fastest = peers.map((p) => [p.name, p.figures[t.id].acceptMs && p.figures[t.id].acceptMs.median]).filter(([, m]) => m !== null)
        .sort((a, b) => a[1] - b[1])[0];
      const e = r.early[t.id];
      out.push(`  - ${r.name}: accept in the FCP frame: ${yes(frames && frames.max === 0)} (frames after FCP: median ${fmt(frames && frames.median, 0)}, max ${fmt(frames && frames.max, 0)}); ` +
        `accept visible ${fmt(f.acceptMs && f.acceptMs.median, 0)} ms vs the fastest peer's ${fmt(fastest && fastest[1], 0)} ms (${fastest && fastest[0]}): ${yes(fastest && f.acceptMs && f.acceptMs.median < fastest[1])}; ` +
        `TBT max ${fmt(f.tbtMs && f.tbtMs.max, 0)} ms, CLS max ${fmt(f.cls && f.cls.max, 3)}: ${yes(f.tbtMs && f.tbtMs.max === 0 && f.cls && f.cls.max === 0)}; ` +
        `early click: stored and tracker activated by the next frame in ${e.nextFrame} of ${e.n} (${yes(e.n && e.nextFrame === e.n && !e.uiRequested)}), ` +
        `tracker requested ${fmt(e.clickToRequestMs && e.clickToRequestMs.median, 0)} ms and ran ${fmt(e.clickToTrackerMs && e.clickToTrackerMs.median, 0)} ms after the click (medians), UI files requested in ${e.uiRequested} of ${e.n}.`);
    }
    const base = get('baseline-tracker').figures[t.id].returnTrackerMs;
    for (const id of ['consent-banner', 'consent-banner-prerendered', 'consent-banner-inline']) {
      const r = get(id);
      const m = r && r.figures[t.id].returnTrackerMs;
      if (!m || !base) continue;
      const x = m.median / base.median;
      out.push(`  - ${r.name}: return visit, tracker at ${fmt(m.median, 0)} ms vs ${fmt(base.median, 0)} ms ungated without a banner: ×${x.toFixed(2)}` +
        (id === 'consent-banner-inline' && t.net ? ` (target ×1.10 over Fast 4G: ${yes(x <= 1.1)})` : ''));
    }
  }
  return out;
}

function machineInfo(chromiumVersion) {
  const model = (() => {
    try {
      const m = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m);
      return m ? m[1] : cpus()[0].model;
    } catch {
      return cpus()[0] ? cpus()[0].model : 'unknown';
    }
  })();
  let nproc = cpus().length;
  try { nproc = Number(execSync('nproc').toString().trim()); } catch { /* keep os.cpus() */ }
  return { date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC', nproc, cpu: model, chromium: `Chromium ${chromiumVersion}`, node: process.version };
}

// What a prerendered embed adds to the page's HTML, in brotli (quality 11, as scripts/serve.mjs
// sends it): the page minus the same page with the one-script-tag embed (whose config is the same
// text), so the body snippet (and the inline loader) count, the config does not, as for every
// banner. 0 for the others.
const brotli = (text) => brotliCompressSync(Buffer.from(text), { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }).length;
function htmlBytes(b) {
  if (!b.prerender) return 0;
  return brotli(pageHtml(b)) - brotli(pageHtml(BANNERS.find((x) => x.id === 'consent-banner')));
}

// --- main ---
async function main() {
  if (opt('report')) return rewrite(opt('report'));
  writePages();
  if (!existsSync(join(ROOT, 'dist/consent-banner.js'))) throw new Error('dist/ is missing: run bash scripts/build.sh (or make bench)');
  const server = await serve({ port: 0, root: ROOT, compress: true });
  // navigator.webdriver stays false, as for a visitor: vanilla-cookieconsent's default
  // hideFromBots would otherwise never show its banner to an automated browser.
  const args = [...CHROMIUM_ARGS, '--disable-blink-features=AutomationControlled'];
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args });
  const machine = machineInfo(browser.version());
  const raw = {}; // raw[profile][id] = [{first, return}]
  const started = Date.now();
  const violations = new Set();
  const failures = new Set();
  try {
    // One unrecorded visit per banner first: the server compresses each file on its first request
    // (brotli q11 of a large file takes hundreds of ms), where a CDN would serve it precompressed.
    for (const b of banners) {
      if (b.id !== 'baseline-tracker') await visit(browser, `${server.url}/bench/pages/${b.id}.html`, b, { rate: 1, mode: 'first' });
    }
    console.log('warm-up done (one unrecorded visit per banner)');
    for (const { id: profile, rate, net, runs } of PROFILES) {
      raw[profile] = Object.fromEntries(banners.map((b) => [b.id, []]));
      for (let run = 0; run < runs; run++) {
        // Rotate the order each run, so drift on a shared machine spreads over every banner.
        const order = banners.map((_, i) => banners[(i + run) % banners.length]);
        for (const b of order) {
          const url = `${server.url}/bench/pages/${b.id}.html`;
          const sample = {};
          if (b.id !== 'baseline-tracker') sample.first = await visit(browser, url, b, { rate, net, mode: 'first' });
          if (b.id === 'baseline-tracker') sample.return = await visit(browser, url, b, { rate, net, mode: 'return' });
          else if (!b.baseline && sample.first.storageState) {
            sample.return = await visit(browser, url, b, { rate, net, mode: 'return', storageState: sample.first.storageState });
          }
          if (sample.first) delete sample.first.storageState;
          if (b.prerender) sample.early = await earlyClick(browser, url, b, { rate, net });
          for (const v of Object.values(sample)) {
            if (v.violation) {
              violations.add(`${b.name}: ${v.violation}`);
              console.error(`\x1b[31;1mVIOLATION\x1b[0m ${b.name} (${profile}, run ${run + 1}): ${v.violation}`);
            }
            if (v.failed) failures.add(`${b.name} (${profile}${v === sample.early ? ', early click' : ''}): ${v.errors.at(-1)}`);
          }
          if (!b.baseline && !sample.return) failures.add(`${b.name} (${profile}): no return visit (the first visit failed)`);
          raw[profile][b.id].push(sample);
        }
        const s = ((Date.now() - started) / 1000).toFixed(0);
        console.log(`${profile} run ${run + 1}/${runs} done (${s}s)`);
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }

  // Paired per run: a banner's CPU and heap minus the baselines' of the same run and throttle.
  const profiles = PROFILES.map(({ id, rate, net, runs, title }) => ({ id, rate, net: net || null, runs, title }));
  const report = { machine, profiles, full, settleMs: SETTLE_MS, violations: [...violations], failures: [...failures], banners: [] };
  for (const b of banners) {
    const row = { id: b.id, name: b.name, version: b.version || '', baseline: !!b.baseline, figures: {}, bytes: {} };
    for (const { id: profile } of PROFILES) {
      const samples = raw[profile][b.id];
      const base = raw[profile].baseline;
      const baseTracker = raw[profile]['baseline-tracker'];
      const per = (fn) => samples.map((s, i) => {
        try { return fn(s, i); } catch { return null; }
      });
      const ok = (v) => (v && !v.failed ? v : null);
      row.figures[profile] = {
        fcpMs: summary(per((s) => ok(s.first).fcpMs)),
        acceptMs: summary(per((s) => ok(s.first).acceptMs)),
        acceptFrames: summary(per((s) => ok(s.first).acceptFrames)),
        tbtMs: summary(per((s) => ok(s.first).tbtMs)),
        cls: summary(per((s) => ok(s.first).cls)),
        clickToTrackerMs: summary(per((s) => ok(s.first).clickToTrackerMs)),
        returnTrackerMs: summary(per((s) => ok(s.return).trackerMs)),
        cpuOverBaselineMs: summary(per((s, i) => ok(s.first).cpuMs - ok(base[i].first).cpuMs)),
        scriptOverBaselineMs: summary(per((s, i) => ok(s.first).scriptMs - ok(base[i].first).scriptMs)),
        returnCpuOverBaselineMs: summary(per((s, i) => ok(s.return).cpuMs - ok(baseTracker[i].return).cpuMs)),
        heapOverBaselineKB: summary(per((s, i) => ok(s.first).heapKB - ok(base[i].first).heapKB)),
        returnHeapOverBaselineKB: summary(per((s, i) => ok(s.return).heapKB - ok(baseTracker[i].return).heapKB)),
      };
      if (b.prerender) {
        const early = samples.map((s) => ok(s.early)).filter(Boolean);
        row.early = row.early || {};
        row.early[profile] = {
          n: early.length,
          clickAfterFcpMs: summary(early.map((v) => v.clickAfterFcpMs)),
          clickToRequestMs: summary(early.map((v) => v.clickToRequestMs)),
          clickToTrackerMs: summary(early.map((v) => v.clickToTrackerMs)),
          stored: early.filter((v) => v.stored).length,
          nextFrame: early.filter((v) => v.nextFrame).length,
          clickToNextFrameMs: summary(early.map((v) => v.clickToNextFrameMs)),
          uiRequested: early.filter((v) => v.uiFiles.length).length,
          uiFiles: [...new Set(early.flatMap((v) => v.uiFiles))],
        };
      }
      if (b.baseline) {
        // Baselines: their own absolute figures, for reference.
        const v = b.id === 'baseline' ? 'first' : 'return';
        Object.assign(row.figures[profile], {
          cpuOverBaselineMs: b.id === 'baseline' ? summary(per((s) => ok(s.first).cpuMs)) : null,
          returnCpuOverBaselineMs: b.id === 'baseline-tracker' ? summary(per((s) => ok(s.return).cpuMs)) : null,
          heapOverBaselineKB: b.id === 'baseline' ? summary(per((s) => ok(s.first).heapKB)) : null,
          returnTrackerMs: b.id === 'baseline-tracker' ? summary(per((s) => ok(s.return).trackerMs)) : null,
          tbtMs: summary(per((s) => ok(s[v]).tbtMs)),
          cls: summary(per((s) => ok(s[v]).cls)),
        });
      }
    }
    // Bytes do not depend on the profile: the median over every visit, plus what the embed adds
    // to the page's own HTML (the prerendered snippets, the inline loader).
    const all = PROFILES.flatMap(({ id }) => raw[id][b.id]);
    const firsts = all.map((s) => s.first).filter((v) => v && !v.failed);
    const returns = all.map((s) => s.return).filter((v) => v && !v.failed);
    const html = htmlBytes(b);
    const plus = (x) => (x === null ? null : x + html);
    row.bytes = {
      html,
      first: plus(median(firsts.map((v) => v.bytes))),
      return: plus(median(returns.map((v) => v.bytes))),
      filesFirst: firsts.length ? Math.max(...firsts.map((v) => v.files.length)) : 0,
      filesReturn: returns.length ? Math.max(...returns.map((v) => v.files.length)) : 0,
      wasmOnReturn: returns.some((v) => v.wasm),
      firstFiles: firsts.length ? firsts[0].files : [],
      returnFiles: returns.length ? returns[0].files : [],
    };
    report.banners.push(row);
  }
  report.raw = raw;

  const md = markdown(report);
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, 'latest.json'), JSON.stringify(report, null, 2));
  writeFileSync(join(RESULTS, 'latest.md'), md + '\n');
  console.log('\n' + md + '\n');
  console.log(`results: bench/results/latest.md and latest.json (${((Date.now() - started) / 1000).toFixed(0)}s)`);
  if (full) updateBenchmarksMd(md);
  else console.log('BENCHMARKS.md left as it is (only a full run, without --quick or --only, rewrites it)');

  if (report.violations.length || report.failures.length) {
    console.error('\x1b[31;1mPROBLEMS\x1b[0m');
    for (const v of report.violations) console.error(`  VIOLATION: ${v}`);
    for (const f of report.failures) console.error(`  could not measure: ${f}`);
    process.exitCode = 1;
  }
}

// --report FILE: the tables again from a saved latest.json (after a change to the tables only).
function rewrite(file) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const md = markdown(report);
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, 'latest.md'), md + '\n');
  console.log(md);
  if (report.full !== false) updateBenchmarksMd(md);
}

const START = '<!-- bench:results:start (written by node bench/run.mjs) -->';
const END = '<!-- bench:results:end -->';
function updateBenchmarksMd(md) {
  const file = join(ROOT, 'BENCHMARKS.md');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : `# Benchmarks\n\n## Latest results\n\n${START}\n${END}\n`;
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  if (a < 0 || b < a) {
    console.error('BENCHMARKS.md has no results markers; not rewriting it');
    return;
  }
  writeFileSync(file, text.slice(0, a + START.length) + '\n' + md + '\n' + text.slice(b));
  console.log('BENCHMARKS.md: results section rewritten');
}

await main();
