// The certificate token in its two forms (docs/certificate-token.md), mirroring backend/crypto/tokens.py
// and cbor_claims.py: v1, JSON claims in `{base}/v#<compact JWS>`; v2, CBOR claims, in the QR code packed
// as `{BASE}/V#<Base32 of kid (6 bytes) || payload || signature (64 bytes)>`. Unpacking rebuilds the exact
// compact JWS, its header from the fixed template: nothing in a packed text can choose an algorithm.
// A holder's live code is packed alike behind the digit PRESENTATION_MARK (`{BASE}/V#1<packed>`), which
// chooses the template of its own type, `jz-presentation`.

import { decodeCbor } from '../core/cbor.js';
import { bytesB64u, CERTIFICATE_V2, jsonClaims, PRESENTATION } from '../core/jws.js';

export const PACKED_RE = /^[A-Z2-7]+$/;
const KID_BYTES = 6;
const SIG_BYTES = 64;
export const MIN_PACKED = Math.ceil((KID_BYTES + 1 + SIG_BYTES) * 8 / 5);   // 114 characters
const MAX_PACKED = 1600;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 Base32 without padding, strictly (as the server reads it), or null. */
export function b32decode(text) {
  if (typeof text !== 'string' || text.length > MAX_PACKED || [1, 3, 6].includes(text.length % 8) || !PACKED_RE.test(text)) return null;
  const out = new Uint8Array(Math.floor(text.length * 5 / 8));
  let acc = 0;
  let bits = 0;
  let n = 0;
  for (const ch of text) {
    acc = ((acc << 5) | ALPHABET.indexOf(ch)) & 0xfff;
    bits += 5;
    if (bits >= 8) { bits -= 8; out[n++] = (acc >> bits) & 0xff; }
  }
  return (acc & ((1 << bits) - 1)) === 0 ? out : null;   // the bits past the last byte are zero
}

const header = (kid, typ) => `{"alg":"ES256","kid":"${kid}","typ":"${typ}"}`;
export const PRESENTATION_MARK = '1';   // no packed certificate begins with it: Base32 has no 0, 1, 8 or 9

/** The exact compact JWS a packed text stands for, or null; a live code's behind PRESENTATION_MARK. */
export function unpack(text) {
  const live = typeof text === 'string' && text[0] === PRESENTATION_MARK;
  const raw = b32decode(live ? text.slice(1) : text);
  if (!raw || raw.length <= KID_BYTES + SIG_BYTES) return null;
  const typ = live ? PRESENTATION : CERTIFICATE_V2;
  const h = bytesB64u(new TextEncoder().encode(header(bytesB64u(raw.subarray(0, KID_BYTES)), typ)));
  return `${h}.${bytesB64u(raw.subarray(KID_BYTES, raw.length - SIG_BYTES))}.${bytesB64u(raw.subarray(raw.length - SIG_BYTES))}`;
}

// CBOR key -> claim, and the type each must have (crypto/cbor_claims.py).
const NAMES = { 1: 'iss', 4: 'exp', 6: 'iat', 7: 'jti', 8: 'i', 9: 'r', 10: 'n', 11: 'k', 12: 's', 13: 'e', 14: 'h', 15: 'u' };
const TEXT = new Set(['iss', 'r', 'n', 'k', 'h']);
const UINT = new Set(['exp', 'iat', 'i', 'u']);   // u: a live code's copy's usage end
const MAX_DAY = 2932897;   // 9999-12-31 is day 2932896

function yyyymmdd(day) {
  const d = new Date(day * 86400000);
  return d.getUTCFullYear() * 10000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
}

function b32lower(bytes) {
  let acc = 0;
  let bits = 0;
  let out = '';
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) { bits -= 5; out += ALPHABET[(acc >> bits) & 31]; }
    acc &= 0xff;
  }
  if (bits) out += ALPHABET[(acc << (5 - bits)) & 31];
  return out.toLowerCase();
}

/** The claims of a v2 payload by the v1 names and shapes, or throws Error('malformed'). */
export function cborClaims(payload) {
  let raw;
  try { raw = decodeCbor(payload); } catch { throw new Error('malformed'); }
  if (!(raw instanceof Map)) throw new Error('malformed');
  const claims = {};
  for (const [key, v] of raw) {
    const name = Number.isInteger(key) ? NAMES[key] : undefined;
    if (!name) continue;
    let value = v;
    let ok;
    if (TEXT.has(name)) ok = typeof v === 'string';
    else if (UINT.has(name)) ok = Number.isInteger(v) && v >= 0;
    else if (name === 'jti') {
      ok = typeof v === 'string' || (v instanceof Uint8Array && v.length === 5);
      if (ok && typeof v !== 'string') value = b32lower(v);
    } else if (name === 's') {
      ok = Array.isArray(v) && v.length % 2 === 0;
      const pairs = [];
      for (let i = 0; ok && i < v.length; i += 2) {
        ok = typeof v[i] === 'string' && Number.isInteger(v[i + 1]) && v[i + 1] >= 0 && v[i + 1] < MAX_DAY;
        if (ok) pairs.push([v[i], yyyymmdd(v[i + 1])]);
      }
      value = pairs;
    } else {   // e
      ok = Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'string');
    }
    if (!ok) throw new Error('malformed');
    claims[name] = value;
  }
  return claims;
}

/** The claims of a parsed certificate JWS (or live code) whose signature checked out, whichever its form. */
export function certificateClaims(jws) {
  return [CERTIFICATE_V2, PRESENTATION].includes(jws.header.typ) ? cborClaims(jws.payload) : jsonClaims(jws);
}

/** A packed text as the server reads it bare: a certificate's, or a live code's behind its mark. */
export function isPacked(s) {
  const body = s[0] === PRESENTATION_MARK ? s.slice(1) : s;
  return body.length >= MIN_PACKED && PACKED_RE.test(body);
}
