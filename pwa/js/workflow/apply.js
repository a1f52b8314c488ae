// The holder's application form: choose a type, fill the fields that type has, save a draft (POST, then
// PATCH), attach proof files, submit. The same form corrects a draft or a returned application.
// The server validates; its field problems are listed above the buttons and marked on the fields, in the
// server's words (which name the field: never its key). A new application starts filled in from what the
// registry knows (prefill.js): for a renewal the specialties inside their window, so one tap submits it.

import { errorWords } from '../core/auth.js';
import { $, el, fillSelect } from '../core/dom.js';
import { pick, t } from '../core/i18n.js';
import { trust } from '../core/trust.js';
import {
  act, createApplication, fieldErrors, HOLDER_TYPES, patchApplication, subject, typeName, uploadProof,
} from './applications.js';
import { currentEmployer, likelyRegistration, registrationFor, renewalChoices, setRegistrations } from './prefill.js';

// Which fields each type has (docs/workflows-api.md).
const FIELDS = {
  initial: ['kind', 'specialties', 'enterprise_uscc', 'cpd_hours', 'note'],
  add_specialty: ['registration_number', 'specialties', 'cpd_hours', 'note'],
  renewal: ['registration_number', 'specialties', 'cpd_commitment', 'note'],
  change_employer: ['registration_number', 'enterprise_uscc', 'note'],
  personal_info: ['registration_number', 'changes', 'files', 'note'],
  cancel: ['registration_number', 'note'],
  forced_cancel: ['registration_number', 'files', 'note'],
  reregister: ['registration_number', 'kind', 'specialties', 'enterprise_uscc', 'cpd_hours', 'note'],
};
const INPUT = {
  registration_number: 'apply-regno', kind: 'apply-kind', specialties: 'apply-specs', enterprise_uscc: 'apply-uscc',
  cpd_hours: 'apply-cpd', cpd_commitment: 'apply-commit', changes: 'apply-name', name: 'apply-name', files: 'apply-files',
  note: 'apply-note',
};

let editing = null;      // the application being corrected, or null for a new one
let problems = null;     // the last refusal (an ApiError), kept to re-word it on a language switch
let prefilled = false;   // the form holds what the registry knows, not yet changed by the holder
let hooks = { done: () => {}, numbers: () => [], registrations: () => [] };

const kinds = () => (trust().catalogue && trust().catalogue.kinds) || [];
const type = () => $('apply-type').value;
const shows = (f) => (FIELDS[type()] || []).includes(f);

/** The kind a registration number belongs to, from the kinds' number patterns where the catalogue
 *  gives them (else the holder chooses the kind, which only narrows the specialties offered). */
function kindOfNumber(number) {
  for (const k of kinds()) {
    const pattern = k.number_pattern || (k.number && k.number.pattern);
    try { if (pattern && number && new RegExp(pattern, 'u').test(number)) return k.code; } catch { /* bad pattern */ }
  }
  return '';
}

function renderSpecialties(checked) {
  const was = checked || [...$('apply-specs').querySelectorAll('input:checked')].map((i) => i.value);
  // A renewal of a known registration: exactly what can be renewed today, the rest explained
  const reg = type() === 'renewal' ? registrationFor($('apply-regno').value.trim()) : null;
  if (reg && reg.renewal) {
    const fresh = !checked && !$('apply-specs').querySelector('.spec-choice');
    $('apply-specs').replaceChildren(...renewalChoices(reg, fresh ? null : was, editing ? editing.specialties || [] : []));
    return;
  }
  const kind = kinds().find((k) => k.code === $('apply-kind').value);
  $('apply-specs').replaceChildren(...((kind && kind.specialties) || []).map((s) => {
    const id = `apply-spec-${s.code}`;
    const box = el('div', 'check');
    const input = el('input');
    Object.assign(input, { type: 'checkbox', id, name: 'specialties', value: s.code, checked: was.includes(s.code) });
    const label = el('label', null, pick(s.name, s.name_en));
    label.htmlFor = id;
    box.append(input, label);
    return box;
  }));
  if (!kind) $('apply-specs').append(el('p', 'muted small', t('f.pickKind')));
}

function renderFields() {
  for (const box of $('apply-form').querySelectorAll('[data-for]')) box.hidden = !shows(box.dataset.for);
  // The kind chooses the specialties offered; for a registration it follows from the number.
  $('apply-kind-box').hidden = !(shows('kind') || shows('specialties'));
  $('apply-kind').disabled = !shows('kind') && !!kindOfNumber($('apply-regno').value.trim());
  // A renewal's continuing-education commitment: the submit button says it, so that one tap makes it
  const commitInButton = type() === 'renewal' && !$('apply-commit').checked;
  $('apply-submit').dataset.i18n = commitInButton ? 'f.commitSubmit' : 'f.submit';
  $('apply-submit').textContent = t($('apply-submit').dataset.i18n);
  const now = type() === 'change_employer' ? currentEmployer() : null;
  $('apply-uscc-now').hidden = !now;
  $('apply-uscc-now').textContent = now ? t('f.currentEmployer', { name: now.name, uscc: now.uscc }) : '';
  $('apply-prefilled').hidden = !prefilled || !!editing;
}

function renderProblems() {
  for (const id of Object.values(INPUT)) $(id).removeAttribute('aria-invalid');
  const box = $('apply-errors');
  box.replaceChildren();
  box.hidden = !problems;
  if (!problems) return;
  const fields = fieldErrors(problems);
  box.append(el('p', null, fields.length ? t('f.errors') : errorWords(problems)));
  if (fields.length) {
    const ul = el('ul');
    for (const [name, words] of fields) {     // the server's words name the field ("注册编号不能为空")
      const root = name.split('.')[0];
      ul.append(el('li', null, words || t('f.errors')));
      if (INPUT[name] || INPUT[root]) $(INPUT[name] || INPUT[root]).setAttribute('aria-invalid', 'true');
    }
    box.append(ul);
  }
}

export function renderApply() {
  const options = HOLDER_TYPES.map((c) => [c, typeName(c)]);
  fillSelect($('apply-type'), options);
  fillSelect($('apply-kind'), [['', t('f.pickKind')], ...kinds().map((k) => [k.code, pick(k.name, k.name_en)])]);
  $('apply-regnos').replaceChildren(...hooks.numbers().map((n) => { const o = el('option'); o.value = n; return o; }));
  $('apply-type').disabled = !!editing;
  $('apply-editing').hidden = !editing;
  $('apply-editing').textContent = editing ? t('f.editing', { what: `${typeName(editing)} · ${subject(editing)}` }) : '';
  $('apply-discard').hidden = !editing;
  renderSpecialties();
  renderFields();
  renderProblems();
  const files = $('apply-files').files;
  $('apply-files-name').textContent = files.length ? [...files].map((f) => f.name).join('、') : t('f.noFiles');
  $('apply-files-name').dataset.chosen = String(files.length > 0);
}

function body(submit = false) {
  const out = {};
  const val = (id) => $(id).value.trim();
  if (shows('registration_number')) out.registration_number = val('apply-regno');
  if (shows('kind')) out.kind = val('apply-kind');
  if (shows('specialties')) {
    const specs = [...$('apply-specs').querySelectorAll('input:checked')].map((i) => i.value);
    if (specs.length || type() !== 'renewal') out.specialties = specs;   // none named: a renewal renews them all
  }
  if (shows('enterprise_uscc')) out.enterprise_uscc = val('apply-uscc').toUpperCase();
  if (shows('cpd_hours') && val('apply-cpd') !== '') out.cpd_hours = Number(val('apply-cpd'));
  // submitting a renewal by the button that states the commitment makes it
  if (shows('cpd_commitment')) out.cpd_commitment = $('apply-commit').checked || (submit && type() === 'renewal');
  if (shows('changes')) {
    out.changes = {};
    if (val('apply-name')) out.changes.name = val('apply-name');
    if (val('apply-idn')) out.changes.id_number = val('apply-idn').toUpperCase();
  }
  if (val('apply-note')) out.note = val('apply-note');
  for (const k of Object.keys(out)) if (out[k] === '') delete out[k];
  return out;
}

async function save(submit) {
  problems = null;
  renderProblems();
  const buttons = [$('apply-save'), $('apply-submit')];
  buttons.forEach((b) => { b.disabled = true; });
  const status = $('apply-status');
  try {
    let a = editing ? await patchApplication(editing.id, body(submit))
      : await createApplication({ type: type(), ...body(submit) });
    editing = a;
    for (const f of $('apply-files').files) {
      status.textContent = t('f.uploading', { name: f.name });
      await uploadProof(a.id, f);
    }
    $('apply-files').value = '';
    if (submit) a = await act(a.id, 'submit');
    status.textContent = t(submit ? 'f.submitted' : 'f.saved');
    if (submit) { resetForm(); hooks.done(a.id); return; }
    renderApply();
  } catch (e) {
    status.textContent = '';
    problems = e;
    renderProblems();
    $('apply-errors').focus();
  } finally {
    buttons.forEach((b) => { b.disabled = false; });
  }
}

function resetForm() {
  editing = null;
  problems = null;
  prefilled = false;
  $('apply-form').reset();
  $('apply-status').textContent = '';
  renderApply();
}

/** Fill what is still empty from the registry: the likely registration and its kind, for a renewal the
 *  specialties renewable today (renderSpecialties), the current employer where the type keeps it. */
function prefill() {
  if (editing) return;
  const reg = likelyRegistration(type());
  let filled = false;
  if (reg && shows('registration_number') && !$('apply-regno').value.trim()) {
    $('apply-regno').value = reg.registration_number;
    filled = true;
  }
  const known = registrationFor($('apply-regno').value.trim()) || reg;
  if (known && !shows('kind') && $('apply-kind').value !== known.kind) $('apply-kind').value = known.kind;
  const employer = currentEmployer();
  if (employer && ['initial', 'reregister'].includes(type()) && !$('apply-uscc').value.trim()) {
    $('apply-uscc').value = employer.uscc;
    filled = true;
  }
  prefilled = prefilled || filled;
  renderSpecialties();
  renderFields();
}

/** A new application; `typeCode` preselected and filled in from the registry. */
export function newApplication(typeCode = 'renewal') {
  resetForm();
  $('apply-type').value = typeCode;
  prefill();
}

/** Correct a draft or a returned application: the form filled with its fields. */
export function editApplication(a) {
  resetForm();
  editing = a;
  $('apply-type').value = a.type;
  $('apply-regno').value = a.registration_number || '';
  $('apply-kind').value = a.kind || kindOfNumber(a.registration_number || '') || '';
  $('apply-uscc').value = (a.enterprise && a.enterprise.uscc) || '';
  $('apply-cpd').value = a.cpd_hours ?? '';
  $('apply-commit').checked = !!a.cpd_commitment;
  $('apply-name').value = (a.changes && a.changes.name) || '';
  $('apply-idn').value = (a.changes && a.changes.id_number) || '';
  $('apply-note').value = a.note || '';
  renderApply();
  renderSpecialties(a.specialties || []);
}

export function clearApply() { resetForm(); }

/** The 申请 pane shown: a fresh form is filled in from the registry (also once 我的注册 has loaded). */
export function prefillApply() {
  if (!editing) prefill();
}

export function initApply(h) {
  hooks = { ...hooks, ...h };
  setRegistrations(hooks.registrations);
  const hint = el('p', 'field-hint');
  hint.id = 'apply-uscc-now';
  hint.hidden = true;
  $('apply-uscc').after(hint);
  const note = el('p', 'field-hint');
  note.id = 'apply-prefilled';
  note.dataset.i18n = 'f.prefilled';
  note.textContent = t('f.prefilled');
  note.hidden = true;
  $('apply-type').after(note);
  renderApply();
  $('apply-type').addEventListener('change', () => { problems = null; prefill(); renderProblems(); });
  $('apply-commit').addEventListener('change', renderFields);
  $('apply-kind').addEventListener('change', () => renderSpecialties());
  const followNumber = () => {
    const k = kindOfNumber($('apply-regno').value.trim());
    const known = registrationFor($('apply-regno').value.trim());
    if (known && !shows('kind')) $('apply-kind').value = known.kind;
    else if (k && !shows('kind') && $('apply-kind').value !== k) $('apply-kind').value = k;
    renderSpecialties();
    renderFields();
  };
  $('apply-regno').addEventListener('input', followNumber);
  $('apply-type').addEventListener('change', followNumber);
  $('apply-files').addEventListener('change', renderApply);
  $('apply-save').addEventListener('click', () => save(false));
  $('apply-form').addEventListener('submit', (e) => { e.preventDefault(); save(true); });
  $('apply-discard').addEventListener('click', () => { resetForm(); hooks.done(null); });
}
