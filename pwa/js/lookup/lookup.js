// The public lookup: GET /api/v1/lookup?q=&page=&province=&kind=&specialty=&employer= by name or number
// (a number may be its first characters); masked results as compact rows, pages that open at their first row.

import { $, el, fillSelect } from '../core/dom.js';
import { pick, t } from '../core/i18n.js';
import { PROVINCES } from '../core/provinces.js';
import { apiUrl, onTrustChange, trust } from '../core/trust.js';

const REG_STATUS = {
  active: ['有效', 'active'], suspended: ['暂扣', 'suspended'], rescinded: ['撤销', 'rescinded'],
  cancelled: ['注销', 'cancelled'], lapsed: ['失效', 'lapsed'], revoked: ['吊销', 'revoked'],
};
const TONE = { active: 'ok', suspended: 'bad', rescinded: 'bad', cancelled: 'bad', lapsed: 'bad', revoked: 'bad' };
const SPEC_STATUS = { active: null, lapsed: ['已过期', 'lapsed'], cancelled: ['已注销', 'cancelled'] };
const FILTERS = ['province', 'kind', 'specialty', 'employer'];
let current = { q: '', page: 1, filters: {}, data: null, error: null };
let seq = 0;

let fetchedKinds = null;
const kinds = () => (trust().catalogue && trust().catalogue.kinds) || fetchedKinds || [];

/** The kinds' names when the app has no catalogue yet (it is loaded with the keys): fetched on first use of
 *  the lookup, never on the way to a verdict. */
async function needKinds() {
  if (kinds().length || fetchedKinds || navigator.onLine === false) return;
  fetchedKinds = [];
  try {
    const resp = await fetch(apiUrl('api/v1/catalogue'), { headers: { Accept: 'application/json' } });
    const body = resp.ok ? await resp.json() : null;
    if (body && Array.isArray(body.kinds)) { fetchedKinds = body.kinds; fillFilters(); }
  } catch { fetchedKinds = null; }
}

function row(r) {
  const li = el('li', 'lk-row');
  const head = el('div', 'lk-head');
  head.append(el('span', 'lk-name', r.name));
  head.append(el('span', 'lk-kind', pick(r.kind_name, r.kind_name_en) || r.kind));
  const status = REG_STATUS[r.status] ? pick(...REG_STATUS[r.status]) : (r.status_name || r.status);
  head.append(el('span', `chip tone-${TONE[r.status] || 'grey'}`, status));
  li.append(head);
  const line = (cls, ...parts) => li.appendChild(el('p', `lk-line ${cls}`, parts.filter(Boolean).join(' · ')));
  // The number, then the masked ID number (its region only): its label is for screen readers, the row stays one line.
  const no = line('lk-no', r.registration_number);
  if (r.id_number) no.append(' · ', el('span', 'visually-hidden', `${t('result.id')} `), r.id_number);
  line('lk-emp', r.employer && r.employer.name);
  const kind = kinds().find((k) => k.code === r.kind);
  const specs = (r.specialties || []).map((s) => {
    const known = kind && (kind.specialties || []).find((x) => x.code === s.code);
    const st = SPEC_STATUS[s.status] ? ` ${pick(...SPEC_STATUS[s.status])}` : '';
    return `${known ? pick(known.name, known.name_en) : (s.name || s.code)} ${t('lookup.until', { d: s.valid_until })}${st}`;
  });
  if (specs.length) line('lk-specs', ...specs);
  return li;
}

function filtered() {
  return FILTERS.some((k) => current.filters[k]);
}

function render() {
  const { data, error } = current;
  const list = $('lookup-results');
  const status = $('lookup-status');
  list.replaceChildren();
  $('lookup-pager').hidden = true;
  if (current.filters.employer) $('lookup-more').open = true;     // a filter in force is never out of sight
  if (error) { status.textContent = error; return; }
  if (!data) { status.textContent = ''; return; }
  if (!data.results.length) {
    status.textContent = t(filtered() ? 'lookup.none_filtered' : 'lookup.none');
    return;
  }
  const words = data.total_capped ? t('lookup.capped', { n: data.total }) : t('lookup.total', { n: data.total });
  status.textContent = filtered() ? `${words} (${t('lookup.filtered')})` : words;
  list.append(...data.results.map(row));
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
  const fields = (body && body.details && body.details.fields) || {};
  const f = ['q', 'page', ...FILTERS].map((k) => fields[k]).find(Boolean);
  if (f && f.message) return pick(f.message, f.message_en);
  if (body && body.message) return pick(body.message, body.message_en);
  return t('lookup.failed');
}

/** The filter controls' choices, in the current language; kinds and specialties from the catalogue. */
function fillFilters() {
  fillSelect($('lookup-province'), [['', t('lookup.any_province')],
    ...PROVINCES.map(([code, zh, en, abbr]) => [code, `${pick(zh, en)} (${abbr})`])]);
  fillSelect($('lookup-kind'), [['', t('lookup.any_kind')], ...kinds().map((k) => [k.code, pick(k.name, k.name_en)])]);
  fillSpecialties();
}

function fillSpecialties() {
  const kind = kinds().find((k) => k.code === $('lookup-kind').value);
  const specs = (kind && kind.specialties) || [];
  const select = $('lookup-specialty');
  fillSelect(select, [['', t('lookup.any_specialty')], ...specs.map((s) => [s.code, pick(s.name, s.name_en)])]);
  select.hidden = specs.length < 2;
  if (select.hidden) select.value = '';
}

function readFilters() {
  return {
    province: $('lookup-province').value, kind: $('lookup-kind').value,
    specialty: $('lookup-specialty').hidden ? '' : $('lookup-specialty').value,
    employer: $('lookup-employer').value.trim(),
  };
}

/** Scroll the new page to its start: the count line under the app bar, the first row below it. */
function toFirstResult() {
  const status = $('lookup-status');
  status.scrollIntoView({ block: 'start' });
  status.focus({ preventScroll: true });
}

export async function search(q, page = 1, { filters = readFilters(), scroll = false } = {}) {
  const mine = ++seq;
  current = { q, page, filters, data: null, error: null };
  needKinds();
  $('lookup-q').value = q;
  if (!q.trim()) { render(); return; }
  if (navigator.onLine === false) { current.error = t('lookup.offline'); render(); return; }
  $('lookup-status').textContent = '…';
  $('lookup-results').setAttribute('aria-busy', 'true');
  let resp = null;
  let body = null;
  try {
    const params = new URLSearchParams({ q: q.trim(), page: String(page) });
    for (const k of FILTERS) if (filters[k]) params.set(k, filters[k]);
    resp = await fetch(`${apiUrl('api/v1/lookup')}?${params}`, { cache: 'no-store', headers: { Accept: 'application/json' } });
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
  if (scroll && current.data && current.data.results.length) toFirstResult();
}

function again() {
  // A changed filter applies at once to the search on screen (page 1).
  if (current.q.trim()) search(current.q, 1);
}

export function initLookup() {
  fillFilters();
  onTrustChange(() => fillFilters());
  $('lookup-form').addEventListener('submit', (e) => {
    e.preventDefault();
    search($('lookup-q').value, 1);
  });
  $('lookup-kind').addEventListener('focus', needKinds);
  $('lookup-q').addEventListener('focus', needKinds);
  $('lookup-province').addEventListener('change', again);
  $('lookup-kind').addEventListener('change', () => { fillSpecialties(); again(); });
  $('lookup-specialty').addEventListener('change', again);
  $('lookup-clear').addEventListener('click', () => {
    $('lookup-province').value = '';
    $('lookup-kind').value = '';
    $('lookup-employer').value = '';
    fillSpecialties();
    again();
  });
  const turn = (page) => search(current.q, page, { filters: current.filters, scroll: true });
  $('lookup-prev').addEventListener('click', () => turn(Math.max(1, current.page - 1)));
  $('lookup-next').addEventListener('click', () => turn(current.page + 1));
}

export function rerenderLookup() {
  fillFilters();
  render();
}
