// consent-banner loader: the record format, events and API are documented in README.md.
// Classic script, no dependencies, on every page view (budget: 2 KB brotli). It does what every
// page view needs: the config and the stored decision, Google Consent Mode, the gated tags, the
// events and the API. On a return visit with a valid stored decision that is all; nothing else
// loads. The rest is in consent-banner-extra.js, imported on a first visit, at the first API call
// or markup-hook click, or when another tab decides: loading the UI, the API calls, tab sync, the
// Consent Mode update on each change, panics, and the field-named report of a config the loader
// rejects.
((w, d) => {
  const NAME = 'ConsentBanner';
  const existing = w[NAME];
  if (existing?.version) return;
  // The record rule shared with src/record.rs (tests/vectors/records.json pins both).
  var FORMAT = 1;
  var MAX_RECORD = 4096;
  var SKEW = 864e5;
  var MAX_LIFE = 396 * 864e5;
  // The record's fields; the last five go into the state as they are.
  const RECORD_KEYS = ['v', 'revision', 'categories', 'given', 'updated', 'expires', 'id', 'source'];
  const SOURCES = ['banner', 'api', 'gpc', 'storage'];
  // Config defaults the loader needs; a native test checks them against Config::default().
  const DEFAULTS = /*defaults*/{"revision":1,"storageKey":"consent-banner","categories":[{"id":"essential","required":true},{"id":"functional"},{"id":"statistics"}]}/*end*/;

  const script = d.currentScript;
  const attr = (n) => script?.dataset[n];
  const extraFile = new URL('consent-banner-extra.js', script?.src || location);
  const own = (o, k) => ({}).hasOwnProperty.call(o, k);
  const isObject = (o) => o && typeof o == 'object' && !Array.isArray(o);
  const isTime = (t) => Number.isSafeInteger(t) && t >= 0;
  const emit = (name, detail) => dispatchEvent(new CustomEvent('consent:' + name, { detail }));
  const resolved = Promise.resolve();
  let failed, extra, hook, readyDetail, gcm, state, config = DEFAULTS;
  // (The definitions below are in the order that compresses best; the start follows them.)
  // --- gating: <script type="text/plain" data-consent> and <template data-consent> ---
  const GATED = 'script[type="text/plain"][data-consent],template[data-consent]';
  const done = new WeakSet();
  let chain = resolved;

  // --- the stored record ---
  const storage = () => {
    try {
      return localStorage;
    } catch {}
  };


  const readRecord = (now = Date.now()) => {
    try {
      let r = storage()?.getItem(config.storageKey);
      return (r = r && r.length <= MAX_RECORD && JSON.parse(r)) && r.v === FORMAT &&
        Object.keys(r).every((k) => RECORD_KEYS.includes(k)) && r.revision === config.revision &&
        isTime(r.given) && isTime(r.updated) && isTime(r.expires) &&
        r.given <= r.updated && r.updated <= now + SKEW && now < r.expires && r.updated <= r.expires &&
        r.expires - r.updated <= MAX_LIFE &&
        typeof r.id == 'string' && r.id && [...r.id].length <= 64 && SOURCES.includes(r.source) &&
        isObject(r.categories) && Object.values(r.categories).every((v) => typeof v == 'boolean') &&
        config.categories.every((c) => c.required || own(r.categories, c.id)) ? r : null;
    } catch {
      return null; // blocked storage or bad JSON: no decision
    }
  };

  // --- config: inline JSON named by data-config (default id "consent-banner-config") + data-* ---
  // The loader checks only what it uses; the UI validates everything (src/config.rs).
  const readConfig = () => {
    const text = d.getElementById(attr('config') || 'consent-banner-config')?.textContent;
    let raw;
    try {
      raw = text?.trim() ? JSON.parse(text) : {};
    } catch {}
    if (isObject(raw)) {
      if (attr('revision') != null) raw.revision = +attr('revision');
      if (attr('storageKey') != null) raw.storageKey = attr('storageKey');
      gcm = raw.googleConsentMode;
      const c = { ...DEFAULTS, ...raw };
      const seen = {};
      return isTime(c.revision) && c.revision && c.storageKey && typeof c.storageKey == 'string' &&
        c.categories?.[0] && c.categories.every?.((cat) => cat && /^[a-z][a-z0-9_-]{0,31}$/.test(cat.id) && !seen[cat.id] &&
          (seen[cat.id] = !own(cat, 'required') || typeof cat.required == 'boolean')) && (config = c);
    }
  };

  // Runs a script as a new element with the same attributes (a clone of one added by innerHTML
  // would never run); the promise settles when an external script has loaded or failed. One
  // script at a time (the chain waits for each), so no `async = false` is needed.
  const insert = (source) => {
    const s = d.createElement('script');
    for (const a of source.attributes) s.setAttribute(a.name, a.value);
    if (s.type == 'text/plain') s.type = source.dataset.type || '';
    s.nonce = source.nonce;
    s.text = source.text;
    // Never gated again, even when data-type keeps it inert (it would re-activate for ever).
    done.add(s);
    source.replaceWith(s);
    return s.src && new Promise((resolve) => s.onload = s.onerror = resolve);
  };

  // --- the rest: `later(name, arg)` runs in consent-banner-extra.js, imported at the first call
  // (rejected once the banner failed). name: an API method, a markup action, 'sync' (another tab
  // decided) or 'mount' (a first visit). `hook()`, once it is loaded, follows each change.
  // It too must load within the UI's timeout (data-timeout, see the extra), else the loader fails
  // closed; and it must not start the UI if it arrives later.
  const later = (name, arg) => failed ? Promise.reject(Error('failed')) : (extra ||= new Promise((ok, no) =>
    import(extraFile).then(ok, no, setTimeout(no, +attr('timeout') || 15e3, Error('timed out')))).then(
    (m) => hook = m.default(fail, attr, configOk, api, detailOf, readRecord),
    (e) => {
      fail('load', `${extraFile}: ${e}`);
      throw e;
    })).then((call) => call(name, arg));

  // Each gated element runs once, in document order: its turn comes when the one before has
  // settled (an external script loaded or failed). Checked again when its turn comes: a decline
  // in the same task (two clicks) wins.
  const activate = () => {
    if (!failed) {
      for (const el of d.querySelectorAll(GATED)) {
        if (!done.has(el) && allowed(el)) {
          done.add(el);
          chain = chain.then(() => failed || !el.parentNode || !allowed(el) ? done.delete(el) : el.content ? run(el) : insert(el));
        }
      }
    }
  };

  // --- Google Consent Mode v2 (README "Google Consent Mode"): the default before any tag runs,
  // and the update with a stored decision (the extra pushes one on every change). A type is
  // granted when every category mapped to it is accepted; src/config.rs validates the map.
  const consentMode = (map = gcm?.map) => {
    if (map) {
      const types = {};
      w.dataLayer ||= [];
      const gtag = w.gtag ||= function () { dataLayer.push(arguments); };
      for (const id in map) for (const t of [].concat(map[id])) types[t] = types[t] != 'denied' && accepted(id) ? 'granted' : 'denied';
      gtag('consent', 'default', { ...types, wait_for_update: gcm.waitForUpdate ?? 500, ...gcm.region?.length && { region: gcm.region } });
      if (gcm.adsDataRedaction) gtag('set', 'ads_data_redaction', true);
      if (gcm.urlPassthrough) gtag('set', 'url_passthrough', true);
      if (state.decided) gtag('consent', 'update', types);
    }
  };

  // "a b" needs both; "!a" runs when the user decided and declined a. Unknown ids never run.
  const allowed = (el) => el.dataset.consent?.match(/[^\s,]+/g)?.every((t) =>
    t[0] == '!' ? state.decided && state.categories[t.slice(1)] === false : accepted(t));

  // `=== true`: an inherited name ("constructor") is never a category.
  const accepted = (id) => !failed && state.categories[id] === true;

  // A template: its markup goes in with its scripts made inert (their type kept in data-type);
  // then they run in order.
  const run = (el) => {
    const fragment = d.importNode(el.content, true);
    const scripts = [...fragment.querySelectorAll('script')];
    for (const s of scripts) {
      s.dataset.type = s.type;
      s.type = 'text/plain';
    }
    el.replaceWith(fragment);
    return scripts.reduce((p, s) => p.then(() => insert(s)), resolved);
  };

  // Stops activation for good; with a kind, also reports it (each failure is reported once).
  const fail = (kind, message) => {
    failed = 1;
    if (kind) {
      console.error('consent-banner: ' + message);
      emit('error', { kind, message });
    }
  };

  // The same shape as ConsentDetail in src/events.rs.
  const detailOf = (r, persisted = !!storage()) => {
    const detail = { decided: !!r, categories: {}, revision: config.revision };
    for (const c of config.categories) detail.categories[c.id] = !!c.required || r?.categories?.[c.id] === true;
    for (const k of RECORD_KEYS.slice(3)) detail[k] = r?.[k] ?? null;
    detail.changed = [];
    detail.persisted = persisted;
    return detail;
  };

  // --- start ---
  const configOk = readConfig();
  const record = configOk && readRecord();
  state = detailOf(record);
  // A first visit shows the banner; a config the loader cannot use fails closed at once, and the
  // extra reports the UI's field-named error.
  // (The wasm and the UI's glue start downloading now, alongside the extra, not one round trip
  // after it. A classic script's import() resolves against the script's own URL, as extraFile
  // does. Either one that fails resolves to undefined, so the host page never sees an unhandled
  // rejection; the extra then tries once more and reports that attempt's reason.)
  if (!record) later('mount', w.WebAssembly && [fetch(new URL('consent-banner-ui_bg.wasm', extraFile)).catch(() => {}), import('./consent-banner-ui.js').catch(() => {})]).catch(() => {});
  failed = !configOk;
  consentMode();
  // Every change (the banner, the API, another tab): the new state, the extra's Consent Mode update,
  // then what it allows runs (in later microtasks). Registered first, so the page's own listeners
  // already see the new state.
  addEventListener('consent:change', (e) => e.detail?.categories && activate(state = e.detail, hook?.()));
  // Another tab decided: apply it here (and close this tab's banner).
  addEventListener('storage', (e) => e.key != config.storageKey || later('sync').catch(() => {}));

  // Elements added later: look again only when an added element has data-consent or holds a gated
  // one.
  new MutationObserver((list) => list.some((m) => [...m.addedNodes].some((n) =>
    n.dataset?.consent || n.querySelector?.(GATED))) && activate())
    .observe(d, { childList: 1, subtree: 1 });
  activate();

  const api = {
    version: '0.1.0',
    /** The whole state, as in the events' detail. */
    get: () => JSON.parse(JSON.stringify(state)),
    /** True when the category is accepted now. */
    accepted,
    /** Subscribes to 'ready', 'change', 'show', 'hide' or 'error'; returns the unsubscribe function. */
    on(name, fn) {
      const listener = (e) => fn(e.detail);
      addEventListener('consent:' + name, listener);
      if (name == 'ready' && readyDetail) fn(readyDetail);
      return () => removeEventListener('consent:' + name, listener);
    },
    /** Runs a queued call: ['method', arg] or function (api) {}. */
    push: (call) => call?.call ? call(api)
      : own(api, call?.[0]) ? api[call[0]].call?.(api, call[1]) : undefined,
  };
  // The methods that need the UI: the extra loads it (for hide(), only when it is already there).
  for (const method of ['acceptAll', 'rejectAll', 'set', 'show', 'showPreferences', 'reset', 'hide']) {
    api[method] = (arg) => later(method, arg);
  }
  w[NAME] = api;
  existing?.map?.((call) => api.push(call)?.catch?.(() => {}));

  // Markup hooks: data-consent-action="preferences|show|accept-all|reject-all|reset".
  addEventListener('click', (e) => {
    const action = e.target.closest?.('[data-consent-action]')?.dataset.consentAction;
    if (/^(preferences|show|accept-all|reject-all|reset)$/.test(action)) {
      e.preventDefault();
      later(action).catch(() => {});
    }
  });

  // consent:ready once the page's own listeners had a chance to subscribe.
  const ready = () => emit('ready', readyDetail = api.get());
  if (d.readyState == 'loading') addEventListener('DOMContentLoaded', ready);
  else setTimeout(ready);
})(window, document);
