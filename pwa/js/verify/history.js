// Scan history, kept on this device only (IndexedDB): list, search, CSV export, clear.

import { $ } from '../core/dom.js';
import { fmtTime, pick, t } from '../core/i18n.js';
import { historyAdd, historyAll, historyClear } from '../core/store.js';
import { VERDICT_TONE, VERDICT_WORD } from './verdicts.js';

let rows = [];

export async function recordScan(result, site) {
  const c = result.certificate || {};
  const entry = {
    t: Date.now(), verdict: result.verdict, regNo: c.registration_number || '', name: c.name || '',
    site: (site || '').trim().slice(0, 100), mode: result.mode || '',
  };
  try { await historyAdd(entry); } catch (e) { console.warn('history not saved', e); }
}

const word = (v) => (VERDICT_WORD[v] ? pick(...VERDICT_WORD[v]) : v);

function matches(r, q) {
  if (!q) return true;
  const hay = `${r.regNo} ${r.name} ${r.site} ${word(r.verdict)} ${r.verdict}`.toLowerCase();
  return q.toLowerCase().split(/\s+/).filter(Boolean).every((w) => hay.includes(w));
}

function item(r) {
  const li = document.createElement('li');
  li.className = 'hist';
  li.dataset.verdict = r.verdict;
  const chip = document.createElement('span');
  chip.className = `chip tone-${VERDICT_TONE[r.verdict] || 'grey'}`;
  chip.textContent = word(r.verdict);
  const main = document.createElement('div');
  main.className = 'hist-main';
  const who = document.createElement('span');
  who.className = 'hist-who';
  who.textContent = [r.name, r.regNo].filter(Boolean).join(' · ') || '—';
  const meta = document.createElement('span');
  meta.className = 'hist-meta';
  meta.textContent = [fmtTime(r.t), r.site, r.mode === 'offline' ? t('history.offline') : ''].filter(Boolean).join(' · ');
  main.append(who, meta);
  li.append(chip, main);
  return li;
}

export async function showHistory() {
  try { rows = await historyAll(); } catch (e) { console.warn(e); rows = []; }
  renderList();
}

function renderList() {
  const q = $('history-search').value.trim();
  const shown = rows.filter((r) => matches(r, q));
  const ul = $('history-list');
  ul.replaceChildren(...shown.map(item));
  $('history-empty').hidden = shown.length > 0;
  $('history-count').textContent = rows.length ? t('history.count', { n: shown.length }) : '';
  $('history-export').disabled = !shown.length;
  $('history-clear').disabled = !rows.length;
}

/** A CSV cell: quoted, and a leading = + - @ neutralised so a spreadsheet never runs it as a formula. */
function cell(v) {
  let s = String(v === null || v === undefined ? '' : v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

export function toCsv(list) {
  const head = ['csv.time', 'csv.verdict', 'csv.regno', 'csv.name', 'csv.site', 'csv.mode'].map((k) => cell(t(k)));
  const lines = list.map((r) => [fmtTime(r.t), `${word(r.verdict)} (${r.verdict})`, r.regNo, r.name, r.site, r.mode].map(cell).join(','));
  // The BOM makes Excel read the file as UTF-8 (Chinese names stay readable); CRLF per RFC 4180.
  return `\ufeff${[head.join(','), ...lines].join('\r\n')}\r\n`;
}

function exportCsv() {
  const q = $('history-search').value.trim();
  const csv = toCsv(rows.filter((r) => matches(r, q)));
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  const d = new Date();
  a.href = url;
  a.download = `jianzheng-scans-${d.getFullYear()}${String(d.getMonth() + 1).padStart(2, '0')}${String(d.getDate()).padStart(2, '0')}.csv`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

export function initHistory() {
  $('history-search').addEventListener('input', renderList);
  $('history-export').addEventListener('click', exportCsv);
  const dlg = $('confirm-clear');
  const clear = async () => {
    await historyClear();
    await showHistory();
    $('history-search').focus();
  };
  $('history-clear').addEventListener('click', () => {
    // <dialog> needs Safari 15.4+; older browsers get the plain confirm().
    if (typeof dlg.showModal === 'function') { dlg.returnValue = ''; dlg.showModal(); } else if (window.confirm(t('history.confirm'))) clear();
  });
  dlg.addEventListener('close', () => { if (dlg.returnValue === 'ok') clear(); });
}
