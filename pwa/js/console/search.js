// The console's register search (#/search?q=&by=&kind=&status=&province=&employer=&expiring_within=&page=):
// GET /api/v1/admin/search. The form's state lives in the route's query, so the back button, a reload and
// a language switch bring the same page back. A row opens the person (#/person/<id>); an employer, the
// enterprise (#/enterprise/<uscc>).

import { api, errorWords } from '../core/auth.js';
import { cell, el, fillSelect, headerRow } from '../core/dom.js';
import { pick, t } from '../core/i18n.js';
import { PROVINCES } from '../core/provinces.js';
import { chip, registrationStatus } from './shared.js';
import './strings-register.js';

const FIELDS = ['q', 'by', 'kind', 'status', 'province', 'employer', 'expiring_within'];
const BY = ['auto', 'name', 'id_number', 'registration_number', 'seal_number', 'certificate', 'employer'];
const STATUSES = ['active', 'suspended', 'lapsed', 'cancelled', 'rescinded', 'revoked'];
const EXPIRING = [30, 90, 180, 365];
let kinds = null;

async function loadKinds() {
  if (kinds) return kinds;
  try { kinds = (await api('api/v1/catalogue')).kinds || []; } catch { kinds = []; }
  return kinds;
}

function field(cls, labelKey, control) {
  const wrap = el('div', cls);
  const label = el('label', null, t(labelKey));
  label.htmlFor = control.id;
  wrap.append(label, control);
  return wrap;
}

function select(id, options, value) {
  const s = el('select');
  s.id = id;
  s.name = id.replace('cx-', '');
  fillSelect(s, options);
  s.value = value || '';
  if (s.value !== (value || '')) s.value = '';
  return s;
}

function buildForm(query, kindList, ctx) {
  const form = el('form', 'cx-search');
  form.setAttribute('role', 'search');
  form.autocomplete = 'off';
  const q = el('input');
  Object.assign(q, { id: 'cx-q', name: 'q', type: 'search', value: query.get('q') || '', maxLength: 96 });
  q.setAttribute('aria-describedby', 'cx-q-hint');
  const qWrap = field('cx-q', 'rg.q', q);
  qWrap.append(el('p', 'cx-muted', t('rg.qHint')));
  qWrap.lastChild.id = 'cx-q-hint';
  const by = select('cx-by', BY.map((b) => [b === 'auto' ? '' : b, t(`rg.by.${b}`)]), query.get('by'));
  const kind = select('cx-kind', [['', t('rg.any')], ...kindList.map((k) => [k.code, pick(k.name, k.name_en)])], query.get('kind'));
  const status = select('cx-status', [['', t('rg.any')], ...STATUSES.map((s) => [s, registrationStatus(s)])], query.get('status'));
  const province = select('cx-province', [['', t('rg.any')],
    ...PROVINCES.map(([code, zh, en, abbr]) => [code, `${pick(zh, en)} (${abbr})`])], query.get('province'));
  const expiring = select('cx-expiring_within', [['', t('rg.any')], ...EXPIRING.map((n) => [String(n), t('rg.within', { n })])],
    query.get('expiring_within'));
  const employer = el('input');
  Object.assign(employer, { id: 'cx-employer', name: 'employer', type: 'text', value: query.get('employer') || '', maxLength: 100 });
  const buttons = el('div', 'cx-buttons');
  const go = el('button', 'btn primary', t('rg.go'));
  go.type = 'submit';
  const clear = el('button', 'btn', t('rg.clear'));
  clear.type = 'button';
  clear.addEventListener('click', () => ctx.navigate('#/search'));
  buttons.append(go, clear);
  form.append(qWrap, field('cx-by', 'rg.by', by), field('', 'rg.kind', kind), field('', 'rg.status', status),
    field('', 'rg.province', province), field('', 'rg.expiring', expiring), field('', 'rg.employer', employer), buttons);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const params = new URLSearchParams();
    for (const f of FIELDS) {
      const v = form.elements[f].value.trim();
      if (v) params.set(f, v);
    }
    ctx.navigate(`#/search?${params}`);
  });
  return form;
}

function resultRow(hit, ctx) {
  const p = hit.person;
  const r = hit.registration;
  const tr = el('tr');
  tr.setAttribute('role', 'row');
  const open = el('button', 'cx-link', p.name);
  open.type = 'button';
  open.addEventListener('click', () => ctx.navigate(`#/person/${p.id}`));
  let employer = '—';
  if (r) {
    employer = el('button', 'cx-link', r.employer.name);
    employer.type = 'button';
    employer.addEventListener('click', () => ctx.navigate(`#/enterprise/${encodeURIComponent(r.employer.uscc)}`));
  }
  tr.append(
    cell('rgcol.name', open),
    cell('rgcol.id', el('span', 'cx-mono', p.id_number)),
    cell('rgcol.regno', r ? el('span', 'cx-mono', r.registration_number) : t('rg.noRegistration')),
    cell('rgcol.kind', r ? pick(r.kind_name, r.kind_name_en) : '—'),
    cell('rgcol.status', r ? chip(r.status, registrationStatus(r.status)) : '—'),
    cell('rgcol.employer', employer),
    cell('rgcol.expiry', r && r.next_expiry ? r.next_expiry : '—'),
  );
  return tr;
}

function pager(data, query, ctx) {
  const nav = el('nav', 'pager');
  nav.setAttribute('aria-label', t('roster.pages'));
  const to = (page) => {
    const params = new URLSearchParams(query);
    params.set('page', String(page));
    ctx.navigate(`#/search?${params}`);
  };
  const prev = el('button', 'btn', t('lookup.prev'));
  prev.type = 'button';
  prev.disabled = data.page <= 1;
  prev.addEventListener('click', () => to(data.page - 1));
  const next = el('button', 'btn', t('lookup.next'));
  next.type = 'button';
  next.disabled = data.page >= data.pages;
  next.addEventListener('click', () => to(data.page + 1));
  nav.append(prev, el('span', null, t('rg.page', { p: data.page, n: data.pages })), next);
  return nav;
}

function renderResults(out, data, query, ctx) {
  const count = data.total_capped ? t('rg.capped', { n: data.total }) : t('rg.total', { n: data.total });
  out.append(el('p', 'status', `${count} · ${t(`rg.match.${data.match}`)}`));
  if (data.enterprises.length) {
    const box = el('div', 'cx-enterprises');
    box.append(el('h2', 'cx-sub', t('rg.enterprises')));
    const ul = el('ul', 'cx-list');
    for (const e of data.enterprises) {
      const b = el('button', 'cx-link', e.name);
      b.type = 'button';
      b.addEventListener('click', () => ctx.navigate(`#/enterprise/${encodeURIComponent(e.uscc)}`));
      const li = el('li', 'cx-row');
      li.append(b, el('span', 'cx-mono cx-muted', e.uscc));
      ul.append(li);
    }
    box.append(ul);
    out.append(box);
  }
  if (!data.results.length) {
    out.append(el('p', 'empty', t('rg.none')));
    return;
  }
  const wrap = el('div', 'table-wrap');
  const table = el('table', 'rtable cx-table');
  table.id = 'cx-results';
  table.setAttribute('role', 'table');
  const head = el('thead');
  head.append(headerRow(['rgcol.name', 'rgcol.id', 'rgcol.regno', 'rgcol.kind', 'rgcol.status', 'rgcol.employer', 'rgcol.expiry']));
  const body = el('tbody');
  body.append(...data.results.map((hit) => resultRow(hit, ctx)));
  table.append(head, body);
  wrap.append(table);
  out.append(wrap);
  if (data.pages > 1) out.append(pager(data, query, ctx));
}

export async function mount(root, ctx) {
  const query = ctx.query || new URLSearchParams();
  const title = el('h1', 'cx-title', t('rg.title'));
  title.tabIndex = -1;
  const out = el('div', 'cx-results');
  out.setAttribute('aria-live', 'polite');
  root.append(title, buildForm(query, await loadKinds(), ctx), out);
  const params = {};
  for (const f of [...FIELDS, 'page']) if (query.get(f)) params[f] = query.get(f);
  if (!Object.keys(params).length) return;
  out.append(el('p', 'status', t('rg.searching')));
  try {
    const data = await api('api/v1/admin/search', { params });
    out.replaceChildren();
    renderResults(out, data, query, ctx);
  } catch (err) {
    out.replaceChildren(el('p', 'form-error', fieldWords(err)));
  }
}

/** A refusal naming a field says what is wrong with it ("请输入…"), better than "输入数据有误". */
function fieldWords(err) {
  const fields = (err && err.body && err.body.details && err.body.details.fields) || {};
  const problems = Object.values(fields).filter((f) => f && f.message);
  return problems.length ? problems.map((f) => pick(f.message, f.message_en)).join(';') : errorWords(err);
}
