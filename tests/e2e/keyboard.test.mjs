// Keyboard isolation (issue 14): the keys the banner handles (Space and Enter on its controls,
// Escape and Tab in its dialogs) do its work and never reach the host page's key handlers, even a
// page that, like reveal.js, listens on the document in the bubble phase and calls preventDefault
// on Space and Escape; the keys it does not handle still reach the page. Proven with a
// hand-written handler (document and window, keydown/keypress/keyup) and with a real reveal.js
// deck from npm.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, open, banner, until, hostPage, routeHtml } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

const CONFIG = {
  categories: [
    { id: 'essential', label: 'Essential', required: true },
    { id: 'statistics', label: 'Statistics' },
  ],
};

// The page's handlers: every key event the document and the window hear (bubble phase), with
// whether its target is (retargeted to) the banner's host; Space and Escape are the page's own
// (preventDefault), as a slide deck's are.
const RECORDER = `<script>
  window.heard = [];
  const record = (where) => (e) => {
    heard.push({ where, type: e.type, key: e.key, banner: e.target.localName === 'consent-banner' });
    if (where === 'document' && (e.key === ' ' || e.key === 'Escape')) e.preventDefault();
  };
  for (const type of ['keydown', 'keypress', 'keyup']) {
    document.addEventListener(type, record('document'));
    window.addEventListener(type, record('window'));
  }
</script>`;
const BODY = '<p><a href="#a" id="first-link">a page link</a></p>';

/** A first visit to the recorder page. */
async function firstVisit() {
  const session = await open(env.browser, { reducedMotion: 'reduce' });
  await routeHtml(session.context, '/w-keys.html', hostPage({ config: CONFIG, head: RECORDER, body: BODY }));
  await session.page.goto(`${env.url}/w-keys.html`);
  await banner(session.page).waitFor();
  return session;
}

/** The key events the page heard for `keys` (names as KeyboardEvent.key). */
const heardOf = (page, keys) => page.evaluate((k) => window.heard.filter((h) => k.includes(h.key)), keys);
const decision = (page) => page.evaluate(() => JSON.parse(localStorage.getItem('consent-banner'))?.categories ?? null);

/** What has focus, looking into shadow roots. */
const focused = (page) => page.evaluate(() => {
  let a = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return { inBanner: !!a && a.getRootNode() !== document, inDialog: !!a?.closest?.('dialog'), action: a?.dataset?.action ?? null, tag: a?.localName };
});

const acceptButton = (page) => page.locator('consent-banner .banner [data-action="accept"]');

/** Opens the preferences from the first layer (by mouse) and waits for the dialog. */
async function openPreferences(page) {
  await page.locator('consent-banner .banner [data-action="preferences"]').click();
  const dialog = page.locator('consent-banner dialog');
  await dialog.waitFor();
  return dialog;
}

for (const [name, key] of [['Space', ' '], ['Enter', 'Enter']]) {
  test(`keyboard: ${name} on the focused Accept button accepts, and the page never hears it`, async () => {
    const { page, context, errors } = await firstVisit();
    await acceptButton(page).focus();
    await page.keyboard.press(key === ' ' ? 'Space' : key);
    await until(page, () => localStorage.getItem('consent-banner') !== null).catch(async () =>
      assert.fail(`${name} on Accept stored no decision; the page heard ${JSON.stringify(await heardOf(page, [key]))}`));
    assert.deepEqual(await decision(page), { essential: true, statistics: true });
    await banner(page).waitFor({ state: 'detached' });
    // Once the banner is gone, the key's last keyup may go to the page's body: that is not the
    // banner's any more. What the page must never hear is the key on the banner's control.
    assert.deepEqual((await heardOf(page, [key])).filter((h) => h.banner || h.type !== 'keyup'), []);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('keyboard: Escape in the open preferences closes them, and the page never hears it', async () => {
  const { page, context, errors } = await firstVisit();
  const dialog = await openPreferences(page);
  assert.equal((await focused(page)).inDialog, true, 'focus moved into the preferences');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  const heard = await heardOf(page, ['Escape']);
  // The press the banner handled is its own from keydown to keyup, although the preferences are
  // closed (and focus is back on the first layer's button) by the time its keyup comes.
  assert.deepEqual(heard.filter((h) => h.type === 'keydown'), [], 'the page heard the keydown of the Escape that closed the preferences');
  assert.deepEqual(heard, [], 'the page heard the rest of that Escape press');
  assert.equal(await decision(page), null, 'Escape decides nothing');
  assert.equal(await banner(page).isVisible(), true, 'the first layer is back');
  assert.deepEqual(errors, []);
  await context.close();
});

test('keyboard: Tab and Shift+Tab stay inside the open preferences, and the page never hears them', async () => {
  const { page, context, errors } = await firstVisit();
  await openPreferences(page);
  // The dialog has a close button, one switch and three buttons: twice round in each direction.
  for (const key of ['Tab', 'Shift+Tab']) {
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press(key);
      const f = await focused(page);
      assert.ok(f.inDialog, `${key} #${i + 1} left the preferences: ${JSON.stringify(f)}`);
    }
  }
  assert.deepEqual(await heardOf(page, ['Tab']), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('keyboard: Space on a switch in the preferences toggles it, and the page never hears it', async () => {
  const { page, context, errors } = await firstVisit();
  const dialog = await openPreferences(page);
  const toggle = dialog.locator('#cb-cat-statistics');
  await toggle.focus();
  await page.keyboard.press('Space');
  assert.equal(await toggle.isChecked(), true, 'Space toggled the switch');
  await page.keyboard.press('Space');
  assert.equal(await toggle.isChecked(), false, 'and back');
  assert.deepEqual(await heardOf(page, [' ']), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('keyboard: in the blocking first layer, Tab stays inside, Escape does not close it, and the page hears neither', async () => {
  const session = await open(env.browser, { reducedMotion: 'reduce' });
  const { page, context, errors } = session;
  await routeHtml(context, '/w-keys.html', hostPage({ config: { ...CONFIG, blocking: true }, head: RECORDER, body: BODY }));
  await page.goto(`${env.url}/w-keys.html`);
  await banner(page).waitFor();
  assert.equal(await banner(page).evaluate((b) => b.localName === 'dialog' && b.matches(':modal')), true, 'a modal dialog');
  for (const key of ['Tab', 'Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab', 'Escape']) {
    await page.keyboard.press(key);
    assert.equal((await focused(page)).inBanner, true, `${key} left the blocking layer`);
  }
  assert.equal(await banner(page).isVisible(), true, 'Escape did not close it');
  assert.deepEqual(await heardOf(page, ['Tab', 'Escape']), []);
  assert.equal(await decision(page), null);
  assert.deepEqual(errors, []);
  await context.close();
});

test('keyboard: keys the banner does not handle still reach the page, from its buttons too', async () => {
  const { page, context } = await firstVisit();
  await acceptButton(page).focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('a');
  const heard = await heardOf(page, ['ArrowRight', 'a']);
  for (const where of ['document', 'window']) {
    assert.deepEqual(heard.filter((h) => h.where === where && h.type === 'keydown').map((h) => [h.key, h.banner]),
      [['ArrowRight', true], ['a', true]], `the ${where} listener heard them`);
  }
  assert.equal(await decision(page), null, 'those keys decide nothing');
  assert.equal((await focused(page)).action, 'accept', 'focus stayed on Accept');
  // The same in the preferences: an arrow key is the page's.
  await openPreferences(page);
  await page.keyboard.press('ArrowLeft');
  assert.equal((await heardOf(page, ['ArrowLeft'])).filter((h) => h.type === 'keydown').length, 2);
  await context.close();
});

// --- reveal.js, the host page of issue 14: Space advances the deck, Escape toggles its overview ---

const DECK = hostPage({
  config: CONFIG,
  head: '<link rel="stylesheet" href="/node_modules/reveal.js/dist/reveal.css">'
    + '<link rel="stylesheet" href="/node_modules/reveal.js/dist/theme/white.css">',
  body: `<div class="reveal"><div class="slides">
      <section><h2>Slide 1</h2></section><section><h2>Slide 2</h2></section><section><h2>Slide 3</h2></section>
    </div></div>
    <script src="/node_modules/reveal.js/dist/reveal.js"></script>
    <script>window.deckReady = Reveal.initialize({ hash: false, transition: 'none' });</script>`,
});

test('keyboard: in a reveal.js deck, Space accepts without advancing the slide and Escape closes the preferences without the overview', async () => {
  const { page, context, errors } = await open(env.browser, { reducedMotion: 'reduce' });
  await routeHtml(context, '/w-deck.html', DECK);
  await page.goto(`${env.url}/w-deck.html`);
  await page.evaluate(() => window.deckReady);
  await banner(page).waitFor();
  // The deck works: a key on the page advances it (and back).
  await page.locator('body').press('ArrowRight');
  assert.equal(await page.evaluate(() => Reveal.getIndices().h), 1);
  await page.locator('body').press('ArrowLeft');
  assert.equal(await page.evaluate(() => Reveal.getIndices().h), 0);

  const dialog = await openPreferences(page);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await page.evaluate(() => Reveal.isOverview()), false, 'Escape in the preferences must not open the deck\'s overview');

  await acceptButton(page).focus();
  await page.keyboard.press('Space');
  await until(page, () => localStorage.getItem('consent-banner') !== null).catch(() =>
    assert.fail('Space on Accept stored no decision in the deck'));
  assert.equal(await page.evaluate(() => Reveal.getIndices().h), 0, 'Space on Accept must not advance the deck');
  assert.deepEqual(errors, []);
  await context.close();
});
