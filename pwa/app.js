// 建证 inspector app: wires the screens (scan, result, history, lookup) to the modules under js/ by
// area (js/verify/, js/lookup/, on js/core/); the signed-in area (the 账户 tab) is js/account/account.js.
// Plain ES modules, no framework and no build step; served by the backend at /, /v and /V. See README.md.
//
// A certificate link ({base}/v#…, what a phone's own camera opens) comes first. Before any module was
// here, index.html's boot script showed 核验中 and asked the server about the link; the static imports
// below are all it takes to show that answer (index.html preloads exactly them: on a slow connection each
// further round trip counts). The verify code and the offline data come next, in parallel; the service
// worker, whose install precaches the app and the decoder, only once the verdict is on screen (settle).
// Every other area is imported when first used (AREAS).

import { $ } from './js/core/dom.js';
import { applyI18n, fmtTime, getLang, pick, setLang, t } from './js/core/i18n.js';
import { renderResult, rerenderResult } from './js/verify/result.js';
const VIEWS = ['scan', 'result', 'history', 'lookup', 'enterprise', 'sitecheck', 'record'];
const jz = (window.__jz = { perf: null, results: 0, last: null, ready: false });
let view = 'scan';
let wanted = 'scan';      // the screen asked for last: an area still loading shows only if still wanted
let resumeOnVisible = false;
let settled = false;
const ACCOUNT_STYLES = ['enterprise.css', 'workflow.css', 'onboarding.css'];

function stylesheet(href) {
  if (document.querySelector(`link[rel="stylesheet"][href="${href}"]`)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    document.head.append(Object.assign(document.createElement('link'), { rel: 'stylesheet', href, onload: resolve, onerror: reject }));
  });
}

/** What is off a link's path to its verdict, imported (and set up) once when first needed; `mods` when loaded. */
const mods = {};
const loading = {};
const AREAS = {
  verify: () => import('./js/verify/verify.js'),
  trust: async () => {
    const m = await import('./js/core/trust.js');
    await m.loadTrust();   // what the device holds (IndexedDB) for an offline check
    m.onTrustChange(updateDataAge);
    return m;
  },
  history: async () => {
    const m = await import('./js/verify/history.js');
    m.initHistory((r) => show(r, {}, { record: false }));
    return m;
  },
  lookup: async () => { const m = await import('./js/lookup/lookup.js'); m.initLookup(); return m; },
  enterprise: async () => {
    const [m] = await Promise.all([import('./js/account/account.js'), ...ACCOUNT_STYLES.map(stylesheet)]);
    applyI18n();   // its panes' words came with it (the areas' strings.js)
    m.initEnterprise();
    return m;
  },
  scan: async () => {
    const m = await import('./js/verify/camera.js');
    jz.perf = m.perf;
    m.initCamera({ onCode: handleText, setStatus: setScanStatus });
    return m;
  },
  photo: () => import('./js/verify/photo.js'),
  sitecheck: async () => {   // 现场检查: it verifies offline too, so the keys and status list come first
    await Promise.all([load('trust'), load('verify')]);
    const [m] = await Promise.all([import('./js/sitecheck/sitecheck.js'), stylesheet('sitecheck.css')]);
    applyI18n();
    await m.initSiteCheck();
    return m;
  },
  // an inspection record's link ({base}/i#…): its own screen, never on a certificate link's path
  record: async () => {
    const [m] = await Promise.all([import('./js/sitecheck/recordview.js'), stylesheet('sitecheck.css')]);
    return m;
  },
};

function load(name) {
  loading[name] ||= AREAS[name]().then((m) => { mods[name] = m; updateDataAge(); return m; },
    (e) => { delete loading[name]; throw e; });
  return loading[name];
}

function showView(name, { push = true } = {}) {
  if (!VIEWS.includes(name)) name = 'scan';
  wanted = name;
  if (AREAS[name] && name !== 'scan' && !mods[name]) {
    load(name).then(() => { if (wanted === name) showView(name, { push }); }, (e) => console.warn(name, e));
    return;
  }
  delete document.documentElement.dataset.entry;   // the 核验中 panel gives way to the screen asked for
  if (name !== 'scan' && mods.scan) mods.scan.stop();
  if (name !== 'sitecheck' && mods.sitecheck) mods.sitecheck.hideSiteCheck();
  for (const v of VIEWS) $(`view-${v}`).hidden = v !== name;
  for (const b of document.querySelectorAll('.tabbar [data-view]')) {
    if (b.dataset.view === (name === 'result' ? 'scan' : name)) b.setAttribute('aria-current', 'page');
    else b.removeAttribute('aria-current');
  }
  // A history entry per screen, so that a phone's back gesture returns to the scanner.
  if (push && name !== view) history.pushState({ view: name }, '', location.pathname + location.search);
  view = name;
  document.body.dataset.view = name;
  if (name === 'history') mods.history.showHistory();
  if (name === 'enterprise') mods.enterprise.showEnterprise();
  if (name === 'sitecheck') mods.sitecheck.showSiteCheck();
  window.scrollTo(0, 0);
}

function setScanStatus(key, vars) {
  $('scan-status').textContent = t(key, vars);
  $('scan-status').dataset.key = key;
}

async function startScan() {
  showView('scan');
  try {
    await (await load('scan')).start();
  } catch (e) {
    console.warn('camera', e);
    if (mods.scan) mods.scan.showState('stopped');
    setScanStatus(e && e.name === 'NotFoundError' ? 'scan.nocamera' : 'scan.denied');
  }
}

/** Verify scanned, typed or linked text and show the result; timing marks go to window.__jz. */
async function handleText(text, timing = {}, { online } = {}) {
  setScanStatus('scan.found');
  const [{ verifyText }] = await Promise.all([load('verify'), load('trust')]);
  const r = online === false ? { ...(await verifyText(text, { online })), fallback: true } : await verifyText(text);
  show(r, timing);
  if (r.mode === 'online') refreshIfDue();   // online anyway: keep the offline data fresh
}

function show(r, timing = {}, { record = true } = {}) {
  setScanStatus('scan.idle');   // what the scan screen says when the inspector comes back to it
  renderResult(r);
  showView('result');
  $('verdict').focus({ preventScroll: true });
  if (record) {   // a history entry reopened is not a new scan
    const site = $('site-input').value;
    load('history').then((h) => h.recordScan(r, site), (e) => console.warn('history', e));
  }
  // "On screen": after the next frame is painted (rAF runs just before paint; the message after it).
  requestAnimationFrame(() => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      jz.results += 1;
      jz.last = { verdict: r.verdict, mode: r.mode, ...timing, shownAt: performance.now() };
      document.body.dataset.results = String(jz.results);   // tests wait on this (the CSP forbids eval)
      settle();
    };
    ch.port2.postMessage(null);
  });
}

async function onPhoto(file) {
  if (!file) return;
  showView('scan');
  const { isPdf, readPhoto } = await load('photo');
  setScanStatus((await isPdf(file)) ? 'photo.pdfReading' : 'photo.reading');
  try {
    const out = await readPhoto(file);
    if (out.results && out.results.length) {
      const first = out.results[0];
      if (out.results.length > 1) first.extra = t('photo.more', { n: out.results.length });
      show(first);
    } else if (out.texts && out.texts.length) {
      await handleText(out.texts[0]);
    } else {
      // a PDF offline: only the server checks its signature, so it waits for the network
      if (out.pdf) setScanStatus(out.offline ? 'photo.pdfOffline' : 'photo.pdfNone');
      else setScanStatus(out.offline ? 'photo.noneOffline' : 'photo.none');
    }
  } catch (e) {
    console.warn('photo', e);
    setScanStatus('photo.failed');
    // The server says why it refused the photo (too large, not an image...): show its words.
    if (e.body && e.body.message) $('scan-status').textContent = pick(e.body.message, e.body.message_en);
  }
}

function updateNet() {
  const online = navigator.onLine !== false;
  $('net').dataset.state = online ? 'online' : 'offline';
  $('net').textContent = t(online ? 'net.online' : 'net.offline');
}

function updateDataAge() {
  const tr = mods.trust;
  if (!tr) return;   // not read from the device yet
  const l = tr.trust().list;
  const p = $('data-age');
  const age = tr.listAgeSeconds();
  if (!l) { p.textContent = t('data.none'); p.dataset.state = 'none'; return; }
  p.dataset.state = age > tr.MAX_AGE_S ? 'stale' : 'ok';
  p.textContent = age > tr.MAX_AGE_S ? t('data.stale') : t('data.asof', { t: fmtTime(l.claims.iat * 1000) });
}

function refreshIfDue(force = false) {
  if (navigator.onLine === false) return;
  load('trust').then((tr) => { if (force || tr.refreshDue()) tr.refreshTrust(); }, (e) => console.warn('trust', e));
}

function toast(text) {
  const el = $('toast');
  el.textContent = text;
  el.hidden = false;
  setTimeout(() => { el.hidden = true; }, 6000);
}

function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  jz.swRegisteredAt = performance.now();
  const hadController = !!navigator.serviceWorker.controller;
  navigator.serviceWorker.register(new URL('sw.js', document.baseURI), { scope: './' }).catch((e) => console.warn('sw', e));
  navigator.serviceWorker.addEventListener('controllerchange', () => { if (hadController) toast(t('update.ready')); });
}

/**
 * After the first screen (a link's verdict painted, or the app opened and idle): the service worker (its
 * install precaches the app and the decoder) and fresh offline data; on the scan screen, the camera's
 * module and the decoder, so that the first frame is decoded at once.
 */
function settle() {
  if (settled) return;
  settled = true;
  registerServiceWorker();
  refreshIfDue(true);
  if (view === 'scan') load('scan').catch((e) => console.warn('camera', e));
  // Site checks finished offline wait to sync (js/sitecheck/sync.js keeps the count): send them now.
  try { if (Number(localStorage.getItem('jz.sitecheck.pending')) > 0) load('sitecheck').catch((e) => console.warn('sitecheck', e)); } catch { /* no storage */ }
}

/**
 * The answer index.html's first script asked for: the link as opened, judged by the server as a scanned
 * text is. {result}; {failed}: no usable answer, check offline at once; or null: none asked, or a host
 * name the server does not know as ours (the verify code then sends the bare token, as for any text).
 */
async function earlyAnswer() {
  const early = window.__jzEarly;
  window.__jzEarly = null;
  if (!early) return null;
  try {
    const resp = await early.answer;
    const body = resp.ok ? await resp.json() : null;
    if (!body || typeof body.verdict !== 'string') throw new Error(`HTTP ${resp.status}`);
    if ((body.reasons || []).some((x) => x.code === 'foreign_url')) return null;
    return { result: { ...body, mode: 'online', qr: early.text } };   // as verify.js's online answer
  } catch (e) {
    console.warn('online verification failed, checking offline', e);
    return { failed: true };
  }
}

/** /i#…: an inspection record's link (the QR code on its PDF): the record's verdict, on its own screen. */
async function handleRecordLink(frag) {
  const early = window.__jzEarly && window.__jzEarly.record ? window.__jzEarly.answer : null;
  window.__jzEarly = null;
  try {
    const m = await load('record');
    showView('record');
    await m.showRecord(frag, { early, scan: startScan });
    $('record-verdict').focus({ preventScroll: true });
  } catch (e) {
    console.warn('record', e);
    showView('scan');
  }
  settle();
}

/** #/staff/<id>: a person of the enterprise's roster (a warning's link, a reload, Back or Forward), in the
 *  account area. An address inside the app starts with "/", which no token does (docs/certificate-token.md). */
async function handleRoute(frag) {
  const staff = /^\/staff\/(\d+)$/.exec(frag);
  if (staff) {
    try {
      const m = await load('enterprise');
      showView('enterprise', { push: false });
      m.openStaff(Number(staff[1]));
    } catch (e) { console.warn('enterprise', e); }
  }
  settle();
}

/** /v#…: a phone's own camera opened the certificate's URL: its verdict first. */
async function handleLink() {
  const frag = location.hash.replace(/^#/, '');
  if (!frag) return;
  if (frag.startsWith('/')) { await handleRoute(frag); return; }
  if (/\/i$/.test(location.pathname)) {   // {base}/i#…: a record, not a certificate
    document.documentElement.dataset.entry = 'link';
    history.replaceState({ view: 'scan' }, '', location.pathname + location.search);
    await handleRecordLink(frag);
    return;
  }
  document.documentElement.dataset.entry = 'link';   // 核验中 until the verdict (index.html did on a cold open)
  // Drop the token from the address bar: a reload or a shared screenshot does not repeat it.
  history.replaceState({ view: 'scan' }, '', location.pathname + location.search);
  const early = await earlyAnswer();
  if (early && early.result) { show(early.result, { source: 'link' }); return; }
  const { classify } = await load('verify');
  // A token goes on bare (the server need not know under which host name the app was opened);
  // anything else is judged as the whole link it came in, so it reads as a malformed certificate link.
  const text = classify(frag).token ? frag : `${location.origin}${location.pathname}#${frag}`;
  await handleText(text, { source: 'link' }, early && early.failed ? { online: false } : {});
}

function wire() {
  document.querySelector('[data-action="scan"]').addEventListener('click', startScan);
  document.querySelector('[data-action="scan-next"]').addEventListener('click', startScan);
  document.querySelector('[data-action="stop"]').addEventListener('click', () => { if (mods.scan) mods.scan.stop(); setScanStatus('scan.idle'); });
  $('photo-button').addEventListener('click', () => $('photo-input').click());
  $('photo-input').addEventListener('change', (e) => { onPhoto(e.target.files[0]); e.target.value = ''; });
  $('manual-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = $('manual-input').value.trim();
    if (!text) return;
    // A token or a link is verified; anything else (a name, a number) is looked up.
    const { classify } = await load('verify');
    if (classify(text).token || /^[a-z][a-z0-9+.-]*:\/\//i.test(text)) handleText(text);
    else load('lookup').then((m) => { showView('lookup'); m.search(text, 1); }, (err) => console.warn('lookup', err));
  });
  for (const b of document.querySelectorAll('.tabbar [data-view]')) b.addEventListener('click', () => showView(b.dataset.view));
  $('lang').addEventListener('click', () => {
    setLang(getLang() === 'en' ? 'zh' : 'en');
    $('lang').lang = getLang() === 'en' ? 'zh-CN' : 'en';
    updateNet(); updateDataAge(); rerenderResult();
    if (mods.lookup) mods.lookup.rerenderLookup();
    if (mods.enterprise) mods.enterprise.rerenderEnterprise();
    if (mods.sitecheck) mods.sitecheck.rerenderSiteCheck();
    if (mods.record) mods.record.rerenderRecord();
    if (view === 'history' && mods.history) mods.history.showHistory();
    if ($('scan-status').dataset.key) setScanStatus($('scan-status').dataset.key);
  });
  window.addEventListener('popstate', (e) => showView((e.state && e.state.view) || 'scan', { push: false }));
  window.addEventListener('hashchange', handleLink);
  window.addEventListener('online', () => { updateNet(); refreshIfDue(true); });
  window.addEventListener('offline', updateNet);
  document.addEventListener('visibilitychange', () => {
    // Release the camera when the app is hidden; pick up where it was when it comes back.
    if (document.hidden) { resumeOnVisible = !!(mods.scan && mods.scan.running()); if (resumeOnVisible) mods.scan.stop(); return; }
    refreshIfDue();
    updateDataAge();
    if (resumeOnVisible && view === 'scan') startScan();
  });
  setInterval(() => { refreshIfDue(); updateDataAge(); }, 5 * 60 * 1000);
  // The site name is kept between visits: an inspector scans many people at one site.
  try { $('site-input').value = localStorage.getItem('jz.site') || ''; } catch { /* not kept */ }
  $('site-input').addEventListener('change', () => { try { localStorage.setItem('jz.site', $('site-input').value.trim()); } catch { /* not kept */ } });
}

function main() {
  applyI18n();
  $('lang').lang = getLang() === 'en' ? 'zh-CN' : 'en';
  // A reload in the enterprise area (or the site checks) stays there (its session is kept for the tab in sessionStorage).
  const linked = location.hash.length > 1;
  const reopen = !linked && history.state && ['enterprise', 'sitecheck'].includes(history.state.view) && history.state.view;
  history.replaceState({ view: reopen || 'scan' }, '', location.href);
  wire();
  if (reopen) showView(reopen, { push: false });
  updateNet();
  handleLink();                 // settle() follows its verdict on screen
  load('trust').catch((e) => console.warn('trust', e));
  load('verify').catch((e) => console.warn('verify', e));
  jz.ready = true;
  document.body.dataset.ready = 'true';
  if (linked) return;
  // Installed and already allowed: open the camera at once, like a native scanner app.
  if (matchMedia('(display-mode: standalone)').matches && navigator.permissions) {
    navigator.permissions.query({ name: 'camera' }).then((p) => { if (p.state === 'granted' && view === 'scan') startScan(); }).catch(() => {});
  }
  // The first screen painted and the page loaded: then the service worker and the rest.
  const later = () => (window.requestIdleCallback ? requestIdleCallback(settle, { timeout: 2000 }) : setTimeout(settle, 200));
  if (document.readyState === 'complete') later(); else window.addEventListener('load', later, { once: true });
}

main();
