// A site check as data, on this device: the record kept in IndexedDB (core/store.js "inspections"), its
// client_id, the contractor's credit code check (GB 32100, as backend/services/checkdigits.py), the roles
// data (GET /api/v1/roles, kept for offline use), the project specialties from the cached catalogue, a
// verified certificate kept small, and each person's role evaluated (./roles.js, the role rules' evaluator).
//
// Record: {client_id, t, started_at, finished_at, site: {name, specialty, contractor_uscc, scale?, gps?},
//   people: [{role, certs: [kept verify results]}], state: 'open' | 'pending' | 'synced',
//   sync: {attempts, next, error}, server: the answer of POST /api/v1/inspections once synced}.

import { inspectionDelete, inspectionGet, inspectionPut, inspectionsAll, kvGet, kvSet } from '../core/store.js';
import { apiUrl, trust } from '../core/trust.js';

export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const SCALES = ['large', 'medium', 'small'];

/** 'ok', 'format' (not 18 characters of the alphabet) or 'check' (its check character does not match). */
export function usccProblem(value) {
  const v = String(value || '').trim().toUpperCase();
  if (v.length !== 18 || [...v].some((c) => !USCC_ALPHABET.includes(c))) return 'format';
  const s = [...v.slice(0, 17)].reduce((sum, c, i) => sum + USCC_ALPHABET.indexOf(c) * USCC_WEIGHTS[i], 0);
  return v[17] === USCC_ALPHABET[(31 - (s % 31)) % 31] ? 'ok' : 'check';
}

export function newClientId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function newCheck(site) {
  const now = new Date();
  return { client_id: newClientId(), t: now.getTime(), started_at: now.toISOString(), finished_at: null, site,
    people: [], state: 'open', sync: { attempts: 0, next: 0, error: null }, server: null };
}

export const saveCheck = (c) => inspectionPut(c);
export const loadCheck = (id) => inspectionGet(id);
export const allChecks = () => inspectionsAll();
export const deleteCheck = (id) => inspectionDelete(id);

/**
 * A verify result as the check keeps it: what the verdict and the role rules need, never the photo link,
 * the masked ID number or the ID number's last characters (the history keeps no more either).
 */
export function keepResult(r) {
  const c = r.certificate;
  const certificate = c ? {
    copy_id: c.copy_id, registration_number: c.registration_number, name: c.name, kind: c.kind,
    kind_name: c.kind_name, kind_name_en: c.kind_name_en, level: c.level,
    employer: c.employer ? { name: c.employer.name || null, uscc: c.employer.uscc || null } : null,
    usage_from: c.usage_from, usage_until: c.usage_until,
  } : null;
  return {
    qr: r.qr, verdict: r.verdict, mode: r.mode, checked_at: r.checked_at, basis: r.basis,
    reasons: (r.reasons || []).map((x) => ({ code: x.code, message: x.message, message_en: x.message_en })),
    certificate, specialties: (r.specialties || []).map((s) => ({ code: s.code, name: s.name, name_en: s.name_en,
      valid_until: s.valid_until, status: s.status })),
  };
}

// --- the role rules -------------------------------------------------------------------------------

let roles = null;   // {roles: [...], ...} as GET /api/v1/roles answers

/** The roles data: fresh from the server when online, else what the device kept; null when neither. */
export async function loadRoles() {
  if (navigator.onLine !== false) {
    try {
      const resp = await fetch(apiUrl('api/v1/roles'), { cache: 'no-store', credentials: 'omit', headers: { Accept: 'application/json' } });
      if (resp.ok) {
        const data = await resp.json();
        if (data && Array.isArray(data.roles)) { roles = data; await kvSet('roles', { data, fetchedAt: Date.now() }); return roles; }
      }
    } catch (e) { console.warn('roles', e); }
  }
  if (!roles) { try { roles = ((await kvGet('roles')) || {}).data || null; } catch { roles = null; } }
  return roles;
}

export const roleId = (r) => r.id || r.code;
export const roleList = () => (roles && roles.roles) || [];
export const findRole = (id) => roleList().find((r) => roleId(r) === id) || null;
/** The role's name as [中文, English]. */
export const roleName = (r) => [r.name_zh || r.name || roleId(r), r.name_en || r.name || roleId(r)];

let evaluator = null;
/** ./roles.js's evaluate(role, certs, site), imported once (null when the rules' code is not here). */
export async function loadEvaluator() {
  if (!evaluator) evaluator = import('./roles.js').then((m) => m.evaluate).catch((e) => { console.warn('roles.js', e); evaluator = null; return null; });
  return evaluator;
}

/** {met, requirements: [{id, met, reason_zh, reason_en, flags}]} for one person, or null when not known. */
export async function evaluatePerson(person, site) {
  const role = findRole(person.role);
  const evaluate = await loadEvaluator();
  if (!role || !evaluate) return null;
  try { return await evaluate(role, person.certs, site); } catch (e) { console.warn('evaluate', e); return null; }
}

/** The project scales as [code, 中文, English], from the roles data (else the three of the 规模标准). */
export function scaleOptions() {
  const listed = roles && Array.isArray(roles.scales) ? roles.scales : null;
  return listed ? listed.map((x) => [x.code, x.name, x.name_en || x.name]) : SCALES.map((x) => [x, null, null]);
}

/** Whether any role's rules depend on the project's scale (else the form does not ask for it). */
export const scaleMatters = () => !roles || roleList().some((r) => (r.requirements || [])
  .some((q) => (q.any_of || []).some((a) => a.max_scale)));

/** The project specialties to choose from: the constructors' (注册建造师) specialties in the catalogue. */
export function specialtyOptions() {
  const fromRoles = roles && Array.isArray(roles.specialties) ? roles.specialties : null;
  if (fromRoles) return fromRoles.map((s) => ({ code: s.code, name: s.name_zh || s.name, name_en: s.name_en || s.name }));
  const kinds = (trust().catalogue && trust().catalogue.kinds) || [];
  const seen = new Map();
  for (const k of kinds.filter((x) => /^JZS/.test(x.code))) for (const s of k.specialties || []) if (!seen.has(s.code)) seen.set(s.code, s);
  return [...seen.values()];
}
