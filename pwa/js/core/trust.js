// What an offline check trusts: the issuer's public keys (JWKS), its signed status list and the
// catalogue of kind names. Kept in IndexedDB, refreshed from the network whenever online.
// The status list is stored only after its own ES256 signature checks out against the JWKS.
// Its entries are 4 bits wide (ok, suspended, revoked, superseded, lapsed: the list's own `statuses`);
// a list cached before issue 11 (2 bits, lapsed listed as revoked) is still read, by its own table, and
// refreshed at the first chance.

import { checkSignature, gunzip, b64uBytes, importJwks, jsonClaims, parseJws } from './jws.js';
import { kvGet, kvSet } from './store.js';

export const MAX_AGE_S = 7 * 24 * 3600;   // older than this, never "valid" (DESIGN.md)
const STATUS_TYP = 'statuslist+jwt';
export const LIST_BITS_NOW = 4;
const LIST_BITS = [2, LIST_BITS_NOW];     // 2: a list cached before issue 11
const KNOWN_STATUSES = ['ok', 'suspended', 'revoked', 'superseded', 'lapsed'];

const state = { jwks: null, keys: new Map(), list: null, catalogue: null, syncedAt: 0 };
const listeners = new Set();
let inflight = null;

export const trust = () => state;
export const onTrustChange = (fn) => listeners.add(fn);
const changed = () => listeners.forEach((fn) => { try { fn(state); } catch (e) { console.error(e); } });

/** The app's base URL ("/" or a deployment prefix): every API path is resolved against it. */
export const appBase = () => new URL('.', document.baseURI);
export const apiUrl = (path) => new URL(path, appBase()).href;

async function decodeList(token, keys) {
  const jws = parseJws(token);
  const why = await checkSignature(jws, keys, STATUS_TYP);
  if (why) throw new Error(`status list: ${why}`);
  const c = jsonClaims(jws);
  if (!LIST_BITS.includes(c.bits) || !Number.isInteger(c.size) || !Number.isInteger(c.iat) || typeof c.encodedList !== 'string'
      || !Array.isArray(c.statuses) || !c.statuses.every((x) => KNOWN_STATUSES.includes(x)) || c.statuses[0] !== 'ok'
      || c.statuses.length > 2 ** c.bits) {
    throw new Error('status list: unexpected claims');
  }
  const enc = c.encodedList.startsWith('u') ? c.encodedList.slice(1) : c.encodedList;   // multibase "u"
  const bits = await gunzip(b64uBytes(enc));
  if (bits.length * 8 < c.size * c.bits) throw new Error('status list: shorter than its size');
  const { encodedList, ...claims } = c;   // keep the claims small in memory
  return { token, claims, bits };
}

/** Read what the device already holds. Never throws: no data is a state, not an error. */
export async function loadTrust() {
  try {
    const [jwks, sl, cat] = await Promise.all([kvGet('jwks'), kvGet('statusList'), kvGet('catalogue')]);
    if (jwks) { state.jwks = jwks; state.keys = await importJwks(jwks.data); }
    if (sl && state.keys.size) {
      try { state.list = { ...(await decodeList(sl.token, state.keys)), fetchedAt: sl.fetchedAt }; } catch (e) { console.warn(e); }
    }
    if (cat) state.catalogue = cat.data;
    state.syncedAt = Math.max(jwks ? jwks.fetchedAt : 0, sl ? sl.fetchedAt : 0);
  } catch (e) {
    console.warn('trust data unavailable', e);
  }
  changed();
  return state;
}

async function getJson(path) {
  const resp = await fetch(apiUrl(path), { cache: 'no-store', credentials: 'same-origin' });
  if (!resp.ok) throw Object.assign(new Error(`${path}: HTTP ${resp.status}`), { status: resp.status });
  return resp.json();
}

async function refreshNow() {
  const now = Date.now();
  const [jwks, sl, cat] = await Promise.allSettled([
    getJson('.well-known/jwks.json'), getJson('api/v1/status-list'), getJson('api/v1/catalogue')]);
  if (jwks.status === 'fulfilled') {
    const keys = await importJwks(jwks.value);
    if (keys.size) {
      state.jwks = { data: jwks.value, fetchedAt: now };
      state.keys = keys;
      await kvSet('jwks', state.jwks);
    }
  }
  if (sl.status === 'fulfilled' && state.keys.size) {
    try {
      const fresh = await decodeList(sl.value.token, state.keys);
      // Never roll back to an older list (a replayed or cached answer).
      if (!state.list || fresh.claims.iat >= state.list.claims.iat) {
        state.list = { ...fresh, fetchedAt: now };
        await kvSet('statusList', { token: fresh.token, fetchedAt: now });
      }
    } catch (e) { console.warn(e); }
  }
  if (cat.status === 'fulfilled' && cat.value && Array.isArray(cat.value.kinds)) {
    state.catalogue = cat.value;
    await kvSet('catalogue', { data: cat.value, fetchedAt: now });
  }
  if (jwks.status === 'fulfilled' || sl.status === 'fulfilled') state.syncedAt = now;
  changed();
  return state;
}

/** Fetch fresh keys and status list; one refresh at a time. */
export function refreshTrust() {
  if (!inflight) inflight = refreshNow().catch((e) => { console.warn('refresh failed', e); return state; })
    .finally(() => { inflight = null; });
  return inflight;
}

/** Seconds since the status list was issued (by its own signed iat), or null without a list. */
export function listAgeSeconds(nowMs = Date.now()) {
  return state.list ? Math.max(0, nowMs / 1000 - state.list.claims.iat) : null;
}

/** Whether a refresh is due: no list, or the list is older than its ttl. */
export function refreshDue(nowMs = Date.now()) {
  const age = listAgeSeconds(nowMs);
  const ttl = state.list ? Number(state.list.claims.ttl) || 3600 : 0;
  return age === null || age > ttl || state.list.claims.bits !== LIST_BITS_NOW;   // an old format: now
}

/** The issuer's base URL named by the status list (claim sub = {base}/api/v1/status-list). */
export function issuerBase() {
  const sub = state.list && state.list.claims.sub;
  return typeof sub === 'string' && sub.endsWith('/api/v1/status-list') ? sub.slice(0, -'/api/v1/status-list'.length) : null;
}

/**
 * The status of entry `index`: 'ok', 'suspended', 'revoked', 'superseded' or 'lapsed' (by the list's own
 * table); null when the index is outside the list; 'unknown' for a value the table does not name.
 */
export function listEntry(index) {
  const l = state.list;
  if (!l || !Number.isInteger(index) || index < 0 || index >= l.claims.size) return null;
  const w = l.claims.bits;                  // entries of w bits, most significant first (W3C)
  const bit = index * w;
  const value = (l.bits[bit >> 3] >> (8 - w - (bit & 7))) & ((1 << w) - 1);
  return l.claims.statuses[value] || 'unknown';
}
