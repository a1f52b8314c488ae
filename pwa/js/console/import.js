// #/import: the import of the existing register (docs/import.md). Choose a template, download it (CSV or XLSX),
// upload a file (optionally a dry run: checked, nothing stored), follow the batch's progress (polling
// GET /api/v1/admin/imports/<id> every second until it is done, failed or interrupted), read its counts and
// its first 100 refused rows, download the full report (CSV, XLSX); below, the recent batches, each
// reopening by #/import/<id>.

import { api, download, errorWords, upload } from '../core/auth.js';
import { cell, el, headerRow } from '../core/dom.js';
import { addStrings, fmtTime, pick, t } from '../core/i18n.js';

addStrings({
  'im.title': ['导入登记数据', 'Import the register'],
  'im.intro': ['按模板准备文件(CSV 为 UTF-8 或 GB18030,或 XLSX),依次导入单位、人员、资格、注册。同一文件再次导入不会改变任何数据。',
    'Prepare the file in its template (CSV in UTF-8 or GB18030, or XLSX) and import enterprises, persons, qualifications, then registrations. Importing the same file again changes nothing.'],
  'im.kind': ['模板', 'Template'],
  'im.kind.enterprises': ['单位', 'Enterprises'],
  'im.kind.persons': ['人员', 'Persons'],
  'im.kind.qualifications': ['资格证书', 'Qualifications'],
  'im.kind.registrations': ['注册', 'Registrations'],
  'im.template': ['下载模板', 'Download the template'],
  'im.file': ['文件', 'File'],
  'im.dryRun': ['试运行(只检查,不存储)', 'Dry run (check only, store nothing)'],
  'im.go': ['上传并导入', 'Upload and import'],
  'im.noFile': ['请选择文件', 'Choose a file'],
  'im.uploading': ['正在上传… {pct}%', 'Uploading… {pct}%'],
  'im.checking': ['正在检查文件…', 'Checking the file…'],
  'im.batch': ['导入批次 {id}', 'Import batch {id}'],
  'im.progress': ['已处理 {done} / {total} 行', '{done} of {total} rows done'],
  'im.state.queued': ['排队中', 'queued'], 'im.state.running': ['进行中', 'running'], 'im.state.done': ['已完成', 'done'],
  'im.state.failed': ['失败', 'failed'], 'im.state.interrupted': ['已中断', 'interrupted'],
  'im.dry': ['试运行', 'dry run'],
  'im.inserted': ['新增', 'inserted'], 'im.updated': ['更新', 'updated'], 'im.unchanged': ['未变', 'unchanged'],
  'im.refused': ['拒绝', 'refused'], 'im.seconds': ['{s} 秒', '{s} s'],
  'im.refusedRows': ['被拒绝的行(前 100 行)', 'Refused rows (the first 100)'],
  'im.none': ['没有被拒绝的行', 'No row was refused'],
  'imc.line': ['行号', 'Line'], 'imc.key': ['编号', 'Key'], 'imc.field': ['字段', 'Field'],
  'imc.reason': ['原因', 'Reason'],
  'im.report': ['下载报告', 'Download the report'],
  'im.recent': ['最近的导入', 'Recent imports'],
  'im.noneYet': ['尚无导入', 'No imports yet'],
});

const KINDS = ['enterprises', 'persons', 'qualifications', 'registrations'];
const DONE = ['done', 'failed', 'interrupted'];
const BASE = '/api/v1/admin';
let poll = null;

function button(key, onClick, cls = 'btn') {
  const b = el('button', cls, key ? t(key) : '');
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

function failNote(box, err) {
  const p = el('p', 'form-error', errorWords(err));
  const d = err && err.body && err.body.details;
  if (d && (d.missing || d.unknown)) p.dataset.missing = (d.missing || []).join(',');
  box.replaceChildren(p);
}

function form(root, ctx, show) {
  const sec = el('section', 'cx-section im-form');
  const kind = el('select');
  kind.id = 'im-kind';
  for (const k of KINDS) {
    const o = el('option', null, t(`im.kind.${k}`));
    o.value = k;
    kind.append(o);
  }
  const klabel = el('label', null, t('im.kind'));
  klabel.htmlFor = 'im-kind';
  const tpl = el('div', 'cx-row');
  tpl.append(el('span', 'cx-muted', t('im.template')),
    ...['csv', 'xlsx'].map((f) => button(null, async () => {
      try { await download(`${BASE}/import-templates/${kind.value}?format=${f}`, `template-${kind.value}.${f}`); } catch (err) { failNote(note, err); }
    })));
  tpl.querySelectorAll('button').forEach((b, i) => { b.textContent = ['CSV', 'XLSX'][i]; b.dataset.format = ['csv', 'xlsx'][i]; });
  const file = el('input');
  Object.assign(file, { type: 'file', id: 'im-file', accept: '.csv,.xlsx,text/csv' });
  const flabel = el('label', null, t('im.file'));
  flabel.htmlFor = 'im-file';
  const dry = el('input');
  Object.assign(dry, { type: 'checkbox', id: 'im-dry' });
  const dlabel = el('label', 'cx-row');
  dlabel.append(dry, t('im.dryRun'));
  const note = el('div', 'im-note');
  note.setAttribute('role', 'status');
  const go = button('im.go', async () => {
    if (!file.files.length) { note.replaceChildren(el('p', 'form-error', t('im.noFile'))); return; }
    go.disabled = true;
    try {
      const b = await upload(`${BASE}/imports`, file.files[0], (f) => {
        note.replaceChildren(el('p', 'status', f === null ? t('im.checking') : t('im.uploading', { pct: Math.round(f * 100) })));
      }, 'file', { kind: kind.value, dry_run: dry.checked ? 'true' : 'false' });
      note.replaceChildren();
      ctx.navigate(`#/import/${b.id}`);
      show(b.id);
    } catch (err) {
      failNote(note, err);
    } finally {
      go.disabled = false;
    }
  }, 'btn primary');
  go.id = 'im-go';
  sec.append(el('p', 'cx-muted', t('im.intro')), klabel, kind, tpl, flabel, file, dlabel, go, note);
  root.append(sec);
}

function refusedTable(rows) {
  if (!rows.length) return el('p', 'empty', t('im.none'));
  const table = el('table', 'rtable cx-table im-refused');
  table.append(el('thead'), el('tbody'));
  table.tHead.append(headerRow(['imc.line', 'imc.key', 'imc.field', 'imc.reason']));
  for (const r of rows) {
    const tr = el('tr');
    tr.setAttribute('role', 'row');
    tr.append(cell('imc.line', String(r.line)), cell('imc.key', r.key || '—'),
      cell('imc.field', r.problems.map((p) => p.field).join('; ')),
      cell('imc.reason', r.problems.map((p) => pick(p.message, p.message_en)).join(pick(';', '; '))));
    table.tBodies[0].append(tr);
  }
  return table;
}

function batchView(box, b) {
  const total = b.rows_total || b.rows_done || 0;
  const bar = el('progress');
  bar.id = 'im-progress';
  bar.max = Math.max(total, 1);
  bar.value = b.state === 'done' ? bar.max : Math.min(b.rows_done, bar.max);
  bar.style.width = '100%';
  const head = el('h2', null, t('im.batch', { id: b.id }));
  const state = el('p', 'cx-row');
  state.append(el('b', `im-state im-${b.state}`, t(`im.state.${b.state}`)), el('span', null, t(`im.kind.${b.kind}`)),
    el('span', 'cx-mono', b.file_name), b.dry_run ? el('span', 'cx-muted', t('im.dry')) : '',
    el('span', 'cx-muted', t('im.progress', { done: b.rows_done, total })));
  state.querySelector('.im-state').id = 'im-state';
  const counts = el('ul', 'cx-counts');
  counts.id = 'im-counts';
  for (const k of ['inserted', 'updated', 'unchanged', 'refused']) {
    const li = el('li', null, `${t(`im.${k}`)} `);
    li.dataset.count = k;
    li.append(el('b', null, String(b.counts[k])));
    counts.append(li);
  }
  if (b.seconds !== null) counts.append(el('li', null, t('im.seconds', { s: b.seconds })));
  box.replaceChildren(head, state, bar, counts);
  if (b.error) box.append(el('p', 'form-error', pick(b.error.message, b.error.message_en)));
  if (DONE.includes(b.state) || b.refused_rows.length) {
    const reports = el('div', 'cx-row');
    reports.append(el('span', null, t('im.report')), ...['csv', 'xlsx'].map((f) => {
      const a = button(null, async () => {
        try { await download(b.links[f], `import-${b.id}-report.${f}`); } catch (err) { failNote(box, err); }
      });
      a.textContent = f.toUpperCase();
      a.dataset.report = f;
      return a;
    }));
    box.append(el('h3', null, t('im.refusedRows')), refusedTable(b.refused_rows), reports);
  }
}

async function recent(sec, ctx, show) {
  const { batches } = await api(`${BASE}/imports`);
  const list = el('ul', 'cx-list im-recent');
  for (const b of batches) {
    const li = el('li', 'cx-row');
    const a = el('a', 'cx-link', t('im.batch', { id: b.id }));
    a.href = `#/import/${b.id}`;
    a.addEventListener('click', (e) => { e.preventDefault(); ctx.navigate(`#/import/${b.id}`); show(b.id); });
    li.append(a, ...[t(`im.kind.${b.kind}`), b.file_name, t(`im.state.${b.state}`), b.dry_run ? t('im.dry') : '',
      `${t('im.refused')} ${b.counts.refused}`].filter(Boolean).map((x) => el('span', null, x)),
    el('span', 'cx-muted', fmtTime(b.created_at)));
    list.append(li);
  }
  sec.replaceChildren(el('h2', null, t('im.recent')), batches.length ? list : el('p', 'empty', t('im.noneYet')));
}

export async function mount(root, ctx) {
  clearTimeout(poll);
  const title = el('h1', 'cx-title', t('im.title'));
  const box = el('section', 'cx-section im-batch');
  box.id = 'im-batch';
  box.hidden = true;
  const past = el('section', 'cx-section');
  const show = async (id) => {
    clearTimeout(poll);
    box.hidden = false;
    try {
      const b = await api(`${BASE}/imports/${id}`);
      if (!root.isConnected) return;
      batchView(box, b);
      if (!DONE.includes(b.state)) poll = setTimeout(() => show(id), 1000);
      else recent(past, ctx, show).catch(() => {});
    } catch (err) {
      failNote(box, err);
    }
  };
  root.append(title);
  form(root, ctx, show);
  root.append(box, past);
  await recent(past, ctx, show);
  if (ctx.params[0]) show(ctx.params[0]);
}
