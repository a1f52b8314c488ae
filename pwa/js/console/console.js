// The authority's console (console.html): login (authority accounts only), the nav, the language switch and
// a hash router. Routes are `#/name/part/part?query`; each route's pane is a module of this folder, imported
// when first opened, exporting `mount(root, ctx)`: `root` an empty element to fill, `ctx = { params: [the
// route's parts after its name], query: URLSearchParams, navigate(hash) }`. A module that does not load shows
// "not available yet". A 401 anywhere (core/auth.js) ends the session and shows the login form again.
// Online only: sw.js precaches none of the console.

import { currentSession, errorWords, login, logout, setOnExpired } from '../core/auth.js';
import { $, el } from '../core/dom.js';
import { addStrings, applyI18n, fmtTime, getLang, setLang, t } from '../core/i18n.js';

addStrings({
  'console.title': ['建证 · 主管部门控制台', 'Jianzheng · Authority console'],
  'console.tagline': ['主管部门控制台', 'Authority console'],
  'console.loginTitle': ['主管部门登录', 'Authority sign-in'],
  'console.loginIntro': ['控制台供住房和城乡建设主管部门工作人员使用:查询登记簿、查看人员和单位档案、审批、导入数据。',
    "For the housing department's staff: search the register, read a person's or an enterprise's file, approve, import."],
  'console.backToApp': ['返回核验应用', 'Back to the verification app'],
  'console.navLabel': ['控制台导航', 'Console navigation'],
  'console.nav.search': ['查询', 'Search'],
  'console.nav.approvals': ['审批', 'Approvals'],
  'console.nav.import': ['导入', 'Import'],
  'console.nav.dashboard': ['概览', 'Overview'],
  'console.nav.review': ['审核队列', 'Review queues'],
  'console.notAuthority': ['此账户不是主管部门账户,不能使用控制台', 'This is not an authority account: the console is for authority staff only'],
  'console.notReady': ['此功能尚未就绪', 'Not available yet'],
  'console.loading': ['正在加载…', 'Loading…'],
  'console.signedIn': ['{user} · 主管部门', '{user} · Authority'],
  'console.until': ['登录有效至 {time}', 'Signed in until {time}'],
});

const ROUTES = {
  search: './search.js', person: './person.js', enterprise: './enterprise.js', approvals: './approvals.js',
  import: './import.js', dashboard: './dashboard.js', review: './review.js',
};
const NAV_OF = { person: 'search', enterprise: 'search' };      // which nav entry a route lights
let loginError = null;    // 'empty' | 'role' | an ApiError
let note = '';            // 'expired' | 'loggedOut'
let mounted = 0;          // bumped per mount: a late answer of an old pane is dropped

function retitle() {
  applyI18n();
  document.title = t('console.title');
}

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, search = ''] = raw.split('?');
  const parts = path.split('/').filter(Boolean).map((p) => { try { return decodeURIComponent(p); } catch { return p; } });
  const name = ROUTES[parts[0]] ? parts[0] : 'search';
  return { name, params: ROUTES[parts[0]] ? parts.slice(1) : [], query: new URLSearchParams(search) };
}

export function navigate(hash) {
  if (location.hash === hash) route(); else location.hash = hash;
}

async function route() {
  if (!isAuthority()) return;
  const { name, params, query } = parseHash();
  const lit = NAV_OF[name] || name;
  for (const a of document.querySelectorAll('#console-nav [data-route]')) {
    if (a.dataset.route === lit) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  const me = ++mounted;
  const root = el('div', 'console-pane');
  root.dataset.route = name;
  root.append(el('p', 'status', t('console.loading')));
  $('console-pane').replaceWith(root);
  root.id = 'console-pane';
  let mod;
  try {
    mod = await import(ROUTES[name]);
  } catch {
    mod = null;
  }
  if (me !== mounted) return;
  root.replaceChildren();
  if (!mod || typeof mod.mount !== 'function') {
    root.append(el('p', 'empty', t('console.notReady')));
    return;
  }
  try {
    await mod.mount(root, { params, query, navigate });
  } catch (err) {
    if (me === mounted && !root.childElementCount) root.append(el('p', 'form-error', errorWords(err)));
  }
}

const isAuthority = () => (currentSession() || {}).role === 'authority';

function renderLogin() {
  const p = $('console-login-error');
  let text = '';
  if (loginError === 'empty') text = t('ent.err.empty');
  else if (loginError === 'role') text = t('console.notAuthority');
  else if (loginError && loginError.code === 'invalid_credentials') text = t('ent.err.invalid_credentials');
  else if (loginError) text = errorWords(loginError);
  p.textContent = text;
  p.hidden = !text;
  p.dataset.code = loginError ? (typeof loginError === 'string' ? loginError : loginError.code) : '';
  $('console-login-note').textContent = note ? t(note === 'expired' ? 'ent.err.expired' : 'ent.loggedOut') : '';
  $('console-login-note').hidden = !note;
}

function show() {
  const inside = isAuthority();
  document.body.dataset.state = inside ? 'app' : 'login';
  $('console-login-view').hidden = inside;
  $('console-app').hidden = !inside;
  if (inside) {
    const s = currentSession();
    $('console-account').textContent = `${t('console.signedIn', { user: s.username })} · ${t('console.until', { time: fmtTime(s.expiresAt) })}`;
    route();
  } else {
    renderLogin();
  }
}

async function onLogin(e) {
  e.preventDefault();
  const username = $('console-user').value.trim();
  const password = $('console-pass').value;
  note = '';
  if (!username || !password) {
    loginError = 'empty';
    renderLogin();
    $(username ? 'console-pass' : 'console-user').focus();
    return;
  }
  const button = $('console-login-go');
  button.disabled = true;
  try {
    const s = await login(username, password);
    if (s.role !== 'authority') {
      await logout();
      loginError = 'role';
    } else {
      loginError = null;
      $('console-pass').value = '';
    }
  } catch (err) {
    loginError = err;
  } finally {
    button.disabled = false;
  }
  show();
  if (isAuthority()) $('console-main').focus({ preventScroll: true });
  else $('console-pass').focus();
}

async function onLogout() {
  await logout();
  loginError = null;
  note = 'loggedOut';
  show();
  $('console-user').focus();
}

function init() {
  retitle();
  $('console-lang').addEventListener('click', () => {
    setLang(getLang() === 'en' ? 'zh' : 'en');
    retitle();
    if (isAuthority()) show(); else renderLogin();      // every pane is built again in the new words
  });
  $('console-login-form').addEventListener('submit', onLogin);
  $('console-logout').addEventListener('click', onLogout);
  window.addEventListener('hashchange', () => route());
  setOnExpired(() => {
    note = 'expired';
    loginError = null;
    show();
  });
  // Someone else's session in this tab (the app's 账户 tab shares it): not an authority's, so sign it out here.
  if (currentSession() && !isAuthority()) loginError = 'role';
  show();
}

init();
