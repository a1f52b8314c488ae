// Sending finished site checks to the server: POST /api/v1/inspections with the check's client_id (the
// server answers the same record for the same client_id, so a retry never files a check twice), under the
// inspector's session (core/auth.js). A network failure, a busy or failing server waits and tries again
// (30 s, doubling up to 10 min) and at once when the device comes back online; a missing or wrong
// account waits for a sign-in; any other refusal is kept on the check, in the server's words, until the
// inspector retries. The answer (record id, public id, signed token, results) is kept on the check.

import { api, ApiError, currentSession } from '../core/auth.js';
import { allChecks, loadCheck, saveCheck } from './checks.js';

export const SYNC_ROLES = ['inspector'];
const FIRST_WAIT_MS = 30 * 1000;
const MAX_WAIT_MS = 10 * 60 * 1000;
let timer = null;
let running = null;
let onChange = () => {};

/** Called with the check's client_id whenever a check's sync state changes (the screens re-render). */
export function onSyncChange(fn) { onChange = fn; }

/** 'login' (no session), 'role' (an account that cannot file checks) or null (ready). */
export function accountProblem() {
  const s = currentSession();
  if (!s) return 'login';
  return SYNC_ROLES.includes(s.role) ? null : 'role';
}

/** The body of POST /api/v1/inspections for a check. */
export function payload(c) {
  const site = { name: c.site.name, specialty: c.site.specialty, contractor_uscc: c.site.contractor_uscc };
  if (c.site.scale) site.scale = c.site.scale;
  if (c.site.province) site.province = c.site.province;
  if (c.site.gps) site.gps = c.site.gps;
  const body = { client_id: c.client_id, site, started_at: c.started_at,
    people: c.people.map((p) => ({ role: p.role, qr: p.certs.map((x) => x.qr) })) };
  if (c.finished_at) body.finished_at = c.finished_at;
  return body;
}

const retriable = (e) => e.status === 0 || e.status === 429 || e.status >= 500;

async function syncOne(c) {
  try {
    c.server = await api('api/v1/inspections', { method: 'POST', body: payload(c) });
    c.state = 'synced';
    c.sync = { attempts: c.sync.attempts + 1, next: 0, error: null, at: Date.now() };
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    const attempts = c.sync.attempts + 1;
    const wait = Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** Math.min(attempts - 1, 10));
    const error = { status: e.status, code: e.code, message: e.body.message || null, message_en: e.body.message_en || null };
    c.sync = { attempts, next: retriable(e) ? Date.now() + wait : 0, error };
  }
  await saveCheck(c);
  onChange(c.client_id);
  return c;
}

function schedule(checks) {
  clearTimeout(timer);
  // app.js reads this at start: checks waiting to sync bring this area in at once, not when next opened
  try { localStorage.setItem('jz.sitecheck.pending', String(checks.filter((c) => c.state === 'pending').length)); } catch { /* no storage */ }
  const next = checks.filter((c) => c.state === 'pending' && c.sync.next).map((c) => c.sync.next);
  if (next.length) timer = setTimeout(() => syncAll(), Math.max(1000, Math.min(...next) - Date.now()));
}

/**
 * Send every finished check not yet synced (due now, or all with `force`), one at a time. Never throws.
 * Resolves to the checks as they are after the attempt.
 */
export function syncAll({ force = false } = {}) {
  if (running) return running;
  running = (async () => {
    let checks = [];
    try {
      checks = await allChecks();
      if (navigator.onLine === false || accountProblem()) return checks;
      for (const c of checks.filter((x) => x.state === 'pending')) {
        if (!force && c.sync.next && c.sync.next > Date.now()) continue;
        if (!force && c.sync.error && !c.sync.next && ![401, 403].includes(c.sync.error.status)) continue;   // refused: waits for the inspector
        const fresh = await loadCheck(c.client_id);   // the screen may have changed it meanwhile
        if (fresh && fresh.state === 'pending') await syncOne(fresh);
        if (accountProblem()) break;                   // a 401 ended the session: the rest wait for a sign-in
      }
      checks = await allChecks();
    } catch (e) {
      console.warn('sync', e);
    } finally {
      running = null;
      schedule(checks);
    }
    return checks;
  })();
  return running;
}

/** Retry at once when the device comes back online; then at the times the failures set. */
export function startSync() {
  window.addEventListener('online', () => syncAll({ force: true }));
  syncAll();
}
