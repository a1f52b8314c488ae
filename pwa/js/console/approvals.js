// #/approvals: the requests for a second approver (GET /api/v1/admin/approvals). Each card says what is asked,
// on which record, why, by whom and when; a pending one can be approved (after a confirmation that restates
// it: approving applies it at once) or rejected with a reason by another authority account. The requester sees
// their own pending requests marked as theirs, without an approve button, and may withdraw them. The state
// filter lives in the route's query (#/approvals?state=approved).

import { api, errorWords } from '../core/auth.js';
import { el } from '../core/dom.js';
import { fmtTime, pick, t } from '../core/i18n.js';
import { chip } from './shared.js';
import './strings-actions.js';

const STATES = ['pending', 'approved', 'rejected', 'stale', 'all'];
const CHIP = { pending: 'suspended', approved: 'active', rejected: 'cancelled', stale: 'lapsed' };
const LICENCE = { revoked: ['资质或营业执照被吊销', 'licence or 资质 revoked'], bankrupt: ['破产', 'bankrupt'], active: ['正常', 'active'] };

const actionName = (r) => pick(r.action_name, r.action_name_en);

function targetLink(r) {
  const href = r.target_type === 'enterprise' ? `#/enterprise/${encodeURIComponent(r.target)}`
    : `#/search?q=${encodeURIComponent(r.target)}`;
  const a = el('a', 'cx-mono', r.target);
  a.href = href;
  return a;
}

/** A small modal: the words, an optional reason, and OK; resolves to the reason ('' without one) or null. */
function ask(words, { reasonLabel = null, okKey = 'ap.approve', danger = false } = {}) {
  return new Promise((resolve) => {
    const dlg = el('dialog', 'ax-dialog');
    const p = el('p', 'ax-effect', words);
    const row = el('div', 'cx-row ax-dialog-buttons');
    const cancel = el('button', 'btn', t('ax.close'));
    const ok = el('button', `btn primary${danger ? ' danger' : ''}`, t(okKey));
    ok.id = 'ap-ok';
    cancel.type = ok.type = 'button';
    let reason = null;
    const error = el('p', 'form-error');
    error.hidden = true;
    dlg.append(p);
    if (reasonLabel) {
      const label = el('label', null, reasonLabel);
      reason = el('textarea');
      Object.assign(reason, { id: 'ap-reason', rows: 3, maxLength: 500 });
      label.htmlFor = 'ap-reason';
      dlg.append(label, reason);
    }
    row.append(cancel, ok);
    dlg.append(error, row);
    let answer = null;
    cancel.addEventListener('click', () => dlg.close());
    ok.addEventListener('click', () => {
      const text = reason ? reason.value.trim() : '';
      if (reason && text.length < 2) { error.textContent = t('ax.reasonShort'); error.hidden = false; reason.focus(); return; }
      answer = text;
      dlg.close();
    });
    dlg.addEventListener('close', () => { dlg.remove(); resolve(answer); });
    document.body.append(dlg);
    dlg.showModal();
    (reason || ok).focus();
  });
}

function card(r, refresh, status) {
  const li = el('li', 'ap-card');
  li.dataset.request = r.id;
  li.dataset.state = r.state;
  const head = el('div', 'cx-row');
  head.append(el('b', null, actionName(r)), targetLink(r), chip(CHIP[r.state] || r.state, t(`ap.state.${r.state}`)),
    el('span', 'cx-muted cx-mono', r.id));
  li.append(head);
  if (r.numbers.length > 1) li.append(el('p', 'cx-muted cx-mono', t('ap.targets', { list: r.numbers.join('、') })));
  if (r.licence_state) li.append(el('p', null, t('ap.licenceTo', { state: pick(...(LICENCE[r.licence_state] || [r.licence_state])) })));
  li.append(el('p', null, t('ap.reason', { reason: r.reason })),
    el('p', 'cx-muted', t('ap.asked', { by: r.requested_by, at: fmtTime(r.requested_at) })));
  if (r.decided_at) li.append(el('p', 'cx-muted', t('ap.decided', { by: r.decided_by, at: fmtTime(r.decided_at) })));
  if (r.decision_reason) li.append(el('p', null, t('ap.decisionReason', { reason: r.decision_reason })));
  if (r.state === 'stale' && r.result.changes) {
    li.append(el('p', 'cx-signal', t('ap.changes', { list: r.result.changes.map((c) => `${c.registration_number || c.uscc}: ${c.was} → ${c.now}`).join('; ') })));
  }
  if (r.state !== 'pending') return li;
  if (r.mine) li.append(el('p', 'notice ap-mine', t('ap.mine')));
  const row = el('div', 'cx-row');
  const run = async (path, body, doneKey) => {
    try {
      await api(`/api/v1/admin/approvals/${encodeURIComponent(r.id)}/${path}`, { method: 'POST', body });
      status.textContent = t(doneKey);
      status.dataset.kind = 'ok';
    } catch (err) {
      status.textContent = errorWords(err);
      status.dataset.kind = 'error';
    }
    await refresh();
  };
  if (r.can_approve) {
    const approve = el('button', 'btn primary', t('ap.approve'));
    approve.type = 'button';
    approve.dataset.do = 'approve';
    approve.addEventListener('click', async () => {
      const words = t('ap.approveSure', { action: actionName(r), target: r.numbers.length > 1 ? r.numbers.join('、') : r.target, reason: r.reason });
      if (await ask(words, { danger: true }) !== null) await run('approve', undefined, 'ap.approved');
    });
    row.append(approve);
  }
  const reject = el('button', 'btn danger', t(r.mine ? 'ap.withdraw' : 'ap.reject'));
  reject.type = 'button';
  reject.dataset.do = 'reject';
  reject.addEventListener('click', async () => {
    const reason = await ask(`${actionName(r)} · ${r.target}`, { reasonLabel: t('ap.rejectReason'), okKey: r.mine ? 'ap.withdraw' : 'ap.reject' });
    if (reason) await run('reject', { reason }, 'ap.rejected');
  });
  row.append(reject);
  li.append(row);
  return li;
}

export async function mount(root, ctx) {
  const state = STATES.includes(ctx.query && ctx.query.get('state')) ? ctx.query.get('state') : 'pending';
  root.append(el('h1', 'cx-title', t('ap.title')), el('p', 'cx-muted', t('ap.intro')));
  const tabs = el('div', 'cx-row ap-tabs');
  for (const s of STATES) {
    const a = el('a', 'btn', t(`ap.state.${s}`));
    a.href = s === 'pending' ? '#/approvals' : `#/approvals?state=${s}`;
    if (s === state) a.setAttribute('aria-current', 'page');
    tabs.append(a);
  }
  const status = el('p', 'notice ap-status');
  status.setAttribute('role', 'status');
  const list = el('ul', 'cx-list ap-list');
  root.append(tabs, status, list);
  status.hidden = true;
  async function refresh() {
    const data = await api('/api/v1/admin/approvals', { params: state === 'all' ? {} : { state } });
    list.replaceChildren(...data.requests.map((r) => card(r, refresh, status)));
    if (!data.requests.length) list.append(el('li', 'cx-muted', t('ap.empty')));
    status.hidden = !status.textContent;
  }
  await refresh();
}
