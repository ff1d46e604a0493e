// consent-banner-extra.js: the part of the loader that a return visit's page load does not need.
// consent-banner.js imports it (a module, next to it in dist/) on a first visit, or at the first
// API call, markup hook or other tab's decision that needs it, and hands over its internals. It
// loads the UI (consent-banner-ui.js and its wasm), reports a config the loader rejects with the
// UI's field-named message, keeps other tabs in step, pushes the Google Consent Mode update on
// every change and handles a panic in the wasm. Nothing here runs before a decision is needed.
const UI = 'consent-banner-ui';
const GLUE = UI + '.js';
const WASM = UI + '_bg.wasm';
const url = (file) => new URL(file, import.meta.url).href;
const isObject = (o) => o && typeof o == 'object' && !Array.isArray(o);
const emit = (name, detail) => dispatchEvent(new CustomEvent('consent:' + name, { detail }));

/**
 * Called once by the loader. `fail(kind, message)` reports and stops activation (`fail()` only
 * stops), `attr(name)` reads a data-* attribute of the loader's tag (`attr('policyUrl')` is
 * data-policy-url), `configOk` is false when the loader rejected the config, `api` is
 * window.ConsentBanner, `detailOf(readRecord())` is the state of the stored record. Returns
 * `call(name, arg)`, where `name` is an API method, a markup action, 'sync' (another tab
 * decided), 'mount' (a first visit) or nothing: the loader's consent:change listener (registered
 * before the page's own) has just taken a change in.
 */
export default (fail, attr, configOk, api, detailOf, readRecord) => {
  // The UI must load within this many ms (data-timeout), else the loader fails closed (the
  // loader gives this file as long).
  const timeout = +attr('timeout') || 15e3;
  let ui, panicked;

  // The config for the UI: the inline JSON and every data-* override, or the text as it is when
  // it is not a JSON object (the UI's parser then names the problem).
  const text = document.getElementById(attr('config') || 'consent-banner-config')?.textContent;
  let raw, configText = text;
  try {
    raw = text?.trim() ? JSON.parse(text) : {};
  } catch {}
  if (isObject(raw)) {
    if (attr('revision') != null) raw.revision = +attr('revision');
    for (const k of ['policyUrl', 'language', 'storageKey']) if (attr(k) != null) raw[k] = attr(k);
    configText = JSON.stringify(raw);
  }

  // A panic in the wasm. The shipped build aborts at once (panic=immediate-abort, no message in
  // the wasm): a WebAssembly trap thrown out of the UI's event handler, task or mount, reported
  // here. A build with Rust's panic hook reports it first as consent:error, kind panic; its trap
  // follows. Either way: reported once, nothing more is activated on this page, and the dead
  // banner (a modal one too) goes. (Registered before the wasm can load.)
  const trapped = (e) => {
    // A WebAssembly.RuntimeError (there may be no WebAssembly global) with our wasm on its stack:
    // frames name the file, or, when the wasm was not compiled from its response (a server sending
    // the wrong MIME type), its module name (wasm://wasm/consent-banner-ui-…, written by
    // scripts/wasm-module-name.mjs). A trap in the page's own wasm is not ours.
    if (e?.name != 'RuntimeError' || !String(e.stack).includes(UI)) return;
    panicked || fail('panic', `internal error: the banner stopped (${e})`);
    return 1;
  };
  addEventListener('consent:error', (e) => {
    if (e.detail?.kind != 'panic') return;
    panicked = 1;
    fail();
    for (const h of document.querySelectorAll('consent-banner')) h.remove();
  });
  addEventListener('error', (x) => ui && trapped(x.error) && x.preventDefault());
  addEventListener('unhandledrejection', (x) => ui && trapped(x.reason) && x.preventDefault());

  // Every change (the banner, the API, another tab, a reset), as the loader takes it in: the
  // Google Consent Mode update, before the page's own listeners and any tag it allows.
  const consentMode = () => {
    const map = raw?.googleConsentMode?.map, types = {};
    if (!isObject(map)) return;
    window.dataLayer ||= [];
    const gtag = window.gtag ||= function () { dataLayer.push(arguments); };
    for (const id in map) for (const t of [].concat(map[id])) types[t] = types[t] != 'denied' && api.accepted(id) ? 'granted' : 'denied';
    gtag('consent', 'update', types);
  };

  const init = (m, response = url(WASM)) => m.default({ module_or_path: response }).then(() => m);

  // A config the loader rejected: the UI's validator names the field.
  if (!configOk) {
    import(url(GLUE)).then(init)
      .then((m) => m.checkConfig(configText) || 'config: unreadable', () => 'config: not a JSON object')
      .then((message) => fail('config', message));
  }

  // --- the UI (wasm), loaded at the first need; every failure is reported once, with the file ---
  // `[wasm, glue]`: the wasm download and the glue import the loader started on a first visit
  // (alongside this file), if any; each resolves to undefined when it failed (then it is tried
  // once more here, and this attempt's reason is the one reported).
  const load = (view, [wasm, glue] = []) => {
    if (ui) return ui;
    let file = GLUE;
    const start = () => {
      // The wasm downloads (and compiles, streaming) while the glue loads, not after it.
      const response = Promise.resolve(wasm).then((r) => r || fetch(url(WASM)));
      response.catch(() => {}); // reported once, where init awaits it
      return Promise.resolve(glue).then((m) => m || import(url(GLUE))).then((m) => {
        file = WASM;
        return init(m, response);
      });
    };
    // Mounted in a task of its own (after the body exists), not in the one that compiled and
    // instantiated the wasm: two shorter tasks instead of one long one.
    ui = typeof WebAssembly != 'object' ? Promise.reject(Error('no WebAssembly in this browser'))
      : Promise.race([
        start(),
        new Promise((_, no) => setTimeout(no, timeout, Error(`timed out after ${timeout} ms`))),
      ]).then((m) => new Promise((ok) => document.body ? setTimeout(ok) : document.addEventListener('DOMContentLoaded', ok))
        .then(() => m.mount(configText, view)));
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

  // Another tab changed the stored decision: the state from the record, this tab's banner follows.
  const sync = () => {
    const before = api.get().categories, state = detailOf(readRecord());
    state.source = state.decided ? 'storage' : null;
    state.changed = Object.keys(before).filter((k) => state.categories[k] != before[k]);
    ui?.then((u) => u.sync());
    emit('change', state);
  };

  return (name, arg) => {
    if (!name) return consentMode();
    if (name == 'sync') return sync();
    // (arg: false in a browser without WebAssembly, which load() reports.)
    if (name == 'mount') return configOk && void load('auto', arg || []);
    // Markup actions (preferences, accept-all, reject-all; show and reset are methods already).
    name = name == 'preferences' ? 'showPreferences' : name.replace(/-a/, 'A');
    if (name == 'hide') return ui?.then((u) => u.hide());
    const view = { show: 'auto', reset: 'auto', showPreferences: 'preferences' }[name] || 'closed';
    return load(view).then((u) => u[name](arg === undefined ? arg : JSON.stringify(arg)));
  };
};
