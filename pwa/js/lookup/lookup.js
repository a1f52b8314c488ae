// The public lookup: GET /api/v1/lookup?q=&page= by name or number; masked results, pages.

import { $, el } from '../core/dom.js';
import { pick, t } from '../core/i18n.js';
import { apiUrl } from '../core/trust.js';

const REG_STATUS = {
  active: ['有效', 'active'], suspended: ['暂扣', 'suspended'], rescinded: ['撤销', 'rescinded'],
  cancelled: ['注销', 'cancelled'], lapsed: ['失效', 'lapsed'], revoked: ['吊销', 'revoked'],
};
const TONE = { active: 'ok', suspended: 'bad', rescinded: 'bad', cancelled: 'bad', lapsed: 'bad', revoked: 'bad' };
const SPEC_STATUS = { active: ['有效', 'valid'], lapsed: ['已过期', 'lapsed'], cancelled: ['已注销', 'cancelled'] };
let current = { q: '', page: 1, data: null, error: null };
let seq = 0;

function card(r) {
  const li = el('li', 'card lookup-card');
  const head = el('div', 'card-head');
  head.append(el('span', 'card-name', r.name));
  const status = REG_STATUS[r.status] ? pick(...REG_STATUS[r.status]) : (r.status_name || r.status);
  head.append(el('span', `chip tone-${TONE[r.status] || 'grey'}`, status));
  li.append(head);
  const dl = el('dl', 'kv');
  const row = (k, v) => { if (v) { const d = el('div', 'field'); d.append(el('dt', null, t(k)), el('dd', null, v)); dl.append(d); } };
  row('result.id', r.id_number);
  row('result.regno', r.registration_number);
  row('result.seal', r.seal_number);
  row('result.kind', pick(r.kind_name, r.kind_name_en) || r.kind);
  row('result.employer', r.employer && r.employer.name);
  li.append(dl);
  if (r.specialties && r.specialties.length) {
    const ul = el('ul', 'spec-list');
    for (const s of r.specialties) {
      const st = SPEC_STATUS[s.status] ? pick(...SPEC_STATUS[s.status]) : s.status;
      ul.append(el('li', 'spec-line', `${s.name || s.code} · ${t('result.until', { d: s.valid_until })} · ${st}`));
    }
    li.append(ul);
  }
  return li;
}

function render() {
  const { data, error } = current;
  const list = $('lookup-results');
  const status = $('lookup-status');
  list.replaceChildren();
  $('lookup-pager').hidden = true;
  if (error) { status.textContent = error; return; }
  if (!data) { status.textContent = ''; return; }
  if (!data.results.length) { status.textContent = t('lookup.none'); return; }
  status.textContent = data.total_capped ? t('lookup.capped', { n: data.total }) : t('lookup.total', { n: data.total });
  list.append(...data.results.map(card));
  const pages = Math.max(1, Math.ceil(data.total / data.page_size));
  if (pages > 1) {
    $('lookup-pager').hidden = false;
    $('lookup-page').textContent = t('lookup.page', { p: data.page, n: pages });
    $('lookup-prev').disabled = data.page <= 1;
    $('lookup-next').disabled = data.page >= pages;
  }
}

function errorText(resp, body) {
  if (resp && resp.status === 429) return t('lookup.busy');
  // Validation errors name the field: "请输入至少两个字符" says more than "输入数据有误".
  const f = body && body.details && body.details.fields && (body.details.fields.q || body.details.fields.page);
  if (f && f.message) return pick(f.message, f.message_en);
  if (body && body.message) return pick(body.message, body.message_en);
  return t('lookup.failed');
}

export async function search(q, page = 1) {
  const mine = ++seq;
  current = { q, page, data: null, error: null };
  $('lookup-q').value = q;
  if (!q.trim()) { render(); return; }
  if (navigator.onLine === false) { current.error = t('lookup.offline'); render(); return; }
  $('lookup-status').textContent = '…';
  $('lookup-results').setAttribute('aria-busy', 'true');
  let resp = null;
  let body = null;
  try {
    const url = `${apiUrl('api/v1/lookup')}?q=${encodeURIComponent(q.trim())}&page=${page}`;
    resp = await fetch(url, { cache: 'no-store', headers: { Accept: 'application/json' } });
    try { body = await resp.json(); } catch { body = null; }
    if (mine !== seq) return;   // a newer search has started meanwhile
    if (resp.ok && body && Array.isArray(body.results)) current.data = body;
    else current.error = errorText(resp, body);
  } catch {
    if (mine !== seq) return;
    current.error = navigator.onLine === false ? t('lookup.offline') : t('lookup.failed');
  } finally {
    if (mine === seq) $('lookup-results').removeAttribute('aria-busy');
  }
  render();
}

export function initLookup() {
  $('lookup-form').addEventListener('submit', (e) => {
    e.preventDefault();
    search($('lookup-q').value, 1);
  });
  $('lookup-prev').addEventListener('click', () => search(current.q, Math.max(1, current.page - 1)));
  $('lookup-next').addEventListener('click', () => search(current.q, current.page + 1));
}

export const rerenderLookup = render;
