// 建证 inspector app: wires the screens (scan, result, history, lookup) to the modules under js/ by
// area (js/verify/, js/lookup/, on js/core/); the signed-in area (the 账户 tab) is js/account/account.js.
// Plain ES modules, no framework and no build step; served by the backend at / and /v. See README.md.

import { initEnterprise, rerenderEnterprise, showEnterprise } from './js/account/account.js';
import { $ } from './js/core/dom.js';
import { applyI18n, fmtTime, getLang, pick, setLang, t } from './js/core/i18n.js';
import { listAgeSeconds, loadTrust, MAX_AGE_S, onTrustChange, refreshDue, refreshTrust, trust } from './js/core/trust.js';
import { initLookup, rerenderLookup, search } from './js/lookup/lookup.js';
import { perf, startDecoder } from './js/verify/decoder.js';
import { initHistory, recordScan, showHistory } from './js/verify/history.js';
import { isPdf, readPhoto } from './js/verify/photo.js';
import { renderResult, rerenderResult } from './js/verify/result.js';
import { Scanner } from './js/verify/scanner.js';
import { classify, verifyText } from './js/verify/verify.js';
const VIEWS = ['scan', 'result', 'history', 'lookup', 'enterprise'];
const jz = (window.__jz = { perf, results: 0, last: null, ready: false });
let view = 'scan';
let scanner = null;
let resumeOnVisible = false;

function showView(name, { push = true } = {}) {
  if (!VIEWS.includes(name)) name = 'scan';
  if (name !== 'scan' && scanner) scanner.stop();
  for (const v of VIEWS) $(`view-${v}`).hidden = v !== name;
  for (const b of document.querySelectorAll('.tabbar [data-view]')) {
    if (b.dataset.view === (name === 'result' ? 'scan' : name)) b.setAttribute('aria-current', 'page');
    else b.removeAttribute('aria-current');
  }
  // A history entry per screen, so that a phone's back gesture returns to the scanner.
  if (push && name !== view) history.pushState({ view: name }, '', location.pathname + location.search);
  view = name;
  document.body.dataset.view = name;
  if (name === 'history') showHistory();
  if (name === 'enterprise') showEnterprise();
  window.scrollTo(0, 0);
}

function setScanStatus(key, vars) {
  $('scan-status').textContent = t(key, vars);
  $('scan-status').dataset.key = key;
}

function onScannerState(state) {
  $('viewfinder').dataset.state = state;
  const running = state === 'scanning' || state === 'starting';
  document.querySelector('[data-action="scan"]').hidden = running;
  document.querySelector('[data-action="stop"]').hidden = !running;
  if (state === 'starting') setScanStatus('scan.starting');
  if (state === 'scanning') { setScanStatus('scan.scanning'); afterCameraStart(); }
  if (state === 'stopped') $('torch').hidden = true;
}

async function afterCameraStart() {
  $('torch').hidden = !scanner.torchSupported();
  $('torch').setAttribute('aria-pressed', 'false');
  const cams = await Scanner.cameras().catch(() => []);
  const sel = $('camera-select');
  $('camera-pick').hidden = cams.length < 2;
  if (cams.length < 2) return;
  const current = scanner.currentDeviceId();
  sel.replaceChildren(...cams.map((c, i) => {
    const o = document.createElement('option');
    o.value = c.deviceId;
    o.textContent = c.label || `${t('scan.camera')} ${i + 1}`;
    o.selected = c.deviceId === current;
    return o;
  }));
}

async function startScan() {
  showView('scan');
  try {
    await scanner.start();
  } catch (e) {
    console.warn('camera', e);
    onScannerState('stopped');
    setScanStatus(e && e.name === 'NotFoundError' ? 'scan.nocamera' : 'scan.denied');
  }
}

/** Verify scanned, typed or linked text and show the result; timing marks go to window.__jz. */
async function handleText(text, timing = {}) {
  setScanStatus('scan.found');
  const r = await verifyText(text);
  show(r, timing);
  if (r.mode === 'online') refreshIfDue();   // online anyway: keep the offline data fresh
}

function show(r, timing = {}) {
  setScanStatus('scan.idle');   // what the scan screen says when the inspector comes back to it
  renderResult(r);
  showView('result');
  $('verdict').focus({ preventScroll: true });
  recordScan(r, $('site-input').value);
  // "On screen": after the next frame is painted (rAF runs just before paint; the message after it).
  requestAnimationFrame(() => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      jz.results += 1;
      jz.last = { verdict: r.verdict, mode: r.mode, ...timing, shownAt: performance.now() };
      document.body.dataset.results = String(jz.results);   // tests wait on this (the CSP forbids eval)
    };
    ch.port2.postMessage(null);
  });
}

async function onPhoto(file) {
  if (!file) return;
  showView('scan');
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
  const l = trust().list;
  const p = $('data-age');
  const age = listAgeSeconds();
  if (!l) { p.textContent = t('data.none'); p.dataset.state = 'none'; return; }
  p.dataset.state = age > MAX_AGE_S ? 'stale' : 'ok';
  p.textContent = age > MAX_AGE_S ? t('data.stale') : t('data.asof', { t: fmtTime(l.claims.iat * 1000) });
}

function refreshIfDue(force = false) {
  if (navigator.onLine !== false && (force || refreshDue())) refreshTrust();
}

function toast(text) {
  const el = $('toast');
  el.textContent = text;
  el.hidden = false;
  setTimeout(() => { el.hidden = true; }, 6000);
}

function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  const hadController = !!navigator.serviceWorker.controller;
  navigator.serviceWorker.register(new URL('sw.js', document.baseURI), { scope: './' }).catch((e) => console.warn('sw', e));
  navigator.serviceWorker.addEventListener('controllerchange', () => { if (hadController) toast(t('update.ready')); });
}

/** /v#<token>: a phone's own camera opened the certificate's URL; verify it at once. */
function handleLink() {
  const frag = location.hash.replace(/^#/, '');
  if (!frag) return;
  // Drop the token from the address bar: a reload or a shared screenshot does not repeat it.
  history.replaceState({ view: 'scan' }, '', location.pathname + location.search);
  // A token goes on bare (the server need not know under which host name the app was opened);
  // anything else is judged as the whole link it came in, so it reads as a malformed certificate link.
  const text = classify(frag).token ? frag : `${location.origin}${location.pathname}#${frag}`;
  handleText(text, { source: 'link' });
}

function wire() {
  scanner = new Scanner($('video'), { onCode: (text, timing) => { scanner.stop(); handleText(text, timing); }, onState: onScannerState });
  document.querySelector('[data-action="scan"]').addEventListener('click', startScan);
  document.querySelector('[data-action="scan-next"]').addEventListener('click', startScan);
  document.querySelector('[data-action="stop"]').addEventListener('click', () => { scanner.stop(); setScanStatus('scan.idle'); });
  $('torch').addEventListener('click', async () => {
    const on = $('torch').getAttribute('aria-pressed') !== 'true';
    if (await scanner.setTorch(on).catch(() => false)) $('torch').setAttribute('aria-pressed', String(on));
  });
  $('camera-select').addEventListener('change', (e) => scanner.useCamera(e.target.value).catch(() => setScanStatus('scan.denied')));
  $('photo-button').addEventListener('click', () => $('photo-input').click());
  $('photo-input').addEventListener('change', (e) => { onPhoto(e.target.files[0]); e.target.value = ''; });
  $('manual-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const text = $('manual-input').value.trim();
    if (!text) return;
    // A token or a link is verified; anything else (a name, a number) is looked up.
    if (classify(text).token || /^[a-z][a-z0-9+.-]*:\/\//i.test(text)) handleText(text);
    else { showView('lookup'); search(text, 1); }
  });
  for (const b of document.querySelectorAll('.tabbar [data-view]')) b.addEventListener('click', () => showView(b.dataset.view));
  $('lang').addEventListener('click', () => {
    setLang(getLang() === 'en' ? 'zh' : 'en');
    $('lang').lang = getLang() === 'en' ? 'zh-CN' : 'en';
    updateNet(); updateDataAge(); rerenderResult(); rerenderLookup(); rerenderEnterprise();
    if (view === 'history') showHistory();
    if ($('scan-status').dataset.key) setScanStatus($('scan-status').dataset.key);
  });
  window.addEventListener('popstate', (e) => showView((e.state && e.state.view) || 'scan', { push: false }));
  window.addEventListener('hashchange', handleLink);
  window.addEventListener('online', () => { updateNet(); refreshIfDue(true); });
  window.addEventListener('offline', updateNet);
  document.addEventListener('visibilitychange', () => {
    // Release the camera when the app is hidden; pick up where it was when it comes back.
    if (document.hidden) { resumeOnVisible = !!(scanner && scanner.running); if (resumeOnVisible) scanner.stop(); return; }
    refreshIfDue();
    updateDataAge();
    if (resumeOnVisible && view === 'scan') startScan();
  });
  setInterval(() => { refreshIfDue(); updateDataAge(); }, 5 * 60 * 1000);
  onTrustChange(updateDataAge);
  initHistory();
  initLookup();
  initEnterprise();
  // The site name is kept between visits: an inspector scans many people at one site.
  try { $('site-input').value = localStorage.getItem('jz.site') || ''; } catch { /* not kept */ }
  $('site-input').addEventListener('change', () => { try { localStorage.setItem('jz.site', $('site-input').value.trim()); } catch { /* not kept */ } });
}

async function main() {
  applyI18n();
  $('lang').lang = getLang() === 'en' ? 'zh-CN' : 'en';
  // A reload in the enterprise area stays there (its session is kept for the tab in sessionStorage).
  const reopen = !location.hash && history.state && history.state.view === 'enterprise';
  history.replaceState({ view: reopen ? 'enterprise' : 'scan' }, '', location.href);
  wire();
  if (reopen) showView('enterprise', { push: false });
  updateNet();
  registerServiceWorker();
  startDecoder().catch(() => {});   // compile the wasm now, not at the first frame
  await loadTrust();
  refreshIfDue(true);
  handleLink();
  // Installed and already allowed: open the camera at once, like a native scanner app.
  if (!location.hash && matchMedia('(display-mode: standalone)').matches && navigator.permissions) {
    navigator.permissions.query({ name: 'camera' }).then((p) => { if (p.state === 'granted' && view === 'scan') startScan(); }).catch(() => {});
  }
  jz.ready = true;
  document.body.dataset.ready = 'true';
}

main();
