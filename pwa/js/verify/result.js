// The result screen: a verdict banner readable at arm's length (colour, icon and words), then the
// holder and copy data, the specialties, the reasons, the signature of a certificate PDF, and the age
// of the data when offline.
// Everything from outside is set with textContent: no scanned or served text ever becomes HTML.

import { $, el } from '../core/dom.js';
import { fmtDate, fmtTime, pick, t } from '../core/i18n.js';
import { VERDICT_TONE, VERDICT_WORD } from './verdicts.js';

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

function renderHolder(r) {
  const c = r.certificate;
  const dl = $('result-fields');
  dl.replaceChildren();
  const photo = $('holder-photo');
  photo.hidden = true;
  photo.removeAttribute('src');
  $('result-holder').hidden = !c;
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
  $('holder-regno').textContent = c.registration_number ? `${t('result.regno')} ${c.registration_number}` : '';
  field(dl, 'result.id', c.id_number || null);
  field(dl, 'result.seal', c.seal_number);
  const emp = c.employer || {};
  field(dl, 'result.employer', emp.name || emp.uscc, emp.name && emp.uscc ? emp.uscc : '');
  if (c.usage_from || c.usage_until) {
    field(dl, 'result.usage', '');
    const dd = dl.lastElementChild ? dl.lastElementChild.querySelector('dd') : null;
    if (dd) dd.append(el('span', 'nowrap', fmtDate(c.usage_from)), ' – ', el('span', 'nowrap', fmtDate(c.usage_until)));
  }
  field(dl, 'result.copy', c.identifier || c.copy_id, null, 'mono');
  field(dl, 'result.issuer', pick(c.issuer, c.issuer_en));
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

/** Show a verify result (online, offline or local). */
export function renderResult(r) {
  last = r;
  const v = VERDICT_WORD[r.verdict] ? r.verdict : 'invalid';
  const box = $('verdict');
  box.dataset.verdict = v;
  box.dataset.tone = VERDICT_TONE[v];
  if (r.basis) box.dataset.basis = r.basis; else delete box.dataset.basis;
  $('verdict-icon').setAttribute('href', ICON[VERDICT_TONE[v]]);
  const [zhWord, enWord] = r.word || VERDICT_WORD[v];
  $('verdict-word').textContent = pick(zhWord, enWord);
  $('verdict-message').textContent = pick(r.message, r.message_en);
  renderMode(r);
  renderHolder(r);
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
