// consent-banner-extra.js: the part of the loader that a return visit's page load does not need.
// consent-banner.js imports it (a module, next to it in dist/) on a first visit, or at the first
// API call or markup hook that needs it, and hands over its internals. It loads the UI
// (consent-banner-ui.js and its wasm), reports a config the loader rejects with the UI's
// field-named message, passes another tab's decision on to the UI and handles a panic in the
// wasm. Nothing here runs before a decision is needed.
const UI = 'consent-banner-ui';
const url = (file) => new URL(file, import.meta.url).href;

/**
 * Called once by the loader with its internals: `fail(kind, message)` reports and stops
 * activation (`fail()` only stops), `report(kind, message)` only reports, `attr(name)` reads a
 * data-* attribute of the loader's tag, `language` is the language the loader chose and
 * `loadLanguage()` resolves to its file's text (nothing for English or the site's own texts, or
 * {error}),
 * `first` (consent-banner-prerendered.js only): `first()` is true when the page's first layer is
 * a prerendered one the loader drives, `first(on)` shows or hides it as the UI's view says
 * (`first(false, 1)`: hide() before the UI is there);
 * `configOk` is false when the loader rejected the config, `configText` is the config exactly as
 * the loader read it (data-* overrides applied), `categories` the loader's reading of its
 * categories (`essential*,functional,statistics`), `api` is window.ConsentBanner, `change(detail)`
 * the loader's private way in for a new state, `all(selector)` and `listen(type, fn)` the
 * document's querySelectorAll and window's addEventListener as they were at the loader's start.
 * Returns `call(name, arg)`, where `name` is an API method, a markup action, 'sync' (another tab
 * decided; the loader has applied it) or 'mount' (a first visit).
 */
export default ({ fail, report, attr, configOk, configText, categories, api, change, all, listen, language, loadLanguage, first }) => {
  // The UI must load within this many ms (data-timeout), else the loader fails closed (the
  // loader gives this file as long).
  const timeout = +attr('timeout') || 15e3;
  let ui, panicked;

  // A panic in the wasm: reported once, nothing more is activated on this page, and the dead
  // banner (a modal one too) goes. The shipped build aborts at once (panic=immediate-abort, no
  // message in the wasm): a WebAssembly trap thrown out of the UI's event handler, task or mount.
  // A build with Rust's panic hook tells the channel first; its trap follows.
  const panic = (message) => {
    if (!panicked) fail('panic', message);
    panicked = 1;
    fail();
    for (const h of all('consent-banner')) h.remove();
  };
  const trapped = (e) => {
    // A WebAssembly.RuntimeError (there may be no WebAssembly global) with our wasm on its stack:
    // frames name the file, or, when the wasm was not compiled from its response (a server sending
    // the wrong MIME type), its module name (wasm://wasm/consent-banner-ui-…, written by
    // scripts/wasm-module-name.mjs). A trap in the page's own wasm is not ours.
    if (e?.name != 'RuntimeError' || !String(e.stack).includes(UI)) return;
    panic(`internal error: the banner stopped (${e})`);
    return 1;
  };
  listen('error', (x) => ui && trapped(x.error) && x.preventDefault());
  listen('unhandledrejection', (x) => ui && trapped(x.reason) && x.preventDefault());

  // The UI's private channel to the loader (public consent:* events are outputs only): every
  // change, before the page hears of it; its view, for a prerendered first layer; a panic in
  // builds with a panic hook.
  const channel = (name, json) => name == 'change' ? change(JSON.parse(json)) : name == 'view' ? first?.(json == 'first') : name == 'panic' && panic(json);

  // (Without a response, the glue fetches its own wasm, next to it.)
  const init = (m, response) => m.default({ module_or_path: response }).then(() => m);

  // A config the loader rejected: the UI's validator names the field.
  if (!configOk) {
    import(url(UI + '.js')).then(init)
      .then((m) => m.checkConfig(configText) || 'config: unreadable', () => 'config: not a JSON object')
      .then((message) => fail('config', message));
  }

  // --- the UI (wasm), loaded at the first need; every failure is reported once, with the file ---
  // `[wasm, glue, lang]`: the wasm download, the glue import and the language file the loader
  // started on a first visit (alongside this file), if any; the first two resolve to undefined
  // when they failed (then they are tried once more here, and this attempt's reason is the one
  // reported). A language file that fails leaves the banner in English, with one error.
  const load = (view, [wasm, glue, lang = loadLanguage()] = []) => {
    if (ui) return ui;
    // A page whose first layer is the prerendered one gets the UI built without a first layer
    // of its own (consent-banner-ui-pre.js, 4.5 KB brotli less).
    const name = UI + (first?.() ? '-pre' : '');
    let file = name + '.js';
    const start = () => {
      // The wasm downloads (and compiles, streaming) while the glue loads, not after it.
      const response = Promise.resolve(wasm).then((r) => r || fetch(url(name + '_bg.wasm')));
      response.catch(() => {}); // reported once, where init awaits it
      return Promise.resolve(glue).then((m) => m || import(url(file))).then((m) => {
        file = name + '_bg.wasm';
        return init(m, response);
      });
    };
    // Mounted in a task of its own (after the body exists), not in the one that compiled and
    // instantiated the wasm: two shorter tasks instead of one long one.
    ui = typeof WebAssembly != 'object' ? Promise.reject(Error('no WebAssembly in this browser'))
      : Promise.race([
        start(),
        new Promise((_, no) => setTimeout(no, timeout, Error(`timed out after ${timeout} ms`))),
      ]).then((m) => new Promise((ok) => document.readyState == 'loading' ? listen('DOMContentLoaded', ok) : setTimeout(ok))
        .then(() => lang).then((text = '') => {
          if (text.error) report('load', `could not load the language file ${text.error}; the banner shows English`);
          // (A plain loader gives no `first`: undefined is false to the wasm.)
          return m.mount(configText, view, categories, channel, ...text.error ? ['en', ''] : [language, text], first?.());
        }));
    ui.catch((e) => {
      if (panicked || trapped(e)) return; // reported once
      let message = String(e?.message || e);
      if (/^config:/.test(message)) return fail('config', message);
      if (/Content.Security.Policy|wasm-unsafe-eval/i.test(message)) {
        message = `blocked by CSP: add 'wasm-unsafe-eval' to script-src (${message})`;
      }
      fail('load', `could not load the banner (${file}): ${message}`);
    });
    return ui;
  };

  return (name, arg) => {
    // Another tab decided: the loader has taken it in; the banner here follows.
    if (name == 'sync') return ui?.then((u) => u.sync());
    // (arg: false in a browser without WebAssembly, which load() reports.)
    if (name == 'mount') return configOk && void load('auto', arg || []);
    // Markup actions (preferences, accept-all, reject-all; show and reset are methods already).
    name = name == 'preferences' ? 'showPreferences' : name.replace(/-a/, 'A');
    if (name == 'hide') return ui ? ui.then((u) => u.hide()) : first?.() && first(false, 1);
    const view = { show: 'auto', reset: 'auto', showPreferences: 'preferences' }[name] || 'closed';
    return load(view).then((u) => u[name](arg === undefined ? arg : JSON.stringify(arg)));
  };
};
