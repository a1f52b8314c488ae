// 待确认 (the employer's page): the applications awaiting this employer's confirmation, a form to file
// the employer's own cancellations (单位注销, 死亡注销), and its other applications.

import { errorWords } from '../core/auth.js';
import { $, fillSelect } from '../core/dom.js';
import { t } from '../core/i18n.js';
import {
  act, createApplication, ENTERPRISE_TYPES, fieldErrors, fillList, listApplications, typeName,
} from './applications.js';

let state = { waiting: null, others: null, error: null, loading: false };
let seq = 0;
let onOpen = () => {};
let filing = null;   // the last refusal of the cancellation form

function renderCount() {
  const n = (state.waiting || []).length;
  const badge = $('ent-confirm-count');
  badge.hidden = !n;
  badge.textContent = n ? String(n) : '';
}

export function renderConfirm() {
  renderCount();
  fillSelect($('cancel-type'), ENTERPRISE_TYPES.map((c) => [c, typeName(c)]));
  const { waiting, others, error, loading } = state;
  const status = $('confirm-status');
  status.dataset.state = loading ? 'loading' : error ? 'error' : 'ready';
  status.textContent = loading ? t('wf.loading') : error ? errorWords(error)
    : waiting ? (waiting.length ? t('wf.total', { n: waiting.length }) : t('cf.none')) : '';
  if (!loading) {
    $('confirm-list').replaceChildren();
    if (waiting && waiting.length) fillList($('confirm-list'), waiting, onOpen);
    fillList($('confirm-others'), others || [], onOpen);
  }
  const err = $('cancel-error');
  err.hidden = !filing;
  err.textContent = '';
  if (filing) {
    const fields = fieldErrors(filing);
    err.textContent = fields.length ? fields.map(([, w]) => w).join(';') : errorWords(filing);
  }
}

export async function loadConfirm() {
  const mine = ++seq;
  state = { ...state, loading: true, error: null };
  renderConfirm();
  try {
    const [waiting, all] = await Promise.all([
      listApplications({ queue: 'confirm' }), listApplications({ page: 1 })]);
    if (mine !== seq) return;
    const w = waiting.applications || [];
    const ids = new Set(w.map((a) => a.id));
    state = { waiting: w, others: (all.applications || []).filter((a) => !ids.has(a.id)), error: null, loading: false };
  } catch (e) {
    if (mine !== seq) return;
    state = { waiting: null, others: null, error: e, loading: false };
  }
  renderConfirm();
}

async function fileCancel(e) {
  e.preventDefault();
  filing = null;
  const go = $('cancel-go');
  go.disabled = true;
  try {
    const body = { type: $('cancel-type').value, registration_number: $('cancel-regno').value.trim() };
    const note = $('cancel-note').value.trim();
    if (note) body.note = note;
    const draft = await createApplication(body);
    const a = await act(draft.id, 'submit');
    $('cancel-form').reset();
    $('cancel-done').textContent = t('cf.filed');
    await loadConfirm();
    onOpen(a.id || draft.id);
  } catch (err) {
    filing = err;
    $('cancel-done').textContent = '';
    renderConfirm();
    $('cancel-regno').focus();
  } finally {
    go.disabled = false;
  }
}

export function clearConfirm() {
  seq += 1;
  filing = null;
  state = { waiting: null, others: null, error: null, loading: false };
  $('cancel-form').reset();
  $('cancel-done').textContent = '';
  renderConfirm();
}

export function initConfirm({ open }) {
  onOpen = open;
  $('cancel-form').addEventListener('submit', fileCancel);
  renderConfirm();
}
