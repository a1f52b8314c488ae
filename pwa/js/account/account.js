// The signed-in area (the 账户 tab): one login form, then the panes of the account's role: an
// enterprise's staff, warnings and bulk check (../enterprise/) and applications to confirm; a holder's
// registration and applications; the authority's review queue (the workflow panes, ../workflow/pages.js);
// the holder's photo and signature and the authority's review of them (入库登记, ../onboarding/); the
// holder's and the enterprise's notices (通知, ../notices/); and logout. The inspector's screens know nothing of it; app.js only shows the view and passes on language
// switches. This is the one module that brings the enterprise, workflow, onboarding and notices areas together.

import { api, currentSession, errorWords, login, logout, setOnExpired } from '../core/auth.js';
import { $ } from '../core/dom.js';
import { fmtTime, t } from '../core/i18n.js';
import { clearBulk, initBulk, renderBulk } from '../enterprise/bulk.js';
import { clearRoster, initRoster, loadRoster, openPerson, renderRoster, showPerson } from '../enterprise/roster.js';
import { clearWarnings, initWarnings, loadWarnings, renderWarnings } from '../enterprise/warnings.js';
import { clearImages, initImages, loadImages, renderImages } from '../onboarding/holder.js';
import {
  clearReviewImages, initReviewImages, loadReviewImages, renderReviewImages,
} from '../onboarding/review.js';
import {
  backPane, clearWorkflow, initWorkflowPages, loadPane, rerenderWorkflow, ROLE_PANES, startRole, WORKFLOW_PANES,
} from '../workflow/pages.js';
import {
  clearNotices, initNotices, openNotices, renderNotices, startNotices,
} from '../notices/notices.js';
import './strings.js';

const PANES = ['roster', 'warnings', 'bulk', ...WORKFLOW_PANES, 'images', 'imgreview', 'notices'];
let pane = 'roster';
let loginError = null;   // 'empty', or an ApiError (kept, not its words: a language switch re-words it)
let note = '';           // 'expired' | 'loggedOut'
let me = null;
let opened = false;      // the current session's data has been asked for
let staffWanted = null;  // a roster person's address (#/staff/<id>) opened before signing in

function renderLogin() {
  const p = $('ent-login-error');
  let text = '';
  const e = loginError;
  if (e === 'empty') text = t('ent.err.empty');
  else if (e && e.code === 'invalid_credentials') text = t('ent.err.invalid_credentials');
  else if (e && e.code === 'role') text = t('acct.forbidden');
  else if (e && e.code === 'account_locked') {
    const min = Math.max(1, Math.ceil((e.lockedUntil - Date.now()) / 60000));
    text = t('ent.err.account_locked', { time: fmtTime(e.lockedUntil).slice(11), min });
  } else if (e) text = errorWords(e);
  p.textContent = text;
  p.hidden = !text;
  p.dataset.code = e ? (e === 'empty' ? 'empty' : e.code) : '';
  const bad = e === 'empty' || (e && e.code === 'invalid_credentials');
  for (const id of ['ent-user', 'ent-pass']) {
    if (bad) $(id).setAttribute('aria-invalid', 'true'); else $(id).removeAttribute('aria-invalid');
  }
  $('ent-login-note').textContent = note ? t(note === 'expired' ? 'ent.err.expired' : 'ent.loggedOut') : '';
  $('ent-login-note').hidden = !note;
}

const role = () => (currentSession() || {}).role || null;

function renderMe() {
  const s = currentSession();
  const ent = me && me.enterprise;
  const r = role();
  // Who is signed in, by name: the holder's own name or the enterprise's (server's display_name), the
  // login name only beside the role on the second line.
  const name = (me && me.display_name) || (ent && ent.name) || '';
  $('ent-org').textContent = name || (r && r !== 'enterprise' ? t(`role.${r}`) : '');
  $('ent-org').hidden = !$('ent-org').textContent;
  const role1 = r && r !== 'enterprise' && name ? t(`role.${r}`) : '';
  $('ent-account').textContent = s ? [role1, s.username, ent && ent.uscc].filter(Boolean).join(' · ') : '';
}

function showPane(name, { focus = false } = {}) {
  const mine = ROLE_PANES[role()] || ROLE_PANES.enterprise;
  pane = name === 'detail' || mine.includes(name) ? name : mine[0];
  for (const p of PANES) $(`ent-${p}`).hidden = p !== pane;
  const lit = pane === 'detail' ? backPane() : pane;
  for (const b of document.querySelectorAll('#ent-subtabs [data-pane]')) {
    b.hidden = !mine.includes(b.dataset.pane);
    if (b.dataset.pane === lit) b.setAttribute('aria-current', 'true'); else b.removeAttribute('aria-current');
  }
  $('view-enterprise').dataset.pane = pane;
  $('view-enterprise').dataset.role = role() || '';
  if (pane === 'warnings') loadWarnings();
  if (pane === 'images') loadImages();
  if (pane === 'imgreview') loadReviewImages(1);
  if (pane === 'notices') openNotices();
  loadPane(pane);
  if (focus) $(`ent-${pane}-title`).focus({ preventScroll: true });
  if (pane === 'detail') window.scrollTo(0, 0);
}

function showLogin() {
  $('view-enterprise').dataset.state = 'login';
  $('ent-login').hidden = false;
  $('ent-app').hidden = true;
  renderLogin();
}

async function openApp({ focus = false } = {}) {
  $('view-enterprise').dataset.state = 'app';
  $('ent-login').hidden = true;
  $('ent-app').hidden = false;
  renderMe();
  showPane(pane);
  if (focus) $('ent-org-box').focus({ preventScroll: true });
  openWanted();
  if (opened) return;
  opened = true;
  if (role() === 'enterprise') {
    if (pane !== 'warnings') loadWarnings();   // for the count on the warnings tab
    loadRoster(1);
  }
  startRole(role());
  if ((ROLE_PANES[role()] || []).includes('notices') && pane !== 'notices') startNotices();   // the tab's count
  try { me = await api('api/v1/auth/me'); } catch { me = null; }
  renderMe();
}

/** Forget everything of the last session: a shared tablet must not show the next user the old list. */
function forget() {
  me = null;
  opened = false;
  pane = '';
  clearRoster();
  clearWarnings();
  clearBulk();
  clearWorkflow();
  clearImages();
  clearReviewImages();
  clearNotices();
}

async function onLogin(e) {
  e.preventDefault();
  const username = $('ent-user').value.trim();
  const password = $('ent-pass').value;
  note = '';
  if (!username || !password) {
    loginError = 'empty';
    renderLogin();
    $(username ? 'ent-pass' : 'ent-user').focus();
    return;
  }
  const button = $('ent-login-go');
  button.disabled = true;
  button.textContent = t('ent.loggingIn');
  try {
    const s = await login(username, password);
    if (!ROLE_PANES[s.role]) { await logout(); throw Object.assign(new Error('role'), { code: 'role' }); }
    loginError = null;
    $('ent-pass').value = '';
    renderLogin();
    forget();
    await openApp({ focus: true });
  } catch (err) {
    if (err.code === 'account_locked') {
      const retry = Number(err.body.details && err.body.details.retry_after) || 900;
      err.lockedUntil = Date.now() + retry * 1000;
    }
    loginError = err;
    renderLogin();
    $('ent-pass').select();
    $('ent-pass').focus();
  } finally {
    button.disabled = false;
    button.textContent = t('ent.login');
  }
}

async function onLogout() {
  await logout();
  forget();
  loginError = null;
  note = 'loggedOut';
  showLogin();
  $('ent-user').focus();
}

/** The person asked for by address, once signed in as an enterprise (only its own staff are shown: 404 else). */
function openWanted() {
  if (staffWanted === null || role() !== 'enterprise') return;
  const id = staffWanted;
  staffWanted = null;
  showPane('roster');
  openPerson(id, { push: false });
}

/** app.js, for an address of one of the roster's people (#/staff/<id>: a warning's link, a reload, Back). */
export function openStaff(personId) {
  staffWanted = personId;
  if (currentSession() && role() === 'enterprise') openWanted();
}

/** app.js calls this when the 账户 tab (view-enterprise) is opened. */
export function showEnterprise() {
  // An inspector's session (signed in on the 现场 tab, js/sitecheck/) has no panes here: the login form.
  if (currentSession() && ROLE_PANES[role()]) openApp(); else showLogin();
}

/** After a language switch: everything built from data is built again in the new words. */
export function rerenderEnterprise() {
  renderLogin();
  renderMe();
  renderRoster();
  renderWarnings();
  renderBulk();
  rerenderWorkflow();
  renderImages();
  renderReviewImages();
  renderNotices();
}

export function initEnterprise() {
  initWorkflowPages({ show: showPane, role, current: () => pane });
  initRoster();
  initWarnings({
    // The person id is for the roster's person view (#/staff/<id>); the registration number narrows the list.
    showPerson: (regno, personId) => { showPane('roster'); showPerson(regno, personId).then((shown) => { if (!shown) $('ent-roster-title').focus(); }); },
    openPane: (name) => showPane(name, { focus: true }),
  });
  initBulk();
  initImages();
  initReviewImages();
  initNotices({ role });
  $('ent-login-form').addEventListener('submit', onLogin);
  $('ent-logout').addEventListener('click', onLogout);
  for (const b of document.querySelectorAll('#ent-subtabs [data-pane]')) {
    b.addEventListener('click', () => showPane(b.dataset.pane, { focus: true }));
  }
  setOnExpired(() => {
    forget();
    note = 'expired';
    showLogin();
    if (!$('view-enterprise').hidden) $('ent-user').focus();
  });
  showLogin();
}
