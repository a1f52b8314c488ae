// The result screen: a verdict banner readable at arm's length (colour, icon and words) with one line
// on what to ask of the holder, then who it is (photo, name, specialties: on a phone's first screen),
// the employer on the copy against the register, the reasons, the signature of a certificate PDF, the
// copy data, and the age of the data when offline.
// Everything from outside is set with textContent: no scanned or served text ever becomes HTML.

import { $, el } from '../core/dom.js';
import { fmtDate, fmtTime, pick, t } from '../core/i18n.js';
import { adviceFor, OLD_LIVE_WORD, VERDICT_TONE, VERDICT_WORD } from './verdicts.js';

const ICON = { ok: '#i-ok', warn: '#i-warn', bad: '#i-bad', grey: '#i-unknown' };
let last = null;

/** "3 小时前" / "3 hours ago" from a time in ms. */
export function ageWords(ms, now = Date.now()) {
  const min = Math.max(0, Math.round((now - ms) / 60000));
  if (min < 1) return t('age.now');
  if (min < 60) return t('age.min', { n: min });
  if (min < 48 * 60) return t('age.hour', { n: Math.round(min / 60) });
  return t('age.day', { n: Math.round(min / 1440) });
}

function field(dl, key, value, extra, cls) {
  if (value === null || value === undefined) return;
  const wrap = el('div', 'field');
  wrap.append(el('dt', null, t(key)));
  const dd = el('dd', cls, value);
  if (extra) dd.append(el('span', 'sub', extra));
  wrap.append(dd);
  dl.append(wrap);
}

// Offline there is no photo: a v2 token's last 4 characters of the ID number (printed on the certificate
// anyway), to hold against the person and their ID card.
function renderIdCheck(c) {
  const box = $('holder-idcheck');
  box.replaceChildren();
  box.hidden = !c.id_last4;
  if (!c.id_last4) return;
  const line = el('p', 'idcheck-line', `${t('result.idLast4')} `);
  line.append(el('strong', 'idcheck-digits', c.id_last4));
  box.append(line, el('p', 'idcheck-note', t('result.idCompare')));
}

function renderHolder(r) {
  const c = r.certificate;
  const dl = $('result-fields');
  dl.replaceChildren();
  const photo = $('holder-photo');
  photo.hidden = true;
  photo.removeAttribute('src');
  $('result-holder').hidden = !c;
  $('result-details').hidden = !c;
  if (!c) return;
  if (c.photo_url) {
    photo.alt = t('result.photo');
    photo.onerror = () => { photo.hidden = true; };
    photo.onload = () => { photo.hidden = false; };
    photo.src = new URL(c.photo_url, document.baseURI).href;
  }
  $('holder-name').textContent = c.name || '';
  const kind = pick(c.kind_name, c.kind_name_en) || c.kind || '';
  const level = c.level && !/级|Grade/.test(kind) ? ` · ${t(`level.${c.level}`)}` : '';
  $('holder-kind').textContent = kind + level;
  const regno = c.registration_number;
  $('holder-regno').replaceChildren(...(regno ? [`${t('result.regno')} `, el('span', 'nowrap', regno)] : []));
  renderIdCheck(c);
  field(dl, 'result.id', c.id_number || null);
  field(dl, 'result.seal', c.seal_number);
  const emp = c.employer || {};
  field(dl, 'result.employer', emp.name || emp.uscc, emp.name && emp.uscc ? emp.uscc : '');
  if (c.usage_from || c.usage_until) {
    field(dl, 'result.usage', '');
    const dd = dl.lastElementChild ? dl.lastElementChild.querySelector('dd') : null;
    if (dd && c.usage_from) dd.append(el('span', 'nowrap', fmtDate(c.usage_from)), ' – ');
    if (dd) dd.append(el('span', 'nowrap', fmtDate(c.usage_until)));   // a live code offline: its copy's end only
  }
  if (r.presentation) {   // a holder's live code: when it was made, to the second
    const at = new Date(r.presentation.issued_at);
    field(dl, 'result.live', `${fmtTime(at.getTime())}:${String(at.getSeconds()).padStart(2, '0')}`);
  }
  field(dl, 'result.copy', c.identifier || c.copy_id, null, 'mono');
  field(dl, 'result.issuer', pick(c.issuer, c.issuer_en));
}

/**
 * The employer printed on the copy against the register's: {copy, now, state}, state 'changed' (another
 * credit code: the 挂证 clue), 'renamed' (same credit code) or 'same'. null when the answer does not tell:
 * offline the register's employer is unknown (the token's, the copy's, is among the copy data).
 */
export function employerCheck(r) {
  const c = r.certificate;
  if (!c || !c.employer || r.mode === 'offline') return null;
  const copy = { name: c.employer_on_copy || null, uscc: c.employer_on_copy_uscc || null };
  const now = c.employer;
  if (!copy.name && !copy.uscc) return null;
  const renamed = !!(copy.name && now.name && copy.name !== now.name);
  let state = renamed ? 'changed' : 'same';                          // by names when a code is missing
  if (copy.uscc && now.uscc) state = copy.uscc !== now.uscc ? 'changed' : renamed ? 'renamed' : 'same';
  return { copy, now, state };
}

const EMPLOYER_FLAG = { changed: 'result.employerChanged', renamed: 'result.employerRenamed', same: 'result.employerSame' };

// Shown for a superseded copy, and for any copy that names another employer than the register.
function renderEmployer(r, check) {
  const box = $('employer-check');
  const dl = $('employer-fields');
  dl.replaceChildren();
  box.hidden = !check || !(r.verdict === 'superseded' || check.state === 'changed');
  if (box.hidden) return;
  box.dataset.state = check.state;
  const flag = $('employer-flag');
  flag.textContent = EMPLOYER_FLAG[check.state] ? t(EMPLOYER_FLAG[check.state]) : '';
  flag.hidden = !flag.textContent;
  const codes = check.copy.name === check.now.name && check.state === 'changed';
  field(dl, 'result.employerOnCopy', check.copy.name || check.copy.uscc, codes ? check.copy.uscc : '');
  field(dl, 'result.employerNow', check.now.name || check.now.uscc, codes ? check.now.uscc : '');
}

function renderSpecialties(r) {
  const ul = $('specialties');
  ul.replaceChildren();
  $('specialties-section').hidden = !(r.specialties && r.specialties.length);
  for (const s of r.specialties || []) {
    const li = el('li', 'spec');
    const status = ['valid', 'lapsed', 'suspended', 'revoked'].includes(s.status) ? s.status : 'unknown';
    const unconfirmed = r.verdict === 'unknown' && status === 'valid';
    const shown = unconfirmed ? 'unknown' : status;
    li.dataset.status = shown;
    li.append(el('span', 'spec-name', pick(s.name, s.name_en) || s.code));
    if (s.valid_until) li.append(el('span', 'spec-until', t('result.until', { d: s.valid_until })));
    li.append(el('span', `chip chip-${shown}`, t(`spec.${shown}`)));
    ul.append(li);
  }
}

function renderReasons(r) {
  const ul = $('reasons');
  ul.replaceChildren();
  const list = r.reasons || [];
  $('reasons-section').hidden = !list.length;
  $('reasons-title').textContent = t(r.verdict === 'valid' ? 'result.notes' : 'result.reasons');
  for (const x of list) {
    const li = el('li', null, pick(x.message, x.message_en) || x.code);
    li.dataset.code = x.code;
    ul.append(li);
  }
}

// A certificate PDF's signature (POST /api/v1/verify/image with a PDF), as a chip with words and colour.
const DOC_TONE = { intact: 'tone-ok', tampered: 'tone-bad', untrusted: 'tone-bad', unsigned: 'tone-warn' };

/** The common name in an RFC 4514 subject (CN=建证演示发证机关,O=…), else the whole subject. */
export function commonName(subject) {
  const m = /(?:^|,)CN=((?:\\.|[^,\\])*)/.exec(subject || '');
  return m ? m[1].replace(/\\(.)/g, '$1') : subject;
}

/** intact | tampered | untrusted | unsigned: what the document check of a PDF says, most serious first. */
export function documentState(d) {
  if (!d.signed) return 'unsigned';
  if (!d.intact) return 'tampered';
  if (!d.trusted) return 'untrusted';
  return 'intact';
}

function renderDocument(r) {
  const d = r.document;
  const section = $('document-section');
  section.hidden = !d;
  if (!d) return;
  const state = documentState(d);
  section.dataset.state = state;
  const chip = $('document-chip');
  chip.className = `chip ${DOC_TONE[state]}`;
  chip.textContent = t(`doc.${state}`);
  $('document-note').textContent = t(`doc.${state}Note`);
  const dl = $('document-fields');
  dl.replaceChildren();
  const cn = commonName(d.signer);
  // an untrusted certificate may name anyone, the issuer included: say whose claim it is
  field(dl, d.trusted ? 'doc.signer' : 'doc.signerClaimed', cn || null, cn !== d.signer ? d.signer : '');
  field(dl, 'doc.signedAt', d.signed_at ? fmtTime(d.signed_at) : null);
}

function renderMode(r) {
  const mode = $('result-mode');
  mode.dataset.mode = r.mode;
  if (r.mode === 'online') mode.textContent = t('result.online', { t: fmtTime(r.checked_at) });
  else if (r.mode === 'offline') {
    mode.textContent = r.status_as_of
      ? t('result.offline', { t: fmtTime(r.status_as_of), age: ageWords(r.status_as_of) })
      : t('result.offlineNone');
  } else mode.textContent = '';
  mode.hidden = !mode.textContent;
  $('result-fallback').hidden = !r.fallback;
  $('result-offline-note').hidden = r.mode !== 'offline' || !r.certificate;
  const extra = $('result-extra');
  extra.textContent = r.extra || '';
  extra.hidden = !r.extra;
}

// A result reopened from the history: what the record says was seen then, next to today's check.
function renderRecorded(r) {
  const p = $('result-recorded');
  const rec = r.recorded;
  p.hidden = !rec;
  if (!rec) { p.textContent = ''; return; }
  const word = VERDICT_WORD[rec.verdict] ? pick(...VERDICT_WORD[rec.verdict]) : rec.verdict;
  const mode = { offline: t('history.offline'), online: t('history.online') }[rec.mode];
  const vars = { t: fmtTime(rec.t), v: word, how: mode ? ` · ${mode}` : '', site: rec.site ? ` · ${rec.site}` : '' };
  p.textContent = t(r.stored ? 'result.recordedOnly' : 'result.recorded', vars);
}

/** Show a verify result (online, offline or local). */
export function renderResult(r) {
  last = r;
  const v = VERDICT_WORD[r.verdict] ? r.verdict : 'invalid';
  const box = $('verdict');
  box.dataset.verdict = v;
  box.dataset.tone = VERDICT_TONE[v];
  if (r.basis) box.dataset.basis = r.basis; else delete box.dataset.basis;
  $('verdict-icon').setAttribute('href', ICON[VERDICT_TONE[v]]);
  const oldLive = v === 'expired' && (r.reasons || []).some((x) => x.code === 'presentation_expired');
  const [zhWord, enWord] = r.word || (oldLive ? OLD_LIVE_WORD : VERDICT_WORD[v]);
  if (r.presentation) box.dataset.live = oldLive ? 'old' : 'live'; else delete box.dataset.live;
  $('verdict-word').textContent = pick(zhWord, enWord);
  $('verdict-message').textContent = pick(r.message, r.message_en);
  const check = employerCheck(r);
  const advice = adviceFor({ ...r, verdict: v }, !!check && check.state === 'changed');
  $('verdict-advice').textContent = advice ? pick(...advice) : '';
  $('verdict-advice').hidden = !advice;
  $('verdict-advice').dataset.tone = VERDICT_TONE[v];
  renderMode(r);
  renderRecorded(r);
  renderHolder(r);
  renderEmployer(r, check);
  renderSpecialties(r);
  renderReasons(r);
  renderDocument(r);
  const raw = $('raw-section');
  raw.hidden = !r.raw_text;
  $('raw-text').textContent = r.raw_text || '';
}

/** Re-render the last result after a language switch. */
export function rerenderResult() {
  if (last) renderResult(last);
}
