// The warnings page: GET /api/v1/enterprise/warnings, grouped by severity (critical, warning, notice),
// most urgent first within each group: a status problem with no date, then the nearest or longest-past
// deadline. Each warning leads to the person's row in the roster.

import { api, errorWords } from '../core/auth.js';
import { $, el } from '../core/dom.js';
import { pick, t } from '../core/i18n.js';
import { daysWords, SEVERITIES, severityBadge, statusWithTime, warningName } from './badges.js';

let state = { data: null, error: null, loading: false };
let seq = 0;
let onShowPerson = () => {};

const urgency = (w) => (w.days_left === null || w.days_left === undefined ? -Infinity : w.days_left);

function item(w) {
  const li = el('li', 'warn-item');
  li.dataset.code = w.code;
  li.dataset.severity = w.severity;
  const head = el('div', 'warn-head');
  head.append(severityBadge(w.severity), el('span', 'warn-name', warningName(w.code)));
  if (w.days_left !== null && w.days_left !== undefined) head.append(el('span', 'warn-days', daysWords(w.days_left)));
  li.append(head);
  li.append(el('p', 'warn-message', pick(w.message, w.message_en)));
  const foot = el('div', 'warn-foot');
  const who = el('p', 'warn-who');
  who.append(el('strong', null, w.name || ''), ' ', el('span', 'mono nowrap', w.registration_number || ''));
  if (w.due) who.append(el('span', 'sub', t('warnings.due', { d: w.due })));
  foot.append(who);
  if (w.registration_number) {
    const b = el('button', 'btn small-btn', t('warnings.show'));
    b.type = 'button';
    b.setAttribute('aria-label', `${t('warnings.show')}: ${w.name || ''} ${w.registration_number}`);
    b.addEventListener('click', () => onShowPerson(w.registration_number));
    foot.append(b);
  }
  li.append(foot);
  return li;
}

/** The number on the warnings tab: what needs acting on (critical and warning, not notices). */
function renderCount() {
  const badge = $('ent-warn-count');
  const list = (state.data && state.data.warnings) || [];
  const n = list.filter((w) => w.severity === 'critical' || w.severity === 'warning').length;
  badge.hidden = !n;
  badge.textContent = n ? String(n) : '';
  badge.title = n ? t('warnings.count', { n }) : '';
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
  if (!data) { status.textContent = ''; return; }
  const list = data.warnings || [];
  statusWithTime(status, list.length ? t('warnings.total', { n: list.length }) : t('warnings.none'), data.generated_at);
  const order = [...SEVERITIES, ...new Set(list.map((w) => w.severity).filter((s) => !SEVERITIES.includes(s)))];
  for (const sev of order) {
    const group = list.filter((w) => w.severity === sev).sort((a, b) => urgency(a) - urgency(b));
    if (!group.length) continue;
    const section = el('section', 'warn-group');
    section.dataset.severity = sev;
    const id = `warn-group-${sev}`;
    section.setAttribute('aria-labelledby', id);
    const h = el('h3', 'warn-group-title', t('warnings.group', { name: t(`sev.${sev}`), n: group.length }));
    h.id = id;
    const ul = el('ul', 'warn-list');
    ul.append(...group.map(item));
    section.append(h, ul);
    box.append(section);
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
  state = { data: null, error: null, loading: false };
  renderWarnings();
}

export function initWarnings({ showPerson }) {
  onShowPerson = showPerson;
}
