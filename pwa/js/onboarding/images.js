// 入库登记 (docs/onboarding.md) as the holder's and the authority's pages use it: the API calls, the names of
// kinds and states, the state chip, protected images shown through blob: URLs, and a phone photo made
// small enough to send. The server is the one judge of an image: these pages show its refusal in its words.

import { api, fetchBlob, upload } from '../core/auth.js';
import { el } from '../core/dom.js';
import { pick, t } from '../core/i18n.js';
import './strings.js';

export const KINDS = ['photo', 'signature'];
export const STATES = ['pending', 'approved', 'returned', 'withdrawn'];
const TONE = { pending: 'info', approved: 'ok', returned: 'warn', withdrawn: 'grey' };
const MAX_SIDE = 2400;                    // a bigger photo is scaled down before it is sent
const MAX_BYTES = 4 * 1024 * 1024;        // the server takes 5 MB

export const holderImages = () => api('api/v1/holder/images');
export const reviewQueue = (params) => api('api/v1/image-submissions', { params });
export const decide = (id, decision, reason) => api(`api/v1/image-submissions/${encodeURIComponent(id)}/decide`,
  { method: 'POST', body: reason ? { decision, reason } : { decision } });
export const withdraw = (id) => api(`api/v1/holder/images/${encodeURIComponent(id)}/withdraw`, { method: 'POST' });
export const sendImage = (kind, file, onProgress) => upload(`api/v1/holder/${kind}`, file, onProgress, 'image');

export const kindName = (s) => (typeof s === 'string' ? t(`ob.kind.${s}`) : pick(s.kind_name, s.kind_name_en));
export const stateName = (s) => (typeof s === 'string' ? t(`ob.state.${s}`) : pick(s.state_name, s.state_name_en));

/** The state as a chip: words and colour, never the colour alone. */
export function stateChip(s) {
  const state = typeof s === 'string' ? s : s.state;
  const chip = el('span', `chip tone-${TONE[state] || 'grey'}`, stateName(s));
  chip.dataset.state = state;
  return chip;
}

/** Object URLs of protected images, kept to be revoked when a page is cleared or drawn again. */
export class ImageUrls {
  constructor() { this.urls = new Map(); }   // path -> Promise of its blob: URL, or of null

  /** The blob: URL of `path` (fetched once per path), or null when there is none (404) or it failed. */
  get(path) {
    if (!this.urls.has(path)) {
      this.urls.set(path, fetchBlob(path).then((b) => URL.createObjectURL(b), () => null));
    }
    return this.urls.get(path);
  }

  clear() {
    for (const p of this.urls.values()) p.then((url) => { if (url) URL.revokeObjectURL(url); });
    this.urls.clear();
  }
}

/** Fill an <img> (inside a figure) from a protected path; the figure says when there is no image. */
export async function showImage(img, urls, path, altKey) {
  img.alt = t(altKey);
  const figure = img.closest('figure');
  const url = path ? await urls.get(path) : null;
  if (url) img.src = url; else img.removeAttribute('src');
  if (figure) figure.dataset.empty = String(!url);
}

/** The file as chosen, or, when it is large, redrawn upright at most MAX_SIDE px on white as a JPEG: a phone
 *  camera's 12-50 MP photo need not go up whole. Anything the browser cannot draw is sent as it is (the
 *  server says what is wrong with it). */
export async function prepare(file) {
  if (file.size <= MAX_BYTES || typeof createImageBitmap !== 'function') return file;
  let bitmap;
  try { bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' }); } catch { return file; }
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';                 // a transparent signature stays ink on white
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.92));
  return blob ? new File([blob], (file.name || 'image').replace(/\.\w+$/, '') + '.jpg', { type: 'image/jpeg' }) : file;
}

/** "3024×4032 JPEG · 1.8 MB": the upload as it came. */
export function sourceLine(s) {
  const src = s.source || {};
  const type = (src.mime || '').replace('image/', '').toUpperCase();
  const mb = src.bytes >= 1048576 ? `${(src.bytes / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round((src.bytes || 0) / 1024))} KB`;
  return t('ob.source', { w: src.width, h: src.height, type, size: mb });
}
