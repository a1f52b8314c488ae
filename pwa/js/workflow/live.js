// 动态二维码 / Live code: the holder's current copy shown full screen as a code that changes every 30-60 s
// (POST /api/v1/holder/copies/<id>/presentation; docs/certificate-token.md, "A live code"). The QR large,
// black on white; a clock ticking every second and the seconds before the code changes, so that a
// screenshot (a frozen clock) is told from the screen; a new code after `refresh_after` s while the page is
// visible (none while hidden: fetched again on return if due); offline, no new code can be made, and the
// holder is told to show the printed copy. A code shown past its time verifies `expired` (an old screenshot).

import { api, errorWords } from '../core/auth.js';
import { el } from '../core/dom.js';
import { t } from '../core/i18n.js';

let v = null;   // the open view: {root, parts, copyId, code, url, nextAt, deadline, timer, seq}

const pad = (n) => String(n).padStart(2, '0');
const clockText = (d) => `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;

function words() {
  const { parts, code, state } = v;
  parts.title.textContent = t('live.title');
  parts.close.textContent = t('live.close');
  parts.hint.textContent = t('live.brightness');
  const left = code ? Math.max(0, Math.ceil((v.nextAt - Date.now()) / 1000)) : null;
  parts.left.textContent = state === 'live' && left !== null ? t('live.changesIn', { n: left }) : '';
  parts.note.textContent = { offline: t('live.offline'), loading: t('live.loading'), live: t('live.note') }[state]
    || v.error || '';
}

function tick() {
  if (!v) return;
  const now = new Date();
  v.parts.clock.textContent = clockText(now);
  v.parts.clock.dateTime = now.toISOString();
  if (v.code && Date.now() >= v.deadline) showCode(null);   // never show a dead code
  if (v.state === 'live' && Date.now() >= v.nextAt && !document.hidden) refresh();
  words();
}

function setState(state, error = '') {
  v.state = state;
  v.error = error;
  v.root.dataset.state = state;
  words();
}

function showCode(code) {
  if (v.url) URL.revokeObjectURL(v.url);
  v.url = null;
  v.code = code;
  const img = v.parts.qr;
  img.hidden = !code;
  if (!code) { img.removeAttribute('src'); delete img.dataset.qr; return; }
  v.url = URL.createObjectURL(new Blob([code.qr_svg], { type: 'image/svg+xml' }));
  img.src = v.url;
  img.dataset.qr = code.qr_text;            // what the code says (the e2e test reads it as a camera would)
  img.dataset.issuedAt = code.issued_at;
  // by this device's clock from now, whatever it says the time is: the server's window, not its hour
  v.nextAt = Date.now() + code.refresh_after * 1000;
  v.deadline = Date.now() + (Date.parse(code.expires_at) - Date.parse(code.issued_at));
}

async function refresh() {
  if (!v || v.busy) return;
  if (navigator.onLine === false) { setState('offline'); return; }
  const mine = ++v.seq;
  v.busy = true;
  if (!v.code) setState('loading');
  try {
    const code = await api(`api/v1/holder/copies/${encodeURIComponent(v.copyId)}/presentation`, { method: 'POST' });
    if (!v || mine !== v.seq) return;
    showCode(code);
    setState('live');
  } catch (e) {
    if (!v || mine !== v.seq) return;
    if (e.status === 0) setState('offline');                    // the network: the current code lives out its time
    else { showCode(null); setState('error', errorWords(e)); }
  } finally {
    if (v) v.busy = false;
  }
}

function onVisibility() {
  if (!v) return;
  if (document.hidden) { clearInterval(v.timer); v.timer = null; releaseWake(); return; }
  if (!v.timer) v.timer = setInterval(tick, 250);
  keepAwake();
  if (!v.code || Date.now() >= v.nextAt) refresh();
  tick();
}

const onOnline = () => { if (v && v.state === 'offline') refresh(); };
const onOffline = () => { if (v) setState('offline'); };
const onKey = (e) => { if (e.key === 'Escape') closeLive(); };

async function keepAwake() {   // the screen stays on while the code is shown, where the browser allows it
  try { if (v && !v.wake && navigator.wakeLock) v.wake = await navigator.wakeLock.request('screen'); } catch { /* not allowed */ }
}
function releaseWake() {
  if (v && v.wake) { v.wake.release().catch(() => {}); v.wake = null; }
}

/** Open the live code of the holder's copy `copyId`; `label` (number, kind) says whose it is. */
export function openLive(copyId, label = '') {
  closeLive();
  const root = el('div', 'live-view');
  root.setAttribute('role', 'dialog');
  root.setAttribute('aria-modal', 'true');
  root.setAttribute('aria-labelledby', 'live-title');
  const parts = {
    title: el('h2', 'live-title'), close: el('button', 'btn live-close'), who: el('p', 'live-who', label),
    qr: el('img', 'live-qr'), clock: el('time', 'live-clock'), left: el('p', 'live-left'),
    note: el('p', 'live-note'), hint: el('p', 'live-hint muted small'),
  };
  parts.title.id = 'live-title';
  parts.close.type = 'button';
  parts.close.dataset.action = 'live-close';
  parts.close.addEventListener('click', closeLive);
  parts.qr.alt = '';
  parts.qr.hidden = true;
  parts.left.setAttribute('aria-live', 'off');
  parts.note.setAttribute('role', 'status');
  const head = el('div', 'live-head');
  head.append(parts.title, parts.close);
  root.append(head, parts.who, parts.qr, parts.clock, parts.left, parts.note, parts.hint);
  document.body.append(root);
  document.body.classList.add('live-open');
  v = { root, parts, copyId, code: null, url: null, nextAt: 0, timer: setInterval(tick, 250), seq: 0, state: 'loading' };
  document.addEventListener('visibilitychange', onVisibility);
  window.addEventListener('online', onOnline);
  window.addEventListener('offline', onOffline);
  document.addEventListener('keydown', onKey);
  keepAwake();
  tick();
  parts.close.focus();
  refresh();
}

export function closeLive() {
  if (!v) return;
  clearInterval(v.timer);
  releaseWake();
  if (v.url) URL.revokeObjectURL(v.url);
  v.root.remove();
  document.body.classList.remove('live-open');
  document.removeEventListener('visibilitychange', onVisibility);
  window.removeEventListener('online', onOnline);
  window.removeEventListener('offline', onOffline);
  document.removeEventListener('keydown', onKey);
  v.seq += 1;
  v = null;
}
