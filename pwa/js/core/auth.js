// The signed-in account's session (enterprise, holder or authority), every authenticated call to the API,
// and an API refusal in the reader's words (errorWords, for every signed-in page).
//
// The access token lives in memory and in sessionStorage (this tab only, gone when it closes), never in
// localStorage: a bearer token that outlives the browser session is a bearer token left on the device.
// It travels only as `Authorization: Bearer …`. A 401 anywhere ends the session (expired or revoked
// token) and tells the page, which shows the login form again.
// The service worker never sees these answers: it lets every /api/* request go to the network.

import { pick, t } from './i18n.js';
import { apiUrl } from './trust.js';

const KEY = 'jz.ent.session';
let session = null;
let onExpired = () => {};

/** An API refusal: the HTTP status and the one error shape {error, message, message_en, details}. */
export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.error) || `HTTP ${status}`);
    this.status = status;
    this.body = body || {};
    this.code = this.body.error || (status === 0 ? 'network' : `http_${status}`);
  }
}

/** An API failure in the reader's language: the server's message (it has both), else ours. */
export function errorWords(err) {
  if (!err || err.status === 0) return t('ent.err.network');
  if (err.status === 429) return t('ent.err.busy');
  if (err.body && err.body.message) return pick(err.body.message, err.body.message_en);
  if (err.status === 401) return t('ent.err.expired');
  if (err.status === 403) return t('ent.err.forbidden');
  return t('ent.err.failed');
}

function save(s) {
  session = s;
  try {
    if (s) sessionStorage.setItem(KEY, JSON.stringify(s)); else sessionStorage.removeItem(KEY);
  } catch { /* storage blocked: the session lasts as long as the page */ }
}

function restore() {
  if (session) return;
  try { session = JSON.parse(sessionStorage.getItem(KEY) || 'null'); } catch { session = null; }
  if (session && !(session.token && session.expiresAt > Date.now())) save(null);
}

export function currentSession() {
  restore();
  if (session && session.expiresAt <= Date.now()) save(null);
  return session;
}

/** Called when the server no longer accepts the token (the page goes back to the login form). */
export function setOnExpired(fn) { onExpired = fn; }

function expire() {
  const had = !!session;
  save(null);
  if (had) onExpired();
}

async function readJson(resp) {
  try { return await resp.json(); } catch { return null; }
}

function url(path, params) {
  const u = new URL(apiUrl(path));
  for (const [k, v] of Object.entries(params || {})) if (v !== '' && v !== null && v !== undefined) u.searchParams.set(k, v);
  return u.href;
}

const authHeaders = () => (session ? { Authorization: `Bearer ${session.token}` } : {});

export async function login(username, password) {
  let resp;
  try {
    resp = await fetch(apiUrl('api/v1/auth/login'), {
      method: 'POST', cache: 'no-store', credentials: 'omit',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ username, password }),
    });
  } catch { throw new ApiError(0, null); }
  const body = await readJson(resp);
  if (!resp.ok || !body || !body.access_token) throw new ApiError(resp.status, body);
  const ttl = Number(body.expires_in) > 0 ? Number(body.expires_in) : 3600;
  save({ token: body.access_token, role: body.role, username, expiresAt: Date.now() + ttl * 1000 });
  return session;
}

/** Revoke the token on the server (best effort) and forget it here in any case. */
export async function logout() {
  const s = currentSession();
  save(null);
  if (!s) return;
  try {
    await fetch(apiUrl('api/v1/auth/logout'), {
      method: 'POST', cache: 'no-store', credentials: 'omit',
      headers: { Authorization: `Bearer ${s.token}`, Accept: 'application/json' },
    });
  } catch { /* offline: the token still expires on its own */ }
}

/** GET (or another method, with a JSON `body`) with the bearer token; the parsed JSON, or an ApiError. */
export async function api(path, { params, method = 'GET', body } = {}) {
  currentSession();
  const headers = { ...authHeaders(), Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let resp;
  try {
    resp = await fetch(url(path, params), {
      method, cache: 'no-store', credentials: 'omit', headers, body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch { throw new ApiError(0, null); }
  const answer = await readJson(resp);
  if (resp.status === 401) expire();
  if (!resp.ok || !answer) throw new ApiError(resp.status, answer);
  return answer;
}

/**
 * POST a file as multipart field `field` ("file" unless named) with XMLHttpRequest, which (unlike fetch)
 * reports upload progress. onProgress(fraction | null): a number while the bytes go up, null once they
 * are all sent and the server is working on them. `fields`: more form fields sent with it (name: value).
 */
export function upload(path, file, onProgress, field = 'file', fields = {}) {
  currentSession();
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url(path));
    for (const [k, v] of Object.entries(authHeaders())) xhr.setRequestHeader(k, v);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.responseType = 'json';
    xhr.upload.addEventListener('progress', (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); });
    xhr.upload.addEventListener('load', () => onProgress(null));
    xhr.addEventListener('load', () => {
      const body = xhr.response;
      if (xhr.status === 401) expire();
      if (xhr.status >= 200 && xhr.status < 300 && body) resolve(body);
      else reject(new ApiError(xhr.status, body));
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, null)));
    xhr.addEventListener('abort', () => reject(new ApiError(0, null)));
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append(field, file, file.name);
    xhr.send(form);
  });
}

/** A protected image or file as a Blob (an <img> cannot send the Authorization header: show it through a
 *  blob: URL), or an ApiError. */
export async function fetchBlob(path) {
  currentSession();
  let resp;
  try {
    resp = await fetch(new URL(path, apiUrl('')).href, { cache: 'no-store', credentials: 'omit', headers: authHeaders() });
  } catch { throw new ApiError(0, null); }
  if (resp.status === 401) expire();
  if (!resp.ok) throw new ApiError(resp.status, await readJson(resp));
  return resp.blob();
}

/** The file name the server gives in Content-Disposition (RFC 6266 filename* first), else `fallback`. */
function fileName(disposition, fallback) {
  const star = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(disposition || '');
  if (star) { try { return decodeURIComponent(star[2].trim()); } catch { /* fall through */ } }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition || '');
  return plain ? plain[1].trim() : fallback;
}

/**
 * Download a protected file: a plain link cannot carry the Authorization header, so fetch it, then
 * save the blob through a temporary <a download>.
 */
export async function download(path, fallbackName) {
  currentSession();
  let resp;
  try {
    // The server names the file by an absolute path (as it does photo_url): resolve it like a link.
    resp = await fetch(new URL(path, apiUrl('')).href, { cache: 'no-store', credentials: 'omit', headers: authHeaders() });
  } catch { throw new ApiError(0, null); }
  if (resp.status === 401) expire();
  if (!resp.ok) throw new ApiError(resp.status, await readJson(resp));
  const blob = await resp.blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = fileName(resp.headers.get('Content-Disposition'), fallbackName);
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10000);
}
