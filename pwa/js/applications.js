// 我的注册 (the holder's page): the certificate copies their approved applications produced, with
// downloads, and their applications, newest first, each opening its progress.
//
// The API offers a holder no list of their own registrations (only /auth/me's person_id): the copies
// shown are those named in approved applications' `result`.

import { $, el } from './dom.js';
import { errorWords } from './enterprise-badges.js';
import { fmtTime, t } from './i18n.js';
import { copyButtons } from './application-parts.js';
import { fillList, listApplications, typeName } from './workflow.js';

let state = { data: null, error: null, loading: false };
let seq = 0;
let onOpen = () => {};

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

function copyItem(a) {
  const li = el('li', 'copy-item');
  li.dataset.copy = a.result.copy_id;
  const head = el('p', 'copy-head');
  head.append(el('strong', 'mono', a.result.registration_number || a.registration_number || ''), ' ',
    el('span', 'muted small', `${typeName(a)} · ${fmtTime((a.decision && a.decision.at) || a.updated_at)}`));
  li.append(head, el('p', 'mono small', t('wf.copy', { id: a.result.copy_id })), copyButtons(a.result.copy_id));
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
  // Newest decision first: the current copy leads.
  const copies = apps.filter((a) => a.state === 'approved' && a.result && a.result.copy_id);
  $('mine-copies').replaceChildren(...copies.map(copyItem));
  if (!copies.length) $('mine-copies').append(el('li', 'muted', t('wf.copiesNone')));
}

export async function loadMine() {
  const mine = ++seq;
  state = { ...state, loading: true, error: null };
  renderMine();
  try {
    const apps = await allApplications();
    if (mine !== seq) return;
    apps.sort((a, b) => String(b.updated_at || b.created_at).localeCompare(String(a.updated_at || a.created_at)));
    state = { data: apps, error: null, loading: false };
  } catch (e) {
    if (mine !== seq) return;
    state = { data: null, error: e, loading: false };
  }
  renderMine();
}

/** Registration numbers the holder has used or been given: suggestions for the application form. */
export function knownNumbers() {
  const set = new Set();
  for (const a of state.data || []) {
    if (a.registration_number) set.add(a.registration_number);
    if (a.result && a.result.registration_number) set.add(a.result.registration_number);
  }
  return [...set];
}

export function clearMine() {
  seq += 1;
  state = { data: null, error: null, loading: false };
  renderMine();
}

export function initMine({ open, newApplication }) {
  onOpen = open;
  $('mine-new').addEventListener('click', newApplication);
}
