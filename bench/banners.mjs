// The banners under test: how each one is embedded (following its own README / getting-started
// docs), which files are "its own" (for the byte counts) and where its accept button is.
// Every page gets the same article, stylesheet and gated tracker; categories essential + statistics.
// Configs are inline in the page for every banner, so the byte counts are the banners' files alone
// (and, for the prerendered embeds, what their snippets add to the page's HTML: see run.mjs).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The stand-in tracker every page gates; it records when it ran (window.__tracker.at). */
export const TRACKER = '/bench/pages/tracker.js';
/** Requests that only the tracker makes: seeing one before consent is a violation. */
export const TRACKER_REQUEST = /\/bench\/pages\/tracker\.js|\/www\/demo\/collect\.png/;

const POLICY = '/www/privacy-policy.html';
const STATS_TEXT = 'Usage statistics from IP logs and traffic-log cookies; never shared.';
const ESSENTIAL_TEXT = 'Login details and the session; always on.';

/** Our config, the same text in every consent-banner page (the prerendered ones hash it). */
const CONFIG = `{"revision": 1, "policyUrl": "${POLICY}", "categories": [
      {"id": "essential", "label": "Essential", "description": "${ESSENTIAL_TEXT}", "required": true},
      {"id": "statistics", "label": "Usage statistics", "description": "${STATS_TEXT}", "cookies": ["_stats_visitor"]}]}`;
const GATED_TRACKER = `<script type="text/plain" data-consent="statistics" src="${TRACKER}"></script>`;

export const BANNERS = [
  {
    id: 'baseline',
    name: 'baseline (no banner)',
    baseline: true,
    files: [],
    head: '',
    body: '',
  },
  {
    // The return-visit reference: the same tracker, ungated, no banner.
    id: 'baseline-tracker',
    name: 'baseline + ungated tracker',
    baseline: true,
    files: [],
    head: `<script src="${TRACKER}"></script>`,
    body: '',
  },
  {
    id: 'consent-banner',
    name: 'consent-banner (this project)',
    version: '0.1.0',
    files: ['/dist/'],
    // README "Embed it": inline JSON config, one script tag, gated tags with data-consent.
    head: `<script type="application/json" id="consent-banner-config">
    ${CONFIG}
  </script>
  <script src="/dist/consent-banner.js"></script>
  ${GATED_TRACKER}`,
    body: '',
    accept: { host: 'consent-banner', selector: '[data-action="accept"]' },
  },
  {
    id: 'vanilla-cookieconsent',
    name: 'vanilla-cookieconsent',
    version: '3.1.0',
    files: ['/node_modules/vanilla-cookieconsent/'],
    // Getting started (HTML): stylesheet in <head>, a module script at the end of <body> that
    // imports the UMD build and calls CookieConsent.run; tags gated with data-category.
    head: `<link rel="stylesheet" href="/node_modules/vanilla-cookieconsent/dist/cookieconsent.css">
  <script type="text/plain" data-category="statistics" src="${TRACKER}"></script>`,
    body: `<script type="module">
    import '/node_modules/vanilla-cookieconsent/dist/cookieconsent.umd.js';
    CookieConsent.run({
      categories: { essential: { enabled: true, readOnly: true }, statistics: {} },
      language: {
        default: 'en',
        translations: {
          en: {
            consentModal: {
              title: 'We use cookies',
              description: '${STATS_TEXT} <a href="${POLICY}">Privacy policy</a>',
              acceptAllBtn: 'Accept all', acceptNecessaryBtn: 'Reject all', showPreferencesBtn: 'Manage preferences'
            },
            preferencesModal: {
              title: 'Cookie preferences',
              acceptAllBtn: 'Accept all', acceptNecessaryBtn: 'Reject all', savePreferencesBtn: 'Save preferences',
              sections: [
                { title: 'Essential', description: '${ESSENTIAL_TEXT}', linkedCategory: 'essential' },
                { title: 'Usage statistics', description: '${STATS_TEXT}', linkedCategory: 'statistics' }
              ]
            }
          }
        }
      }
    });
  </script>`,
    accept: { selector: '#cc-main .cm__btn[data-role="all"]' },
  },
  {
    id: 'orejime',
    name: 'Orejime',
    version: '3.2.1',
    files: ['/node_modules/orejime/'],
    // README: window.orejimeConfig, then orejime-standard-en.js + orejime-standard.css;
    // gated markup wrapped in <template data-purpose>.
    head: `<script>
    window.orejimeConfig = {
      privacyPolicyUrl: '${POLICY}',
      purposes: [
        { id: 'essential', title: 'Essential', description: '${ESSENTIAL_TEXT}', isMandatory: true },
        { id: 'statistics', title: 'Usage statistics', description: '${STATS_TEXT}', cookies: ['_stats_visitor'] }
      ]
    };
  </script>
  <script src="/node_modules/orejime/dist/orejime-standard-en.js"></script>
  <link href="/node_modules/orejime/dist/orejime-standard.css" rel="stylesheet">
  <template data-purpose="statistics"><script src="${TRACKER}"></script></template>`,
    body: '',
    accept: { selector: '.orejime-Banner-saveButton' },
  },
  {
    id: 'klaro',
    name: 'Klaro',
    version: '0.7.22',
    files: ['/node_modules/klaro/'],
    // README: the config (global klaroConfig) before klaro.js, both deferred; gated scripts get
    // type="text/plain", data-type, data-name and data-src.
    head: `<script>
    var klaroConfig = {
      version: 1,
      privacyPolicy: '${POLICY}',
      acceptAll: true,
      services: [
        { name: 'session', title: 'Login and session', purposes: ['essential'], required: true },
        { name: 'stats', title: 'Usage statistics', purposes: ['statistics'], cookies: ['_stats_visitor'] }
      ],
      translations: {
        en: {
          purposes: { essential: 'Essential', statistics: 'Usage statistics' },
          stats: { description: '${STATS_TEXT}' },
          session: { description: '${ESSENTIAL_TEXT}' }
        }
      }
    };
  </script>
  <script defer src="/node_modules/klaro/dist/klaro.js"></script>
  <script type="text/plain" data-type="text/javascript" data-name="stats" data-src="${TRACKER}"></script>`,
    body: '',
    accept: { selector: '.klaro .cookie-notice .cm-btn-success' },
  },
  {
    id: 'tarteaucitron',
    name: 'tarteaucitron',
    version: '1.34.0',
    files: ['/node_modules/tarteaucitronjs/'],
    // README "How to use": tarteaucitron.js then tarteaucitron.init({...}); a custom service
    // ("Create custom service") whose js() adds the tracker; the job is pushed.
    // It loads its language file, services file and stylesheet from its own folder.
    head: `<script src="/node_modules/tarteaucitronjs/tarteaucitron.js"></script>
  <script>
    tarteaucitron.init({
      privacyUrl: '${POLICY}', bodyPosition: 'bottom', hashtag: '#tarteaucitron', cookieName: 'tarteaucitron',
      orientation: 'bottom', groupServices: false, showDetailsOnClick: true, serviceDefaultState: 'wait',
      showAlertSmall: false, cookieslist: false, showIcon: true, iconPosition: 'BottomRight',
      adblocker: false, DenyAllCta: true, AcceptAllCta: true, highPrivacy: true,
      handleBrowserDNTRequest: false, removeCredit: false, moreInfoLink: true,
      useExternalCss: false, useExternalJs: false, mandatory: true, mandatoryCta: true
    });
    tarteaucitron.services.stats = {
      key: 'stats', type: 'analytic', name: 'Usage statistics', needConsent: true,
      cookies: ['_stats_visitor'],
      js: function () { 'use strict'; tarteaucitron.addScript('${TRACKER}'); }
    };
    (tarteaucitron.job = tarteaucitron.job || []).push('stats');
  </script>`,
    body: '',
    accept: { selector: '#tarteaucitronPersonalize2' },
  },
  {
    id: 'osano',
    name: 'Osano cookieconsent',
    version: '3.1.1',
    files: ['/node_modules/cookieconsent/'],
    // The download wizard's snippet: stylesheet + script, initialise on window load; type opt-in
    // with the documented onInitialise / onStatusChange hasConsented() pattern loading the tracker.
    head: `<link rel="stylesheet" type="text/css" href="/node_modules/cookieconsent/build/cookieconsent.min.css">
  <script src="/node_modules/cookieconsent/build/cookieconsent.min.js"></script>
  <script>
    function loadStats() {
      if (window.statsLoaded) return;
      window.statsLoaded = true;
      var s = document.createElement('script');
      s.src = '${TRACKER}';
      document.head.appendChild(s);
    }
    window.addEventListener('load', function () {
      window.cookieconsent.initialise({
        type: 'opt-in',
        palette: { popup: { background: '#20314d' }, button: { background: '#fbfaf7' } },
        content: { message: '${STATS_TEXT}', allow: 'Accept', deny: 'Decline', href: '${POLICY}' },
        onInitialise: function (status) { if (this.hasConsented()) loadStats(); },
        onStatusChange: function (status) { if (this.hasConsented()) loadStats(); }
      });
    });
  </script>`,
    body: '',
    accept: { selector: '.cc-window .cc-allow' },
  },
];

// The same embed on a page in Polish: the language file comes alongside the wasm (issue 17).
const ours = BANNERS.findIndex((b) => b.id === 'consent-banner');
BANNERS.splice(ours + 1, 0, { ...BANNERS[ours], id: 'consent-banner-pl', name: 'consent-banner, Polish page', lang: 'pl' });

// The prerendered first layer (issue 16): the snippets of `consent-banner render` for the same
// config, base /dist/ (renderSnippets() fills in head and bodyStart when the pages are written).
// The head snippet (config + loader tag with its SRI hash) where the one-tag embed has its tag;
// the body snippet as the first child of <body>, as the command says. With --inline-loader the
// head snippet (config + the loader's text) goes first in <head>, before the site's stylesheet: an
// inline script after a stylesheet waits for it, which would put a round trip back before it.
const accept = { host: 'consent-banner[data-prerendered]', selector: '[data-action="accept"]' };
BANNERS.splice(ours + 2, 0,
  { ...BANNERS[ours], id: 'consent-banner-prerendered', name: 'consent-banner, prerendered', prerender: { inline: false }, accept },
  { ...BANNERS[ours], id: 'consent-banner-inline', name: 'consent-banner, prerendered, loader inline', prerender: { inline: true }, accept });

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The `consent-banner render` binary: the newest of target/{release,debug}; built (debug) when
 * there is none or it is older than src/ (if that build fails, e.g. on someone's half-done change,
 * an existing binary is used with a warning). */
function cliBinary() {
  const bins = ['release', 'debug'].map((p) => join(ROOT, 'target', p, 'consent-banner')).filter((f) => existsSync(f));
  const newest = (files) => Math.max(0, ...files.map((f) => statSync(f).mtimeMs));
  const sources = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : [join(dir, e.name)]);
  const bin = bins.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (bin && newest([bin]) >= newest([...sources(join(ROOT, 'src')), join(ROOT, 'Cargo.toml')])) return bin;
  try {
    console.log('bench: building the render command (cargo build --features ssr --bin consent-banner)');
    execFileSync('cargo', ['build', '-q', '--features', 'ssr', '--bin', 'consent-banner'], { cwd: ROOT, stdio: 'inherit' });
    return join(ROOT, 'target/debug/consent-banner');
  } catch (e) {
    if (!bin) throw new Error('bench: could not build the render command, and there is no binary in target/');
    console.warn(`bench: the render command did not build; using ${bin}, older than src/`);
    return bin;
  }
}

/** Fills in the prerendered entries' snippets from the real command (needs dist/ built). */
export function renderSnippets() {
  const todo = BANNERS.filter((b) => b.prerender && !b.snippets);
  if (!todo.length) return;
  const bin = cliBinary();
  for (const b of todo) {
    const args = ['render', '--config', '-', '--base', '/dist/', '--dist', join(ROOT, 'dist'), '--json'];
    if (b.prerender.inline) args.push('--inline-loader');
    const s = (b.snippets = JSON.parse(execFileSync(bin, args, { input: CONFIG, encoding: 'utf8' })));
    if (b.prerender.inline) {
      b.headStart = `${s.head}\n  `;
      b.head = GATED_TRACKER;
    } else {
      b.head = `${s.head}\n  ${GATED_TRACKER}`;
    }
    b.bodyStart = `${s.body}\n  `;
  }
}

/** The one every ratio is taken against. */
export const REFERENCE = 'vanilla-cookieconsent';
