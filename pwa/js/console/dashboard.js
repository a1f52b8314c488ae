// 概览: the province at a glance (GET /api/v1/admin/dashboard). Four headline figures, then one section per
// chart: its title, an ECharts chart (vendor/echarts, loaded as a classic script when first needed, canvas
// renderer: nothing inline that the CSP forbids), the same numbers as a table (the accessible form, and
// the fallback when the library does not load), a chart/table toggle and the chart's CSV.

import { api, download, errorWords } from '../core/auth.js';
import { el } from '../core/dom.js';
import { fmtTime, t } from '../core/i18n.js';
import { CHARTS } from './dashboard-charts.js';
import './strings-dashboard.js';

const ECHARTS = new URL('../../vendor/echarts/echarts.common.min.js', import.meta.url).href;
let loading = null;

function loadECharts() {
  if (window.echarts) return Promise.resolve(window.echarts);
  loading = loading || new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = ECHARTS;
    s.onload = () => resolve(window.echarts);
    s.onerror = () => { loading = null; reject(new Error('echarts')); };
    document.head.append(s);
  });
  return loading;
}

function table(name, chart) {
  const { cols, rows } = CHARTS[name].table(chart);
  const tbl = el('table', 'dash-table');
  const head = el('tr');
  for (const k of cols) {
    const th = el('th', null, t(k));
    th.scope = 'col';
    head.append(th);
  }
  tbl.append(el('thead'), el('tbody'));
  tbl.tHead.append(head);
  for (const r of rows) {
    const tr = el('tr');
    r.forEach((v, i) => tr.append(el(i === 0 ? 'th' : 'td', typeof v === 'number' ? 'num' : null, String(v))));
    tr.firstChild.scope = 'row';
    tbl.tBodies[0].append(tr);
  }
  if (!rows.length) {
    const td = el('td', 'cx-muted', t('dash.empty'));
    td.colSpan = cols.length;
    tbl.tBodies[0].append(el('tr'));
    tbl.tBodies[0].rows[0].append(td);
  }
  return tbl;
}

function section(name, chart, charts) {
  const sec = el('section', 'cx-section dash-chart');
  sec.dataset.chart = name;
  const title = el('h2', null, t(`dash.c.${name}`));
  title.id = `dash-h-${name}`;
  sec.setAttribute('aria-labelledby', title.id);
  const tools = el('div', 'dash-tools');
  const toggle = el('button', 'btn small', t('dash.showTable'));
  toggle.type = 'button';
  toggle.dataset.act = 'toggle';
  const csv = el('button', 'btn small', t('dash.csv'));
  csv.type = 'button';
  csv.dataset.act = 'csv';
  csv.addEventListener('click', () => download(`/api/v1/admin/dashboard/${name}.csv`, `dashboard-${name}.csv`)
    .catch((err) => { csv.after(el('span', 'form-error', errorWords(err))); }));
  tools.append(toggle, csv);
  const canvas = el('div', 'dash-canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', `${t(`dash.c.${name}`)}: ${t('dash.showTable')}`);
  const tbl = el('div', 'dash-table-wrap');
  tbl.append(table(name, chart));
  tbl.hidden = !!charts;
  canvas.hidden = !charts;
  toggle.hidden = !charts;
  toggle.addEventListener('click', () => {
    const showTable = tbl.hidden;
    tbl.hidden = !showTable;
    canvas.hidden = showTable;
    toggle.textContent = t(showTable ? 'dash.showChart' : 'dash.showTable');
    toggle.setAttribute('aria-pressed', String(showTable));
    if (!showTable) charts.getInstanceByDom(canvas)?.resize();
  });
  sec.append(title, tools);
  if (CHARTS[name].note) sec.append(el('p', 'cx-muted', t(CHARTS[name].note)));
  sec.append(canvas, tbl);
  return { sec, canvas };
}

function headline(data) {
  const c = data.charts;
  const figures = [
    ['active', (c.by_status.rows.find((r) => r.status === 'active') || { count: 0 }).count],
    ['expiring', c.expiring.totals.within_30],
    ['pending', c.applications.pending_decision],
    ['signals', c.signals.rows.reduce((s, r) => s + r.count, 0)],
  ];
  const ul = el('ul', 'dash-figures');
  for (const [k, v] of figures) {
    const li = el('li');
    li.dataset.figure = k;
    li.append(el('b', 'num', String(v)), el('span', null, t(`dash.k.${k}`)));
    ul.append(li);
  }
  return ul;
}

export async function mount(root, ctx, fresh = false) {
  const data = await api('/api/v1/admin/dashboard', { params: fresh ? { fresh: '1' } : undefined });
  let charts = null;
  try { charts = await loadECharts(); } catch { charts = null; }
  const head = el('div', 'dash-head');
  const title = el('h1', 'cx-title', t('dash.title'));
  const asOf = el('p', 'cx-muted dash-asof', t('dash.asOf', { time: fmtTime(data.as_of).slice(11) }));
  asOf.title = fmtTime(data.as_of);
  const again = el('button', 'btn', t('dash.refresh'));
  again.type = 'button';
  again.addEventListener('click', () => { root.replaceChildren(); mount(root, ctx, true); });
  head.append(title, asOf, again);
  root.replaceChildren(head, headline(data));
  if (!charts) root.append(el('p', 'notice', t('dash.noCharts')));
  const grid = el('div', 'dash-grid');
  root.append(grid);
  const made = [];
  for (const name of Object.keys(CHARTS)) {
    try {
      const { sec, canvas } = section(name, data.charts[name], charts);
      grid.append(sec);
      if (charts) made.push([canvas, CHARTS[name].option(data.charts[name])]);
    } catch (err) {            // one chart's fault leaves the others standing
      console.error('chart', name, err);
    }
  }
  for (const [canvas, option] of made) {
    try {
      charts.init(canvas, null, { renderer: 'canvas' }).setOption(option);
    } catch (err) {            // this chart's table stands in for it
      console.error('chart', canvas.closest('[data-chart]').dataset.chart, err);
      canvas.closest('[data-chart]').querySelector('[data-act="toggle"]').click();
    }
  }
  const onResize = () => {
    if (!root.isConnected) {
      window.removeEventListener('resize', onResize);
      for (const [canvas] of made) charts.getInstanceByDom(canvas)?.dispose();
      return;
    }
    for (const [canvas] of made) charts.getInstanceByDom(canvas)?.resize();
  };
  window.addEventListener('resize', onResize);
}
