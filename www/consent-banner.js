/*! consent-banner loader | the record format and events are documented in README.md */
// Classic script, no dependencies. On a return visit with a valid stored decision it activates
// the accepted tags and loads no WebAssembly; otherwise it imports the UI (consent-banner-ui.js).
(function (w, d) {
  'use strict';
  var NAME = 'ConsentBanner';
  var PREFIX = 'consent:';
  var VERSION = '0.1.0';
  var existing = w[NAME];
  if (existing && existing.version) {
    console.warn('consent-banner: included twice; the second copy does nothing');
    return;
  }
  // The record rule shared with src/record.rs (tests/vectors/records.json pins both).
  var FORMAT = 1;
  var MAX_RECORD = 4096;
  var SKEW = 864e5;
  var MAX_LIFE = 396 * 864e5;
  var RECORD_KEYS = 'v,revision,categories,given,updated,expires,id,source';
  var SOURCES = ['banner', 'api', 'gpc', 'storage'];
  var TOKEN = /^[a-z][a-z0-9_-]{0,31}$/;
  // Config defaults the loader needs; a native test checks them against Config::default().
  var DEFAULTS = /*defaults*/{"revision":1,"storageKey":"consent-banner","categories":[{"id":"essential","required":true},{"id":"functional","required":false},{"id":"statistics","required":false}]}/*end*/;

  var script = d.currentScript;
  var base = script && script.src ? script.src.replace(/[^/]*([?#].*)?$/, '') : '';
  // The UI must load within this many ms (data-timeout), else the loader fails closed.
  var timeout = script && +script.getAttribute('data-timeout') || 15e3;
  var queue = Array.isArray(existing) ? existing : [];
  var failed = false;
  var ui = null;
  var readyDetail = null;
  var configText = '';
  var config = DEFAULTS;
  var state;
  var hasOwn = function (o, k) { return Object.prototype.hasOwnProperty.call(o, k); };
  var isTime = function (t) { return Number.isSafeInteger(t) && t >= 0; };

  function emit(name, detail) {
    w.dispatchEvent(new CustomEvent(PREFIX + name, { detail: detail }));
  }

  function fail(kind, message) {
    failed = true;
    console.error('consent-banner: ' + message);
    emit('error', { kind: kind, message: message });
  }

  // --- config: inline JSON named by data-config (default id "consent-banner-config") + data-* ---
  function readConfig() {
    var attr = function (n) { return script && script.getAttribute('data-' + n); };
    var el = d.getElementById(attr('config') || 'consent-banner-config');
    var raw = {};
    if (el) {
      configText = el.textContent || '';
      try {
        raw = configText.trim() ? JSON.parse(configText) : {};
      } catch (e) {
        return false;
      }
      if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return false;
    }
    var revision = attr('revision');
    if (revision !== null) raw.revision = Number(revision);
    if (attr('policy-url') !== null) raw.policyUrl = attr('policy-url');
    if (attr('language') !== null) raw.language = attr('language');
    if (attr('storage-key') !== null) raw.storageKey = attr('storage-key');
    configText = JSON.stringify(raw);
    gcm = raw.googleConsentMode;
    // The loader checks only what it uses; the UI validates everything (src/config.rs).
    var c = {
      revision: hasOwn(raw, 'revision') ? raw.revision : DEFAULTS.revision,
      storageKey: hasOwn(raw, 'storageKey') ? raw.storageKey : DEFAULTS.storageKey,
      categories: hasOwn(raw, 'categories') ? raw.categories : DEFAULTS.categories
    };
    if (!Number.isSafeInteger(c.revision) || c.revision < 1) return false;
    if (typeof c.storageKey !== 'string' || !c.storageKey) return false;
    if (!Array.isArray(c.categories) || !c.categories.length) return false;
    var seen = {};
    for (var i = 0; i < c.categories.length; i++) {
      var cat = c.categories[i];
      if (!cat || !TOKEN.test(cat.id) || seen[cat.id] || (hasOwn(cat, 'required') && typeof cat.required !== 'boolean')) return false;
      seen[cat.id] = 1;
    }
    config = c;
    return true;
  }

  // --- the stored record ---
  function storage() {
    try {
      return w.localStorage;
    } catch (e) {
      return null;
    }
  }

  function readRecord() {
    var text = null;
    try {
      var s = storage();
      text = s && s.getItem(config.storageKey);
    } catch (e) { /* blocked storage reads as no decision */ }
    if (!text || text.length > MAX_RECORD) return null;
    try {
      var r = JSON.parse(text);
      return valid(r, Date.now()) ? r : null;
    } catch (e) {
      return null;
    }
  }

  function valid(r, now) {
    if (!r || typeof r !== 'object' || Array.isArray(r)) return false;
    var keys = Object.keys(r);
    for (var i = 0; i < keys.length; i++) if (RECORD_KEYS.split(',').indexOf(keys[i]) < 0) return false;
    var cats = r.categories;
    if (r.v !== FORMAT || r.revision !== config.revision) return false;
    if (!isTime(r.given) || !isTime(r.updated) || !isTime(r.expires)) return false;
    if (r.given > r.updated || r.updated > now + SKEW || now >= r.expires || r.updated > r.expires || r.expires - r.updated > MAX_LIFE) return false;
    if (typeof r.id !== 'string' || !r.id || Array.from(r.id).length > 64) return false;
    if (SOURCES.indexOf(r.source) < 0) return false;
    if (!cats || typeof cats !== 'object' || Array.isArray(cats)) return false;
    for (var k in cats) if (hasOwn(cats, k) && typeof cats[k] !== 'boolean') return false;
    return config.categories.every(function (c) { return c.required || hasOwn(cats, c.id); });
  }

  // The same shape as ConsentDetail in src/events.rs.
  function detailOf(r, changed, persisted) {
    var categories = {};
    config.categories.forEach(function (c) {
      categories[c.id] = !!c.required || !!(r && hasOwn(r.categories, c.id) && r.categories[c.id] === true);
    });
    return {
      decided: !!r, categories: categories, revision: config.revision,
      given: r ? r.given : null, updated: r ? r.updated : null, expires: r ? r.expires : null,
      id: r ? r.id : null, source: r ? r.source : null, changed: changed || [], persisted: persisted
    };
  }

  function accepted(id) {
    return !failed && hasOwn(state.categories, id) && state.categories[id] === true;
  }

  // --- gating: <script type="text/plain" data-consent> and <template data-consent> ---
  var SELECTOR = 'script[type="text/plain"][data-consent],template[data-consent]';
  var done = typeof WeakSet === 'function' ? new WeakSet() : null;
  var chain = Promise.resolve();

  function allowed(spec) {
    var tokens = (spec || '').split(/[\s,]+/).filter(Boolean);
    return tokens.length > 0 && tokens.every(function (t) {
      var negated = t.charAt(0) === '!';
      var id = negated ? t.slice(1) : t;
      if (!hasOwn(state.categories, id)) return false;
      return negated ? state.decided && !accepted(id) : accepted(id);
    });
  }

  function activate() {
    if (failed || !done) return;
    var found = d.querySelectorAll(SELECTOR);
    for (var i = 0; i < found.length; i++) {
      var el = found[i];
      if (done.has(el) || !allowed(el.getAttribute('data-consent'))) continue;
      done.add(el);
      chain = chain.then(run.bind(null, el));
    }
  }

  // Runs one gated element; the promise settles when an external script has loaded or failed,
  // so the next one starts only then (document order).
  function run(el) {
    // Checked again when its turn comes: a decline in the same task (two clicks) wins.
    if (failed || !el.parentNode || !allowed(el.getAttribute('data-consent'))) return void done.delete(el);
    if (el.tagName === 'TEMPLATE') {
      var fragment = d.importNode(el.content, true);
      var scripts = Array.prototype.slice.call(fragment.querySelectorAll('script'));
      var marker = d.createComment('consent');
      el.parentNode.replaceChild(marker, el);
      // Insert the markup with its scripts as inert placeholders, then run them in order.
      var placeholders = scripts.map(function (s) {
        var p = d.createComment('');
        s.parentNode.replaceChild(p, s);
        return p;
      });
      marker.parentNode.insertBefore(fragment, marker);
      return scripts.reduce(function (p, s, i) {
        return p.then(function () { return insert(s, placeholders[i]); });
      }, Promise.resolve());
    }
    return insert(el, el);
  }

  function insert(source, target) {
    var s = d.createElement('script');
    for (var i = 0; i < source.attributes.length; i++) {
      var a = source.attributes[i];
      if (a.name !== 'type') s.setAttribute(a.name, a.value);
    }
    var type = source.getAttribute('data-type');
    if (type || source.type !== 'text/plain') s.type = type || source.type;
    if (source.nonce) s.nonce = source.nonce;
    s.text = source.text;
    var external = s.hasAttribute('src');
    var settled = new Promise(function (resolve) {
      if (!external) return resolve();
      s.onload = s.onerror = function () { resolve(); };
    });
    if (external) s.async = false;
    target.parentNode.replaceChild(s, target);
    return settled;
  }

  // --- the UI (wasm), imported only when needed ---
  function loadUi(view) {
    if (!ui) {
      var file = 'consent-banner-ui.js';
      if (typeof WebAssembly !== 'object') {
        ui = Promise.reject(new Error('WebAssembly is not available in this browser'));
      } else {
        ui = Promise.race([import(base + file).then(function (m) {
          file = 'consent-banner-ui_bg.wasm';
          return m.default({ module_or_path: base + file }).then(function () { return m; });
        }), new Promise(function (_, no) {
          setTimeout(no, timeout, new Error('timed out after ' + timeout + ' ms'));
        })]).then(function (m) {
          return whenBody().then(function () { return m.mount(configText, view); });
        });
      }
      ui.catch(function (e) {
        if (failed) return; // a panic was already reported
        var text = String((e && e.message) || e);
        if (/Content.Security.Policy|wasm-unsafe-eval/i.test(text)) {
          text = "WebAssembly was blocked by the Content Security Policy: add 'wasm-unsafe-eval' to script-src (" + text + ')';
        }
        fail(/^config:/.test(text) ? 'config' : 'load', /^config:/.test(text) ? text : 'could not load the banner (' + file + '): ' + text);
      });
    }
    return ui;
  }

  function whenBody() {
    return new Promise(function (resolve) {
      if (d.body) return resolve();
      d.addEventListener('DOMContentLoaded', function () { resolve(); });
    });
  }

  function command(method, view) {
    return function (arg) {
      return failed ? Promise.reject(new Error('consent-banner failed; see the console')) : loadUi(view || 'closed').then(function (u) {
        return u[method](arg === undefined ? undefined : JSON.stringify(arg));
      });
    };
  }

  // --- Google Consent Mode v2 (README "Google Consent Mode"): the default before any tag runs,
  // an update on load with a decision and on every change. A type is granted when every category
  // mapped to it is accepted; the config is validated in src/config.rs.
  var gcm;
  function consentMode(first) {
    var map = gcm && gcm.map, types = {}, id;
    if (!map || typeof map !== 'object') return;
    w.dataLayer = w.dataLayer || [];
    var gtag = w.gtag = w.gtag || function () { w.dataLayer.push(arguments); };
    for (id in map) [].concat(map[id]).forEach(function (t) {
      types[t] = types[t] !== 'denied' && accepted(id) ? 'granted' : 'denied';
    });
    if (first) {
      types.wait_for_update = gcm.waitForUpdate >= 0 ? gcm.waitForUpdate : 500;
      if (gcm.region && gcm.region.length) types.region = gcm.region;
    }
    gtag('consent', first ? 'default' : 'update', types);
    if (first) {
      if (gcm.adsDataRedaction) gtag('set', 'ads_data_redaction', true);
      if (gcm.urlPassthrough) gtag('set', 'url_passthrough', true);
      if (state.decided) consentMode();
    }
  }

  // --- start ---
  var configOk = readConfig();
  var record = configOk ? readRecord() : null;
  state = detailOf(record, [], !!storage());
  if (!configOk) {
    // Fail closed; the UI's validator gives the exact field-named message.
    failed = true;
    import(base + 'consent-banner-ui.js').then(function (m) {
      return m.default({ module_or_path: base + 'consent-banner-ui_bg.wasm' }).then(function () {
        return m.checkConfig(configText) || 'config: the loader could not read it';
      });
    }).catch(function () {
      return 'config: not a JSON object of the documented shape';
    }).then(function (message) {
      fail('config', message);
    });
  } else if (!record) {
    loadUi('auto');
  }
  consentMode(1);

  w.addEventListener(PREFIX + 'change', function (e) {
    if (e.detail && e.detail.categories) {
      state = e.detail;
      consentMode();
      activate();
    }
  });
  w.addEventListener(PREFIX + 'error', function (e) {
    if (e.detail && e.detail.kind === 'panic') {
      failed = true;
      d.querySelectorAll('consent-banner').forEach(function (h) { h.remove(); });
      // The trap that follows the reported panic is the same error: not a second console line.
      w.addEventListener('error', function (x) { if (x.error instanceof WebAssembly.RuntimeError) x.preventDefault(); });
    }
  });
  w.addEventListener('storage', function (e) {
    if (failed || e.key !== config.storageKey) return;
    var r = readRecord();
    var before = state.categories;
    var next = detailOf(r, [], true);
    next.source = r ? 'storage' : null;
    next.changed = Object.keys(next.categories).filter(function (k) { return next.categories[k] !== before[k]; });
    state = next;
    if (ui) ui.then(function (u) { u.sync(); });
    emit('change', next);
  });

  if (typeof MutationObserver === 'function') {
    new MutationObserver(activate).observe(d.documentElement, { childList: true, subtree: true });
  }
  activate();

  d.addEventListener('click', function (e) {
    var t = e.target && e.target.closest && e.target.closest('[data-consent-action]');
    if (!t) return;
    var action = t.getAttribute('data-consent-action');
    var map = { preferences: api.showPreferences, show: api.show, 'accept-all': api.acceptAll, 'reject-all': api.rejectAll, reset: api.reset };
    if (hasOwn(map, action)) {
      e.preventDefault();
      map[action]();
    }
  });

  var api = {
    version: VERSION,
    /** The whole state, as in the events' detail. */
    get: function () { return JSON.parse(JSON.stringify(state)); },
    /** True when the category is accepted now. */
    accepted: accepted,
    acceptAll: command('acceptAll'),
    rejectAll: command('rejectAll'),
    /** Sets categories: set({statistics: true}). */
    set: command('set'),
    show: command('show', 'auto'),
    showPreferences: command('showPreferences', 'preferences'),
    hide: function () { return ui ? ui.then(function (u) { u.hide(); }) : Promise.resolve(); },
    reset: command('reset', 'auto'),
    /** Subscribes to 'ready', 'change', 'show', 'hide' or 'error'; returns the unsubscribe function. */
    on: function (name, fn) {
      var listener = function (e) { fn(e.detail); };
      w.addEventListener(PREFIX + name, listener);
      if (name === 'ready' && readyDetail) fn(readyDetail);
      return function () { w.removeEventListener(PREFIX + name, listener); };
    },
    /** Runs a queued call: ['method', arg] or function (api) {}. */
    push: function (call) {
      if (typeof call === 'function') return call(api);
      if (call && hasOwn(api, call[0]) && typeof api[call[0]] === 'function') return api[call[0]](call[1]);
    }
  };
  w[NAME] = api;
  queue.forEach(function (call) {
    var p = api.push(call);
    if (p && p.catch) p.catch(function () {});
  });

  // consent:ready once the page's own listeners had a chance to subscribe.
  var ready = function () {
    readyDetail = api.get();
    emit('ready', readyDetail);
  };
  if (d.readyState === 'loading') d.addEventListener('DOMContentLoaded', ready);
  else setTimeout(ready, 0);
})(window, document);
