// Bulk check: a CSV or XLSX list goes up to POST /api/v1/enterprise/bulk-check with a progress bar
// (XMLHttpRequest: fetch reports no upload progress), then the summary, the rows filtered by result,
// and the results as CSV and XLSX (fetched with the bearer token, saved through a blob URL).
// The file type, size and header are judged by the server; its refusal is shown in its own words.

import { download, errorWords, upload } from '../core/auth.js';
import { $, cell, el, headerRow } from '../core/dom.js';
import { pick, t } from '../core/i18n.js';
import { trust } from '../core/trust.js';
import { badgeLine, signalBadge, statusChip } from './badges.js';

const RESULTS = ['found', 'not_found', 'mismatch', 'invalid_row'];
const RESULT_TONE = { found: 'ok', not_found: 'bad', mismatch: 'warn', invalid_row: 'grey' };
const COLUMNS = ['bcol.line', 'bcol.result', 'bcol.name', 'bcol.id', 'bcol.regno', 'bcol.status', 'bcol.kind',
  'bcol.employer', 'bcol.expiry', 'bcol.signals', 'bcol.message'];
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
  tr.dataset.line = String(r.line);
  const chip = el('span', `chip tone-${RESULT_TONE[r.result] || 'grey'}`, t(`res.${r.result}`));
  const employer = r.employer ? el('span', r.employer === 'other' ? 'warn-text' : null, t(`emp.${r.employer}`)) : '—';
  tr.append(
    cell('bcol.line', String(r.line)),
    cell('bcol.result', chip),
    cell('bcol.name', el('span', 'cell-name', r.name || '—')),
    cell('bcol.id', el('span', 'mono', r.id_number || '—')),
    cell('bcol.regno', el('span', 'mono', r.registration_number || '—')),
    cell('bcol.status', r.status ? statusChip(r.status) : '—'),
    cell('bcol.kind', r.kind ? kindName(r.kind) : '—'),
    cell('bcol.employer', employer),
    cell('bcol.expiry', r.earliest_expiry || '—'),
    cell('bcol.signals', badgeLine((r.signals || []).map(signalBadge), t('ent.none'))),
    cell('bcol.message', pick(r.message, r.message_en) || ''),
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
  const buttons = [['', t('bulk.all'), summary.rows], ...RESULTS.map((r) => [r, t(`res.${r}`), summary[r] || 0])];
  $('bulk-summary').replaceChildren(...buttons.map(([value, words, n]) => {
    const b = el('button', `btn filter-btn${value ? ` res-${value}` : ''}`);
    b.type = 'button';
    b.dataset.result = value;
    b.setAttribute('aria-pressed', String(state.filter === value));
    b.append(el('span', null, words), el('span', 'count', String(n)));
    b.addEventListener('click', () => {
      state = { ...state, filter: value, shown: STEP };
      renderRows();
      renderSummary(summary);   // new buttons: the pressed one keeps the keyboard focus
      $('bulk-summary').querySelector(`[data-result="${value}"]`).focus();
    });
    return b;
  }));
}

function renderRows() {
  const rows = state.result.rows.filter((r) => !state.filter || r.result === state.filter);
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

async function save(kind) {
  const r = state.result;
  if (!r || !r.downloads || !r.downloads[kind]) return;
  const button = $(`bulk-${kind}`);
  button.disabled = true;
  try {
    await download(r.downloads[kind], `jianzheng-bulk-check-${r.id}.${kind}`);
    if (state.error) { state = { ...state, error: null }; renderBulk(); }
  } catch (e) {
    state = { ...state, error: e };
    renderBulk();
  } finally {
    button.disabled = false;
  }
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
  renderBulk();
}
