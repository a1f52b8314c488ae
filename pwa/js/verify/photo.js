// The photo fallback: a photo taken or chosen is decoded here first (the same worker as the camera),
// and only when that finds nothing is it sent to POST /api/v1/verify/image, whose decoder cascade is
// stronger on large, skewed or glary photos. A certificate PDF goes to the server at once: only the
// server checks its electronic signature (and reads page 1), so a PDF can be checked online only.

import { decode } from './decoder.js';
import { verifyImageOnline } from './verify.js';

const DEVICE_MAX_SIDE = 1600;   // a 12 MP photo scaled down: a certificate QR keeps ~3 px per module

/** A PDF by its type, its name, or its first bytes (a file picker may give no type). */
export async function isPdf(file) {
  if (file.type === 'application/pdf' || /\.pdf$/i.test(file.name || '')) return true;
  try {
    const head = new Uint8Array(await file.slice(0, 5).arrayBuffer());
    return String.fromCharCode(...head) === '%PDF-';
  } catch {
    return false;
  }
}

async function onServer(file, pdf) {
  try {
    const results = await verifyImageOnline(file);
    return { results, via: 'server', pdf };
  } catch (e) {
    if (e.status === 422 && e.body && e.body.error === 'no_qr_found') return { texts: [], pdf };
    if (e.status === undefined) return { texts: [], offline: true, pdf };   // the network failed
    throw e;
  }
}

/**
 * {texts} when found on the device, {results} when the server read it (live verify results; for a PDF
 * each with its `document`), {texts: [], offline} when nothing was found; `pdf` says what was read.
 * Throws with .status/.body on a server refusal.
 */
export async function readPhoto(file, { online = navigator.onLine !== false } = {}) {
  if (await isPdf(file)) {
    if (!online) return { texts: [], offline: true, pdf: true };
    return onServer(file, true);
  }
  let bitmap = null;
  try {
    // createImageBitmap applies the EXIF orientation ("from-image" is the default since Chrome 81
    // and Safari 13.1), so a phone photo taken upright is decoded upright.
    bitmap = await createImageBitmap(file);
  } catch {
    bitmap = null;   // a format this browser cannot draw (HEIC on desktop, say): the server may still read it
  }
  if (bitmap) {
    try {
      const { texts } = await decode(bitmap, { kind: 'photo', maxSide: DEVICE_MAX_SIDE });
      if (texts.length) return { texts, via: 'device' };
    } finally {
      bitmap.close();
    }
  }
  if (!online) return { texts: [], offline: true };
  return onServer(file, false);
}
