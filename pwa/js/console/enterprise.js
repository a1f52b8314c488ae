// An enterprise's page (#/enterprise/<uscc>[?page=n]): GET /api/v1/admin/enterprises/<uscc>. Its record and
// licence status (with the actions of ./actions.js when that module is there), counts, 挂证 signals, its
// staff 100 a page (a name opens the person) and its audit trail.

import { api, errorWords } from '../core/auth.js';
import { cell, el, headerRow } from '../core/dom.js';
import { fmtTime, pick, t } from '../core/i18n.js';
import { actionsFor, auditList, chip, kv, registrationStatus, section } from './shared.js';
import './strings-register.js';

const licence = (status) => (['active', 'revoked', 'bankrupt', 'lost'].includes(status) ? t(`en.status.${status}`) : status);

function record(d, reload) {
  const e = d.enterprise;
  const s = section('en-record', 'en.licence');
  s.append(kv([['en.licence', chip(e.status === 'active' ? 'active' : 'revoked', licence(e.status))],
    ['en.uscc', el('span', 'cx-mono', e.uscc)], ['en.province', e.province_code], ['en.account', t(e.has_account ? 'en.yes' : 'en.no')],
    ['ps.created', fmtTime(e.created_at)]]));
  return actionsFor('enterprise', e, reload).then((actions) => { if (actions) s.append(actions); return s; });
}

function counts(d) {
  const c = d.counts;
  const s = section('en-counts', 'en.counts');
  const ul = el('ul', 'cx-counts');
  const item = (text) => { const li = el('li', null, text); ul.append(li); };
  item(t('en.registrations', { n: c.registrations }));
  item(t('en.persons', { n: c.persons }));
  item(t('en.held', { n: c.held }));
  item(t('en.warnings', { n: c.warnings }));
  for (const x of c.by_status) item(`${pick(x.name, x.name_en)} ${x.count}`);
  for (const x of c.by_kind) item(`${pick(x.name, x.name_en)} ${x.count}`);
  s.append(ul);
  return s;
}

function signals(d) {
  const s = section('en-signals', 'ps.signals');
  if (!d.signals.length) s.append(el('p', 'cx-muted', t('ps.noSignals')));
  for (const g of d.signals) s.append(el('p', 'cx-signal', `${g.name} · ${g.registration_number}:${pick(g.message, g.message_en)}`));
  return s;
}

function staff(d, ctx, uscc) {
  const s = section('en-staff', 'en.staff');
  const st = d.staff;
  if (!st.entries.length) { s.append(el('p', 'cx-muted', t('en.noStaff'))); return s; }
  const table = el('table', 'rtable cx-table');
  table.setAttribute('role', 'table');
  const head = el('thead');
  head.append(headerRow(['rgcol.name', 'rgcol.id', 'rgcol.regno', 'rgcol.kind', 'rgcol.status', 'rgcol.expiry']));
  const body = el('tbody');
  for (const m of st.entries) {
    const tr = el('tr');
    tr.setAttribute('role', 'row');
    const open = el('button', 'cx-link', m.name);
    open.type = 'button';
    open.addEventListener('click', () => ctx.navigate(`#/person/${m.person_id}`));
    const active = m.specialties.filter((x) => x.status === 'active').map((x) => x.valid_until).sort();
    tr.append(cell('rgcol.name', open), cell('rgcol.id', el('span', 'cx-mono', m.id_number)),
      cell('rgcol.regno', el('span', 'cx-mono', m.registration_number)), cell('rgcol.kind', pick(m.kind_name, m.kind_name_en)),
      cell('rgcol.status', chip(m.status, registrationStatus(m.status))), cell('rgcol.expiry', active[0] || '—'));
    body.append(tr);
  }
  table.append(head, body);
  const wrap = el('div', 'table-wrap');
  wrap.append(table);
  s.append(wrap);
  const pages = Math.max(1, Math.ceil(st.total / st.page_size));
  if (pages > 1) {
    const nav = el('nav', 'pager');
    nav.setAttribute('aria-label', t('roster.pages'));
    const go = (p) => ctx.navigate(`#/enterprise/${encodeURIComponent(uscc)}?page=${p}`);
    const prev = el('button', 'btn', t('lookup.prev'));
    prev.disabled = st.page <= 1;
    prev.addEventListener('click', () => go(st.page - 1));
    const next = el('button', 'btn', t('lookup.next'));
    next.disabled = st.page >= pages;
    next.addEventListener('click', () => go(st.page + 1));
    nav.append(prev, el('span', null, t('en.page', { p: st.page, n: pages, s: st.page_size })), next);
    s.append(nav);
  }
  return s;
}

export async function mount(root, ctx) {
  const uscc = (ctx.params[0] || '').toUpperCase();
  const back = el('button', 'btn', t('ps.back'));
  back.type = 'button';
  back.addEventListener('click', () => (history.length > 1 ? history.back() : ctx.navigate('#/search')));
  let d;
  try {
    const page = (ctx.query && ctx.query.get('page')) || undefined;
    d = await api(`api/v1/admin/enterprises/${encodeURIComponent(uscc)}`, { params: { page } });
  } catch (err) {
    root.append(back, el('p', 'form-error', errorWords(err)));
    return;
  }
  const title = el('h1', 'cx-title', d.enterprise.name);
  title.id = 'en-name';
  title.tabIndex = -1;
  const reload = () => ctx.navigate(location.hash);
  const audit = section('en-audit', 'ps.audit', t('ps.auditCount', { n: d.audit.total, m: d.audit.events.length }));
  audit.append(d.audit.events.length ? auditList(d.audit) : el('p', 'cx-muted', t('ps.noAudit')));
  const top = el('div', 'cx-grid two');
  top.append(await record(d, reload), counts(d));
  root.append(back, title, top, signals(d), staff(d, ctx, uscc), audit);
}
