// Starting a site check: the form (site name, the project's specialty from the cached catalogue or the
// roles data, the contractor's 统一社会信用代码 checked by its check character, the project scale the
// constructor rules need, the location with consent) and what it gives: the check's `site`.
// The location is read once, only when the inspector asks (navigator.geolocation; the server's
// Permissions-Policy allows it for this origin only), and kept with this check alone.

import { $, el, fillSelect } from '../core/dom.js';
import { pick, t } from '../core/i18n.js';
import { PROVINCES } from '../core/provinces.js';
import { scaleMatters, scaleOptions, specialtyOptions, usccProblem } from './checks.js';

const LAST_KEY = 'jz.sitecheck.last';   // the last site's fields: an inspector often checks one site twice
let gps = null;

/** A label and its control in one block; the words carry data-i18n so a language switch re-words them. */
export function field(key, control, hintKey) {
  const box = el('div', 'sc-field');
  const label = el('label', null, t(key));
  label.htmlFor = control.id;
  label.dataset.i18n = key;
  box.append(label, control);
  if (hintKey) {
    const hint = el('p', 'field-hint', t(hintKey));
    hint.dataset.i18n = hintKey;
    hint.id = `${control.id}-hint`;
    control.setAttribute('aria-describedby', hint.id);
    box.append(hint);
  }
  return box;
}

export function words(tag, cls, key) {
  const e = el(tag, cls, t(key));
  e.dataset.i18n = key;
  return e;
}

export function button(key, cls, onClick, id) {
  const b = words('button', `btn ${cls || ''}`.trim(), key);
  b.type = 'button';
  if (id) b.id = id;
  b.addEventListener('click', onClick);
  return b;
}

function input(id, attrs) {
  return Object.assign(el('input'), { id, type: 'text', ...attrs });
}

/** Fill (or re-word) the form's lists: the specialties and scales, in the current language. */
export function fillStartForm() {
  if (!$('sc-specialty')) return;
  fillSelect($('sc-specialty'), [['', t('sc.err.specialty')], ...specialtyOptions().map((s) => [s.code, `${pick(s.name, s.name_en)} (${s.code})`])]);
  fillSelect($('sc-province'), [['', t('sc.f.provinceNone')], ...PROVINCES.map(([code, zh, en]) => [code, pick(zh, en)])]);
  fillSelect($('sc-scale'), [['', t('sc.f.scaleNone')], ...scaleOptions().map(([code, zh, en]) => [code, zh ? pick(zh, en) : t(`sc.scale.${code}`)])]);
  showGps();
}

function showGps() {
  const p = $('sc-gps-state');
  if (!p) return;
  p.textContent = gps ? t('sc.f.gpsAt', { lat: gps.lat.toFixed(5), lon: gps.lon.toFixed(5), acc: Math.round(gps.accuracy_m) }) : '';
  p.hidden = !gps;
}

function locate() {
  const p = $('sc-gps-state');
  if (!navigator.geolocation) { p.textContent = t('sc.f.gpsDenied'); p.hidden = false; return; }
  p.textContent = t('sc.f.gpsBusy');
  p.hidden = false;
  navigator.geolocation.getCurrentPosition((pos) => {
    const c = pos.coords;
    gps = { lat: Math.round(c.latitude * 1e6) / 1e6, lon: Math.round(c.longitude * 1e6) / 1e6, accuracy_m: Math.round(c.accuracy) };
    showGps();
  }, () => { gps = null; p.textContent = t('sc.f.gpsDenied'); }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
}

function problems() {
  const out = [];
  if (!$('sc-site').value.trim()) out.push(['sc-site', 'sc.err.site']);
  if (!$('sc-specialty').value) out.push(['sc-specialty', 'sc.err.specialty']);
  const u = usccProblem($('sc-uscc').value);
  if (u !== 'ok') out.push(['sc-uscc', u === 'format' ? 'sc.err.uscc' : 'sc.err.usccCheck']);
  return out;
}

/** The start form in `root`; `onStart(site)` once its fields are right. */
export function renderStartForm(root, { onStart, onCancel }) {
  gps = null;
  let last = {};
  try { last = JSON.parse(localStorage.getItem(LAST_KEY) || '{}'); } catch { last = {}; }
  const form = el('form', 'card sc-form');
  form.noValidate = true;
  form.autocomplete = 'off';
  const site = input('sc-site', { maxLength: 100, value: last.name || '', autocomplete: 'on' });
  const spec = el('select');
  spec.id = 'sc-specialty';
  const uscc = input('sc-uscc', { maxLength: 18, value: last.uscc || '', spellcheck: false, autocapitalize: 'characters' });
  const scale = el('select');
  scale.id = 'sc-scale';
  const province = el('select');
  province.id = 'sc-province';
  let provinceChosen = false;   // until chosen, the province follows the contractor's code (its 3rd-4th characters)
  province.addEventListener('change', () => { provinceChosen = true; });
  uscc.addEventListener('input', () => {
    const code = uscc.value.trim().slice(2, 4);
    if (!provinceChosen && PROVINCES.some(([c]) => c === code)) province.value = code;
  });
  const gpsBtn = words('button', 'btn', 'sc.f.gps');
  gpsBtn.type = 'button';
  gpsBtn.id = 'sc-gps';
  gpsBtn.addEventListener('click', locate);
  const gpsState = el('p', 'muted small');
  gpsState.id = 'sc-gps-state';
  gpsState.setAttribute('role', 'status');
  const error = el('p', 'form-error');
  error.id = 'sc-form-error';
  error.setAttribute('role', 'alert');
  error.hidden = true;
  const go = words('button', 'btn primary wide', 'sc.f.start');
  go.type = 'submit';
  const cancel = words('button', 'btn link-btn', 'sc.back');
  cancel.type = 'button';
  cancel.addEventListener('click', onCancel);
  form.append(field('sc.f.site', site), field('sc.f.specialty', spec), field('sc.f.uscc', uscc),
    field('sc.f.province', province, 'sc.f.provinceHint'), field('sc.f.scale', scale, 'sc.f.scaleHint'), gpsBtn, words('p', 'field-hint', 'sc.f.gpsNote'), gpsState, error, go, cancel);
  root.replaceChildren(form);
  scale.parentElement.hidden = !scaleMatters();
  fillStartForm();
  if (last.specialty) spec.value = last.specialty;
  if (last.province) { province.value = last.province; provinceChosen = true; } else uscc.dispatchEvent(new Event('input'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const bad = problems();
    for (const id of ['sc-site', 'sc-specialty', 'sc-uscc']) $(id).removeAttribute('aria-invalid');
    for (const [id] of bad) $(id).setAttribute('aria-invalid', 'true');
    error.replaceChildren(...bad.map(([, key]) => words('span', 'sc-err', key)));
    error.hidden = !bad.length;
    if (bad.length) { $(bad[0][0]).focus(); return; }
    const out = { name: site.value.trim(), specialty: spec.value, contractor_uscc: uscc.value.trim().toUpperCase() };
    if (scale.value) out.scale = scale.value;
    if (province.value) out.province = province.value;
    if (gps) out.gps = { ...gps };
    try { localStorage.setItem(LAST_KEY, JSON.stringify({ name: out.name, specialty: out.specialty, uscc: out.contractor_uscc, province: provinceChosen ? out.province : '' })); } catch { /* not kept */ }
    onStart(out);
  });
  site.focus();
}
