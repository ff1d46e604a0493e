// consent-banner loader: the record format, events and API are documented in README.md.
// Classic script in <head>, no dependencies, on every page view (budget: bench/budget.json). It does
// what every page view needs: the config and the stored decision, Google Consent Mode (GPC
// included), the gated tags, the clean-up of declined categories' cookies and storage, the reopen
// button, the events and the API. On a return visit with a valid stored decision that is all;
// nothing else loads. The rest is in consent-banner-extra.js, imported on a first visit or at the
// first API call or markup hook that needs the UI: loading the UI, the API calls, panics, and the
// field-named report of a config the loader rejects.
//
// Only the visitor decides (README "Security"): nothing the page's other content can do (markup,
// events, elements named like our globals) is an input here. What the loader needs from the
// document is captured now, while only the site's own <head> has been parsed.
((w, d) => {
  const NAME = 'ConsentBanner';
  const existing = w[NAME];
  // A second copy does nothing. (An element with id="ConsentBanner" is no copy of ours.)
  if (typeof existing?.version == 'string') return;
  // The record rule shared with src/core/record.rs (tests/vectors/records.json pins both).
  var FORMAT = 1;
  var MAX_RECORD = 4096;
  var SKEW = 864e5;
  var MAX_LIFE = 396 * 864e5;
  // The record's fields; the last five go into the state as they are.
  const RECORD_KEYS = ['v', 'revision', 'categories', 'given', 'updated', 'expires', 'id', 'source'];
  const SOURCES = ['banner', 'api', 'gpc', 'storage'];
  // Config defaults the loader needs; a native test checks them against Config::default().
  const DEFAULTS = /*defaults*/{"revision":1,"storageKey":"consent-banner","acceptDays":182,"rejectDays":182,"categories":[{"id":"essential","required":true},{"id":"functional"},{"id":"statistics"}]}/*end*/;
  // The reopen button's accessible name in English, the UI's built-in language (src/core/texts.rs).
  const REOPEN = /*reopen*/{"en":"Cookie preferences"}/*end*/;
  // The languages with a file in dist/lang/ (www/lang/; tests/languages.rs checks the list), and
  // the tags people use for some of them. src/core/texts.rs choose_language matches the same way
  // (tests/vectors/languages.json pins both).
  const LANGUAGES = /*languages*/'ar bg ca cs da de el es et eu fa fi fr ga gl he hi hr hu id is it ja ko lt lv mt nb nl pl pt pt-BR ro ru sk sl sr sv th tr uk vi zh-Hans zh-Hant'/*end*/.split(' ');
  const ALIASES = { zh: 'zh-Hans', 'zh-tw': 'zh-Hant', 'zh-hk': 'zh-Hant', 'zh-mo': 'zh-Hant', no: 'nb', nn: 'nb' };
  // The texts of a language (src/core/config.rs TEXTS_FIELDS, categories aside): a site that gives
  // them all for its language needs no file.
  const TEXTS = /*texts*/'title summary acceptAll rejectAll preferences save close policyLink preferencesTitle alwaysOn reopen gpcNotice'/*end*/.split(' ');

  // The document's own methods and properties, not what an element named like them makes of
  // `document.x` (DOM clobbering): bound now, from the prototypes.
  const D = Document.prototype;
  const method = (o, name, target = d) => o[name].bind(target);
  const getter = (name) => Object.getOwnPropertyDescriptor(D, name);
  const byId = method(D, 'getElementById');
  const create = method(D, 'createElement');
  const createNS = method(D, 'createElementNS');
  const importNode = method(D, 'importNode');
  const all = method(D, 'querySelectorAll');
  const cookie = getter('cookie');
  const listen = method(EventTarget.prototype, 'addEventListener', w);
  const unlisten = method(EventTarget.prototype, 'removeEventListener', w);
  const dispatch = method(EventTarget.prototype, 'dispatchEvent', w);
  const root = getter('documentElement').get.call(d);
  const script = getter('currentScript').get.call(d);
  const attr = (n) => script?.dataset[n];
  const nonce = script?.nonce;
  // The folder of the other files: the loader's own, or data-base when it is inline in the page.
  const extraFile = new URL('consent-banner-extra.js', new URL(attr('base') || script?.src || '', location));
  const own = (o, k) => ({}).hasOwnProperty.call(o, k);
  const isObject = (o) => o && typeof o == 'object' && !Array.isArray(o);
  const isTime = (t) => Number.isSafeInteger(t) && t >= 0;
  const emit = (name, detail) => dispatch(new CustomEvent('consent:' + name, { detail }));
  const copy = (o) => JSON.parse(JSON.stringify(o));
  const resolved = Promise.resolve();
  let failed, extra, readyDetail, gcm, state, reopen, embedded, configText, language, langText, texts, config = DEFAULTS;
  // (The definitions below are in the order that compresses best; the start follows them.)
  // --- gating: <script type="text/plain" data-consent> and <template data-consent> ---
  const GATED = 'script[type="text/plain"][data-consent],template[data-consent]';
  const done = new WeakSet();
  let chain = resolved, running, refused = 0;
  // Under Trusted Types the site allows this policy (`trusted-types consent-banner`): it passes the
  // gated scripts' own text and URL through, nothing else.
  let policy;
  try {
    policy = w.trustedTypes?.createPolicy('consent-banner', { createScript: String, createScriptURL: String });
  } catch {}
  const trust = (value, kind) => policy ? policy['createScript' + kind](value) : value;

  // --- the stored record ---
  const storage = (name = 'localStorage') => {
    try {
      return w[name];
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

  // --- config: the inline JSON script named by data-config (default id "consent-banner-config"),
  // and the data-* overrides; read once, here. The loader checks only what it uses; the UI
  // validates everything (src/core/config.rs) from the same text (configText).
  const readConfig = () => {
    const id = attr('config') || 'consent-banner-config';
    const el = byId(id);
    if (el && !(el instanceof HTMLScriptElement && el.type == 'application/json')) {
      return fail('config', `config: #${id} is a <${el.localName}>, not a <script type="application/json">`);
    }
    let raw;
    try {
      raw = (configText = embedded = el?.text)?.trim() ? JSON.parse(configText) : {};
    } catch {}
    if (isObject(raw)) {
      for (const k of ['revision', 'policyUrl', 'language', 'storageKey']) {
        if (attr(k) != null) raw[k] = k == 'revision' ? +attr(k) : attr(k);
      }
      configText = JSON.stringify(raw);
      gcm = raw.googleConsentMode;
      const c = { ...DEFAULTS, ...raw };
      const seen = {};
      return isTime(c.revision) && c.revision && c.storageKey && typeof c.storageKey == 'string' &&
        c.categories?.[0] && c.categories.every?.((cat) => typeof cat?.id == 'string' && /^[a-z][a-z0-9_-]{0,31}$/.test(cat.id) && !own(seen, cat.id) &&
          (seen[cat.id] = !own(cat, 'required') || typeof cat.required == 'boolean') &&
          [cat.cookies, cat.storage].every((list) => !list || list.every?.((p) => typeof p == 'string'))) && (config = c);
    }
  };

  // What a site owner needs to find a gated element: its data-consent, its src, its place.
  const describe = (el) => `<${el.localName} data-consent="${el.dataset.consent}"${el.src ? ` src="${el.src}"` : ''}> (#${[...all(el.localName)].indexOf(el) + 1} in the page)`;

  // Runs a script as a new element with the same attributes (a clone of one added by innerHTML
  // would never run), in the place of `slot`; the promise settles when an external script has
  // loaded or failed. One script at a time (the chain waits for each), so no `async = false` is
  // needed. A gated script's type comes from data-type; a template's scripts keep theirs. A script
  // that fails to parse or throws is reported as its own error, not as the loader's.
  const insert = (source, slot = source) => {
    const s = create('script');
    for (const a of source.attributes) s.setAttribute(a.name, a.name == 'src' ? trust(a.value, 'URL') : a.value);
    if (slot == source && s.type == 'text/plain') s.type = source.dataset.type || '';
    s.nonce = source.nonce;
    s.text = trust(source.text, '');
    // Never gated again, even when data-type keeps it inert (it would re-activate for ever).
    done.add(s);
    running = describe(source);
    try {
      slot.replaceWith(s);
    } finally {
      running = 0;
    }
    return s.src && new Promise((resolve) => s.onload = s.onerror = resolve);
  };
  listen('error', (e) => {
    if (running) {
      e.preventDefault();
      console.error(`consent-banner: gated script ${running} failed: ${e.message.replace(/Failed to execute .*?: /, '')}`);
    }
  }, true);

  // --- the rest: `later(name, arg)` runs in consent-banner-extra.js, imported at the first call
  // (rejected once the banner failed). name: an API method, a markup action or 'mount' (a first
  // visit). It too must load within the UI's timeout (data-timeout, see the extra), else the
  // loader fails closed; and it must not start the UI if it arrives later.
  const later = (name, arg) => failed ? Promise.reject(Error('failed')) : (extra ||= new Promise((ok, no) =>
    import(extraFile).then(ok, no, setTimeout(no, +attr('timeout') || 15e3, Error('timed out')))).then(
    (m) => m.default({ fail, report, attr, configOk, configText, api, change, all, listen, language, loadLanguage, /*+prerender*/first, /*-prerender*/
      categories: config.categories.map((c) => c.id + (c.required ? '*' : '')).join() }),
    (e) => {
      fail('load', `${extraFile}: ${e}`);
      throw e;
    })).then((call) => call(name, arg));

  // Each gated element runs once, in document order: its turn comes when the one before has
  // settled (an external script loaded or failed). Checked again when its turn comes: a decline
  // in the same task (two clicks) wins. Gating adds no trust: when the loader has a nonce, an
  // element without the same nonce stays inert (a template's scripts run with the template's).
  const activate = () => {
    if (!failed) {
      for (const el of all(GATED)) {
        if (!done.has(el) && allowed(el)) {
          done.add(el);
          if (nonce && el.nonce != nonce) report('markup', `${describe(el)} lacks the loader's nonce: left inert`);
          else chain = chain.then(() => failed || !el.parentNode || !allowed(el) ? done.delete(el) : el.content ? run(el) : insert(el))
            .catch((e) => /Trusted/.test(e) ? refused++ || report('markup', `Trusted Types refused the activation of ${describe(el)} (${e}): add "trusted-types consent-banner" to the Content-Security-Policy`)
              : report('markup', `could not activate ${describe(el)}: ${e}`));
        }
      }
    }
  };

  // --- Google Consent Mode v2 (README "Google Consent Mode"): at start the default before any tag
  // runs (and the update with a stored decision); then an update on every change. A type is
  // granted when every category mapped to it is accepted; src/core/config.rs validates the map. The
  // Global Privacy Control's denials hold everywhere, outside `region` too.
  const consentMode = (start, map = gcm?.map) => {
    if (map) {
      const types = {}, refused = {};
      w.dataLayer ||= [];
      const gtag = w.gtag ||= function () { dataLayer.push(arguments); };
      for (const id in map) {
        for (const t of [].concat(map[id])) {
          types[t] = types[t] != 'denied' && accepted(id) ? 'granted' : 'denied';
          if (gpcDeclined.includes(id)) refused[t] = 'denied';
        }
      }
      if (start) {
        gtag('consent', 'default', { ...types, wait_for_update: gcm.waitForUpdate ?? 500, ...gcm.region?.length && { region: gcm.region } });
        if (gcm.region?.length && gpcDeclined[0]) gtag('consent', 'default', refused);
        if (gcm.adsDataRedaction) gtag('set', 'ads_data_redaction', true);
        if (gcm.urlPassthrough) gtag('set', 'url_passthrough', true);
      }
      if (state.decided || !start) gtag('consent', 'update', types);
    }
  };

  // "a b" needs both; "!a" runs when the user decided and declined a. Unknown ids never run.
  const allowed = (el) => el.dataset.consent?.match(/[^\s,]+/g)?.every((t) =>
    t[0] == '!' ? state.decided && state.categories[t.slice(1)] === false : accepted(t));

  // `=== true`: an inherited name ("constructor") is never a category.
  const accepted = (id) => !failed && state.categories[id] === true;

  // A template: its markup goes in with an empty place for each of its scripts (a script element
  // of the template would never run, and under Trusted Types it must not be inserted at all); then
  // they run in order, in their places, with the template's nonce.
  const run = (el) => {
    const fragment = importNode(el.content, true);
    const scripts = [...fragment.querySelectorAll('script')].map((s) => {
      const slot = new Comment();
      s.replaceWith(slot);
      if (nonce) s.nonce = nonce;
      return [s, slot];
    });
    el.replaceWith(fragment);
    return scripts.reduce((p, [s, slot]) => p.then(() => insert(s, slot)), resolved);
  };

  // Reports once on the console and as consent:error.
  const report = (kind, message) => {
    console.error('consent-banner: ' + message);
    emit('error', { kind, message });
  };

  // Stops activation for good (the reopen button, which could only fail now, goes too); with a
  // kind, also reports it (each failure is reported once).
  const fail = (kind, message) => {
    failed = 1;
    reopen?.getRootNode().host.remove();
    if (kind) report(kind, message);
  };

  // The same shape as ConsentDetail in src/core/events.rs.
  const detailOf = (r, persisted = !!storage()) => {
    const detail = { decided: !!r, categories: {}, revision: config.revision };
    for (const c of config.categories) detail.categories[c.id] = !!c.required || r?.categories?.[c.id] === true;
    for (const k of RECORD_KEYS.slice(3)) detail[k] = r?.[k] ?? null;
    detail.changed = [];
    detail.persisted = persisted;
    return detail;
  };

  // --- withdrawal that lasts: on every page view and every change, the cookies (`cookies`) and
  // Web Storage keys (`storage`) listed by each category that is not accepted are deleted, so what
  // a tracker wrote before it was declined (or in its unload handler) does not survive the next
  // page. The same rule as src/core/cookies.rs (tests/vectors/cookies.json pins both). ---
  const matches = (patterns, name) => patterns?.some?.((p) => p.at(-1) == '*' ? name.startsWith(p.slice(0, -1)) : name == p);
  const cleanUp = () => {
    const declined = config.categories.filter((c) => !c.required && !accepted(c.id));
    const doomed = (list) => (name) => name && name != config.storageKey && declined.some((c) => matches(c[list], name));
    const { hostname, pathname } = location;
    const domains = [''], paths = ['/', config.cookie?.path || '/'];
    const labels = hostname.split('.');
    if (!/^\[|:|(^|\.)\d+\.?$/.test(hostname)) for (let i = 0; i < labels.length - 1; i++) domains.push('; Domain=.' + labels.slice(i).join('.'));
    let prefix = '';
    for (const segment of pathname.split('/').slice(1, -1)) paths.push(prefix += '/' + segment, prefix + '/');
    if (pathname.length > 1) paths.push(pathname);
    for (const name of cookie.get.call(d).split(';').map((c) => c.split('=')[0].trim()).filter(doomed('cookies'))) {
      for (const domain of domains) for (const p of paths) if (!/[;\s]/.test(p)) cookie.set.call(d, `${name}=; Max-Age=0; Path=${p}${domain}`);
    }
    for (const area of ['localStorage', 'sessionStorage']) {
      try {
        const s = storage(area);
        for (const key of Object.keys(s).filter(doomed('storage'))) s.removeItem(key);
      } catch {}
    }
  };

  // --- the reopen button: withdrawal one click away on every page view after a decision, without
  // loading the UI until it is pressed. In the top layer (a popover), where nothing on the page can
  // cover it; same look and name as the UI's (src/ui/reopen.rs, banner.css). ---
  // Its keys are its own: the page's key handlers do not see Space or Enter on its controls.
  const ownKeys = (target) => {
    for (const type of ['keydown', 'keyup', 'keypress']) target.addEventListener(type, (e) => / |Enter/.test(e.key) && e.stopPropagation());
  };
  const REOPEN_CSS = ':host{all:initial!important;display:contents!important}button{position:fixed;inset:auto auto 16px 16px;margin:0;width:44px;height:44px;padding:0;display:grid;place-items:center;color-scheme:light dark;color:var(--cb-button-fg,light-dark(#fff,#0b1020));background:var(--cb-button-bg,light-dark(#1d4ed8,#9dbcff));border:2px solid var(--cb-bg,light-dark(#fff,#1b1f24));border-radius:50%;box-shadow:0 2px 10px #0005;cursor:pointer}[data-side=right]{inset:auto 16px 16px auto}';
  const showReopen = () => {
    if (!reopen && state.decided && !failed && config.floatingButton !== false) {
      const host = create('consent-banner');
      const shadow = host.attachShadow({ mode: 'open' });
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(REOPEN_CSS);
      shadow.adoptedStyleSheets = [sheet];
      reopen = create('button');
      reopen.type = 'button';
      reopen.popover = 'manual';
      Object.assign(reopen.dataset, { action: 'reopen', side: config.floatingButtonPosition || 'left' });
      // "light" or "dark" forces a scheme; "auto" is no colour-scheme value, so the CSS's stands.
      reopen.style.colorScheme = config.theme;
      const svg = createNS('http://www.w3.org/2000/svg', 'svg');
      const path = createNS('http://www.w3.org/2000/svg', 'path');
      for (const [k, v] of [['viewBox', '0 0 24 24'], ['width', 22], ['height', 22]]) svg.setAttribute(k, v);
      path.setAttribute('fill', 'currentColor');
      path.setAttribute('d', 'M12 2a10 10 0 1 0 10 10 4 4 0 0 1-5-5 4 4 0 0 1-5-5zm-4.5 9a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3zm3 5a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3zm5-1a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3zM9 6.5a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3z');
      svg.append(path);
      reopen.append(svg);
      reopen.onclick = () => later('showPreferences').catch(() => {});
      ownKeys(shadow);
      // Shown once it has its name (the language file is in the cache after the first visit).
      loadLanguage().then((text) => {
        let file;
        try {
          file = JSON.parse(text);
        } catch {}
        reopen.ariaLabel = reopen.title = texts[language]?.reopen || file?.reopen || texts.en?.reopen || REOPEN.en;
        shadow.append(reopen);
        root.append(host);
        showReopen();
      });
    }
    if (reopen?.isConnected) {
      const on = state.decided && !failed;
      reopen.hidden = !on;
      try {
        reopen.togglePopover(on);
      } catch {}
    }
  };
  // The language: the config's, else the page's <html lang>, then the browser's languages; each
  // matched without regard to case against the site's own texts and the language files, then
  // without its last subtag (de-AT is de, pt-BR-x is pt-BR), through the aliases; else English.
  const chooseLanguage = () => {
    const known = [...Object.keys(texts), ...LANGUAGES, 'en'];
    for (let tag of [config.language, root.getAttribute('lang'), ...navigator.languages]) {
      for (tag = tag?.trim().toLowerCase(); tag; tag = tag.replace(/-?[^-]*$/, '')) {
        const want = own(ALIASES, tag) ? ALIASES[tag].toLowerCase() : tag;
        const hit = known.find((k) => k.toLowerCase() == want);
        if (hit) return hit;
      }
    }
    return 'en';
  };
  // The chosen language's file, unless it is English or the site gives every text for it:
  // fetched once, at the first need (a first visit: alongside the wasm; a return visit: for the
  // reopen button's name). Resolves to its text, or to {error} (the UI then shows English).
  const loadLanguage = () => {
    const url = LANGUAGES.includes(language) && !TEXTS.every((t) => texts[language]?.[t]) && new URL(`lang/${language}.json`, extraFile);
    return langText ||= url ? fetch(url).then((r) => r.ok ? r.text() : Promise.reject(r.status)).catch((e) => ({ error: `${url}: ${e}` })) : resolved;
  };

  // Every change (the UI through its private channel, another tab): the new state, the Consent
  // Mode update, the clean-up, the reopen button, then what it allows runs (in later microtasks).
  // Public consent:* events are outputs only: this is the one way in, and it is not on `window`.
  const change = (detail) => {
    state = detail;
    consentMode();
    cleanUp();
    if (readyDetail) showReopen();
    activate();
  };

  /*+prerender*/
  // --- the prerendered first layer (README "Prerendered first layer"), in consent-banner-
  // prerendered.js only: `<consent-banner data-prerendered="hash">`, rendered by the crate's
  // `render` command into a declarative shadow root, the first child of <body>, painted with the
  // page. Adopted only when this tag says the page has one (data-prerendered), when it is a
  // direct child of <body>, and when its hash is the one of this config, language and build;
  // anything else is removed before it is painted (a return visit's, a stale one, one the page's
  // content holds) and the UI renders fresh. Its Accept and Decline decide here, with the UI's
  // record and rules (tests/vectors/); Preferences loads the UI. ---
  const VERSION = /*version*/'0.1.0'/*end*/;
  let layer, uiOwns, settled;
  // FNV-1a over UTF-16 code units, as src/prerender.rs (tests/vectors/prerender.json pins both).
  const hash = (text, h = 0x811c9dc5) => {
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
    return (h >>> 0).toString(16).padStart(8, 0);
  };
  const banner = () => layer?.shadowRoot?.querySelector('.banner');
  // Into the top layer (a popover, or a modal dialog for `blocking`), where nothing covers it.
  const promote = (el = banner()) => {
    try {
      if (el && !el.hidden && !el.matches(':popover-open,:modal')) {
        if (el.localName == 'dialog') {
          // A blocking layer stays until the visitor decides: Escape does not close it, and a
          // forced close opens it again.
          el.oncancel = (e) => e.preventDefault();
          el.onclose = () => promote(el);
          el.showModal();
        } else el.showPopover();
      }
    } catch {}
  };
  // Shows or hides the prerendered layer; `events`: consent:show/hide when the UI is not there
  // to send them.
  const toggle = (on, events) => {
    const el = banner();
    if (el && el.hidden == on) {
      el.hidden = !on;
      try {
        on ? promote(el) : el.localName == 'dialog' ? el.close() : el.hidePopover();
      } catch {}
      if (events && !uiOwns) emit(on ? 'show' : 'hide', {});
    }
  };
  // For the extra: whether the page's first layer is the prerendered one; with a boolean, the
  // UI's view (the UI then sends the events), or with `api`, hide() before the UI is there.
  const first = (on, api) => {
    if (on != null) toggle(on, api || !(uiOwns = 1));
    return !!layer;
  };
  // Accept all (on) or decline all, as src/core/consent.rs decide() with source "banner": the
  // record, the cookie mirror, then the way of every change, the receipt, and the layer closes.
  const decide = (on) => {
    const now = Date.now(), before = state.categories, previous = readRecord(now), categories = {};
    const sorted = [...config.categories].sort((a, b) => a.id < b.id ? -1 : 1);
    for (const c of sorted) categories[c.id] = !!c.required || on;
    const optional = config.categories.some((c) => !c.required);
    const id = previous?.id || (crypto.randomUUID?.() ?? [...crypto.getRandomValues(new Uint8Array(16))].map((b) => (b + 256).toString(16).slice(1)).join(''));
    const r = { v: FORMAT, revision: config.revision, categories, given: Math.min(previous?.given ?? now, now), updated: now,
      expires: now + (on && optional ? config.acceptDays : config.rejectDays) * 864e5, id, source: 'banner' };
    let persisted = !!storage();
    try {
      storage().setItem(config.storageKey, JSON.stringify(r));
    } catch (e) {
      // (The messages of src/core/events.rs StorageError.)
      report('storage', persisted ? `storage: could not save the choice (${e}); it holds for this page only` : 'storage: localStorage is unavailable; the choice holds for this page only');
      persisted = false;
    }
    const mirror = config.cookie;
    if (mirror) {
      const value = JSON.stringify({ v: FORMAT, revision: r.revision, accepted: sorted.filter((c) => categories[c.id]).map((c) => c.id), id, updated: now, expires: r.expires });
      const text = `${mirror.name || 'consent'}=${encodeURIComponent(value)}; Path=${mirror.path || '/'}; Max-Age=${(r.expires - now) / 1e3 | 0}${mirror.domain ? '; Domain=' + mirror.domain : ''}; SameSite=${mirror.sameSite || 'Lax'}${(mirror.secure ?? location.protocol == 'https:') || mirror.sameSite == 'None' ? '; Secure' : ''}`;
      if (text.length <= 4e3) cookie.set.call(d, text);
    }
    const detail = detailOf(r, persisted);
    detail.changed = Object.keys(detail.categories).filter((k) => detail.categories[k] != before[k]).sort();
    change(detail);
    extra?.then((call) => call('sync')).catch(() => {});
    emit('change', copy(detail));
    if (config.receiptEndpoint) {
      navigator.sendBeacon(config.receiptEndpoint, JSON.stringify({ v: 1, id, time: now, revision: r.revision,
        action: Object.keys(before).some((k) => before[k] && !categories[k]) ? 'withdraw' : on || !optional ? 'accept' : 'decline',
        source: 'banner', categories, language, textsSha256: layer.dataset.textsSha256 }));
    }
    toggle(0, 1);
  };
  // The first prerendered layer among <body>'s children, once the parser has added it (`end`: the
  // page is parsed). Adopted, or removed before it is painted.
  const settle = (end) => {
    const el = !settled && getter('body').get.call(d)?.querySelector(':scope>consent-banner[data-prerendered]');
    if (!settled && (el || end)) {
      settled = 1;
      const want = hash(VERSION + '\n' + language + '\n' + (embedded ?? ''));
      if (el && prerendered && !record && el.dataset.prerendered == want) {
        layer = el;
        el.addEventListener('click', (e) => {
          const action = e.isTrusted && e.composedPath()[0].closest?.('[data-action]')?.dataset.action;
          if (/^(accept|reject)$/.test(action)) decide(action == 'accept');
          if (action == 'preferences') later('showPreferences').catch(() => {});
        });
        ownKeys(el);
        promote();
      } else {
        el?.remove();
        if (prerendered && !record) {
          report('markup', el ? `the prerendered banner is stale (rendered as ${el.dataset.prerendered}, this config, language and build need ${want}): render it again; the banner renders fresh`
            : 'the loader tag has data-prerendered but <body> starts with no <consent-banner data-prerendered>: the banner renders fresh');
          mount();
        }
      }
    }
  };
  /*-prerender*/
  // --- start ---
  const configOk = readConfig();
  texts = isObject(config.texts) ? config.texts : {};
  language = chooseLanguage();
  const record = configOk && readRecord();
  state = detailOf(record);
  // Global Privacy Control, while the visitor has not decided: the categories that share data
  // are declined (README "Global Privacy Control"); the UI says so when it shows.
  const gpcDeclined = !record && config.gpc !== false && navigator.globalPrivacyControl === true
    ? config.categories.filter((c) => c.sharesData === true && !c.required).map((c) => c.id) : [];
  if (gpcDeclined[0]) state.source = 'gpc';
  // A first visit shows the banner; a config the loader cannot use fails closed at once, and the
  // extra reports the UI's field-named error.
  // (The wasm and the UI's glue start downloading now, alongside the extra, not one round trip
  // after it. A classic script's import() resolves against the script's own URL, as extraFile
  // does. Either one that fails resolves to undefined, so the host page never sees an unhandled
  // rejection; the extra then tries once more and reports that attempt's reason.)
  const mount = () => later('mount', w.WebAssembly && [fetch(new URL('consent-banner-ui_bg.wasm', extraFile)).catch(() => {}), import(new URL('consent-banner-ui.js', extraFile)).catch(() => {}), loadLanguage()]).catch(() => {});
  /*+prerender*/
  // With a prerendered first layer in the page, the UI waits until it is needed.
  const prerendered = attr('prerendered') != null && configOk && !gpcDeclined[0];
  /*-prerender*/
  if (!record /*+prerender*/&& !prerendered/*-prerender*/) mount();
  failed ||= !configOk;
  consentMode(1);
  cleanUp();
  // Another tab changed the stored decision: it applies here at once (a withdrawal first of all),
  // then this tab's banner follows and the page hears of it.
  listen('storage', (e) => {
    if ((e.key ?? config.storageKey) == config.storageKey) {
      const before = state.categories, next = detailOf(readRecord());
      next.source = next.decided ? 'storage' : null;
      next.changed = Object.keys(before).filter((k) => next.categories[k] != before[k]);
      change(next);
      extra?.then((call) => call('sync')).catch(() => {});
      emit('change', copy(next));
      /*+prerender*/
      if (next.decided) toggle(0, 1);
      /*-prerender*/
    }
  });

  // Elements added later: look again only when an added element has data-consent or holds a gated
  // one. (The same observer finds the prerendered layer as the parser adds it.)
  new MutationObserver((list) => {
    /*+prerender*/
    settle();
    /*-prerender*/
    if (list.some((m) => [...m.addedNodes].some((n) => n.dataset?.consent || n.querySelector?.(GATED)))) activate();
  }).observe(d, { childList: 1, subtree: 1 });
  activate();

  const api = {
    version: '0.2.0',
    /** The whole state, as in the events' detail. */
    get: () => copy(state),
    /** True when the category is accepted now. */
    accepted,
    /** Subscribes to 'ready', 'change', 'show', 'hide' or 'error'; returns the unsubscribe function. */
    on(name, fn) {
      const listener = (e) => fn(e.detail);
      listen('consent:' + name, listener);
      if (name == 'ready' && readyDetail) fn(readyDetail);
      return () => unlisten('consent:' + name, listener);
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
  if (Array.isArray(existing)) existing.map((call) => api.push(call)?.catch?.(() => {}));

  // Markup hooks: data-consent-action="preferences|show" open the banner; the ones that decide
  // (accept-all, reject-all, reset) act only when the config turns them on (markupDecisions), and
  // only on the visitor's own click: content rendered from users cannot decide for them.
  listen('click', (e) => {
    const action = e.target.closest?.('[data-consent-action]')?.dataset.consentAction;
    const decides = /^(accept-all|reject-all|reset)$/.test(action);
    if (/^(preferences|show)$/.test(action) || decides && e.isTrusted && config.markupDecisions === true) {
      e.preventDefault();
      later(action).catch(() => {});
    }
  });

  // consent:ready once the page's own listeners had a chance to subscribe; the reopen button once
  // the page is parsed.
  const ready = () => {
    showReopen();
    emit('ready', readyDetail = api.get());
    /*+prerender*/
    settle(1);
    promote();
    if (layer && !state.decided) emit('show', {});
    /*-prerender*/
  };
  if (d.readyState == 'loading') listen('DOMContentLoaded', ready);
  else setTimeout(ready);
})(window, document);
