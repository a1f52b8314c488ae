// The authority's actions on a record (docs/authority-actions.md): the buttons a registration's or an
// enterprise's state allows, and one dialog for each: the required reason, then the server's own words on
// what will happen (POST with confirm:false changes nothing), then confirm (confirm:true). Dangerous ones
// (撤销, 吊销, an enterprise revoked or bankrupt) say they need a second approver and file a request that
// #/approvals shows. Used by person.js and enterprise.js (through shared.js actionsFor), which rebuild the
// page when an action is done; the outcome stays on screen as a toast until the next one.

import { api, errorWords } from '../core/auth.js';
import { el } from '../core/dom.js';
import { fmtTime, pick, t } from '../core/i18n.js';
import './strings-actions.js';

const REG_BUTTONS = {
  active: ['suspend', 'cancel', 'rescind', 'revoke'],
  suspended: ['unsuspend', 'cancel', 'rescind', 'revoke'],
  lapsed: ['cancel', 'rescind', 'revoke'],
};
const LICENCE_BUTTONS = { active: ['revoked', 'bankrupt'], revoked: ['active'], bankrupt: ['active'] };
const DANGEROUS = new Set(['rescind', 'revoke', 'revoked', 'bankrupt']);
const REASON_MIN = 2;

function button(key, danger, onClick) {
  const b = el('button', `btn${danger ? ' danger' : ''}`, t(key));
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

/** A request waiting on this record: what, by whom, when, and a link to the queue. */
function pendingNote(req) {
  const p = el('p', 'cx-signal ax-pending');
  p.dataset.request = req.id;
  const link = el('a', null, t('ax.toApprovals'));
  link.href = '#/approvals';
  p.append(t('ax.pending', { action: pick(req.action_name, req.action_name_en), by: req.requested_by, at: fmtTime(req.requested_at) }), ' ', link);
  return p;
}

async function pendingOn(target) {
  try {
    return (await api('/api/v1/admin/approvals', { params: { state: 'pending', target } })).requests;
  } catch {
    return [];
  }
}

/**
 * The two-step dialog: reason → preview (the server's words) → confirm. `send(reason, confirm)` posts;
 * `done(result)` runs after a confirmed answer.
 */
function openDialog({ title, dangerous, send, done }) {
  const dlg = el('dialog', 'ax-dialog');
  dlg.setAttribute('aria-labelledby', 'ax-dialog-title');
  const h = el('h2', null, title);
  h.id = 'ax-dialog-title';
  const label = el('label', null, t('ax.reason'));
  label.htmlFor = 'ax-reason';
  const reason = el('textarea');
  Object.assign(reason, { id: 'ax-reason', rows: 3, maxLength: 500, required: true });
  const preview = el('div', 'ax-preview');
  preview.hidden = true;
  const error = el('p', 'form-error');
  error.setAttribute('role', 'alert');
  error.hidden = true;
  const row = el('div', 'cx-row ax-dialog-buttons');
  const close = button('ax.close', false, () => dlg.close());
  const back = button('ax.back', false, () => step('reason'));
  const next = button('ax.next', false, () => ask());
  next.classList.add('primary');
  const go = button(dangerous ? 'ax.file' : 'ax.confirm', dangerous, () => commit());
  go.classList.add('primary');
  go.id = 'ax-confirm';
  next.id = 'ax-next';
  row.append(close, back, next, go);
  dlg.append(h, label, reason, preview, error, row);
  if (dangerous) dlg.append(el('p', 'notice', t('ax.secondApprover')));

  const fail = (err) => { error.textContent = typeof err === 'string' ? err : errorWords(err); error.hidden = false; };
  function step(name) {
    dlg.dataset.step = name;
    const previewing = name === 'preview';
    reason.disabled = previewing;
    preview.hidden = !previewing;
    back.hidden = !previewing;
    go.hidden = !previewing;
    next.hidden = previewing;
    error.hidden = true;
  }
  async function ask() {
    const text = reason.value.trim();
    if (text.length < REASON_MIN) { fail(t('ax.reasonShort')); reason.focus(); return; }
    next.disabled = true;
    try {
      const r = await send(text, false);
      preview.replaceChildren(el('b', null, t('ax.willHappen')), el('p', 'ax-effect', pick(r.effect, r.effect_en)));
      if (r.needs_approval) preview.append(el('p', 'notice ax-second', t('ax.secondApprover')));
      preview.append(el('p', 'cx-muted', t('ax.sure')));
      step('preview');
      go.focus();
    } catch (err) {
      fail(err);
    } finally {
      next.disabled = false;
    }
  }
  async function commit() {
    go.disabled = true;
    try {
      const r = await send(reason.value.trim(), true);
      dlg.close();
      await done(r);
    } catch (err) {
      fail(err);
    } finally {
      go.disabled = false;
    }
  }
  dlg.addEventListener('close', () => dlg.remove());
  document.body.append(dlg);
  step('reason');
  dlg.showModal();
  reason.focus();
  return dlg;
}

function toast(r) {
  const words = r.outcome === 'pending_approval' ? t('ax.filed') : t('ax.done', { action: pick(r.effect, r.effect_en) });
  let p = document.getElementById('ax-toast');
  if (!p) {
    p = el('p', 'notice ax-toast');
    p.id = 'ax-toast';
    p.setAttribute('role', 'status');
    p.addEventListener('click', () => p.remove());
    document.body.append(p);
  }
  p.textContent = words;
  p.dataset.outcome = r.outcome;
}

/** The buttons of one registration ({registration_number, status, kind, ...}), and any request waiting on it. */
export async function registrationActions(reg, { reload } = {}) {
  const number = reg.registration_number;
  const box = el('div', 'ax-box');
  box.dataset.actionsFor = number;
  const row = el('div', 'cx-row ax-buttons');
  for (const action of REG_BUTTONS[reg.status] || []) {
    const b = button(`ax.${action}`, DANGEROUS.has(action), () => openDialog({
      title: t('ax.title', { action: t(`ax.${action}`), target: number }),
      dangerous: DANGEROUS.has(action),
      send: (reason, confirm) => api(`/api/v1/admin/registrations/${encodeURIComponent(number)}/actions`,
        { method: 'POST', body: { action, reason, confirm } }),
      done: async (r) => { toast(r); if (reload) await reload(); },
    }));
    b.dataset.action = action;
    row.append(b);
  }
  box.append(row);
  for (const req of await pendingOn(number)) box.append(pendingNote(req));
  return box;
}

/** The licence buttons of one enterprise ({uscc, name, status, ...}), and any request waiting on it. */
export async function enterpriseActions(ent, { reload } = {}) {
  const box = el('div', 'ax-box');
  box.dataset.actionsFor = ent.uscc;
  const row = el('div', 'cx-row ax-buttons');
  for (const state of LICENCE_BUTTONS[ent.status] || []) {
    const b = button(`ax.licence.${state}`, DANGEROUS.has(state), () => openDialog({
      title: t('ax.title', { action: t(`ax.licence.${state}`), target: ent.name }),
      dangerous: DANGEROUS.has(state),
      send: (reason, confirm) => api(`/api/v1/admin/enterprises/${encodeURIComponent(ent.uscc)}/licence`,
        { method: 'POST', body: { state, reason, confirm } }),
      done: async (r) => { toast(r); if (reload) await reload(); },
    }));
    b.dataset.action = state;
    row.append(b);
  }
  box.append(row);
  for (const req of await pendingOn(ent.uscc)) box.append(pendingNote(req));
  return box;
}
