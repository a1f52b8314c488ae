// Bulk check: a CSV or XLSX list goes up to POST /api/v1/enterprise/bulk-check with a progress bar
// (XMLHttpRequest: fetch reports no upload progress), then the summary by category (what to do about the
// row: valid here, valid at another enterprise, ended, mismatch, not found, could not check; the server
// decides each row's), each count a filter of the rows with a line on what to do, and the results as CSV
// and XLSX in the page's language (fetched with the bearer token, saved through a blob URL). A template
// to start from is offered above the file field. The file type, size and header are judged by the server;
// its refusal is shown in its own words.

import { download, errorWords, upload } from '../core/auth.js';
import { $, cell, el, headerRow } from '../core/dom.js';
import { getLang, pick, t } from '../core/i18n.js';
import { trust } from '../core/trust.js';
import { badgeLine, signalBadge, statusChip } from './badges.js';

const CATEGORIES = ['valid_here', 'valid_elsewhere', 'ended', 'mismatch', 'not_found', 'invalid_row'];
const CATEGORY_TONE = { valid_here: 'ok', valid_elsewhere: 'warn', ended: 'bad', mismatch: 'warn', not_found: 'bad',
  invalid_row: 'grey' };
const SHOWN_WHEN_ZERO = new Set(CATEGORIES.filter((c) => c !== 'invalid_row'));   // a well-made file has none
// The reason right after the name: it is what the officer reads, and a wide table must not hide it.
const COLUMNS = ['bcol.line', 'bcol.result', 'bcol.name', 'bcol.message', 'bcol.id', 'bcol.regno', 'bcol.status',
  'bcol.kind', 'bcol.employer', 'bcol.expiry', 'bcol.signals'];
const STEP = 200;   // rows added to the page at a time: a 10,000-row answer stays quick to show
let state = { phase: 'idle', fraction: 0, result: null, error: null, filter: '', shown: STEP };

function kindName(code) {
  const k = ((trust().catalogue && trust().catalogue.kinds) || []).find((x) => x.code === code);
  return k ? pick(k.name, k.name_en) : code;
}

function row(r) {
  const tr = el('tr');
  tr.setAttribute('role', 'row');
  tr.dataset.result = r.result;
  tr.dataset.category = r.category;
  tr.dataset.line = String(r.line);
  const chip = el('span', `chip tone-${CATEGORY_TONE[r.category] || 'grey'}`, t(`bcat.${r.category}`));
  const employer = r.employer ? el('span', r.employer === 'other' ? 'warn-text' : null, t(`emp.${r.employer}`)) : '—';
  tr.append(
    cell('bcol.line', String(r.line)),
    cell('bcol.result', chip),
    cell('bcol.name', el('span', 'cell-name', r.name || '—')),
    cell('bcol.message', pick(r.message, r.message_en) || ''),
    cell('bcol.id', el('span', 'mono', r.id_number || '—')),
    cell('bcol.regno', el('span', 'mono', r.registration_number || '—')),
    cell('bcol.status', r.status ? statusChip(r.status) : '—'),
    cell('bcol.kind', r.kind ? kindName(r.kind) : '—'),
    cell('bcol.employer', employer),
    cell('bcol.expiry', r.earliest_expiry || '—'),
    cell('bcol.signals', badgeLine((r.signals || []).map(signalBadge), t('ent.none'))),
  );
  return tr;
}

function renderProgress() {
  const { phase, fraction, result } = state;
  const box = $('bulk-progress');
  box.hidden = phase === 'idle' || phase === 'failed';   // a refusal is told by #bulk-error, in the server's words
  box.dataset.state = phase;
  const bar = $('bulk-bar');
  const label = $('bulk-progress-label');
  if (phase === 'uploading') {
    const p = Math.round(fraction * 100);
    bar.value = p;
    label.textContent = t('bulk.uploading', { p });
  } else if (phase === 'processing') {
    bar.removeAttribute('value');   // indeterminate: the bytes are up, the server is checking
    label.textContent = t('bulk.processing');
  } else if (phase === 'done') {
    bar.value = 100;
    label.textContent = t('bulk.done', { n: result.summary.rows });
  }
  const file = $('bulk-file').files[0];
  const name = $('bulk-file-name');
  name.textContent = file ? t('bulk.size', { name: file.name, kb: Math.max(1, Math.round(file.size / 1024)) }) : t('bulk.noFile');
  name.dataset.chosen = String(!!file);
  $('bulk-go').disabled = phase === 'uploading' || phase === 'processing' || !file;
  $('ent-bulk').dataset.phase = phase;
}

function renderSummary(summary) {
  const counts = summary.categories || {};
  const buttons = [['', t('bulk.all'), summary.rows],
    ...CATEGORIES.filter((c) => counts[c] || SHOWN_WHEN_ZERO.has(c)).map((c) => [c, t(`bcat.${c}`), counts[c] || 0])];
  $('bulk-summary').replaceChildren(...buttons.map(([value, words, n]) => {
    const b = el('button', `btn filter-btn${value ? ` cat-${value}` : ''}`);
    b.type = 'button';
    b.dataset.category = value;
    b.setAttribute('aria-pressed', String(state.filter === value));
    b.append(el('span', null, words), el('span', 'count', String(n)));
    b.addEventListener('click', () => {
      state = { ...state, filter: value, shown: STEP };
      renderRows();
      renderSummary(summary);   // new buttons: the pressed one keeps the keyboard focus
      $('bulk-summary').querySelector(`[data-category="${value}"]`).focus();
    });
    return b;
  }));
  const advice = $('bulk-advice');
  const f = state.filter;
  advice.hidden = !summary.rows;
  advice.dataset.category = f;
  advice.textContent = f ? t(`bdo.${f}`, { n: counts[f] || 0 }) : t('bdo.all');
}

function renderRows() {
  const rows = state.result.rows.filter((r) => !state.filter || r.category === state.filter);
  $('bulk-head').replaceChildren(headerRow(COLUMNS));
  $('bulk-table').querySelector('caption').textContent = t('bulk.caption');
  $('bulk-body').replaceChildren(...rows.slice(0, state.shown).map(row));
  $('bulk-table').hidden = !rows.length;
  $('bulk-empty').hidden = !!rows.length;
  const left = rows.length - state.shown;
  $('bulk-more').hidden = left <= 0;
  if (left > 0) $('bulk-more').textContent = t('bulk.more', { n: Math.min(STEP, left), left });
}

export function renderBulk() {
  renderProgress();
  const err = $('bulk-error');
  err.hidden = !state.error;
  err.textContent = state.error ? errorWords(state.error) : '';
  $('bulk-result').hidden = !state.result;
  if (!state.result) return;
  renderSummary(state.result.summary);
  renderRows();
}

async function send(file) {
  state = { phase: 'uploading', fraction: 0, result: null, error: null, filter: '', shown: STEP };
  renderBulk();
  try {
    const result = await upload('api/v1/enterprise/bulk-check', file, (f) => {
      if (f === null) state = { ...state, phase: 'processing' };
      else state = { ...state, fraction: f };
      renderProgress();
    });
    state = { ...state, phase: 'done', result, error: null };
  } catch (e) {
    state = { ...state, phase: 'failed', error: e };
  }
  renderBulk();
  if (state.result) $('bulk-summary-title').focus();
  else $('bulk-error').focus();
}

// One download behind a button: disabled while it runs; a failure shown in the pane, a success clears it.
async function fetchFile(button, url, name) {
  button.disabled = true;
  try {
    await download(url, name);
    if (state.error) { state = { ...state, error: null }; renderBulk(); }
  } catch (e) {
    state = { ...state, error: e };
    renderBulk();
  } finally {
    button.disabled = false;
  }
}

async function save(kind) {
  const r = state.result;
  if (!r || !r.downloads || !r.downloads[kind]) return;
  await fetchFile($(`bulk-${kind}`), `${r.downloads[kind]}?lang=${getLang()}`, `jianzheng-bulk-check-${r.id}.${kind}`);
}

async function saveTemplate(kind) {
  await fetchFile($(`bulk-template-${kind}`), `api/v1/enterprise/bulk-check/template.${kind}?lang=${getLang()}`,
    `jianzheng-bulk-template.${kind}`);
}

export function clearBulk() {
  state = { phase: 'idle', fraction: 0, result: null, error: null, filter: '', shown: STEP };
  $('bulk-form').reset();
  renderBulk();
}

export function initBulk() {
  $('bulk-file').addEventListener('change', () => {
    if (state.phase === 'failed') state = { ...state, phase: 'idle', error: null };
    renderBulk();
  });
  $('bulk-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const file = $('bulk-file').files[0];
    if (file && state.phase !== 'uploading' && state.phase !== 'processing') send(file);
  });
  $('bulk-more').addEventListener('click', () => { state = { ...state, shown: state.shown + STEP }; renderRows(); });
  $('bulk-csv').addEventListener('click', () => save('csv'));
  $('bulk-xlsx').addEventListener('click', () => save('xlsx'));
  $('bulk-template-csv').addEventListener('click', () => saveTemplate('csv'));
  $('bulk-template-xlsx').addEventListener('click', () => saveTemplate('xlsx'));
  renderBulk();
}
