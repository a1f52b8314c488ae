// 我的注册 (the holder's page): their registrations (GET /api/v1/holder/registrations), each with its
// current copy and downloads, its live code (动态二维码, live.js), a button for a new copy (证照加注, daily
// limit applies), and their applications, newest first, each opening its progress.

import { api, errorWords } from '../core/auth.js';
import { $, el } from '../core/dom.js';
import { fmtTime, pick, t } from '../core/i18n.js';
import { fillList, listApplications } from './applications.js';
import { copyButtons } from './detail-parts.js';
import { closeLive, openLive } from './live.js';

let state = { data: null, regs: [], error: null, loading: false };
let seq = 0;
let onOpen = () => {};
let onLoaded = () => {};
let onRenew = () => {};

/** Every application of the holder (the list comes in pages; a holder has few). */
async function allApplications() {
  const out = [];
  for (let page = 1; page <= 20; page += 1) {
    const data = await listApplications({ page });
    const apps = data.applications || [];
    out.push(...apps);
    if (!apps.length || out.length >= (data.total || 0)) break;
  }
  return out;
}

function registrationItem(r) {
  const li = el('li', 'copy-item');
  li.dataset.registration = r.registration_number;
  const head = el('p', 'copy-head');
  head.append(el('strong', 'mono', r.registration_number), ' ', el('span', 'muted small', `${r.kind_name} · ${r.status_name}`));
  const specs = el('p', 'small', r.specialties.map((x) => `${x.name} ${t('wf.until', { date: x.valid_until })}`).join(';'));
  li.append(head, specs);
  if (r.renewal) {     // what a renewal can hold today, and the way to it when it can hold something
    const line = el('p', 'small renewal-line', pick(r.renewal.message, r.renewal.message_en));
    line.dataset.renewable = String(r.renewal.renewable.length > 0);
    li.append(line);
    if (r.renewal.renewable.length) {
      const go = el('button', 'btn primary', t('wf.renew'));
      go.type = 'button';
      go.dataset.action = 'renew';
      go.addEventListener('click', () => onRenew());
      li.append(go);
    }
  }
  const c = r.current_copy;
  if (c) {
    li.dataset.copy = c.copy_id;
    const buttons = copyButtons(c.copy_id);
    if (!c.expired) {   // a live code of the current copy, full screen (live.js)
      const live = el('button', 'btn primary', t('wf.live'));
      live.type = 'button';
      live.dataset.action = 'live-code';
      live.addEventListener('click', () => openLive(c.copy_id, `${r.registration_number} · ${r.kind_name}`));
      buttons.prepend(live);
    }
    li.append(el('p', 'mono small', t('wf.copy', { id: c.copy_id })),
      el('p', 'small', t(c.expired ? 'wf.copyExpired' : 'wf.copyUntil', { date: fmtTime(c.usage_until) })), buttons);
  } else {
    li.append(el('p', 'muted small', t('wf.noCopy')));
  }
  const status = el('span', 'muted small');
  status.setAttribute('role', 'status');
  const b = el('button', 'btn', t('wf.newCopy'));
  b.type = 'button';
  b.dataset.action = 'new-copy';
  b.addEventListener('click', async () => {
    b.disabled = true;
    status.textContent = '';
    try {
      await api(`api/v1/holder/registrations/${encodeURIComponent(r.registration_number)}/copies`, { method: 'POST' });
      await loadMine();
    } catch (e) { status.textContent = errorWords(e); b.disabled = false; }
  });
  const row = el('div', 'action-row');
  row.append(b, status);
  li.append(row);
  return li;
}

export function renderMine() {
  const { data, error, loading } = state;
  const status = $('mine-status');
  status.dataset.state = loading ? 'loading' : error ? 'error' : 'ready';
  status.textContent = loading ? t('wf.loading') : error ? errorWords(error) : data ? t('wf.total', { n: data.length }) : '';
  if (loading && data) return;
  const apps = data || [];
  fillList($('mine-list'), apps, (id) => onOpen(id));
  const regs = state.regs || [];
  $('mine-copies').replaceChildren(...regs.map(registrationItem));
  if (!regs.length) $('mine-copies').append(el('li', 'muted', t('wf.copiesNone')));
}

export async function loadMine() {
  const mine = ++seq;
  state = { ...state, loading: true, error: null };
  renderMine();
  try {
    const [apps, mineRegs] = await Promise.all([allApplications(), api('api/v1/holder/registrations')]);
    if (mine !== seq) return;
    apps.sort((a, b) => String(b.updated_at || b.created_at).localeCompare(String(a.updated_at || a.created_at)));
    state = { data: apps, regs: mineRegs.registrations || [], error: null, loading: false };
    onLoaded();
  } catch (e) {
    if (mine !== seq) return;
    state = { data: null, regs: [], error: e, loading: false };
  }
  renderMine();
}

/** The holder's registrations as last loaded (each with its `renewal`): what the form is filled in from. */
export const knownRegistrations = () => state.regs || [];

/** Registration numbers the holder has used or been given: suggestions for the application form. */
export function knownNumbers() {
  const set = new Set();
  for (const r of state.regs || []) set.add(r.registration_number);
  for (const a of state.data || []) {
    if (a.registration_number) set.add(a.registration_number);
    if (a.result && a.result.registration_number) set.add(a.result.registration_number);
  }
  return [...set];
}

export function clearMine() {
  closeLive();
  seq += 1;
  state = { data: null, regs: [], error: null, loading: false };
  renderMine();
}

export function initMine({ open, newApplication, loaded = () => {} }) {
  onOpen = open;
  onRenew = newApplication;
  onLoaded = loaded;
  $('mine-new').addEventListener('click', newApplication);
}
