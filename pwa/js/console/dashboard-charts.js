// What each chart of the 概览 shows: its table (column word keys and the rows' cells, the numbers exactly
// as the API gives them) and its ECharts option, built from the chart's rows in the current language.

import { pick, t } from '../core/i18n.js';

const STATUSES = ['active', 'suspended', 'lapsed', 'cancelled', 'rescinded', 'revoked'];
const nm = (r) => pick(r.name, r.name_en);
const tn = (r) => pick(r.type_name, r.type_name_en);
const base = { tooltip: { trigger: 'axis', renderMode: 'richText' }, grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
  legend: { top: 0, type: 'scroll' } };
const bars = (cats, series, opts = {}) => ({
  ...base,
  xAxis: opts.horizontal ? { type: 'value' } : { type: 'category', data: cats, axisLabel: { interval: 0, rotate: cats.length > 6 ? 30 : 0 } },
  yAxis: opts.horizontal ? { type: 'category', data: cats, inverse: true } : { type: 'value' },
  series: series.map((s) => ({ type: 'bar', stack: opts.stack ? 'all' : undefined, ...s })),
});
const days = (rows) => rows.map((r) => r.day.slice(5));

export const CHARTS = {
  by_kind: {
    table: (c) => ({ cols: ['dash.col.kind', 'dash.col.total', ...STATUSES.map((s) => `dash.st.${s}`)],
      rows: c.rows.map((r) => [nm(r), r.total, ...STATUSES.map((s) => r[s])]) }),
    option: (c) => bars(c.rows.map(nm), STATUSES.map((s) => ({ name: t(`dash.st.${s}`), data: c.rows.map((r) => r[s]) })),
      { stack: true }),
  },
  by_status: {
    table: (c) => ({ cols: ['dash.col.status', 'dash.col.count'], rows: c.rows.map((r) => [nm(r), r.count]) }),
    option: (c) => ({ tooltip: { trigger: 'item', renderMode: 'richText' }, legend: { top: 0, type: 'scroll' },
      series: [{ type: 'pie', radius: ['35%', '65%'], top: 30, data: c.rows.map((r) => ({ name: nm(r), value: r.count })) }] }),
  },
  by_city: {
    table: (c) => ({ cols: ['dash.col.province', 'dash.col.city', 'dash.col.total', 'dash.col.active'],
      rows: c.rows.map((r) => [r.province_name, r.name, r.total, r.active]) }),
    option: (c) => {
      const top = c.rows.slice(0, 15);
      return bars(top.map((r) => r.name), [{ name: t('dash.col.total'), data: top.map((r) => r.total) },
        { name: t('dash.col.active'), data: top.map((r) => r.active) }], { horizontal: true });
    },
    note: 'dash.n.by_city',
  },
  expiring: {
    table: (c) => ({ cols: ['dash.col.kind', 'dash.col.within_30', 'dash.col.within_90', 'dash.col.within_180'],
      rows: c.rows.map((r) => [nm(r), r.within_30, r.within_90, r.within_180]) }),
    option: (c) => bars(c.rows.map(nm), [30, 90, 180].map((d) => ({ name: t(`dash.col.within_${d}`),
      data: c.rows.map((r) => r[`within_${d}`]) }))),
    note: 'dash.n.expiring',
  },
  applications: {
    table: (c) => ({ cols: ['dash.col.type', 'dash.col.state', 'dash.col.count'],
      rows: c.rows.map((r) => [tn(r), pick(r.state_name, r.state_name_en), r.count]) }),
    option: (c) => {
      const types = [...new Map(c.rows.map((r) => [r.type, tn(r)])).entries()];
      const states = [...new Map(c.rows.map((r) => [r.state, pick(r.state_name, r.state_name_en)])).entries()];
      const n = (ty, st) => (c.rows.find((r) => r.type === ty && r.state === st) || { count: 0 }).count;
      return bars(types.map(([, w]) => w), states.map(([st, w]) => ({ name: w, data: types.map(([ty]) => n(ty, st)) })),
        { stack: true, horizontal: true });
    },
  },
  decision_time: {
    table: (c) => ({ cols: ['dash.col.type', 'dash.col.decided', 'dash.col.median'],
      rows: c.rows.map((r) => [tn(r), r.decided, r.median_hours ?? '—']) }),
    option: (c) => bars(c.rows.map(tn), [{ name: t('dash.col.median'), data: c.rows.map((r) => r.median_hours) }],
      { horizontal: true }),
  },
  signals: {
    table: (c) => ({ cols: ['dash.col.signal', 'dash.col.count'], rows: c.rows.map((r) => [nm(r), r.count]) }),
    option: (c) => bars(c.rows.map(nm), [{ name: t('dash.col.count'), data: c.rows.map((r) => r.count) }], { horizontal: true }),
  },
  copies_per_day: {
    table: (c) => ({ cols: ['dash.col.day', 'dash.col.copies'], rows: c.rows.map((r) => [r.day, r.count]) }),
    option: (c) => ({ ...base, xAxis: { type: 'category', data: days(c.rows) }, yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'line', name: t('dash.col.copies'), data: c.rows.map((r) => r.count), areaStyle: {} }] }),
  },
  verifications_per_day: {
    table: (c) => ({ cols: ['dash.col.day', 'dash.col.total', 'dash.col.valid', 'dash.col.invalid', 'dash.col.other'],
      rows: c.rows.map((r) => [r.day, r.total, r.valid, r.invalid, r.other]) }),
    option: (c) => bars(days(c.rows), ['valid', 'invalid', 'other'].map((k) => ({ name: t(`dash.col.${k}`),
      data: c.rows.map((r) => r[k]) })), { stack: true }),
  },
};
