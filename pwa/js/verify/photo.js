// The photo fallback: a photo taken or chosen is decoded here first (the same worker as the camera),
// and only when that finds nothing is it sent to POST /api/v1/verify/image, whose decoder cascade is
// stronger on large, skewed or glary photos.

import { decode } from './decoder.js';
import { verifyImageOnline } from './verify.js';

const DEVICE_MAX_SIDE = 1600;   // a 12 MP photo scaled down: a certificate QR keeps ~3 px per module

/**
 * {texts} when found on the device, {results} when the server read it (live verify results),
 * {texts: [], offline} when nothing was found; throws with .status/.body on a server refusal.
 */
export async function readPhoto(file, { online = navigator.onLine !== false } = {}) {
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
  try {
    const results = await verifyImageOnline(file);
    return { results, via: 'server' };
  } catch (e) {
    if (e.status === 422 && e.body && e.body.error === 'no_qr_found') return { texts: [] };
    if (e.status === undefined) return { texts: [], offline: true };   // the network failed
    throw e;
  }
}
