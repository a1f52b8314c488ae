// One person of the roster on a page of their own (#/staff/<person_id>): GET /api/v1/enterprise/staff/<id>.
// Who they are (ID number and phone in full: the employer may see them), their registrations here with each
// specialty's validity, the current copy and the age cap, the warnings, the 挂证 signals and the applications
// that concern the enterprise. roster.js owns the URL and shows this in place of the list; this module only
// loads and draws it, again after a language switch.

import { api, errorWords } from '../core/auth.js';
import { $, el } from '../core/dom.js';
import { fmtDate, fmtTime, pick, t } from '../core/i18n.js';
import {
  badgeLine, daysTone, daysWords, signalBadge, statusChip, statusWithTime, warningName,
} from './badges.js';

const SEVERITY_TONE = { critical: 'bad', warning: 'warn', info: 'info' };
let state = { id: null, data: null, error: null, loading: false };
let seq = 0;

function field(dl, key, value, cls) {
  if (value === null || value === undefined || value === '') return;
  const box = el('div', 'field');
  box.append(el('dt', null, t(key)), el('dd', cls, value));
  dl.append(box);
}

function section(titleKey, n) {
  const s = el('section', 'person-part');
  s.append(el('h4', 'section-title', n === undefined ? t(titleKey) : t('person.count', { what: t(titleKey), n })));
  return s;
}

function specialtyItem(s) {
  const li = el('li');
  li.dataset.code = s.code;
  li.append(el('span', 'spec-mini-name', pick(s.name, s.name_en)), ' ',
    el('span', 'nowrap', s.valid_from), ' – ', el('span', 'nowrap', s.valid_until));
  const ended = s.status && s.status !== 'active';
  const words = ended && s.days_left >= 0 ? t(`spec.st.${s.status}`) : daysWords(s.days_left);
  if (words) li.append(' ', el('span', `chip small-chip tone-${ended ? 'bad' : daysTone(s.days_left)}`, words));
  return li;
}

function registrationCard(r) {
  const card = el('article', 'card person-reg');
  card.dataset.regno = r.registration_number;
  card.dataset.status = r.status;
  const head = el('div', 'person-reg-head');
  head.append(el('strong', null, pick(r.kind_name, r.kind_name_en) || r.kind), statusChip(r.status, r.status_name, r.status_name_en));
  card.append(head);
  const dl = el('dl', 'kv');
  field(dl, 'col.regno', r.registration_number, 'mono');
  field(dl, 'person.seal', r.seal_number, 'mono');
  const specs = el('ul', 'spec-mini');
  specs.append(...(r.specialties || []).map(specialtyItem));
  const box = el('div', 'field');
  box.append(el('dt', null, t('col.specialties')), el('dd'));
  box.lastChild.append((r.specialties || []).length ? specs : el('span', 'muted', t('ent.none')));
  dl.append(box);
  const c = r.current_copy;
  const copy = c ? `${fmtDate(c.usage_from)} – ${fmtDate(c.usage_until)}${c.expired ? ` (${t('copy.expired')})` : ''}` : t('copy.none');
  field(dl, 'col.copy', copy, c && !c.expired ? null : 'warn-text');
  field(dl, 'col.agecap', r.age_cap_date);
  card.append(dl);
  return card;
}

function warningItem(w) {
  const li = el('li', 'person-warning');
  li.dataset.code = w.code;
  li.dataset.severity = w.severity;
  const head = el('div', 'warn-head');
  head.append(el('span', `chip small-chip tone-${SEVERITY_TONE[w.severity] || 'info'}`, warningName(w.code)));
  if (w.days_left !== null && w.days_left !== undefined) head.append(' ', el('span', 'nowrap muted', daysWords(w.days_left)));
  li.append(head, el('p', 'warn-message', pick(w.message, w.message_en)));
  return li;
}

function applicationItem(a) {
  const li = el('li', 'person-app');
  li.dataset.state = a.state;
  const head = el('div', 'warn-head');
  head.append(el('strong', null, pick(a.type_name, a.type_name_en)), ' ',
    el('span', `chip small-chip tone-${a.awaiting_enterprise ? 'warn' : 'grey'}`, pick(a.state_name, a.state_name_en)));
  if (a.awaiting_enterprise) head.append(' ', el('span', 'chip small-chip tone-bad', t('person.yourTurn')));
  li.append(head);
  const sub = [a.registration_number, a.submitted_at ? t('person.filed', { t: fmtTime(a.submitted_at) }) : ''].filter(Boolean);
  if (sub.length) li.append(el('p', 'sub', sub.join(' · ')));
  return li;
}

function identity(p) {
  const dl = el('dl', 'kv person-id');
  field(dl, 'person.sex', t(`person.sex.${p.sex}`));
  field(dl, 'person.birth', p.birth_date);
  field(dl, 'person.idNumber', p.id_number, 'mono');
  field(dl, 'person.phone', p.phone, 'mono');
  return dl;
}

export function renderPerson() {
  const box = $('roster-person-body');
  const status = $('roster-person-status');
  const { data, error, loading } = state;
  $('roster-person-back').textContent = t('person.back');
  status.dataset.state = loading ? 'loading' : error ? 'error' : 'ready';
  if (loading) { status.textContent = t('ent.loading'); return; }
  if (error) {
    status.textContent = errorWords(error);
    $('roster-person-title').textContent = t('person.title');
    box.replaceChildren();
    return;
  }
  if (!data) { status.textContent = ''; box.replaceChildren(); return; }
  statusWithTime(status, '', data.generated_at);
  $('roster-person-title').textContent = data.person.name;
  const regs = section('person.registrations', data.registrations.length);
  const cards = el('div', 'person-regs');
  cards.append(...data.registrations.map(registrationCard));
  regs.append(cards);
  const warns = section('person.warnings', data.warnings.length);
  const wl = el('ul', 'person-list');
  wl.append(...data.warnings.map(warningItem));
  warns.append(data.warnings.length ? wl : el('p', 'muted', t('warnings.none')));
  const sigs = section('person.signals', data.signals.length);
  sigs.append(badgeLine(data.signals.map(signalBadge), t('person.noSignals')));
  for (const s of data.signals) sigs.append(el('p', 'sub', pick(s.message, s.message_en)));
  const apps = section('person.applications', data.applications.length);
  const al = el('ul', 'person-list');
  al.append(...data.applications.map(applicationItem));
  apps.append(data.applications.length ? al : el('p', 'muted', t('person.noApps')));
  box.replaceChildren(identity(data.person), regs, warns, sigs, apps);
}

/** Load and show one person; resolves once drawn (or refused: 404 for anyone not of the enterprise). */
export async function loadPerson(id) {
  const mine = ++seq;
  state = { id, data: state.id === id ? state.data : null, error: null, loading: true };
  renderPerson();
  try {
    const data = await api(`api/v1/enterprise/staff/${encodeURIComponent(id)}`);
    if (mine !== seq) return;
    state = { id, data, error: null, loading: false };
  } catch (e) {
    if (mine !== seq) return;
    state = { id, data: null, error: e, loading: false };
  }
  renderPerson();
}

export const shownPerson = () => state.id;

export function clearPerson() {
  seq += 1;
  state = { id: null, data: null, error: null, loading: false };
  renderPerson();
}
