// A finished site check's sync and record: waiting (and why: offline, a retry time, the server's refusal),
// the inspector's sign-in when the sync needs one (core/auth.js, the same session as the 账户 tab), and
// once synced the signed inspection record's number with its PDF and CSV downloads; the server's
// evaluation of each person, shown in place of the device's once the record exists.

import { download, errorWords, login } from '../core/auth.js';
import { el } from '../core/dom.js';
import { fmtTime, pick, t } from '../core/i18n.js';
import { button, words } from './form.js';
import { accountProblem, syncAll } from './sync.js';

let loginError = null;   // the last sign-in's ApiError, worded when shown (a language switch re-words it)

export function loginCard(problem, render) {
  const form = el('form', 'card login-card sc-login');
  form.noValidate = true;
  form.append(words('h3', 'section-title', 'sc.login.title'), words('p', 'notice', problem === 'role' ? 'sc.sync.role' : 'sc.sync.login'));
  const user = Object.assign(el('input'), { id: 'sc-user', type: 'text', autocomplete: 'username', autocapitalize: 'none', maxLength: 64 });
  const pass = Object.assign(el('input'), { id: 'sc-pass', type: 'password', autocomplete: 'current-password', maxLength: 256 });
  const lu = words('label', null, 'sc.login.user'); lu.htmlFor = 'sc-user';
  const lp = words('label', null, 'sc.login.pass'); lp.htmlFor = 'sc-pass';
  const err = el('p', 'form-error', loginError ? errorWords(loginError) : '');
  err.setAttribute('role', 'alert');
  err.hidden = !loginError;
  const go = words('button', 'btn primary wide', 'sc.login.go');
  go.type = 'submit';
  go.id = 'sc-login-go';
  form.append(lu, user, lp, pass, err, go);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    go.disabled = true;
    try {
      await login(user.value.trim(), pass.value);
      loginError = null;
      await syncAll({ force: true });
    } catch (x) { loginError = x; }
    go.disabled = false;
    render();
  });
  return form;
}

export function syncSection(c, render) {
  const box = el('section', 'card sc-sync');
  box.id = 'sc-sync';
  if (c.state === 'synced' && c.server) {
    box.append(words('p', 'sc-synced', 'sc.sync.done'));
    const dl = el('dl', 'kv');
    dl.append(words('dt', null, 'sc.record.id'), el('dd', 'sc-record-id', String(c.server.id)));
    const row = el('div', 'action-row');
    const name = `inspection-${c.server.id}`;
    const get = (kind) => () => download(`api/v1/inspections/${encodeURIComponent(c.server.id)}/${kind}`, `${name}.${kind}`)
      .catch((e) => { box.querySelector('.form-error').textContent = errorWords(e); box.querySelector('.form-error').hidden = false; });
    row.append(button('sc.record.pdf', 'primary', get('pdf'), 'sc-pdf'), button('sc.record.csv', '', get('csv'), 'sc-csv'));
    const err = el('p', 'form-error');
    err.setAttribute('role', 'alert');
    err.hidden = true;
    box.append(dl, row, err);
    return box;
  }
  const e = c.sync.error;
  const status = el('p', 'status sc-sync-status');
  status.setAttribute('role', 'status');
  if (e && c.sync.next) status.textContent = t('sc.sync.retry', { t: fmtTime(c.sync.next).slice(11) });
  else if (e && ![401, 403].includes(e.status)) status.textContent = e.message ? pick(e.message, e.message_en) : errorWords({ status: e.status, body: {} });
  else status.textContent = t('sc.sync.pending');
  box.append(status);
  const problem = accountProblem();
  if (problem) box.append(loginCard(problem, render));
  else box.append(button('sc.sync.now', 'primary', async () => { status.textContent = t('sc.sync.busy'); await syncAll({ force: true }); render(); }, 'sc-sync-now'));
  return box;
}

/** The server's evaluation of person i, once synced: {met, requirements} as the local one. */
export function serverEvaluation(c, i) {
  const list = c.server && (Array.isArray(c.server.people) ? c.server.people : c.server.results);
  const r = Array.isArray(list) ? list.find((p) => p.index === i) || list[i] : null;
  return r && Array.isArray(r.requirements) ? r : null;
}
