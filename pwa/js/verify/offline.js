// The offline verdict: the same rules as backend/services/verification.py, from what the token and
// the cached status list tell. It answers in the shape of POST /api/v1/verify so one renderer serves both.
// What it cannot know offline: not_found, the age cap (unless the daily job has listed it lapsed), the
// holder's photo and masked ID number; a v2 token carries the ID number's last 4 characters instead
// (certificate.id_last4), for the inspector to hold against the person's ID card.
// A holder's live code (typ jz-presentation) is judged as the copy it presents, from its own claims, and
// `expired` (an old screenshot) once the device's clock is past its exp by more than PRESENTATION_SKEW_S.

import { CERTIFICATE_TYPES, checkSignature, parseJws, PRESENTATION } from '../core/jws.js';
import { trust, listAgeSeconds, listEntry, MAX_AGE_S } from '../core/trust.js';
import { certificateClaims } from './token.js';
import { overall, reason, verdictMessage } from './verdicts.js';

const DEFAULT_TZ = 'Asia/Shanghai';   // the issuer's calendar, unless the catalogue names another
const LEEWAY_S = 300;                 // a phone's clock may run a few minutes fast
const PRESENTATION_MAX_S = 120;       // a live code lives at most this long (backend verify.py)
const PRESENTATION_SKEW_S = 30;       // and counts this long past its exp: the two phones' clocks differ
const ACCEPTED_TYPES = [...CERTIFICATE_TYPES, PRESENTATION];
const STATUS_REASON = { revoked: 'status_revoked', suspended: 'registration_suspended', lapsed: 'status_lapsed' };

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Today's date in the issuer's time zone as YYYYMMDD. */
export function todayInt(nowMs, tz = DEFAULT_TZ) {
  let parts;
  try {
    parts = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(new Date(nowMs));
  } catch {
    parts = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(nowMs));
  }
  const get = (type) => parts.find((p) => p.type === type).value;
  return Number(get('year') + get('month') + get('day'));
}

const dayNumber = (ymd) => Date.UTC(Math.floor(ymd / 10000), Math.floor(ymd / 100) % 100 - 1, ymd % 100) / 86400000;
const isoDate = (ymd) => `${String(ymd).slice(0, 4)}-${String(ymd).slice(4, 6)}-${String(ymd).slice(6, 8)}`;
const validYmd = (v) => Number.isInteger(v) && v > 19000101 && v < 30000101;

function kindInfo(code) {
  const kinds = (trust().catalogue && trust().catalogue.kinds) || [];
  return kinds.find((k) => k.code === code) || null;
}

function result(verdict, reasons, nowMs, extra = {}) {
  const old = verdict === 'expired' && reasons.find((x) => x.code === 'presentation_expired');   // says why first
  const [zh, en] = old ? [old.message, old.message_en] : verdictMessage(verdict);
  const l = trust().list;
  return {
    verdict, message: zh, message_en: en, reasons, checked_at: iso(nowMs), certificate: null, specialties: [],
    mode: 'offline', status_as_of: l ? l.claims.iat * 1000 : null, ...extra,
  };
}

/** Verify a bare token offline. Resolves to a verify result; never throws. */
export async function verifyOffline(token, nowMs = Date.now()) {
  const st = trust();
  if (!st.keys.size) return result('unknown', [reason('keys_missing')], nowMs);
  let jws;
  try { jws = parseJws(token); } catch { return result('invalid', [reason('malformed')], nowMs); }
  const why = await checkSignature(jws, st.keys, ACCEPTED_TYPES);
  if (why) return result('invalid', [reason(why)], nowMs);
  let c;
  try { c = certificateClaims(jws); } catch { return result('invalid', [reason('malformed')], nowMs); }
  if (['iat', 'exp', 'iss', 'jti', 'i', 'r'].some((k) => c[k] === undefined || c[k] === null)) {
    return result('invalid', [reason('missing_claim')], nowMs);
  }
  const issuer = st.list && st.list.claims.iss;
  if (issuer && c.iss !== issuer) return result('invalid', [reason('wrong_issuer')], nowMs);
  if (!Number.isInteger(c.iat) || !Number.isInteger(c.exp)) return result('invalid', [reason('malformed')], nowMs);
  if (c.iat > nowMs / 1000 + LEEWAY_S) return result('invalid', [reason('not_yet_valid')], nowMs);
  const live = jws.header.typ === PRESENTATION;
  if (live && !Number.isInteger(c.u)) return result('invalid', [reason('missing_claim')], nowMs);
  if (live && !(c.exp - c.iat > 0 && c.exp - c.iat <= PRESENTATION_MAX_S)) return result('invalid', [reason('malformed')], nowMs);
  const usageEnd = live ? c.u : c.exp;

  const reasons = [];
  const listed = listEntry(c.i);
  const entry = listed === 'unknown' ? null : listed;        // a value the list's table does not name: unknown
  if (st.list && entry === null) reasons.push(reason('not_in_list'));
  if (STATUS_REASON[entry]) reasons.push(reason(STATUS_REASON[entry]));

  const tz = (st.catalogue && st.catalogue.timezone) || DEFAULT_TZ;
  const today = todayInt(nowMs, tz);
  const kind = kindInfo(c.k);
  const specialties = (Array.isArray(c.s) ? c.s : []).map(([code, until]) => {
    const spec = kind && (kind.specialties || []).find((s) => s.code === code);
    let status;
    if (entry === 'revoked') status = 'revoked';
    else if (entry === 'suspended') status = 'suspended';
    else if (entry === 'lapsed' || !validYmd(until) || until < today) status = 'lapsed';   // no specialty outlives it
    else status = 'valid';
    return { code, name: spec ? spec.name : code, name_en: spec ? spec.name_en : code,
      valid_until: validYmd(until) ? isoDate(until) : null, until, status };
  });
  const lapsed = specialties.filter((s) => s.status === 'lapsed').map((s) => s.code);
  const regActive = !['revoked', 'suspended', 'lapsed'].includes(entry);
  if (specialties.length && lapsed.length === specialties.length && regActive) reasons.push(reason('all_specialties_lapsed'));
  else if (lapsed.length && entry !== 'lapsed') reasons.push(reason('specialty_lapsed', { specialties: lapsed }));
  if (entry === 'superseded') reasons.push(reason('copy_superseded'));
  if (live && nowMs / 1000 > c.exp + PRESENTATION_SKEW_S) {
    reasons.push(reason('presentation_expired', { expired_at: iso(c.exp * 1000) }));
  }
  if (nowMs / 1000 > usageEnd) reasons.push(reason('copy_expired', { usage_until: iso(usageEnd * 1000) }));

  let verdict = overall(reasons);
  const basis = verdict;
  if (verdict === 'valid' && specialties.some((s) => s.status === 'valid' && dayNumber(s.until) - dayNumber(today) < 180)) {
    reasons.push(reason('specialty_expiring'));
  }
  // Freshness: without a recent status list, a revocation could be unknown to us. Never say valid then.
  const age = listAgeSeconds(nowMs);
  if (age === null || age > MAX_AGE_S) {
    reasons.push(reason(age === null ? 'status_missing' : 'status_stale'));
    if (verdict === 'valid') verdict = 'unknown';
  } else if (entry === null) {
    if (verdict === 'valid') verdict = 'unknown';   // beyond the list: its status is not known here
  } else if (age > (Number(st.list.claims.ttl) || 3600)) {
    reasons.push(reason('status_outdated'));
  }

  const employer = Array.isArray(c.e) ? c.e : [];
  const certificate = {
    copy_id: c.jti, registration_number: c.r, name: c.n, kind: c.k,
    kind_name: kind ? kind.name : null, kind_name_en: kind ? kind.name_en : null, level: kind ? kind.level : null,
    employer: { name: employer[1] || null, uscc: employer[0] || null },
    usage_from: live ? null : iso(c.iat * 1000), usage_until: iso(usageEnd * 1000),
    issuer: st.catalogue && st.catalogue.issuer ? st.catalogue.issuer.name : null,
    issuer_en: st.catalogue && st.catalogue.issuer ? st.catalogue.issuer.name_en : null,
    id_number: null, seal_number: null, photo_url: null,
    id_last4: typeof c.h === 'string' && c.h ? c.h : null,
  };
  const presentation = live ? { issued_at: iso(c.iat * 1000), expires_at: iso(c.exp * 1000) } : undefined;
  return result(verdict, reasons, nowMs, { certificate, specialties: specialties.map(({ until, ...s }) => s), basis,
    ...(live ? { presentation } : {}) });
}
