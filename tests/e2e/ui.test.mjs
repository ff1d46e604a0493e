// The banner UI as a keyboard user, a screen-reader audit (axe-core) and a hostile host page see
// it: focus order and return, modal behaviour, layouts, themes, languages, layout shift, and
// screenshots of every state (written to tests/e2e/artifacts/).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { start, open, banner, button, until, hostPage, routeHtml, ROOT } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

const ARTIFACTS = join(ROOT, 'tests/e2e/artifacts');
const AXE = join(ROOT, 'node_modules/axe-core/axe.min.js');
const LONG = '/tests/e2e/pages/long.html';
const RTL = '/tests/e2e/pages/rtl.html';
const HOSTILE = '/tests/e2e/pages/hostile.html';
const still = { reducedMotion: 'reduce' };

/** What has focus, looking into the banner's shadow root. */
const focused = (page) => page.evaluate(() => {
  let a = document.activeElement;
  while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
  if (!a || a === document.body) return { tag: 'BODY' };
  return {
    tag: a.tagName, id: a.id, action: a.getAttribute('data-action'), role: a.getAttribute('role'),
    inBanner: a.getRootNode() !== document, inDialog: !!a.closest('dialog'),
  };
});

const stored = async (page) => JSON.parse(await page.evaluate(() => localStorage.getItem('consent-banner')));

/** Presses Tab until `pred(focused)` holds; returns every stop on the way. */
async function tabUntil(page, pred, max = 60, key = 'Tab') {
  const stops = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const f = await focused(page);
    stops.push(f);
    if (pred(f)) return stops;
  }
  throw new Error(`focus never matched after ${max} presses: ${JSON.stringify(stops.slice(-5))}`);
}

/** Opens a page served from `html` (built with hostPage) at a path of the test server. */
async function openHtml(html, options = {}) {
  const opened = await open(env.browser, options);
  await routeHtml(opened.page, '/ui-host.html', html);
  await opened.page.goto(`${env.url}/ui-host.html`);
  return opened;
}

async function axe(page) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
  }));
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

const boxOf = (locator) => locator.evaluate((el) => {
  const r = el.getBoundingClientRect();
  return { x: r.x, y: r.y, width: r.width, height: r.height, bottom: r.bottom, right: r.right };
});

test('Tab reaches Accept all, Decline all and Preferences as equal buttons; Enter on Decline declines', async () => {
  const { page, context } = await open(env.browser, still);
  await page.goto(`${env.url}${LONG}`);
  await banner(page).waitFor();
  const stops = await tabUntil(page, (f) => f.action === 'preferences');
  const actions = stops.filter((f) => f.inBanner && f.tag === 'BUTTON').map((f) => f.action);
  assert.deepEqual(actions, ['accept', 'reject', 'preferences']);
  const sizes = await Promise.all(['accept', 'reject', 'preferences'].map((a) => boxOf(button(page, a))));
  for (const s of sizes) {
    assert.ok(s.height >= 44, `target size ${s.height}`);
    assert.equal(Math.round(s.width), Math.round(sizes[0].width), 'equal widths');
  }
  const styles = await page.locator('consent-banner .btn').evaluateAll((els) =>
    els.map((el) => { const s = getComputedStyle(el); return `${s.backgroundColor} ${s.color} ${s.fontWeight}`; }));
  assert.equal(new Set(styles).size, 1, `equal weight: ${styles}`);

  await page.keyboard.press('Shift+Tab');
  assert.equal((await focused(page)).action, 'reject');
  await page.keyboard.press('Enter');
  await until(page, () => localStorage.getItem('consent-banner') !== null);
  assert.deepEqual((await stored(page)).categories, { essential: true, functional: false, statistics: false });
  assert.equal(await banner(page).count(), 0, 'the banner closes');
  assert.equal((await focused(page)).action, 'reopen', 'focus moves to the reopen button, not lost');
  await context.close();
});

test('Space on Accept all accepts every category', async () => {
  const { page, context } = await open(env.browser, still);
  await page.goto(`${env.url}${LONG}`);
  await banner(page).waitFor();
  await tabUntil(page, (f) => f.action === 'accept');
  await page.keyboard.press('Space');
  await until(page, () => localStorage.getItem('consent-banner') !== null);
  assert.deepEqual((await stored(page)).categories, { essential: true, functional: true, statistics: true });
  await context.close();
});

test('Preferences: focus moves in, Tab stays inside, Escape closes and focus returns to the Preferences button', async () => {
  const { page, context } = await open(env.browser, still);
  await page.goto(`${env.url}${LONG}`);
  await banner(page).waitFor();
  await tabUntil(page, (f) => f.action === 'preferences');
  await page.keyboard.press('Enter');
  await page.locator('consent-banner [role=dialog]').waitFor();
  assert.deepEqual(await focused(page).then((f) => [f.id, f.inDialog]), ['cb-prefs-title', true]);
  const seen = new Set();
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press(i % 4 === 3 ? 'Shift+Tab' : 'Tab');
    const f = await focused(page);
    assert.ok(f.inDialog, `focus left the dialog: ${JSON.stringify(f)}`);
    seen.add(f.action || f.id);
  }
  for (const stop of ['close', 'cb-cat-functional', 'cb-cat-statistics', 'save', 'accept', 'reject']) {
    assert.ok(seen.has(stop), `Tab reaches ${stop}: ${[...seen]}`);
  }
  assert.ok(!seen.has('cb-cat-essential'), 'the required switch is not operable');
  await page.keyboard.press('Escape');
  await banner(page).waitFor();
  assert.equal(await page.locator('consent-banner [role=dialog]').count(), 0);
  assert.equal((await focused(page)).action, 'preferences');
  assert.equal(await page.evaluate(() => localStorage.getItem('consent-banner')), null, 'Escape decides nothing');
  await context.close();
});

test('Space toggles a switch and Save stores exactly that choice', async () => {
  const { page, context } = await open(env.browser, still);
  await page.goto(`${env.url}${LONG}`);
  await banner(page).waitFor();
  await tabUntil(page, (f) => f.action === 'preferences');
  await page.keyboard.press('Space');
  await tabUntil(page, (f) => f.id === 'cb-cat-statistics', 10);
  await page.keyboard.press('Space');
  assert.equal(await page.locator('consent-banner #cb-cat-statistics').isChecked(), true);
  assert.equal(await page.locator('consent-banner #cb-cat-functional').isChecked(), false);
  await tabUntil(page, (f) => f.action === 'save', 10);
  await page.keyboard.press('Enter');
  await until(page, () => localStorage.getItem('consent-banner') !== null);
  assert.deepEqual((await stored(page)).categories, { essential: true, functional: false, statistics: true });
  await context.close();
});

test('the footer link opens the preferences pre-filled with the stored decision; closing returns focus to the link', async () => {
  const { page, context } = await open(env.browser, still);
  await page.goto(`${env.url}${LONG}`);
  await page.locator('consent-banner #cb-title').waitFor();
  await page.evaluate(() => window.ConsentBanner.set({ statistics: true, functional: false }));
  await until(page, () => localStorage.getItem('consent-banner') !== null);
  await page.reload();
  await page.waitForTimeout(300);
  assert.equal(await banner(page).count(), 0, 'decided: no banner on reload');
  await tabUntil(page, (f) => f.id === 'footer-preferences');
  await page.keyboard.press('Enter');
  await page.locator('consent-banner [role=dialog]').waitFor();
  assert.equal((await focused(page)).inDialog, true);
  assert.equal(await page.locator('consent-banner #cb-cat-statistics').isChecked(), true, 'pre-filled: accepted');
  assert.equal(await page.locator('consent-banner #cb-cat-functional').isChecked(), false, 'pre-filled: declined');
  assert.equal(await page.locator('consent-banner #cb-cat-essential').isChecked(), true, 'required: always on');
  await page.keyboard.press('Escape');
  await until(page, () => !document.querySelector('consent-banner').shadowRoot.querySelector('dialog'));
  assert.equal((await focused(page)).id, 'footer-preferences');
  await context.close();
});

test('the reopen button opens the preferences, and focus returns to it after saving', async () => {
  const { page, context } = await open(env.browser, still);
  await page.goto(`${env.url}${LONG}`);
  await button(page, 'reject').click();
  await button(page, 'reopen').focus();
  await page.keyboard.press('Enter');
  await page.locator('consent-banner [role=dialog]').waitFor();
  await tabUntil(page, (f) => f.action === 'save', 10);
  await page.keyboard.press('Space');
  await until(page, () => !document.querySelector('consent-banner').shadowRoot.querySelector('dialog'));
  assert.equal((await focused(page)).action, 'reopen');
  await context.close();
});

test('the floating button sits on the configured side and can be turned off', async () => {
  for (const [config, expect] of [[{}, 'left'], [{ floatingButtonPosition: 'right' }, 'right'], [{ floatingButton: false }, 'none']]) {
    const { page, context } = await openHtml(hostPage({ config }), { viewport: { width: 1000, height: 700 }, ...still });
    await button(page, 'reject').click();
    await page.waitForTimeout(100);
    if (expect === 'none') {
      assert.equal(await button(page, 'reopen').count(), 0);
    } else {
      const box = await boxOf(button(page, 'reopen'));
      assert.equal(box.x < 500, expect === 'left', `${expect}: x=${box.x}`);
      assert.ok(box.bottom <= 700 && box.width >= 44);
    }
    await context.close();
  }
});

test('layouts: bottom, top, corner and center sit where configured and fit a 360 px screen', async () => {
  const viewport = { width: 360, height: 740 };
  for (const layout of ['bottom', 'top', 'corner', 'center']) {
    const { page, context } = await openHtml(hostPage({ config: { layout } }), { viewport, ...still });
    await banner(page).waitFor();
    const b = await boxOf(banner(page));
    const where = { bottom: b.bottom === 740, top: b.y === 0, corner: b.bottom === 728, center: Math.abs(b.y + b.height / 2 - 370) <= 1 };
    assert.ok(where[layout], `${layout}: ${JSON.stringify(b)}`);
    assert.ok(b.x >= 0 && b.right <= 360, `${layout} fits the width`);
    assert.ok(b.height <= 740 * 0.85 + 1, `${layout} leaves the page visible`);
    for (const action of ['accept', 'reject', 'preferences']) {
      const s = await boxOf(button(page, action));
      assert.ok(s.height >= 44 && s.width >= 200, `${layout}/${action}: ${JSON.stringify(s)}`);
    }
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 360, 'no horizontal scroll');
    assert.equal(await page.locator('consent-banner .title').evaluate((el) => getComputedStyle(el).fontSize), '17px');
    await context.close();
  }
});

test('blocking mode: a modal dialog that keeps focus and the page inert until the user decides', async () => {
  const body = '<button id="page-button" onclick="window.pageClicks = (window.pageClicks || 0) + 1">Page button</button>';
  const { page, context } = await openHtml(hostPage({ config: { blocking: true, layout: 'center' }, body }), still);
  const dialog = page.locator('consent-banner dialog.banner[aria-modal=true]');
  await dialog.waitFor();
  assert.equal(await dialog.evaluate((d) => d.matches(':modal')), true, 'in the top layer, page inert');
  assert.equal((await focused(page)).id, 'cb-title');
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).inDialog, true, 'focus stays in the dialog');
  }
  await page.keyboard.press('Escape');
  assert.equal(await dialog.isVisible(), true, 'Escape does not dismiss a blocking banner');
  const pageButton = await boxOf(page.locator('#page-button'));
  await page.mouse.click(pageButton.x + pageButton.width / 2, pageButton.y + pageButton.height / 2);
  assert.equal(await page.evaluate(() => window.pageClicks), undefined, 'the page does not take clicks');
  await button(page, 'reject').click();
  await until(page, () => localStorage.getItem('consent-banner') !== null);
  await page.locator('#page-button').click();
  assert.equal(await page.evaluate(() => window.pageClicks), 1, 'the page is usable after the decision');
  await context.close();
});

test('the banner never covers the page element that has keyboard focus', async () => {
  for (const layout of ['bottom', 'top']) {
    const { page, context } = await open(env.browser, { viewport: { width: 800, height: 500 }, ...still });
    await routeHtml(page, '/ui-long.html', (await (await fetch(`${env.url}${LONG}`)).text())
      .replace('"revision": 1', `"layout": "${layout}", "revision": 1`));
    await page.goto(`${env.url}/ui-long.html`);
    await banner(page).waitFor();
    let checked = 0;
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      const hidden = await page.evaluate(async () => {
        await new Promise((ok) => setTimeout(ok, 50)); // the banner moves within a few frames
        const a = document.activeElement;
        if (!a || a.tagName === 'CONSENT-BANNER' || a === document.body) return null;
        const host = document.querySelector('consent-banner').shadowRoot.querySelector('.banner');
        const r = a.getBoundingClientRect(); const b = host.getBoundingClientRect();
        return { id: a.id, covered: r.bottom > b.top && r.top < b.bottom, r: [r.top, r.bottom], b: [b.top, b.bottom] };
      });
      if (hidden === null) continue;
      checked++;
      assert.equal(hidden.covered, false, `${layout}: ${JSON.stringify(hidden)}`);
      if (hidden.id === 'footer-preferences') break;
    }
    assert.ok(checked >= 30, `${layout}: checked ${checked} focus stops`);
    await context.close();
  }
});

test('axe-core finds no WCAG 2.2 A/AA violation in the banner, the preferences, dark mode and RTL', async () => {
  for (const [name, path, options] of [
    ['banner light', LONG, {}],
    ['banner dark', LONG, { colorScheme: 'dark' }],
    ['banner RTL', RTL, {}],
    ['banner 390 px', LONG, { viewport: { width: 390, height: 844 } }],
  ]) {
    const { page, context } = await open(env.browser, { ...still, ...options });
    await page.goto(`${env.url}${path}`);
    await banner(page).waitFor();
    assert.deepEqual(await axe(page), [], name);
    await button(page, 'preferences').click();
    await page.locator('consent-banner [role=dialog]').waitFor();
    assert.deepEqual(await axe(page), [], `${name}: preferences`);
    await button(page, 'accept').click();
    await button(page, 'reopen').waitFor();
    assert.deepEqual(await axe(page), [], `${name}: reopen button`);
    await context.close();
  }
});

test('a page with hostile CSS still shows the same banner as a plain page', async () => {
  const measure = async (path) => {
    const { page, context } = await open(env.browser, { viewport: { width: 1000, height: 700 }, ...still });
    await page.goto(`${env.url}${path}`);
    await banner(page).waitFor({ state: 'visible' });
    const result = await page.locator('consent-banner .btn').evaluateAll((els) => els.map((el) => {
      const s = getComputedStyle(el); const r = el.getBoundingClientRect();
      const hit = el.getRootNode().elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
      return { w: Math.round(r.width), h: Math.round(r.height), y: Math.round(r.y), display: s.display,
        bg: s.backgroundColor, color: s.color, font: s.fontSize, family: s.fontFamily, upper: s.textTransform, clickable: hit === el };
    }));
    result.push(await banner(page).evaluate((el) => {
      const s = getComputedStyle(el); const r = el.getBoundingClientRect();
      return { position: s.position, bottom: Math.round(innerHeight - r.bottom), h: Math.round(r.height), bg: s.backgroundColor, visible: s.visibility, opacity: s.opacity };
    }));
    await context.close();
    return result;
  };
  const [plain, hostile] = [await measure(LONG), await measure(HOSTILE)];
  assert.equal(plain[0].bg, 'rgb(29, 78, 216)');
  assert.equal(plain[0].font, '15px');
  assert.ok(plain.slice(0, 3).every((b) => b.clickable && b.h >= 44), JSON.stringify(plain));
  assert.deepEqual(hostile, plain);
});

test('showing the banner and deciding shift nothing on the page (layout shift 0)', async () => {
  const { page, context } = await open(env.browser);
  await page.addInitScript(() => {
    window.shifts = [];
    new PerformanceObserver((list) => window.shifts.push(...list.getEntries().map((e) => ({
      value: e.value, input: e.hadRecentInput, at: Math.round(e.startTime),
      sources: e.sources.map((s) => s.node && (s.node.id || s.node.nodeName)) }))))
      .observe({ type: 'layout-shift', buffered: true });
  });
  await page.goto(`${env.url}/one-tag.html`);
  await banner(page).waitFor();
  await page.waitForTimeout(500);
  assert.deepEqual(await page.evaluate(() => window.shifts), [], 'showing the banner shifts nothing');
  await button(page, 'accept').click();
  await until(page, () => window.statsRuns === 1);
  await page.waitForTimeout(500);
  const shifts = await page.evaluate(() => window.shifts);
  // The page's own gated content appears after the click: a shift with recent input, which the
  // Cumulative Layout Shift metric leaves out. The banner adds none of its own.
  assert.deepEqual(shifts.filter((s) => !s.input), [], 'no layout shift without input');
  assert.ok(shifts.every((s) => !s.sources.includes('CONSENT-BANNER')));
  await context.close();
});

test('languages: the page language picks German texts; Arabic lays out right to left, mirrored', async () => {
  {
    const { page, context } = await openHtml(hostPage({ lang: 'de-AT' }), still);
    await banner(page).waitFor();
    const root = page.locator('consent-banner .cb');
    assert.deepEqual([await root.getAttribute('lang'), await root.getAttribute('dir')], ['de', 'ltr']);
    assert.equal(await button(page, 'accept').innerText(), 'Alle akzeptieren');
    assert.equal(await button(page, 'reject').innerText(), 'Alle ablehnen');
    await context.close();
  }
  {
    const { page, context } = await open(env.browser, { viewport: { width: 1280, height: 800 }, ...still });
    await page.goto(`${env.url}${RTL}`);
    await banner(page).waitFor();
    const root = page.locator('consent-banner .cb');
    assert.deepEqual([await root.getAttribute('lang'), await root.getAttribute('dir')], ['ar', 'rtl']);
    assert.equal(await button(page, 'accept').innerText(), 'قبول الكل');
    const [accept, reject] = [await boxOf(button(page, 'accept')), await boxOf(button(page, 'reject'))];
    assert.ok(accept.x > reject.x, 'the first button is on the right');
    const title = await boxOf(page.locator('consent-banner #cb-title'));
    assert.ok(title.right > 1280 - 150, `the heading starts on the right: ${JSON.stringify(title)}`);
    await button(page, 'preferences').click();
    const sw = await boxOf(page.locator('consent-banner #cb-cat-statistics'));
    const label = await boxOf(page.locator('consent-banner label[for=cb-cat-statistics]'));
    assert.ok(sw.x < label.x, 'the switch is at the line end, on the left');
    await context.close();
  }
});

test('theme: "dark" and "light" override the browser, "auto" follows it; reduced motion stops the fade', async () => {
  const bg = async (config, colorScheme, reducedMotion = 'reduce') => {
    const { page, context } = await openHtml(hostPage({ config }), { colorScheme, reducedMotion });
    await banner(page).waitFor();
    const s = await banner(page).evaluate((el) => { const c = getComputedStyle(el); return [c.backgroundColor, c.animationName]; });
    await context.close();
    return s;
  };
  const [white, dark] = ['rgb(255, 255, 255)', 'rgb(27, 31, 36)'];
  assert.equal((await bg({}, 'light'))[0], white);
  assert.equal((await bg({}, 'dark'))[0], dark);
  assert.equal((await bg({ theme: 'dark' }, 'light'))[0], dark);
  assert.equal((await bg({ theme: 'light' }, 'dark'))[0], white);
  assert.equal((await bg({}, 'light', 'reduce'))[1], 'none');
  assert.equal((await bg({}, 'light', 'no-preference'))[1], 'cb-in');
});

test('forced colours keep every button outlined', async () => {
  const { page, context } = await open(env.browser, { forcedColors: 'active', ...still });
  await page.goto(`${env.url}${LONG}`);
  await banner(page).waitFor();
  const borders = await page.locator('consent-banner .btn').evaluateAll((els) =>
    els.map((el) => { const s = getComputedStyle(el); return [s.borderTopStyle, s.borderTopWidth]; }));
  assert.deepEqual(borders, [['solid', '2px'], ['solid', '2px'], ['solid', '2px']]);
  await context.close();
});

test('screenshots of the banner and the preferences at 1280 and 390 px, light and dark', async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  for (const colorScheme of ['light', 'dark']) {
    for (const [width, height] of [[1280, 800], [390, 844]]) {
      const { page, context } = await open(env.browser, { viewport: { width, height }, colorScheme, ...still });
      await page.goto(`${env.url}/one-tag.html`);
      await banner(page).waitFor();
      const name = `${width}-${colorScheme}`;
      await page.screenshot({ path: join(ARTIFACTS, `banner-${name}.png`) });
      await button(page, 'preferences').click();
      await page.locator('consent-banner [role=dialog]').waitFor();
      await page.screenshot({ path: join(ARTIFACTS, `preferences-${name}.png`) });
      await context.close();
    }
  }
  const { page, context } = await open(env.browser, { viewport: { width: 1280, height: 800 }, ...still });
  await page.goto(`${env.url}${RTL}`);
  await banner(page).waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'banner-1280-rtl.png') });
  await context.close();
});
