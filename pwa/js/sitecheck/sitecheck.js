// The 现场检查 / Site checks screen (view-sitecheck), imported by app.js when first opened: this device's
// checks, most recent first; a new check (form.js); one check: its site, its people with their verdicts
// and role requirements (people.js), adding certificates (add.js), finishing it; and once finished, its
// sync (sync.js) and, when synced, the signed record's number and its PDF and CSV. Everything is kept in
// IndexedDB (checks.js) as it happens: a reload, or a day offline, loses nothing.

import { logout, currentSession } from '../core/auth.js';
import { $, el } from '../core/dom.js';
import { applyI18n, fmtTime, pick, t } from '../core/i18n.js';
import { PROVINCES } from '../core/provinces.js';
import { renderAdder, setTarget, stopScan } from './add.js';
import {
  allChecks, deleteCheck, evaluatePerson, loadCheck, loadRoles, newCheck, saveCheck, scaleOptions, specialtyOptions,
} from './checks.js';
import { button, fillStartForm, renderStartForm, words } from './form.js';
import { personCard } from './people.js';
import { loginCard, serverEvaluation, syncSection } from './record.js';
import { onSyncChange, startSync, syncAll } from './sync.js';
import './strings.js';

const OPEN_KEY = 'jz.sitecheck.open';   // the check on screen, reopened after a reload of this tab
let screen = 'list';
let current = null;

const root = () => $('sc-root');
const remember = (id) => { try { if (id) sessionStorage.setItem(OPEN_KEY, id); else sessionStorage.removeItem(OPEN_KEY); } catch { /* not kept */ } };

function stateChip(c) {
  const failed = c.state === 'pending' && c.sync.error && !c.sync.next && ![401, 403].includes(c.sync.error.status);
  const key = failed ? 'sc.state.failed' : `sc.state.${c.state}`;
  const chip = words('span', `chip sc-state ${c.state === 'synced' ? 'tone-ok' : c.state === 'open' ? 'tone-grey' : 'tone-warn'}`, key);
  chip.dataset.state = failed ? 'failed' : c.state;
  return chip;
}

function accountLine() {
  const s = currentSession();
  const p = el('p', 'muted small sc-account');
  if (!s) {   // signing in now, while online, lets the checks sync by themselves later
    const d = el('details', 'sc-signin');
    d.append(words('summary', null, 'sc.login.title'), loginCard('login', render));
    return d;
  }
  p.append(t('sc.login.as', { who: s.username }), ' ');
  p.append(button('sc.login.out', 'link-btn', async () => { await logout(); render(); }));
  return p;
}

async function renderList() {
  const checks = await allChecks().catch(() => []);
  const ul = el('ul', 'sc-list');
  ul.id = 'sc-list';
  for (const c of checks) {
    const b = el('button', 'sc-item');
    b.type = 'button';
    b.dataset.id = c.client_id;
    b.append(el('span', 'sc-item-name', c.site.name), el('span', 'muted small', `${fmtTime(c.t)} · ${t('sc.people.n', { n: c.people.length })}`), stateChip(c));
    b.addEventListener('click', () => openCheck(c.client_id));
    const li = el('li');
    li.append(b);
    ul.append(li);
  }
  const empty = words('p', 'empty', 'sc.empty');
  empty.hidden = checks.length > 0;
  root().replaceChildren(words('p', 'muted small', 'sc.intro'), accountLine(),
    button('sc.new', 'primary big wide', () => { screen = 'new'; render(); }, 'sc-new'),
    words('h2', 'section-title list-title', 'sc.list'), ul, empty);
}

function specialtyName(code) {
  const s = specialtyOptions().find((x) => x.code === code);
  return s ? `${pick(s.name, s.name_en)} (${code})` : code;
}

function siteCard(c) {
  const dl = el('dl', 'kv');
  const row = (key, value) => { if (value) dl.append(words('dt', null, key), el('dd', null, value)); };
  row('sc.site', c.site.name);
  row('sc.f.specialty', specialtyName(c.site.specialty));
  row('sc.contractor', c.site.contractor_uscc);
  const prov = PROVINCES.find(([code]) => code === c.site.province);
  row('sc.f.province', prov ? pick(prov[1], prov[2]) : '');
  const scale = scaleOptions().find(([code]) => code === c.site.scale);
  row('sc.f.scale', scale ? (scale[1] ? pick(scale[1], scale[2]) : t(`sc.scale.${scale[0]}`)) : c.site.scale || '');
  row('sc.location', c.site.gps ? t('sc.f.gpsAt', { lat: c.site.gps.lat.toFixed(5), lon: c.site.gps.lon.toFixed(5), acc: c.site.gps.accuracy_m }) : '');
  row('sc.started', fmtTime(c.started_at));
  row('sc.finished', c.finished_at ? fmtTime(c.finished_at) : '');
  const card = el('section', 'card sc-site');
  const head = el('div', 'sc-site-head');
  head.append(el('h2', 'section-title', c.site.name), stateChip(c));
  card.append(head, dl);
  return card;
}

async function renderCheck() {
  const c = current;
  const open = c.state === 'open';
  const evals = await Promise.all(c.people.map((p, i) => serverEvaluation(c, i) || evaluatePerson(p, c.site)));
  if (current !== c || screen !== 'check') return;   // another screen was asked for meanwhile
  const kept = $('sc-qr') ? $('sc-qr').value : '';
  const on = {
    role: async (i, value) => { c.people[i].role = value; await saveCheck(c); render(); },
    more: (i) => { setTarget(i); render().then(() => { $('sc-add-title').focus(); $('sc-add').scrollIntoView({ block: 'nearest' }); }); },
    remove: async (i) => { c.people.splice(i, 1); setTarget(null); await saveCheck(c); render(); },
  };
  const people = el('ul', 'sc-people');
  people.id = 'sc-people';
  people.append(...c.people.map((p, i) => personCard(p, i, evals[i], { open, on })));
  const parts = [button('sc.back', 'link-btn', () => showList(), 'sc-back'), siteCard(c)];
  if (!open) parts.push(syncSection(c, render));
  if (c.server && (c.server.people || c.server.results)) parts.push(words('p', 'muted small', 'sc.record.server'));
  parts.push(people);
  const adder = el('div');
  if (open) {
    parts.push(adder);
    const finish = button('sc.finish', 'primary big wide', finishCheck, 'sc-finish');
    finish.disabled = !c.people.length;
    parts.push(finish, button('sc.delete', 'danger', removeCheck, 'sc-delete'));
  }
  root().replaceChildren(...parts);
  if (open) {
    renderAdder(adder, c, { onAdd: async (kept, role, index) => {
      if (index === null) c.people.push({ role, certs: [kept] }); else c.people[index].certs.push(kept);
      setTarget(null);
      await saveCheck(c);
      await render();
    } });
    $('sc-qr').value = kept;
  }
}

async function finishCheck() {
  current.finished_at = new Date().toISOString();
  current.state = 'pending';
  await saveCheck(current);
  await render();
  await syncAll({ force: true });
}

async function removeCheck() {
  if (!window.confirm(t('sc.deleteSure'))) return;
  await deleteCheck(current.client_id);
  showList();
}

async function openCheck(id) {
  const c = await loadCheck(id);
  if (!c) { showList(); return; }
  current = c;
  screen = 'check';
  setTarget(null);
  remember(id);
  await render();
  window.scrollTo(0, 0);
}

function showList() {
  current = null;
  screen = 'list';
  remember(null);
  render();
}

async function start(site) {
  current = newCheck(site);
  await saveCheck(current);
  await openCheck(current.client_id);
}

async function render() {
  stopScan();
  if (screen === 'new') { renderStartForm(root(), { onStart: start, onCancel: showList }); return; }
  if (screen === 'check' && current) { await renderCheck(); return; }
  await renderList();
}

/** app.js: the view is shown. */
export async function showSiteCheck() {
  if (screen === 'list') {
    let id = null;
    try { id = sessionStorage.getItem(OPEN_KEY); } catch { id = null; }
    if (id) { await openCheck(id); return; }
  }
  if (screen === 'check' && current) current = (await loadCheck(current.client_id)) || current;
  await render();
}

/** app.js: the view is left (the camera is released). */
export const hideSiteCheck = () => stopScan();

/** After a language switch. */
export function rerenderSiteCheck() {
  if (screen === 'new') { applyI18n(root()); fillStartForm(); return; }
  render();
}

export async function initSiteCheck() {
  await loadRoles();
  onSyncChange((id) => {
    if (screen === 'list' && !$('view-sitecheck').hidden) render();
    if (screen === 'check' && current && current.client_id === id) loadCheck(id).then((c) => { current = c; render(); });
  });
  window.addEventListener('online', () => loadRoles());
  startSync();
}
