// The roster as a register: GET /api/v1/enterprise/staff with filters (status, kind, warning), a search
// (part of a name or number, or a name's pinyin), an order (most urgent first, ended registrations last;
// by name in 拼音 order; by number; by expiry) and pages of 100; exported as CSV or Excel with exactly
// what is shown (the same query, every page, in the page's language).
// One <table> for every width: on phones and tablets the stylesheet lays each row out as a card (the
// cells carry their column name in data-label), from 1100 px it is a plain table. Explicit ARIA roles
// keep the table's semantics when the card layout changes its display.
// A row opens the person (person.js) in place of the list, at its own address, #/staff/<person_id>, so
// that a warning can link to it, Back returns to the list, and a reload comes back to the person.

import { api, download, errorWords } from '../core/auth.js';
import { $, cell, el, fillSelect, headerRow } from '../core/dom.js';
import { fmtDate, getLang, pick, t } from '../core/i18n.js';
import { trust } from '../core/trust.js';
import {
  badgeLine, daysTone, daysWords, REG_STATUSES, signalBadge, SIGNAL_CODES, statusChip, statusWithTime, warningBadges,
  warningName, WARNING_CODES,
} from './badges.js';
import { clearPerson, loadPerson, renderPerson, shownPerson } from './person.js';

const COLUMNS = ['col.name', 'col.regno', 'col.kind', 'col.status', 'col.specialties', 'col.copy', 'col.agecap', 'col.warnings'];
const SORTS = ['urgency', 'name', 'number', 'expiry'];
const SEVERITY_RANK = { critical: 0, warning: 1, info: 2 };
const ROUTE = /^#\/staff\/(\d+)$/;
// The browser's own 拼音 order (ICU's zh collation). The server orders the pages by pinyin too (pypinyin);
// within a page the browser has the last word, as people read it.
const collator = new Intl.Collator('zh-CN');
let state = { page: 1, data: null, error: null, loading: false, params: null };
let seq = 0;
let typing = 0;
let pushed = false;      // the person's page has a history entry of its own (opened from a row): Back closes it
const seenKinds = new Map();

// The warning filter also offers the 挂证 signals (the API's `signal` filter): "sig:<code>".
function filters() {
  const w = $('roster-warning').value;
  return {
    q: $('roster-q').value.trim(), status: $('roster-status').value, kind: $('roster-kind').value,
    warning: w.startsWith('sig:') ? '' : w, signal: w.startsWith('sig:') ? w.slice(4) : '',
    sort: $('roster-sort').value === 'urgency' ? '' : $('roster-sort').value,
  };
}

function kindOptions() {
  const kinds = (trust().catalogue && trust().catalogue.kinds) || [];
  const all = new Map(kinds.map((k) => [k.code, pick(k.name, k.name_en)]));
  for (const [code, names] of seenKinds) if (!all.has(code)) all.set(code, pick(...names));
  return [...all];
}

function renderFilters() {
  const any = ['', t('roster.any')];
  fillSelect($('roster-status'), [any, ...REG_STATUSES.map((s) => [s, t(`regst.${s}`)])]);
  fillSelect($('roster-kind'), [any, ...kindOptions()]);
  fillSelect($('roster-warning'), [any,
    { group: t('roster.warnings'), options: WARNING_CODES.map((c) => [c, warningName(c)]) },
    { group: t('roster.signals'), options: SIGNAL_CODES.map((c) => [`sig:${c}`, t(`sig.${c}`)]) }]);
  fillSelect($('roster-sort'), SORTS.map((s) => [s, t(`roster.sort.${s}`)]));
}

function specialtyName(p, s) {
  const kinds = (trust().catalogue && trust().catalogue.kinds) || [];
  const kind = kinds.find((k) => k.code === p.kind);
  const known = kind && (kind.specialties || []).find((x) => x.code === s.code);
  return pick(s.name || (known && known.name) || s.code, (known && known.name_en) || s.name_en);
}

function specialties(p) {
  const list = p.specialties || [];
  if (!list.length) return el('span', 'muted', t('ent.none'));
  const ul = el('ul', 'spec-mini');
  for (const s of list) {
    const li = el('li');
    li.dataset.code = s.code;
    li.append(el('span', 'spec-mini-name', specialtyName(p, s)), ' ', el('span', 'nowrap muted', s.valid_until || ''));
    const lapsed = s.status && s.status !== 'active';
    const words = lapsed && s.days_left >= 0 ? t(`spec.st.${s.status}`) : daysWords(s.days_left);
    if (words) li.append(' ', el('span', `chip small-chip tone-${lapsed ? 'bad' : daysTone(s.days_left)}`, words));
    ul.append(li);
  }
  return ul;
}

function copyCell(c) {
  if (!c) return [el('span', 'muted', t('copy.none'))];
  // Instants (UTC): shown as dates on the device's calendar, like the result screen does.
  const out = [el('span', 'nowrap', fmtDate(c.usage_from)), ' – ', el('span', 'nowrap', fmtDate(c.usage_until))];
  if (c.expired) out.push(' ', el('span', 'chip small-chip tone-bad', t('copy.expired')));
  return out;
}

function ageCapCell(p) {
  if (!p.age_cap_date) return [el('span', 'muted', '—')];
  const n = p.days_to_age_cap;
  let words = '';
  if (n !== null && n !== undefined) {
    if (n <= 0) words = t('days.reached');
    else words = n < 366 ? t('days.in', { n }) : t('days.years', { n: Math.round(n / 365.25) });
  }
  return [el('span', 'nowrap', p.age_cap_date), words ? el('span', `sub${n !== null && n < 366 ? ' warn-text' : ''}`, words) : ''];
}

function row(p) {
  const tr = el('tr');
  tr.setAttribute('role', 'row');
  tr.dataset.person = String(p.person_id);
  tr.dataset.regno = p.registration_number || '';
  tr.dataset.status = p.status || '';
  const worst = (p.warnings || []).map((w) => w.severity).sort((a, b) => SEVERITY_RANK[a] - SEVERITY_RANK[b])[0];
  tr.dataset.severity = p.status !== 'active' ? 'critical' : (worst || 'none');
  const seal = p.seal_number ? el('span', 'sub', t('col.seal', { s: p.seal_number })) : '';
  const kind = pick(p.kind_name, p.kind_name_en) || p.kind;
  if (p.kind) seenKinds.set(p.kind, [p.kind_name || p.kind, p.kind_name_en || p.kind_name || p.kind]);
  // The name is the row's link (keyboard and screen readers); a click anywhere else on the row does the same.
  const name = el('a', 'cell-name person-link', p.name);
  name.href = `#/staff/${p.person_id}`;
  name.addEventListener('click', (e) => { e.preventDefault(); openPerson(p.person_id); });
  tr.addEventListener('click', (e) => {
    if (e.target.closest('a, button') || (window.getSelection && String(window.getSelection()))) return;
    openPerson(p.person_id);
  });
  tr.append(
    cell('col.name', name),
    cell('col.regno', el('span', 'mono', p.registration_number), seal),
    cell('col.kind', kind),
    cell('col.status', statusChip(p.status, p.status_name, p.status_name_en)),
    cell('col.specialties', specialties(p)),
    cell('col.copy', ...copyCell(p.current_copy)),
    cell('col.agecap', ...ageCapCell(p)),
    cell('col.warnings', badgeLine([...warningBadges(p.warnings || []), ...(p.signals || []).map(signalBadge)], t('ent.none'))),
  );
  return tr;
}

export function renderRoster() {
  renderFilters();
  const { data, error, loading } = state;
  $('roster-head').replaceChildren(headerRow(COLUMNS));
  const sort = (state.params && state.params.sort) || 'urgency';
  $('roster-table').querySelector('caption').textContent = t(`roster.caption.${sort}`);
  $('roster-export').hidden = !(data && data.total) || !!error;
  renderPerson();
  const status = $('roster-status-line');
  const body = $('roster-body');
  $('roster-pager').hidden = true;
  $('roster-reset').hidden = !Object.values(filters()).some(Boolean);
  if (loading) status.textContent = t('ent.loading');
  else if (error) status.textContent = errorWords(error);
  else if (data) {
    if (data.total) statusWithTime(status, t('roster.total', { n: data.total }), data.generated_at);
    else status.textContent = t('roster.empty');
  } else status.textContent = '';
  status.dataset.state = loading ? 'loading' : error ? 'error' : 'ready';
  if (loading) return;   // the old rows stay until the new ones arrive
  body.replaceChildren(...(data && !error ? data.staff.map(row) : []));
  $('roster-table').hidden = !(data && data.staff.length) || !!error;
  if (!data || error) return;
  const pages = Math.max(1, Math.ceil(data.total / (data.page_size || 100)));
  if (pages > 1) {
    $('roster-pager').hidden = false;
    $('roster-page').textContent = t('lookup.page', { p: data.page, n: pages });
    $('roster-prev').disabled = data.page <= 1;
    $('roster-next').disabled = data.page >= pages;
  }
}

/** A page of the server's order, names in the browser's 拼音 order when ordered by name. */
function inOrder(data, sort) {
  if (sort !== 'name') return data;
  const staff = [...data.staff].sort((a, b) => collator.compare(a.name, b.name)
    || (a.registration_number < b.registration_number ? -1 : a.registration_number > b.registration_number ? 1 : 0));
  return { ...data, staff };
}

export async function loadRoster(page = 1) {
  const mine = ++seq;
  const params = filters();
  state = { ...state, page, loading: true, error: null };
  renderRoster();
  $('roster-body').setAttribute('aria-busy', 'true');
  try {
    const data = await api('api/v1/enterprise/staff', { params: { ...params, page } });
    if (mine !== seq) return;
    state = { page, data: inOrder(data, params.sort), error: null, loading: false, params };
  } catch (e) {
    if (mine !== seq) return;
    state = { page, data: null, error: e, loading: false, params };
  }
  $('roster-body').removeAttribute('aria-busy');
  renderRoster();
}

/** The export: the query the shown list came from (not a half-typed search), every page of it. */
async function save(format) {
  const button = $(`roster-${format}`);
  const query = new URLSearchParams({ ...Object.fromEntries(Object.entries(state.params || {}).filter(([, v]) => v)),
    format, lang: getLang() });
  button.disabled = true;
  try {
    await download(`api/v1/enterprise/staff/export?${query}`, `jianzheng-staff.${format}`);
  } catch (e) {
    state = { ...state, error: e };
    renderRoster();
  } finally {
    button.disabled = false;
  }
}

function showList(list) {
  $('roster-list').hidden = !list;
  $('roster-person').hidden = list;
}

/** The person's page in place of the list, at #/staff/<id> (a new history entry unless `push` is false:
 *  a link opened, Back or Forward, a reload). Resolves true once shown. */
export async function openPerson(id, { push = true } = {}) {
  const hash = `#/staff/${id}`;
  const address = location.pathname + location.search + hash;
  if (push && location.hash !== hash) { history.pushState({ view: 'enterprise', staff: id }, '', address); pushed = true; }
  else history.replaceState({ view: 'enterprise', staff: id }, '', address);
  const again = shownPerson() === Number(id) && !$('roster-person').hidden;
  showList(false);
  window.scrollTo(0, 0);
  $('roster-person-title').focus({ preventScroll: true });
  if (!again) await loadPerson(Number(id));
  return true;
}

/** Back to the list: through history when the person's page made an entry of its own. */
export function closePerson({ viaHistory = true } = {}) {
  if ($('roster-person').hidden) return;
  if (viaHistory && pushed && ROUTE.test(location.hash)) { history.back(); return; }   // popstate shows the list
  pushed = false;
  if (ROUTE.test(location.hash)) history.replaceState({ view: 'enterprise' }, '', location.pathname + location.search);
  showList(true);
}

/** From the warnings page: the person's page (or, without an id, the roster narrowed to one registration). */
export function showPerson(regno, personId) {
  if (personId) return openPerson(personId);
  $('roster-q').value = regno;
  for (const id of ['roster-status', 'roster-kind', 'roster-warning']) $(id).value = '';
  return loadRoster(1).then(() => false);
}

export function clearRoster() {
  seq += 1;
  state = { page: 1, data: null, error: null, loading: false, params: null };
  $('roster-filters').reset();
  pushed = false;
  if (ROUTE.test(location.hash)) history.replaceState(history.state, '', location.pathname + location.search);
  clearPerson();
  showList(true);
  renderRoster();
}

export function initRoster() {
  renderFilters();
  const form = $('roster-filters');
  form.addEventListener('submit', (e) => { e.preventDefault(); clearTimeout(typing); loadRoster(1); });
  for (const id of ['roster-status', 'roster-kind', 'roster-warning', 'roster-sort']) $(id).addEventListener('change', () => loadRoster(1));
  // Search as one types, once the typing pauses.
  $('roster-q').addEventListener('input', () => { clearTimeout(typing); typing = setTimeout(() => loadRoster(1), 400); });
  $('roster-reset').addEventListener('click', () => { form.reset(); renderFilters(); loadRoster(1); $('roster-q').focus(); });
  // A new page starts at its top, not where the pager was at the bottom of the old one.
  const turn = (page) => loadRoster(page).then(() => {
    $('roster-filters').scrollIntoView({ block: 'start' });
    $('ent-roster-title').focus({ preventScroll: true });
  });
  $('roster-prev').addEventListener('click', () => turn(Math.max(1, state.page - 1)));
  $('roster-next').addEventListener('click', () => turn(state.page + 1));
  $('roster-csv').addEventListener('click', () => save('csv'));
  $('roster-xlsx').addEventListener('click', () => save('xlsx'));
  $('roster-person-back').addEventListener('click', () => {
    closePerson();
    $('ent-roster-title').focus({ preventScroll: true });
  });
  // Another section chosen: the list is what the 人员 tab shows next time, and the address forgets the person.
  for (const b of document.querySelectorAll('#ent-subtabs [data-pane]')) {
    b.addEventListener('click', () => closePerson({ viaHistory: false }));
  }
  // Back or Forward between the list and a person (app.js re-shows the view; the hash says which).
  window.addEventListener('popstate', () => {
    const m = ROUTE.exec(location.hash);
    if (m) openPerson(Number(m[1]), { push: false });
    else { pushed = false; showList(true); }
  });
}
