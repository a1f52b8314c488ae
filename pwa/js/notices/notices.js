// 通知 (the holder's and the enterprise's notices pane): the list, newest first, unread in bold, a page at a
// time; mark one or all read; the unread count on the pane's tab; the holder's switch for the check notices
// and everyone's e-mail switch (GET/PUT /api/v1/me/notice-preferences). account/account.js shows the pane,
// passes on language switches and clears it on sign-out.

import { api, errorWords } from '../core/auth.js';
import { $, el } from '../core/dom.js';
import { fmtTime, pick, t } from '../core/i18n.js';
import './strings.js';

let state = { list: null, error: null, loading: false, page: 1, unreadOnly: false, prefs: null, saved: false };
let seq = 0;
let role = () => null;

function renderCount() {
  const n = state.list ? state.list.unread : 0;
  const badge = $('ent-notices-count');
  badge.hidden = !n;
  badge.textContent = n ? String(n) : '';
}

function item(n) {
  const li = el('li', `notice-item${n.read ? '' : ' unread'}`);
  li.dataset.id = String(n.id);
  li.dataset.kind = n.kind;
  const head = el('div', 'notice-head');
  head.append(el('span', 'notice-kind', t(`nt.kind.${n.kind}`)), el('strong', 'notice-title', pick(n.title, n.title_en)));
  if (!n.read) head.append(el('span', 'notice-unread', t('nt.unread')));
  const meta = el('p', 'notice-meta muted small', fmtTime(n.created_at));
  li.append(head, el('p', 'notice-body', pick(n.body, n.body_en)), meta);
  if (!n.read) {
    const b = el('button', 'btn notice-read', t('nt.markRead'));
    b.type = 'button';
    b.addEventListener('click', () => markRead(n.id));
    li.append(b);
  }
  return li;
}

export function renderNotices() {
  renderCount();
  const { list, error, loading, page, prefs } = state;
  const status = $('notices-status');
  status.dataset.state = loading ? 'loading' : error ? 'error' : 'ready';
  status.textContent = loading ? t('nt.loading') : error ? errorWords(error)
    : list ? (list.notices.length ? t('nt.count', { total: list.total, unread: list.unread })
      : t(state.unreadOnly ? 'nt.noneUnread' : 'nt.none')) : '';
  if (!loading) $('notices-list').replaceChildren(...(list ? list.notices.map(item) : []));
  const pages = list ? Math.max(1, Math.ceil(list.total / list.per_page)) : 1;
  $('notices-pager').hidden = pages <= 1;
  $('notices-page').textContent = t('nt.page', { page });
  $('notices-prev').disabled = page <= 1;
  $('notices-next').disabled = page >= pages;
  $('notices-read-all').disabled = !list || !list.unread;
  $('notices-checks-row').hidden = role() !== 'holder';
  if (prefs) {
    $('notices-checks').checked = prefs.checks;
    $('notices-email').checked = prefs.email;
  }
  $('notices-saved').textContent = state.saved ? t('nt.saved') : '';
}

export async function loadNotices(page = state.page) {
  const mine = ++seq;
  state = { ...state, loading: true, error: null, page };
  renderNotices();
  try {
    const params = { page };
    if (state.unreadOnly) params.unread = 1;
    const list = await api('api/v1/me/notices', { params });
    if (mine !== seq) return;
    state = { ...state, list, loading: false };
  } catch (e) {
    if (mine !== seq) return;
    state = { ...state, list: null, error: e, loading: false };
  }
  renderNotices();
}

// Each answer is awaited before the state is read: `{ ...state, x: await … }` would spread the state as it was
// before the wait and undo whatever arrived meanwhile (the list, a notice marked read).
async function loadPrefs() {
  try {
    const prefs = await api('api/v1/me/notice-preferences');
    state = { ...state, prefs };
  } catch { /* the switches wait */ }
  renderNotices();
}

/** When the pane is shown: the list and the switches. */
export function openNotices() {
  loadNotices(state.page);
  if (!state.prefs) loadPrefs();
}

/** Right after signing in: only the count for the tab's badge. */
export const startNotices = () => loadNotices(1);

async function markRead(id) {
  try {
    const r = await api(`api/v1/me/notices/${id}/read`, { method: 'POST' });
    if (state.list) {
      const notices = state.list.notices.map((n) => (n.id === id ? r.notice : n));
      state = { ...state, list: { ...state.list, notices, unread: r.unread } };
    }
    renderNotices();
  } catch (e) {
    state = { ...state, error: e };
    renderNotices();
  }
}

async function readAll() {
  try {
    await api('api/v1/me/notices/read-all', { method: 'POST' });
    await loadNotices(state.page);
  } catch (e) {
    state = { ...state, error: e };
    renderNotices();
  }
}

async function savePrefs() {
  const body = { email: $('notices-email').checked };
  if (role() === 'holder') body.checks = $('notices-checks').checked;
  try {
    const prefs = await api('api/v1/me/notice-preferences', { method: 'PUT', body });
    state = { ...state, prefs, saved: true };
  } catch (e) {
    state = { ...state, error: e, saved: false };
  }
  renderNotices();
}

export function clearNotices() {
  seq++;
  state = { list: null, error: null, loading: false, page: 1, unreadOnly: false, prefs: null, saved: false };
  renderNotices();
}

export function initNotices(h) {
  role = h.role;
  $('notices-unread-only').addEventListener('change', (e) => {
    state = { ...state, unreadOnly: e.target.checked };
    loadNotices(1);
  });
  $('notices-read-all').addEventListener('click', readAll);
  $('notices-prev').addEventListener('click', () => loadNotices(Math.max(1, state.page - 1)));
  $('notices-next').addEventListener('click', () => loadNotices(state.page + 1));
  $('notices-checks').addEventListener('change', savePrefs);
  $('notices-email').addEventListener('change', savePrefs);
}
