// The main thread's side of the decoding worker (pwa/scan-worker.js): hands it frames or photos, one
// promise per request. Per-frame decode times are kept in `perf` (window.__jz.perf) for bench/scan_bench.py.

export const perf = { engine: null, decodeMs: [], prepMs: [], frames: 0 };

let worker = null;
let ready = null;
let seq = 0;
const pending = new Map();
// OffscreenCanvas in workers: Chromium 69+, Firefox 105+, Safari 16.4+. Without it the frame is read
// to ImageData here and its buffer transferred (no copy).
const offscreenOk = typeof OffscreenCanvas === 'function';

export function startDecoder() {
  if (ready) return ready;
  ready = new Promise((resolve, reject) => {
    worker = new Worker(new URL('../../scan-worker.js', import.meta.url), { type: 'module' });
    worker.onmessage = (e) => {
      const m = e.data;
      if (m.kind === 'ready') {
        perf.engine = m.engine || null;
        if (m.ok) resolve(m.engine); else reject(new Error(m.error || 'decoder failed to start'));
        return;
      }
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      p(m);
    };
    worker.onerror = (e) => { reject(new Error(e.message || 'decoder worker error')); };
    worker.postMessage({ kind: 'hello' });
  });
  ready.catch((e) => console.error(e));
  return ready;
}

function scaled(w, h, maxSide) {
  const k = Math.min(1, maxSide / Math.max(w, h));
  return [Math.max(1, Math.round(w * k)), Math.max(1, Math.round(h * k))];
}

let scratch = null;
function toImageData(source, w, h) {
  if (!scratch) scratch = document.createElement('canvas');
  if (scratch.width !== w || scratch.height !== h) { scratch.width = w; scratch.height = h; }
  const c = scratch.getContext('2d', { willReadFrequently: true });
  c.drawImage(source, 0, 0, w, h);
  return c.getImageData(0, 0, w, h);
}

/**
 * Decode a video element, an ImageBitmap or an image Blob: resolves to {texts, ms}.
 * kind 'frame' (camera: one symbol, fast) or 'photo' (several symbols, inverted ones too).
 */
export async function decode(source, { kind = 'frame', maxSide = 1280 } = {}) {
  await startDecoder();
  const srcW = source.videoWidth || source.width;
  const srcH = source.videoHeight || source.height;
  if (!srcW || !srcH) return { texts: [], ms: 0 };
  const [w, h] = scaled(srcW, srcH, maxSide);
  const id = ++seq;
  const msg = { id, kind };
  let transfer;
  if (offscreenOk) {
    const opts = w !== srcW ? { resizeWidth: w, resizeHeight: h, resizeQuality: 'medium' } : undefined;
    msg.bitmap = await createImageBitmap(source, opts);
    transfer = [msg.bitmap];
  } else {
    msg.image = toImageData(source, w, h);
    transfer = [msg.image.data.buffer];
  }
  const answer = await new Promise((resolve) => { pending.set(id, resolve); worker.postMessage(msg, transfer); });
  if (kind === 'frame') {
    perf.frames += 1;
    if (answer.ms !== undefined) { perf.decodeMs.push(answer.ms); if (perf.decodeMs.length > 1000) perf.decodeMs.shift(); }
    if (answer.prepMs !== undefined) { perf.prepMs.push(answer.prepMs); if (perf.prepMs.length > 1000) perf.prepMs.shift(); }
  }
  if (answer.error) console.warn('decode error', answer.error);
  return { texts: answer.texts || [], ms: answer.ms || 0, engine: answer.engine };
}
