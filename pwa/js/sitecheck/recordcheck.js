// An inspection record's token checked (docs/site-checks.md, "Verifying a record"). Online, the server checks
// the signature and its archive: POST /api/v1/inspections/verify answers valid, invalid or not_found. Offline,
// or when the server cannot be reached, only the signature can be checked, with the issuer's public keys this
// device keeps for certificates (core/trust.js): a genuine one is `signature_valid` (the record's claims, but not
// yet held against the archive), a broken one `invalid`; without the keys, or signed by a key this device does
// not know yet (a newer one), `unknown`: the check needs a connection.

import { checkSignature, jsonClaims, parseJws } from '../core/jws.js';
import { apiUrl, loadTrust, trust } from '../core/trust.js';

export const RECORD_TYPE = 'jz-inspection+jwt';
const TIMEOUT_MS = 8000;
const LEEWAY_S = 300;                     // a phone's clock may run a few minutes slow
const iso = (s) => new Date(s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const nowIso = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The record's public part from its signed claims: the shape of the server's `record` (record_token.py). */
export function publicRecord(c) {
  const site = c.site && typeof c.site === 'object' ? c.site : {};
  const g = Array.isArray(site.g) && site.g.length === 3 ? site.g : null;
  return {
    id: c.jti ?? null, issued_at: Number.isInteger(c.iat) ? iso(c.iat) : null,
    started_at: Number.isInteger(c.t0) ? iso(c.t0) : null, finished_at: Number.isInteger(c.t1) ? iso(c.t1) : null,
    site: { name: site.n ?? null, specialty: site.sp ?? null, contractor_uscc: site.u ?? null, scale: site.sc ?? null,
      province: site.pr ?? null, gps: g ? { lat: g[0], lon: g[1], accuracy_m: g[2] } : null },
    organisation: (c.ins && c.ins.o) || null,
    summary: c.sum && typeof c.sum === 'object' ? c.sum : {},
  };
}

const offline = (verdict, reasons, record = null) => (
  { verdict, reasons: reasons.map((code) => ({ code })), checked_at: nowIso(), record, mode: 'offline' });

/** The signature alone, with the keys on this device. Never throws. */
export async function checkOffline(token) {
  if (!trust().keys.size) await loadTrust();
  const st = trust();
  if (!st.keys.size) return offline('unknown', ['keys_missing']);
  let jws;
  try { jws = parseJws(token); } catch { return offline('invalid', ['malformed']); }
  const why = await checkSignature(jws, st.keys, RECORD_TYPE);
  if (why === 'unknown_key') return offline('unknown', ['unknown_key']);   // perhaps a key newer than this device's
  if (why) return offline('invalid', [why]);
  let c;
  try { c = jsonClaims(jws); } catch { return offline('invalid', ['malformed']); }
  if (['iat', 'iss', 'jti', 'h'].some((k) => c[k] === undefined || c[k] === null) || !Number.isInteger(c.iat)) {
    return offline('invalid', ['missing_claim']);
  }
  const issuer = st.list && st.list.claims.iss;
  if (issuer && c.iss !== issuer) return offline('invalid', ['wrong_issuer']);
  if (c.iat > Date.now() / 1000 + LEEWAY_S) return offline('invalid', ['not_yet_valid']);
  return offline('signature_valid', [], publicRecord(c));
}

async function ask(token, early) {
  if (early) return early;
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), TIMEOUT_MS);
  try {
    return await fetch(apiUrl('api/v1/inspections/verify'), {
      method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ token }), cache: 'no-store', credentials: 'omit', signal: ctl.signal,
    });
  } finally { clearTimeout(timer); }
}

/**
 * The record's verdict: the server's when it answers (mode 'online'), else the offline one with `fallback`
 * (and the server's refusal, e.g. too many requests, in `error`). `early`: the answer index.html's boot
 * script already asked for, a fetch promise.
 */
export async function checkRecord(token, early = null) {
  if (navigator.onLine !== false || early) {
    try {
      const resp = await ask(token, early);
      const body = await resp.json().catch(() => null);
      if (resp.ok && body && typeof body.verdict === 'string') return { ...body, mode: 'online' };
      const r = await checkOffline(token);
      return { ...r, fallback: true, error: body && body.message ? body : null };
    } catch (e) {
      console.warn('record: online check failed, checking offline', e);
      return { ...(await checkOffline(token)), fallback: true };
    }
  }
  return checkOffline(token);
}
