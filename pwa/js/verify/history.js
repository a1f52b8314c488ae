// Scan history, kept on this device only (IndexedDB): list, search, CSV export, clear, and reopen.
// An entry keeps the time, verdict, name, registration number, site and mode, and for a certificate of
// ours the QR text (what the printed code holds: never an ID number, photo or the server's answer). Tapping
// an entry checks that text again, live when online, else offline from the cached keys and status list,
// and shows it under a note of what was seen then; an entry without it shows what it stored.

import { $ } from '../core/dom.js';
import { fmtTime, pick, t } from '../core/i18n.js';
import { historyAdd, historyAll, historyClear } from '../core/store.js';
import { reason, VERDICT_TONE, VERDICT_WORD, verdictMessage } from './verdicts.js';
import { classify, verifyText } from './verify.js';

let rows = [];
let openResult = null;

export async function recordScan(result, site) {
  const c = result.certificate || {};
  const entry = {
    t: Date.now(), verdict: result.verdict, regNo: c.registration_number || '', name: c.name || '',
    site: (site || '').trim().slice(0, 100), mode: result.mode || '',
  };
  if (result.qr && classify(result.qr).token) entry.qr = result.qr;
  else if (result.verdict === 'invalid' && result.reasons && result.reasons.length) entry.why = result.reasons[0].code;
  try { await historyAdd(entry); } catch (e) { console.warn('history not saved', e); }
}

/** An entry without a QR text, as it was stored: a valid one cannot be confirmed now. */
function storedResult(r) {
  const verdict = r.verdict === 'valid' || !VERDICT_WORD[r.verdict] ? 'unknown' : r.verdict;
  const [message, messageEn] = verdictMessage(verdict);
  return {
    verdict, message, message_en: messageEn, reasons: r.why ? [reason(r.why)] : [], checked_at: new Date(r.t).toISOString(),
    certificate: r.name || r.regNo ? { name: r.name, registration_number: r.regNo } : null, specialties: [],
    mode: 'stored', stored: true,
  };
}

async function reopen(r, button) {
  button.disabled = true;
  try {
    const res = r.qr ? await verifyText(r.qr) : storedResult(r);
    if (openResult) openResult({ ...res, recorded: { t: r.t, verdict: r.verdict, mode: r.mode, site: r.site } });
  } finally {
    button.disabled = false;
  }
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
  const row = document.createElement('button');
  row.type = 'button';
  row.className = 'hist-row';
  const chip = document.createElement('span');
  chip.className = `chip tone-${VERDICT_TONE[r.verdict] || 'grey'}`;
  chip.textContent = word(r.verdict);
  const main = document.createElement('div');
  main.className = 'hist-main';
  const who = document.createElement('span');
  who.className = 'hist-who';
  // the name, then the number kept on one line; for a code that was no certificate, what it was
  if (r.name) who.append(r.name);
  if (r.name && r.regNo) who.append(' · ');
  if (r.regNo) who.append(Object.assign(document.createElement('span'), { className: 'nowrap', textContent: r.regNo }));
  if (!r.name && !r.regNo) who.textContent = r.why ? pick(reason(r.why).message, reason(r.why).message_en) : '—';
  const meta = document.createElement('span');
  meta.className = 'hist-meta';
  meta.textContent = [fmtTime(r.t), r.site, r.mode === 'offline' ? t('history.offline') : ''].filter(Boolean).join(' · ');
  main.append(who, meta);
  const go = document.createElement('span');
  go.className = 'hist-go';
  go.setAttribute('aria-hidden', 'true');
  go.textContent = '›';
  row.setAttribute('aria-label', `${word(r.verdict)} · ${t('history.open', { who: who.textContent })} · ${meta.textContent}`);
  row.addEventListener('click', () => reopen(r, row));
  row.append(chip, main, go);
  li.append(row);
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

/** onOpen(result): show a reopened result (the app's result screen, without recording it again). */
export function initHistory(onOpen) {
  openResult = onOpen;
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
