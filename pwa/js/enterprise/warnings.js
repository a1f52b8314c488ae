// The warnings page as a work list: GET /api/v1/enterprise/warnings, its `todo` (待办: what to do, by due
// date, each with the person it is about) and its `ended` (已终止: registrations and specialties that ended,
// for the record, folded away). The server counts: the tab's badge, this page's total and the daily
// digest all show `todo_count`, so that the three never disagree. Copies (none current, one past its
// usage) are counted in one line below the list: they have no deadline and would bury what has one.

import { api, errorWords } from '../core/auth.js';
import { $, el } from '../core/dom.js';
import { pick, t } from '../core/i18n.js';
import { daysTone, daysWords, statusWithTime } from './badges.js';

let state = { data: null, error: null, loading: false };
let seq = 0;
let endedOpen = false;   // the 已终止 group stays as the user left it across a language switch or reload
let onShowPerson = () => {};
let onOpenPane = () => {};

const known = (key) => t(key) !== key;
const actionName = (a) => (known(`act.${a}`) ? t(`act.${a}`) : a);

function dueChip(w) {
  if (w.group === 'ended') return el('span', 'chip tone-grey', t('warnings.record'));
  const n = w.days_left;
  const chip = el('span', `chip due-chip tone-${n === null || n === undefined ? 'bad' : daysTone(n)}`,
    n === null || n === undefined ? t('warnings.now') : daysWords(n));
  chip.dataset.days = n === null || n === undefined ? '' : String(n);
  return chip;
}

function personLink(w) {
  const label = `${t('warnings.show')}: ${w.name || ''} ${w.registration_number || ''}`.trim();
  // The roster's person view (#/staff/<id>): the href says where it leads, the click goes there within the app.
  const a = el('a', 'btn small-btn', t('warnings.show'));
  a.href = `#/staff/${encodeURIComponent(w.person_id)}`;
  a.setAttribute('aria-label', label);
  a.dataset.person = String(w.person_id);
  a.addEventListener('click', (e) => { e.preventDefault(); onShowPerson(w.registration_number, w.person_id); });
  return a;
}

function item(w) {
  const li = el('li', 'warn-item work-item');
  li.dataset.action = w.action;
  li.dataset.severity = w.group === 'ended' ? 'ended' : w.severity;
  li.dataset.group = w.group;
  const head = el('div', 'warn-head');
  head.append(el('span', 'warn-name', actionName(w.action)), dueChip(w));
  li.append(head);
  li.append(el('p', 'warn-message work-todo', pick(w.message, w.message_en)));
  li.append(el('p', 'work-reason', pick(w.reason, w.reason_en)));
  const foot = el('div', 'warn-foot');
  const who = el('p', 'warn-who');
  who.append(el('strong', null, w.name || ''));
  if (w.registration_number) who.append(' ', el('span', 'mono nowrap', w.registration_number));
  if (w.due) who.append(el('span', 'sub', t('warnings.due', { d: w.due })));
  foot.append(who);
  const acts = el('div', 'work-acts');
  if (w.application_id) {
    const b = el('button', 'btn small-btn', t('warnings.openApp'));
    b.type = 'button';
    b.dataset.application = w.application_id;
    b.addEventListener('click', () => onOpenPane('confirm'));
    acts.append(b);
  }
  if (w.person_id !== null && w.person_id !== undefined) acts.append(personLink(w));
  if (acts.childNodes.length) foot.append(acts);
  li.append(foot);
  return li;
}

/** The number on the warnings tab: the server's `todo_count`, the same as the page and the digest. */
function renderCount() {
  const badge = $('ent-warn-count');
  const n = (state.data && state.data.todo_count) || 0;
  badge.hidden = !n;
  badge.textContent = n ? String(n) : '';
  badge.title = n ? t('warnings.count', { n }) : '';
  badge.dataset.count = String(n);
}

function section(id, title, list, tag = 'ol') {
  const s = el('section', 'warn-group');
  s.id = id;
  const h = el('h3', 'warn-group-title', title);
  h.id = `${id}-title`;
  s.setAttribute('aria-labelledby', h.id);
  const ul = el(tag, 'warn-list');
  ul.append(...list.map(item));
  s.append(h, ul);
  return s;
}

function notesLine(notes) {
  const p = el('p', 'muted small work-notes');
  p.id = 'warn-notes';
  p.append(t('warnings.notes'), notes.map((x) => t('warnings.noteItem', { name: pick(x.name, x.name_en), n: x.count })).join(t('warnings.sep')));
  return p;
}

export function renderWarnings() {
  renderCount();
  const box = $('warn-groups');
  const status = $('warn-status');
  box.replaceChildren();
  const { data, error, loading } = state;
  status.dataset.state = loading ? 'loading' : error ? 'error' : 'ready';
  if (loading) { status.textContent = t('ent.loading'); return; }
  if (error) { status.textContent = errorWords(error); return; }
  if (!data) { status.textContent = ''; delete status.dataset.todo; return; }
  const todo = data.todo || [];
  const ended = data.ended || [];
  status.dataset.todo = String(data.todo_count);
  statusWithTime(status, t('warnings.summary', { n: data.todo_count, m: data.ended_count }), data.generated_at);
  if (todo.length) box.append(section('warn-todo', t('warnings.todo', { n: data.todo_count }), todo));
  else box.append(el('p', 'empty-note', t('warnings.noTodo')));
  if ((data.notes || []).length) box.append(notesLine(data.notes));
  if (ended.length) {
    const d = el('details', 'work-ended');
    d.id = 'warn-ended';
    d.open = endedOpen;
    d.addEventListener('toggle', () => { endedOpen = d.open; });
    const summary = el('summary', 'warn-group-title', t('warnings.ended', { n: data.ended_count }));
    const ul = el('ul', 'warn-list');
    ul.append(...ended.map(item));
    d.append(summary, ul);
    box.append(d);
  }
}

export async function loadWarnings() {
  const mine = ++seq;
  state = { ...state, loading: true, error: null };
  renderWarnings();
  try {
    const data = await api('api/v1/enterprise/warnings');
    if (mine !== seq) return;
    state = { data, error: null, loading: false };
  } catch (e) {
    if (mine !== seq) return;
    state = { data: null, error: e, loading: false };
  }
  renderWarnings();
}

export function clearWarnings() {
  seq += 1;
  endedOpen = false;
  state = { data: null, error: null, loading: false };
  renderWarnings();
}

/** showPerson(registration number, person id): the roster's view of the person; openPane(name): another pane. */
export function initWarnings({ showPerson, openPane }) {
  onShowPerson = showPerson;
  if (openPane) onOpenPane = openPane;
}
