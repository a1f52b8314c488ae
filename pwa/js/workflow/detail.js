// One application in full (GET /api/v1/applications/<id>): its fields, the decision and its reason,
// each rule's outcome, the history as a timeline, the copy it produced, and the actions the signed-in
// role has in its state: the applicant edits, submits or withdraws; the employer confirms or declines, each
// asked again in a dialog (a decline with its reason, which the applicant reads); authority staff approve,
// return or refuse. On top, who acts next and by when. Shared by the holder's, the employer's and the
// review pages.

import { errorWords } from '../core/auth.js';
import { $, el } from '../core/dom.js';
import { fmtTime, t } from '../core/i18n.js';
import {
  act, EDITABLE, ENTERPRISE_TYPES, getApplication, stateChip, stateName, subject, typeName, UNDECIDED,
} from './applications.js';
import { copySection, decisionNotice, facts, nextStepNotice, rulesSection, timeline } from './detail-parts.js';

let hooks = { role: () => null, onBack: () => {}, onEdit: () => {}, onChanged: () => {} };
let state = { id: null, app: null, error: null, loading: false, done: '' };
let seq = 0;

/** What this viewer may do now: the server's `actions` hint where it sends one, else the contract's
 *  rules for the role and state (the server checks again either way). */
function allowed(a) {
  if (Array.isArray(a.actions)) return new Set(a.actions);
  const role = hooks.role();
  const out = new Set();
  const applicant = role === 'holder' || (role === 'enterprise' && ENTERPRISE_TYPES.includes(a.type));
  if (applicant && EDITABLE.includes(a.state)) ['edit', 'submit'].forEach((x) => out.add(x));
  if (applicant && UNDECIDED.includes(a.state)) out.add('withdraw');
  if (role === 'enterprise' && a.state === 'awaiting_employer') ['confirm', 'decline'].forEach((x) => out.add(x));
  if (role === 'authority' && ['submitted', 'confirmed'].includes(a.state)) out.add('decide');
  return out;
}

/** [action key, handler, style] for the buttons. */
function actionsFor(a) {
  const can = allowed(a);
  const out = [];
  // The holder corrects in the form; an employer's own cancellation has nothing to correct but the note.
  if (can.has('edit') && hooks.role() === 'holder') out.push(['act.edit', () => hooks.onEdit(a), '']);
  if (can.has('submit')) out.push(['act.submit', () => run('submit'), 'primary']);
  if (can.has('confirm')) out.push(['act.confirm', () => ask('confirm'), 'primary']);
  if (can.has('decline')) out.push(['act.decline', () => ask('decline'), 'danger']);
  if (can.has('decide')) {
    out.push(['act.approve', () => run('decide', false, 'approve'), 'primary'],
      ['act.return', () => run('decide', true, 'return'), ''], ['act.refuse', () => run('decide', true, 'refuse'), 'danger']);
  }
  if (can.has('withdraw')) out.push(['act.withdraw', withdraw, 'danger']);
  return out;
}

function renderActions(a) {
  const list = a ? actionsFor(a) : [];
  $('detail-actions').hidden = !list.length;
  const needsReason = list.some(([k]) => k === 'act.return');      // a decline asks in its dialog
  $('detail-reason-box').hidden = !needsReason;
  $('detail-buttons').replaceChildren(...list.map(([key, fn, style]) => {
    const b = el('button', `btn ${style}`, t(key));
    b.type = 'button';
    b.dataset.act = key.split('.')[1];
    b.addEventListener('click', fn);
    return b;
  }));
}

function showError(words) {
  $('detail-error').textContent = words || '';
  $('detail-error').hidden = !words;
}

async function run(action, reasonRequired = false, decision = null, given = null) {
  const reason = given ?? $('detail-reason').value.trim();
  if (reasonRequired && !reason) {
    showError(t('act.reasonNeeded'));
    $('detail-reason').setAttribute('aria-invalid', 'true');
    $('detail-reason').focus();
    return;
  }
  $('detail-reason').removeAttribute('aria-invalid');
  showError('');
  const body = decision ? { decision, reason } : (reason ? { reason } : {});
  for (const b of $('detail-buttons').querySelectorAll('button')) b.disabled = true;
  try {
    const a = await act(state.id, action, body);
    $('detail-reason').value = '';
    state = { ...state, app: a && a.id ? a : state.app, done: '' };
    await load(state.id, { keepDone: true });
    state.done = t('act.done', { state: stateName(state.app) });
    render();
    hooks.onChanged();
    $('ent-detail-title').focus({ preventScroll: false });
  } catch (e) {
    showError(errorWords(e));
    for (const b of $('detail-buttons').querySelectorAll('button')) b.disabled = false;
  }
}

/** Confirm or decline, asked again: what happens next in words; a decline's reason is required here (and by
 *  the server), the dialog staying open until one is given. */
function ask(kind) {
  const dlg = $('wf-act');
  dlg.dataset.kind = kind;
  $('wf-act-reason').value = '';
  $('wf-act-reason').removeAttribute('aria-invalid');
  actError('');
  wordAsk();
  dlg.returnValue = '';
  dlg.showModal();
  if (kind === 'decline') $('wf-act-reason').focus();
}

/** The dialog's words for its kind and the application (again after a language switch). */
function wordAsk() {
  const a = state.app;
  const kind = $('wf-act').dataset.kind;
  if (!a || !kind) return;
  const words = { who: (a.person && a.person.name) || '', type: typeName(a) };
  $('wf-act-title').textContent = t(kind === 'confirm' ? 'act.confirmTitle' : 'act.declineTitle');
  $('wf-act-text').textContent = kind === 'confirm'
    ? t('act.confirmText', { ...words, then: t(`act.confirmThen.${a.decision_mode === 'auto' ? 'auto' : 'review'}`) })
    : t('act.declineText', words);
  $('wf-act-reason-box').hidden = kind !== 'decline';
  $('wf-act-ok').textContent = t(kind === 'confirm' ? 'act.confirmOk' : 'act.declineOk');
  $('wf-act-ok').className = `btn ${kind === 'confirm' ? 'primary' : 'danger'}`;
  if (!$('wf-act-error').hidden) actError(t('act.reasonNeeded'));
}

function actError(words) {
  $('wf-act-error').textContent = words;
  $('wf-act-error').hidden = !words;
}

function onActSubmit(e) {
  if (!e.submitter || e.submitter.value !== 'ok' || $('wf-act').dataset.kind !== 'decline') return;
  if ($('wf-act-reason').value.trim()) return;
  e.preventDefault();
  actError(t('act.reasonNeeded'));
  $('wf-act-reason').setAttribute('aria-invalid', 'true');
  $('wf-act-reason').focus();
}

function onActClose() {
  const dlg = $('wf-act');
  if (dlg.returnValue !== 'ok') return;
  if (dlg.dataset.kind === 'decline') run('decline', true, null, $('wf-act-reason').value.trim());
  else run('confirm');
}

function withdraw() {
  const dlg = $('wf-confirm');
  dlg.returnValue = '';
  dlg.addEventListener('close', () => { if (dlg.returnValue === 'ok') run('withdraw'); }, { once: true });
  dlg.showModal();
}

export function renderDetail() {
  const { app: a, error, loading, done } = state;
  if ($('wf-act').open) wordAsk();
  const status = $('detail-status');
  status.dataset.state = loading ? 'loading' : error ? 'error' : 'ready';
  status.textContent = loading ? t('wf.loading') : error ? errorWords(error) : done;
  $('ent-detail-title').textContent = a ? `${typeName(a)}${subject(a) ? ` · ${subject(a)}` : ''}` : t('wf.detail');
  const body = $('detail-body');
  if (loading && a) return;
  body.replaceChildren();
  $('ent-detail').dataset.state = a ? a.state : '';
  renderActions(error ? null : a);
  if (!a || error) return;
  const head = el('div', 'detail-head');
  head.append(stateChip(a), el('span', 'muted small', t('wf.updated', { t: fmtTime(a.updated_at || a.created_at) })));
  const card = el('section', 'card');
  card.append(head, facts(a));
  const yours = [...allowed(a)].some((x) => x !== 'withdraw');
  body.append(...[nextStepNotice(a, yours), decisionNotice(a), copySection(a), card, rulesSection(a, hooks.role() === 'authority'), timeline(a)].filter(Boolean));
}
const render = renderDetail;

async function load(id, { keepDone = false } = {}) {
  const mine = ++seq;
  state = { ...state, id, loading: true, error: null, done: keepDone ? state.done : '' };
  render();
  try {
    const a = await getApplication(id);
    if (mine !== seq) return;
    state = { ...state, app: a, loading: false };
  } catch (e) {
    if (mine !== seq) return;
    state = { ...state, error: e, loading: false };
  }
  render();
}

/** Show application `id` in the detail pane (the caller has made the pane visible). */
export async function openDetail(id) {
  if (state.id !== id) state = { id, app: null, error: null, loading: false, done: '' };
  $('detail-reason').value = '';
  showError('');
  await load(id);
  $('ent-detail-title').focus({ preventScroll: true });
}

export function clearDetail() {
  seq += 1;
  state = { id: null, app: null, error: null, loading: false, done: '' };
  renderDetail();
}

export function initDetail(h) {
  hooks = { ...hooks, ...h };
  $('detail-back').addEventListener('click', () => hooks.onBack());
  $('detail-reason').addEventListener('input', () => { $('detail-reason').removeAttribute('aria-invalid'); showError(''); });
  $('wf-act-form').addEventListener('submit', onActSubmit);
  $('wf-act').addEventListener('close', onActClose);
  $('wf-act').addEventListener('cancel', () => { $('wf-act').returnValue = 'cancel'; });
  $('wf-act-reason').addEventListener('input', () => { $('wf-act-reason').removeAttribute('aria-invalid'); actError(''); });
}
