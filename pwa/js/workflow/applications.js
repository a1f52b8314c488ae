// Applications (docs/workflows-api.md) as every workflow page uses them: the types and states, the API
// calls, and how one is named and shown (type and state names, the state chip, its card in a list).
// The server is the one judge of what is allowed: these pages offer the actions the contract gives a
// role in a state, and show the server's refusal in its own words when it says no.

import { api, errorWords, upload } from '../core/auth.js';
import { el } from '../core/dom.js';
import { fmtTime, pick, t } from '../core/i18n.js';
import './strings.js';

const BASE = 'api/v1/applications';
export const HOLDER_TYPES = ['renewal', 'add_specialty', 'initial', 'change_employer', 'personal_info', 'cancel',
  'forced_cancel', 'reregister'];
export const ENTERPRISE_TYPES = ['cancel_by_employer', 'cancel_deceased'];
export const TYPES = [...HOLDER_TYPES, ...ENTERPRISE_TYPES];
export const STATES = ['draft', 'submitted', 'awaiting_employer', 'confirmed', 'declined', 'approved', 'returned',
  'refused', 'withdrawn'];
/** States in which the applicant may still change the application, and before any decision. */
export const EDITABLE = ['draft', 'returned'];
export const UNDECIDED = ['draft', 'submitted', 'awaiting_employer', 'confirmed', 'returned'];
const TONE = { approved: 'ok', declined: 'bad', refused: 'bad', returned: 'warn', withdrawn: 'grey', draft: 'grey' };

export const listApplications = (params) => api(BASE, { params });
export const getApplication = (id) => api(`${BASE}/${encodeURIComponent(id)}`);
export const createApplication = (body) => api(BASE, { method: 'POST', body });
export const patchApplication = (id, body) => api(`${BASE}/${encodeURIComponent(id)}`, { method: 'PATCH', body });
export const uploadProof = (id, file, onProgress = () => {}) => upload(`${BASE}/${encodeURIComponent(id)}/files`, file, onProgress);

/** submit, withdraw, confirm, decline ({reason}), decide ({decision, reason}). */
export const act = (id, action, body = {}) => api(`${BASE}/${encodeURIComponent(id)}/${action}`, { method: 'POST', body });

const known = (key) => t(key) !== key;

export function typeName(a) {
  if (typeof a === 'string') return known(`type.${a}`) ? t(`type.${a}`) : a;
  return a.type_name ? pick(a.type_name, a.type_name_en) : typeName(a.type);
}

export function stateName(a) {
  if (typeof a === 'string') return known(`state.${a}`) ? t(`state.${a}`) : a;
  return a.state_name ? pick(a.state_name, a.state_name_en) : stateName(a.state);
}

/** The state as a chip: words plus colour (never the colour alone). */
export function stateChip(a) {
  const state = typeof a === 'string' ? a : a.state;
  const chip = el('span', `chip tone-${TONE[state] || 'info'}`, stateName(a));
  chip.dataset.state = state;
  return chip;
}

/** "王建国 · 苏2322…" — who and which registration, for headings and labels. */
export function subject(a) {
  const person = a.person && a.person.name;
  return [person, a.registration_number || (a.result && a.result.registration_number)].filter(Boolean).join(' · ');
}

/** The rule outcomes in short: "全部通过" or "2 项未通过"; '' when none were checked. */
export function rulesSummary(rules) {
  if (!rules || !rules.length) return '';
  const failed = rules.filter((r) => !r.passed).length;
  return failed ? t('rv.rulesBad', { n: failed }) : t('rv.rulesOk');
}

/** One application as a card in a list: type, state, who, when; the whole card opens the detail. */
export function appCard(a, onOpen) {
  const li = el('li', 'app-card');
  li.dataset.id = a.id;
  li.dataset.state = a.state;
  li.dataset.type = a.type;
  const head = el('div', 'app-card-head');
  head.append(el('span', 'app-type', typeName(a)), stateChip(a));
  const who = el('p', 'app-who', subject(a));
  const when = el('p', 'app-when', t('wf.updated', { t: fmtTime(a.updated_at || a.created_at) }));
  const last = a.decision && a.decision.reason;
  const open = el('button', 'btn small-btn app-open', t('wf.open'));
  open.type = 'button';
  open.setAttribute('aria-label', t('wf.openLabel', { what: `${typeName(a)} ${stateName(a)} ${subject(a)}` }));
  open.addEventListener('click', () => onOpen(a.id));
  const foot = el('div', 'app-card-foot');
  foot.append(when, open);
  li.append(head);
  if (who.textContent) li.append(who);
  if (last) li.append(el('p', 'app-reason', t('d.reason', { r: last })));
  // who acts next, and by when: the list says it without opening the application
  const n = a.next_step;
  if (n && n.actor !== 'nobody') {
    const due = pick(n.due_message, n.due_message_en);
    const next = el('p', 'app-next', [pick(n.message, n.message_en), n.due_on ? due : ''].filter(Boolean).join(' · '));
    next.dataset.actor = n.actor;
    li.append(next);
  }
  // A death, a new name or ID number, the end of an employment: the holder sees that a person decides
  if (a.review_reason && !['approved', 'refused', 'withdrawn', 'declined'].includes(a.state)) {
    li.append(el('p', 'app-review', pick(a.review_reason.message, a.review_reason.message_en)));
  }
  li.append(foot);
  return li;
}

/** A list of application cards, or the empty words. */
export function fillList(ul, apps, onOpen, emptyKey = 'wf.none') {
  ul.replaceChildren(...apps.map((a) => appCard(a, onOpen)));
  if (!apps.length) ul.append(el('li', 'empty', t(emptyKey)));
}

/** The server's field problems ({details: {fields: {name: {message, message_en}}}}) as [name, words]; the
 *  words name the field themselves (the key is for marking the input, never shown). */
export function fieldErrors(err) {
  const fields = (err && err.body && err.body.details && err.body.details.fields) || {};
  return Object.entries(fields).map(([name, f]) => [name, pick(f.message, f.message_en) || errorWords(err)]);
}
