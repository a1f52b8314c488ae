// From scanned text to a verdict: first tell whether the text is a certificate of this issuer at all
// (anything else is shown as text and never sent or opened), then ask the server live, and check
// offline with the cached keys and status list when the server cannot be reached.

import { JWS_RE } from '../core/jws.js';
import { apiUrl, appBase, issuerBase } from '../core/trust.js';
import { verifyOffline } from './offline.js';
import { isPacked, unpack } from './token.js';
import { reason, verdictMessage } from './verdicts.js';

const ONLINE_TIMEOUT_MS = 4000;   // on a weak site connection, an offline answer now beats a live one later

/**
 * {token: the compact JWS} for `{BASE}/V#<packed>` (v2; `{BASE}/V#1<packed>`, a holder's live code),
 * `{base}/v#<token>` (v1) or a bare token, compact or packed (a link's fragment); else {why: reason code}. Mirrors extract_token(): hosts in any case, but `/v`
 * takes a compact token and `/V` a packed one.
 */
export function classify(text) {
  const s = String(text || '').trim();
  if (JWS_RE.test(s)) return { token: s };
  if (isPacked(s)) {   // as shorter upper-case text, it is no certificate (a live code's: after its mark)
    const token = unpack(s);
    return token ? { token } : { why: 'malformed' };
  }
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:[/\\]{2}/.test(s)) return { why: 'not_a_certificate' };   // \\ is / to a browser
  let u;
  try { u = new URL(s); } catch { return { why: 'not_a_certificate' }; }
  // user info only serves to make a link look like another site's (the server refuses it alike)
  if (u.username || u.password) return { why: 'foreign_url' };
  const bases = [new URL('v', appBase()).href, new URL('V', appBase()).href];
  const named = issuerBase();
  if (named) bases.push(`${named.replace(/\/$/, '')}/v`, `${named.replace(/\/$/, '')}/V`);
  const here = `${u.origin}${u.pathname}`;
  if (!bases.some((b) => { try { const x = new URL(b); return `${x.origin}${x.pathname}` === here; } catch { return false; } })) {
    return { why: 'foreign_url' };
  }
  const frag = u.hash.replace(/^#/, '');
  const token = u.pathname.endsWith('/V') ? unpack(frag) : (JWS_RE.test(frag) ? frag : null);
  return token ? { token } : { why: 'malformed' };
}

// The banner's word for a QR that is no certificate of ours: still the verdict "invalid", said plainly.
const LOCAL_WORD = { foreign_url: ['非本机关证书', 'Not from this issuer'], not_a_certificate: ['不是证书', 'Not a certificate'] };

function localInvalid(why, text) {
  const [zh, en] = verdictMessage('invalid');
  return {
    verdict: 'invalid', word: LOCAL_WORD[why], message: zh, message_en: en, reasons: [reason(why)], checked_at: new Date().toISOString(),
    certificate: null, specialties: [], mode: 'local', raw_text: String(text).slice(0, 2000),
  };
}

async function postVerify(text) {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), ONLINE_TIMEOUT_MS);
  try {
    // cache: 'no-store' and a POST: neither the HTTP cache nor our service worker ever answers this.
    const resp = await fetch(apiUrl('api/v1/verify'), {
      method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ qr: text }), cache: 'no-store', credentials: 'same-origin', signal: ctl.signal,
    });
    if (!resp.ok) throw Object.assign(new Error(`HTTP ${resp.status}`), { status: resp.status });
    const body = await resp.json();
    if (!body || typeof body.verdict !== 'string') throw new Error('unexpected answer');
    return body;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The verdict for a scanned or typed text: {..., mode: 'online' | 'offline' | 'local', fallback?, qr?}; `qr`,
 * the text itself, only when it is a certificate of ours (the history keeps it to check the copy again).
 * `online: false` skips the server (the app knows it is offline).
 */
export async function verifyText(text, { online = navigator.onLine !== false } = {}) {
  const cls = classify(text);
  if (!cls.token) return localInvalid(cls.why, text);
  let fallback = false;
  if (online) {
    try {
      return { ...(await postVerify(String(text).trim())), mode: 'online', qr: String(text).trim() };
    } catch (e) {
      fallback = true;   // network down, timeout, 429 or 5xx: the signature can still be checked here
      console.warn('online verification failed, checking offline', e);
    }
  }
  return { ...(await verifyOffline(cls.token)), fallback, qr: String(text).trim() };
}

/** The results of POST /api/v1/verify/image (already live answers); for a PDF each carries the document check. */
export async function verifyImageOnline(file) {
  const form = new FormData();
  form.append('image', file, file.name || 'photo');
  const resp = await fetch(apiUrl('api/v1/verify/image'), { method: 'POST', body: form, cache: 'no-store', credentials: 'same-origin' });
  let body = null;
  try { body = await resp.json(); } catch { /* not JSON: handled below */ }
  if (!resp.ok) throw Object.assign(new Error((body && body.error) || `HTTP ${resp.status}`), { status: resp.status, body });
  const doc = (body && body.document) || null;
  return ((body && body.codes) || []).map((r) => ({ ...r, mode: 'online', document: doc }));
}
