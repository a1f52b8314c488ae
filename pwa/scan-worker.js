// Decodes QR codes off the main thread: camera frames and photos arrive as ImageBitmap (or ImageData
// where OffscreenCanvas is missing), answers go back with the decode time for the benchmark.
// Engine: the native BarcodeDetector where it exists and reads QR codes (Android Chrome, some
// desktop builds), else the vendored zxing-wasm reader (ZXing-C++), which also backs the native one up.

import { prepareZXingModule, readBarcodes } from './vendor/zxing-wasm/es/reader/index.js';

// By default zxing-wasm fetches its .wasm from a CDN; ours comes from our own origin (and the CSP's
// connect-src 'self' would refuse the CDN anyway). The worker's own URL anchors the path.
const WASM_URL = new URL('./vendor/zxing-wasm/reader/zxing_reader.wasm', import.meta.url).href;

const FRAME_OPTS = { formats: ['QRCode'], tryHarder: true, tryRotate: true, tryInvert: false, tryDownscale: true, maxNumberOfSymbols: 1 };
const PHOTO_OPTS = { ...FRAME_OPTS, tryInvert: true, maxNumberOfSymbols: 8 };

const zxingReady = prepareZXingModule({
  overrides: { locateFile: (path, prefix) => (path.endsWith('.wasm') ? WASM_URL : prefix + path) },
  fireImmediately: true,
});

async function makeNative() {
  // BarcodeDetector is exposed to dedicated workers in Chromium; getSupportedFormats() can be empty
  // (desktop Linux has the class but no QR engine), so ask before trusting it.
  if (typeof self.BarcodeDetector !== 'function') return null;
  try {
    const formats = await self.BarcodeDetector.getSupportedFormats();
    return formats.includes('qr_code') ? new self.BarcodeDetector({ formats: ['qr_code'] }) : null;
  } catch {
    return null;
  }
}
const nativeReady = makeNative();

let canvas = null;
let ctx = null;
function pixels(bitmap) {
  if (!canvas || canvas.width !== bitmap.width || canvas.height !== bitmap.height) {
    canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    // willReadFrequently keeps the canvas in CPU memory: getImageData every frame stays cheap.
    ctx = canvas.getContext('2d', { willReadFrequently: true });
  }
  ctx.drawImage(bitmap, 0, 0);
  return ctx.getImageData(0, 0, bitmap.width, bitmap.height);
}

async function decode(msg) {
  const photo = msg.kind === 'photo';
  const native = await nativeReady;
  const t0 = performance.now();
  if (native && msg.bitmap) {
    try {
      const found = await native.detect(msg.bitmap);
      const texts = found.map((b) => b.rawValue).filter(Boolean);
      if (texts.length || !photo) return { texts, ms: performance.now() - t0, engine: 'native' };
    } catch { /* fall through to zxing */ }
  }
  await zxingReady;
  const t1 = performance.now();
  const image = msg.image || pixels(msg.bitmap);
  const t2 = performance.now();
  const results = await readBarcodes(image, photo ? PHOTO_OPTS : FRAME_OPTS);
  const t3 = performance.now();
  const texts = results.filter((r) => r.isValid && r.text).map((r) => r.text);
  return { texts, ms: t3 - t2, prepMs: t2 - t1, engine: 'zxing' };
}

self.onmessage = async (e) => {
  const msg = e.data;
  if (msg.kind === 'hello') {
    const native = await nativeReady;
    try { await zxingReady; } catch (err) { self.postMessage({ kind: 'ready', ok: !!native, error: String(err) }); return; }
    self.postMessage({ kind: 'ready', ok: true, engine: native ? 'native' : 'zxing' });
    return;
  }
  try {
    const out = await decode(msg);
    self.postMessage({ kind: 'result', id: msg.id, ...out });
  } catch (err) {
    self.postMessage({ kind: 'result', id: msg.id, texts: [], error: String(err) });
  } finally {
    if (msg.bitmap && msg.bitmap.close) msg.bitmap.close();
  }
};
