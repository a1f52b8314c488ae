// Compact JWS (ES256) in the browser: parse, and verify with WebCrypto.
// A JWS ES256 signature is the raw r||s pair (64 bytes), which is exactly the format WebCrypto's
// ECDSA verify() takes, so no DER conversion is needed (unlike Java or OpenSSL).
// The payload is read only after its signature checks out: JSON here (jsonClaims); a certificate token
// v2's CBOR in js/verify/token.js.

export const JWS_RE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export function b64uBytes(s) {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function bytesB64u(bytes) {
  let bin = '';
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function jsonObject(bytes) {
  const v = JSON.parse(utf8.decode(bytes));
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('not a JSON object');
  return v;
}

/** {header, payload (bytes), signingInput, signature} or throws Error('malformed'). */
export function parseJws(token) {
  if (typeof token !== 'string' || token.length > 8192 || !JWS_RE.test(token)) throw new Error('malformed');
  const [h, p, s] = token.split('.');
  try {
    return {
      header: jsonObject(b64uBytes(h)),
      payload: b64uBytes(p),
      signingInput: new TextEncoder().encode(`${h}.${p}`),
      signature: b64uBytes(s),
    };
  } catch {
    throw new Error('malformed');
  }
}

/** The JSON claims of a parsed JWS (call it once the signature checks out), or throws Error('malformed'). */
export function jsonClaims(jws) {
  try { return jsonObject(jws.payload); } catch { throw new Error('malformed'); }
}

/** CryptoKey per kid from a JWKS: only EC P-256 keys meant for ES256 signatures. */
export async function importJwks(jwks) {
  const keys = new Map();
  for (const k of (jwks && jwks.keys) || []) {
    if (k.kty !== 'EC' || k.crv !== 'P-256' || !k.kid || (k.alg && k.alg !== 'ES256') || (k.use && k.use !== 'sig')) continue;
    try {
      const key = await crypto.subtle.importKey('jwk', { kty: 'EC', crv: 'P-256', x: k.x, y: k.y, ext: true },
        { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
      keys.set(k.kid, key);
    } catch { /* a damaged key is skipped; tokens signed by it then read as unknown_key */ }
  }
  return keys;
}

/** A certificate token v1 carries no typ header, a v2 one "jz2"; the status list's names itself (never a certificate). */
export const CERTIFICATE_V2 = 'jz2';
export const CERTIFICATE_TYPES = [null, 'JWT', CERTIFICATE_V2];
/** A holder's live code (a presentation of one copy, CBOR claims): never one of CERTIFICATE_TYPES. */
export const PRESENTATION = 'jz-presentation';

/**
 * Check a parsed JWS against the keys: resolves to null when genuine, else the reason code
 * (the same codes as backend/crypto/tokens.py).
 */
export async function checkSignature(jws, keys, typ = null) {
  const { header, signature, signingInput } = jws;
  if (header.alg !== 'ES256') return 'algorithm_not_allowed';
  if (typeof header.kid !== 'string' || !header.kid) return 'missing_kid';
  const key = keys.get(header.kid);
  if (!key) return 'unknown_key';
  // typ: the header type required, or a list of those accepted (null in it: no typ header)
  if (typ !== null && !(Array.isArray(typ) ? typ : [typ]).includes(header.typ ?? null)) return 'wrong_type';
  if (signature.length !== 64) return 'bad_signature';
  const ok = await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, signature, signingInput);
  return ok ? null : 'bad_signature';
}

/** gunzip with the browser's own DecompressionStream (Chromium 80+, Safari 16.4+, Firefox 113+). */
export async function gunzip(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
