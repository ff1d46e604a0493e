// consent-banner loader: the record format, events and API are documented in README.md.
// Classic script, no dependencies, on every page view (budget: 2 KB brotli). On a return visit
// with a valid stored decision it activates the accepted tags and loads no WebAssembly; otherwise
// it imports the UI (consent-banner-ui.js + its wasm), which validates the whole config.
((w, d) => {
  const NAME = 'ConsentBanner';
  const existing = w[NAME];
  if (existing?.version) return console.warn('consent-banner: loaded twice; this copy does nothing');
  // The record rule shared with src/record.rs (tests/vectors/records.json pins both).
  var FORMAT = 1;
  var MAX_RECORD = 4096;
  var SKEW = 864e5;
  var MAX_LIFE = 396 * 864e5;
  const RECORD_KEYS = ['v', 'revision', 'categories', 'given', 'updated', 'expires', 'id', 'source'];
  const SOURCES = ['banner', 'api', 'gpc', 'storage'];
  // Config defaults the loader needs; a native test checks them against Config::default().
  const DEFAULTS = /*defaults*/{"revision":1,"storageKey":"consent-banner","categories":[{"id":"essential","required":true},{"id":"functional"},{"id":"statistics"}]}/*end*/;

  const script = d.currentScript;
  const attr = (n) => script?.getAttribute('data-' + n) ?? null;
  const base = script?.src.replace(/[^/]*([?#].*)?$/, '') || '';
  const glue = base + 'consent-banner-ui.js';
  // The UI must load within this many ms (data-timeout), else the loader fails closed.
  const timeout = +attr('timeout') || 15e3;
  const own = (o, k) => Object.prototype.hasOwnProperty.call(o, k);
  const isObject = (o) => o && typeof o == 'object' && !Array.isArray(o);
  const isTime = (t) => Number.isSafeInteger(t) && t >= 0;
  const emit = (name, detail) => w.dispatchEvent(new CustomEvent('consent:' + name, { detail }));
  let failed = false, ui, readyDetail, configText = '', config = DEFAULTS, gcm, state;

  const fail = (kind, message) => {
    failed = true;
    console.error('consent-banner: ' + message);
    emit('error', { kind, message });
  };

  // --- config: inline JSON named by data-config (default id "consent-banner-config") + data-* ---
  // The loader checks only what it uses; the UI validates everything (src/config.rs).
  const readConfig = () => {
    const el = d.getElementById(attr('config') || 'consent-banner-config');
    let raw = {};
    if (el) {
      configText = el.textContent;
      try {
        raw = configText.trim() ? JSON.parse(configText) : {};
      } catch (e) {
        return;
      }
      if (!isObject(raw)) return;
    }
    if (attr('revision') != null) raw.revision = +attr('revision');
    for (const [a, k] of [['policy-url', 'policyUrl'], ['language', 'language'], ['storage-key', 'storageKey']]) {
      if (attr(a) != null) raw[k] = attr(a);
    }
    configText = JSON.stringify(raw);
    gcm = raw.googleConsentMode;
    const c = { ...DEFAULTS };
    for (const k in c) if (own(raw, k)) c[k] = raw[k];
    const seen = {};
    const ok = Number.isSafeInteger(c.revision) && c.revision > 0 && c.storageKey && typeof c.storageKey == 'string' &&
      Array.isArray(c.categories) && c.categories.length &&
      c.categories.every((cat) => cat && /^[a-z][a-z0-9_-]{0,31}$/.test(cat.id) && !seen[cat.id] &&
        (seen[cat.id] = !own(cat, 'required') || typeof cat.required == 'boolean'));
    if (ok) config = c;
    return ok;
  };

  // --- the stored record ---
  const storage = () => {
    try {
      return w.localStorage;
    } catch (e) {}
  };

  const readRecord = () => {
    try {
      const text = storage()?.getItem(config.storageKey);
      const r = text && text.length <= MAX_RECORD && JSON.parse(text);
      return valid(r, Date.now()) ? r : null;
    } catch (e) {
      return null; // blocked storage or bad JSON: no decision
    }
  };

  const valid = (r, now) => isObject(r) && Object.keys(r).every((k) => RECORD_KEYS.includes(k)) &&
    r.v === FORMAT && r.revision === config.revision &&
    isTime(r.given) && isTime(r.updated) && isTime(r.expires) &&
    r.given <= r.updated && r.updated <= now + SKEW && now < r.expires && r.updated <= r.expires &&
    r.expires - r.updated <= MAX_LIFE &&
    typeof r.id == 'string' && r.id && [...r.id].length <= 64 && SOURCES.includes(r.source) &&
    isObject(r.categories) && Object.values(r.categories).every((v) => typeof v == 'boolean') &&
    config.categories.every((c) => c.required || own(r.categories, c.id));

  // The same shape as ConsentDetail in src/events.rs.
  const detailOf = (r, changed = [], persisted = true) => {
    const categories = {};
    for (const c of config.categories) categories[c.id] = !!c.required || r?.categories[c.id] === true && own(r.categories, c.id);
    return {
      decided: !!r, categories, revision: config.revision,
      given: r?.given ?? null, updated: r?.updated ?? null, expires: r?.expires ?? null,
      id: r?.id ?? null, source: r?.source ?? null, changed, persisted,
    };
  };

  const accepted = (id) => !failed && own(state.categories, id) && state.categories[id] === true;

  // --- gating: <script type="text/plain" data-consent> and <template data-consent> ---
  const GATED = 'script[type="text/plain"][data-consent],template[data-consent]';
  const done = new WeakSet();
  let chain = Promise.resolve();

  // "a b" needs both; "!a" runs when the user decided and declined a. Unknown ids never run.
  const allowed = (el) => {
    const tokens = (el.dataset.consent || '').split(/[\s,]+/).filter(Boolean);
    return tokens.length > 0 && tokens.every((t) => {
      const id = t.replace(/^!/, '');
      return own(state.categories, id) && (t[0] == '!' ? state.decided && !accepted(id) : accepted(id));
    });
  };

  const activate = () => {
    if (failed) return;
    for (const el of d.querySelectorAll(GATED)) {
      if (done.has(el) || !allowed(el)) continue;
      done.add(el);
      chain = chain.then(() => run(el));
    }
  };

  // Runs one gated element; the promise settles when an external script has loaded or failed,
  // so the next one starts only then (document order). Checked again when its turn comes: a
  // decline in the same task (two clicks) wins.
  const run = (el) => {
    if (failed || !el.parentNode || !allowed(el)) return done.delete(el);
    if (el.tagName != 'TEMPLATE') return insert(el, el);
    const fragment = d.importNode(el.content, true);
    // The markup goes in with its scripts as inert placeholders; then they run in order.
    const scripts = [...fragment.querySelectorAll('script')].map((s) => {
      const p = d.createComment('');
      s.replaceWith(p);
      return [s, p];
    });
    el.replaceWith(fragment);
    return scripts.reduce((p, [s, at]) => p.then(() => insert(s, at)), Promise.resolve());
  };

  const insert = (source, target) => {
    const s = d.createElement('script');
    for (const a of source.attributes) if (a.name != 'type') s.setAttribute(a.name, a.value);
    const type = source.dataset.type || (source.type != 'text/plain' && source.type);
    if (type) s.type = type;
    if (source.nonce) s.nonce = source.nonce;
    s.text = source.text;
    s.async = false;
    const settled = new Promise((resolve) => {
      if (!s.src) return resolve();
      s.onload = s.onerror = resolve;
    });
    target.replaceWith(s);
    return settled;
  };

  // --- the UI (wasm), imported only when needed ---
  const wasm = 'consent-banner-ui_bg.wasm';
  const init = (m, response = base + wasm) => m.default({ module_or_path: response }).then(() => m);

  const loadUi = (view) => {
    if (ui) return ui;
    let file = 'consent-banner-ui.js';
    const load = () => {
      // The wasm downloads (and compiles, streaming) while the glue loads, not after it.
      const response = fetch(base + wasm);
      response.catch(() => {}); // reported once, where init awaits it
      return import(glue).then((m) => {
        file = wasm;
        return init(m, response);
      });
    };
    ui = typeof WebAssembly != 'object' ? Promise.reject(Error('no WebAssembly in this browser'))
      : Promise.race([
        load(),
        new Promise((_, no) => setTimeout(no, timeout, Error(`timed out after ${timeout} ms`))),
      ]).then((m) => new Promise((ok) => d.body ? ok() : d.addEventListener('DOMContentLoaded', ok))
        .then(() => m.mount(configText, view)));
    ui.catch((e) => {
      if (failed) return; // a panic was already reported
      let text = String(e?.message || e);
      if (/^config:/.test(text)) return fail('config', text);
      if (/Content.Security.Policy|wasm-unsafe-eval/i.test(text)) {
        text = `blocked by CSP: add 'wasm-unsafe-eval' to script-src (${text})`;
      }
      fail('load', `could not load the banner (${file}): ${text}`);
    });
    return ui;
  };

  // --- Google Consent Mode v2 (README "Google Consent Mode"): the default before any tag runs,
  // an update on load with a decision and on every change. A type is granted when every category
  // mapped to it is accepted; the config is validated in src/config.rs.
  const consentMode = (first) => {
    const map = gcm?.map, types = {};
    if (!isObject(map)) return;
    const gtag = w.gtag ||= function () { (w.dataLayer ||= []).push(arguments); };
    w.dataLayer ||= [];
    for (const id in map) for (const t of [].concat(map[id])) types[t] = types[t] != 'denied' && accepted(id) ? 'granted' : 'denied';
    if (first) {
      types.wait_for_update = gcm.waitForUpdate >= 0 ? gcm.waitForUpdate : 500;
      if (gcm.region?.length) types.region = gcm.region;
    }
    gtag('consent', first ? 'default' : 'update', types);
    if (first) {
      if (gcm.adsDataRedaction) gtag('set', 'ads_data_redaction', true);
      if (gcm.urlPassthrough) gtag('set', 'url_passthrough', true);
      if (state.decided) consentMode();
    }
  };

  // --- start ---
  const configOk = readConfig();
  const record = configOk ? readRecord() : null;
  state = detailOf(record, [], !!storage());
  if (!configOk) {
    // Fail closed; the UI's validator gives the exact field-named message.
    failed = true;
    import(glue).then(init)
      .then((m) => m.checkConfig(configText) || 'config: unreadable',
        () => 'config: not a JSON object')
      .then((message) => fail('config', message));
  } else if (!record) loadUi('auto');
  consentMode(1);

  addEventListener('consent:change', (e) => {
    if (!e.detail?.categories) return;
    state = e.detail;
    consentMode();
    activate();
  });
  addEventListener('consent:error', (e) => {
    if (e.detail?.kind != 'panic') return;
    failed = true;
    for (const h of d.querySelectorAll('consent-banner')) h.remove();
    // The trap that follows the reported panic is the same error: not a second console line.
    addEventListener('error', (x) => x.error instanceof WebAssembly.RuntimeError && x.preventDefault());
  });
  // Another tab decided: apply it here, close this tab's banner.
  addEventListener('storage', (e) => {
    if (failed || e.key != config.storageKey) return;
    const r = readRecord(), before = state.categories;
    state = detailOf(r);
    state.source = r ? 'storage' : null;
    state.changed = Object.keys(before).filter((k) => state.categories[k] != before[k]);
    ui?.then((u) => u.sync());
    emit('change', state);
  });

  // Elements added later: look again only when an added element is or holds a gated one.
  new MutationObserver((list) => list.some((m) => [...m.addedNodes].some((n) =>
    n.matches?.(GATED) || n.querySelector?.(GATED))) && activate())
    .observe(d.documentElement, { childList: true, subtree: true });
  activate();

  const api = {
    version: '0.1.0',
    /** The whole state, as in the events' detail. */
    get: () => JSON.parse(JSON.stringify(state)),
    /** True when the category is accepted now. */
    accepted,
    hide: () => ui ? ui.then((u) => u.hide()) : Promise.resolve(),
    /** Subscribes to 'ready', 'change', 'show', 'hide' or 'error'; returns the unsubscribe function. */
    on(name, fn) {
      const listener = (e) => fn(e.detail);
      addEventListener('consent:' + name, listener);
      if (name == 'ready' && readyDetail) fn(readyDetail);
      return () => removeEventListener('consent:' + name, listener);
    },
    /** Runs a queued call: ['method', arg] or function (api) {}. */
    push: (call) => typeof call == 'function' ? call(api)
      : own(api, call?.[0]) && typeof api[call[0]] == 'function' ? api[call[0]](call[1]) : undefined,
  };
  // The methods that need the UI: acceptAll, rejectAll, set({id: bool}), show, showPreferences, reset.
  for (const [method, view] of [['acceptAll'], ['rejectAll'], ['set'], ['show', 'auto'], ['showPreferences', 'preferences'], ['reset', 'auto']]) {
    api[method] = (arg) => failed
      ? Promise.reject(Error('consent-banner failed'))
      : loadUi(view || 'closed').then((u) => u[method](arg === undefined ? arg : JSON.stringify(arg)));
  }
  w[NAME] = api;
  for (const call of Array.isArray(existing) ? existing : []) api.push(call)?.catch?.(() => {});

  // Markup hooks: data-consent-action="preferences|show|accept-all|reject-all|reset".
  d.addEventListener('click', (e) => {
    const action = e.target.closest?.('[data-consent-action]')?.dataset.consentAction;
    const method = action == 'preferences' ? 'showPreferences' : action?.replace(/-a/, 'A');
    if (!/^(showPreferences|show|acceptAll|rejectAll|reset)$/.test(method)) return;
    e.preventDefault();
    api[method]().catch(() => {});
  });

  // consent:ready once the page's own listeners had a chance to subscribe.
  const ready = () => emit('ready', readyDetail = api.get());
  if (d.readyState == 'loading') d.addEventListener('DOMContentLoaded', ready);
  else setTimeout(ready);
})(window, document);
