// 审核队列 (authority staff): the applications awaiting review (or all, by type and state), one table
// for every width like the roster (cards on phones, a table from 1100 px). A row opens the application,
// where the rule outcomes are shown as advice beside approve / return / refuse.

import { errorWords } from '../core/auth.js';
import { $, cell, el, fillSelect, headerRow } from '../core/dom.js';
import { fmtTime, t } from '../core/i18n.js';
import { listApplications, rulesSummary, stateChip, STATES, subject, typeName, TYPES } from './applications.js';

const COLUMNS = ['rcol.person', 'rcol.type', 'rcol.state', 'rcol.enterprise', 'rcol.rules',
  'rcol.updated', 'rcol.open'];
let state = { page: 1, data: null, error: null, loading: false };
let seq = 0;
let onOpen = () => {};

function filters() {
  return { queue: $('review-queue').value, type: $('review-type').value, state: $('review-state').value };
}

function renderFilters() {
  const any = ['', t('rv.any')];
  fillSelect($('review-queue'), [['review', t('rv.queueReview')], ['', t('rv.queueAll')]]);
  fillSelect($('review-type'), [any, ...TYPES.map((c) => [c, typeName(c)])]);
  fillSelect($('review-state'), [any, ...STATES.map((c) => [c, t(`state.${c}`)])]);
}

function row(a) {
  const tr = el('tr');
  tr.setAttribute('role', 'row');
  tr.dataset.id = a.id;
  tr.dataset.state = a.state;
  const failed = (a.rules || []).some((r) => !r.passed);
  tr.dataset.severity = failed ? 'warning' : 'none';
  const open = el('button', 'btn small-btn', t('wf.open'));
  open.type = 'button';
  open.setAttribute('aria-label', t('wf.openLabel', { what: `${typeName(a)} ${subject(a)}` }));
  open.addEventListener('click', () => onOpen(a.id));
  const rules = rulesSummary(a.rules);
  tr.append(
    cell('rcol.person', el('span', 'cell-name', (a.person && a.person.name) || '—'),
      a.registration_number ? el('span', 'sub mono', a.registration_number) : ''),
    cell('rcol.type', typeName(a)),
    cell('rcol.state', stateChip(a)),
    cell('rcol.enterprise', (a.enterprise && a.enterprise.name) || '—'),
    cell('rcol.rules', rules ? el('span', failed ? 'warn-text' : '', rules) : '—'),
    cell('rcol.updated', el('span', 'nowrap', fmtTime(a.updated_at || a.created_at))),
    cell('rcol.open', open),
  );
  return tr;
}

export function renderReview() {
  renderFilters();
  const { data, error, loading } = state;
  $('review-head').replaceChildren(headerRow(COLUMNS));
  $('review-table').querySelector('caption').textContent = t('rv.caption');
  const status = $('review-status');
  status.dataset.state = loading ? 'loading' : error ? 'error' : 'ready';
  status.textContent = loading ? t('wf.loading') : error ? errorWords(error)
    : data ? (data.total ? t('wf.total', { n: data.total }) : t('rv.none')) : '';
  $('review-pager').hidden = true;
  if (loading) return;
  const apps = (data && data.applications) || [];
  $('review-body').replaceChildren(...apps.map(row));
  $('review-table').hidden = !apps.length;
  if (!data) return;
  const size = data.page_size || (data.page === 1 ? apps.length : 0) || 1;
  const pages = Math.max(1, Math.ceil((data.total || 0) / size));
  if (pages > 1) {
    $('review-pager').hidden = false;
    $('review-page').textContent = t('lookup.page', { p: data.page, n: pages });
    $('review-prev').disabled = data.page <= 1;
    $('review-next').disabled = data.page >= pages;
  }
}

export async function loadReview(page = 1) {
  const mine = ++seq;
  state = { ...state, page, loading: true, error: null };
  renderReview();
  try {
    const data = await listApplications({ ...filters(), page });
    if (mine !== seq) return;
    state = { page, data, error: null, loading: false };
  } catch (e) {
    if (mine !== seq) return;
    state = { page, data: null, error: e, loading: false };
  }
  renderReview();
}

export function clearReview() {
  seq += 1;
  state = { page: 1, data: null, error: null, loading: false };
  $('review-filters').reset();
  renderReview();
}

export function initReview({ open }) {
  onOpen = open;
  renderFilters();
  $('review-filters').addEventListener('submit', (e) => { e.preventDefault(); loadReview(1); });
  for (const id of ['review-queue', 'review-type', 'review-state']) $(id).addEventListener('change', () => loadReview(1));
  $('review-prev').addEventListener('click', () => loadReview(Math.max(1, state.page - 1)));
  $('review-next').addEventListener('click', () => loadReview(state.page + 1));
}
