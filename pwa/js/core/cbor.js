// A small CBOR decoder (RFC 8949) for the subset a certificate token v2 holds: unsigned and negative
// integers, byte and text strings, arrays and maps of definite length, false, true and null. Anything
// else (tags, floats, indefinite lengths, integers beyond 2^53, bytes left over) throws: the token's
// issuer never writes it. Maps come back as Map, so that integer keys stay integers.

const utf8 = new TextDecoder('utf-8', { fatal: true });
const MAX_DEPTH = 8;

/** The value of CBOR bytes (a Uint8Array), or throws Error('cbor: …'). */
export function decodeCbor(bytes) {
  let pos = 0;
  const fail = (why) => { throw new Error(`cbor: ${why} at ${pos}`); };
  const need = (n) => { if (pos + n > bytes.length) fail('truncated'); };

  function argument(info) {
    if (info < 24) return info;
    const len = { 24: 1, 25: 2, 26: 4, 27: 8 }[info];
    if (!len) fail('indefinite or reserved length');
    need(len);
    let v = 0;
    for (let i = 0; i < len; i++) v = v * 256 + bytes[pos + i];
    pos += len;
    if (!Number.isSafeInteger(v)) fail('integer too large');
    return v;
  }

  function item(depth) {
    if (depth > MAX_DEPTH) fail('nested too deep');
    need(1);
    const first = bytes[pos++];
    const major = first >> 5;
    const info = first & 31;
    if (major === 7) {
      if (info === 20) return false;
      if (info === 21) return true;
      if (info === 22) return null;
      fail('unsupported simple value or float');
    }
    if (major === 6) fail('tags are not supported');
    const n = argument(info);
    switch (major) {
      case 0: return n;
      case 1: return -1 - n;
      case 2: case 3: {
        need(n);
        const s = bytes.subarray(pos, pos + n);
        pos += n;
        return major === 2 ? s.slice() : utf8.decode(s);
      }
      case 4: {
        const out = [];
        for (let i = 0; i < n; i++) out.push(item(depth + 1));
        return out;
      }
      default: {   // 5: map
        const out = new Map();
        for (let i = 0; i < n; i++) {
          const k = item(depth + 1);
          if (out.has(k)) fail('duplicate key');
          out.set(k, item(depth + 1));
        }
        return out;
      }
    }
  }

  const value = item(0);
  if (pos !== bytes.length) fail('bytes after the value');
  return value;
}
