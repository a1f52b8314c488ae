// The holder's application form: choose a type, fill the fields that type has, save a draft (POST, then
// PATCH), attach proof files, submit. The same form corrects a draft or a returned application.
// The server validates; its field problems are listed above the buttons and marked on the fields.

import { errorWords } from '../core/auth.js';
import { $, el, fillSelect } from '../core/dom.js';
import { pick, t } from '../core/i18n.js';
import { trust } from '../core/trust.js';
import {
  act, createApplication, fieldErrors, HOLDER_TYPES, patchApplication, subject, typeName, uploadProof,
} from './applications.js';

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
const LABEL = {
  registration_number: 'f.regno', kind: 'f.kind', specialties: 'f.specialties', enterprise_uscc: 'f.uscc',
  cpd_hours: 'f.cpd', cpd_commitment: 'f.commit', changes: 'f.name', name: 'f.name', files: 'f.files', note: 'f.note',
};

let editing = null;      // the application being corrected, or null for a new one
let problems = null;     // the last refusal (an ApiError), kept to re-word it on a language switch
let hooks = { done: () => {}, numbers: () => [] };

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
    for (const [name, words] of fields) {
      const root = name.split('.')[0];
      ul.append(el('li', null, `${LABEL[name] || LABEL[root] ? t(LABEL[name] || LABEL[root]) : name}:${words}`));
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

function body() {
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
  if (shows('cpd_commitment')) out.cpd_commitment = $('apply-commit').checked;
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
    let a = editing ? await patchApplication(editing.id, body()) : await createApplication({ type: type(), ...body() });
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
  $('apply-form').reset();
  $('apply-status').textContent = '';
  renderApply();
}

/** A new application; `typeCode` preselected. */
export function newApplication(typeCode = 'renewal') {
  resetForm();
  $('apply-type').value = typeCode;
  renderFields();
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

export function initApply(h) {
  hooks = { ...hooks, ...h };
  renderApply();
  $('apply-type').addEventListener('change', () => { problems = null; renderFields(); renderProblems(); });
  $('apply-kind').addEventListener('change', () => renderSpecialties());
  const followNumber = () => {
    const k = kindOfNumber($('apply-regno').value.trim());
    if (k && !shows('kind') && $('apply-kind').value !== k) { $('apply-kind').value = k; renderSpecialties(); }
    renderFields();
  };
  $('apply-regno').addEventListener('input', followNumber);
  $('apply-type').addEventListener('change', followNumber);
  $('apply-files').addEventListener('change', renderApply);
  $('apply-save').addEventListener('click', () => save(false));
  $('apply-form').addEventListener('submit', (e) => { e.preventDefault(); save(true); });
  $('apply-discard').addEventListener('click', () => { resetForm(); hooks.done(null); });
}
