// What the registry already knows, put into the holder's application form so that a renewal on a phone is
// one tap: the registration (GET /api/v1/holder/registrations, kept by mine.js), the specialties inside
// their renewal window (its `renewal` field: the others shown disabled, each with the server's reason and
// date), and the current employer. apply.js asks; nothing here talks to the server.

import { el } from '../core/dom.js';
import { pick, t } from '../core/i18n.js';

let registrations = () => [];

export function setRegistrations(fn) { registrations = fn; }

const HELD = ['active', 'suspended'];

/** The registration a new application of `type` is most likely about: one with something to renew for a
 *  renewal, an ended one for a re-registration, else the first active one, else the first. */
export function likelyRegistration(type) {
  const list = registrations();
  const first = (pred) => list.find(pred);
  if (type === 'renewal') {
    const r = first((x) => x.renewal && x.renewal.renewable.length);
    if (r) return r;
  }
  if (type === 'reregister') return first((x) => !HELD.includes(x.status)) || null;
  return first((x) => x.status === 'active') || list[0] || null;
}

export const registrationFor = (number) => registrations().find((r) => r.registration_number === number) || null;

/** The current employer, for the initial registration of another kind (one person, one employer) and as a
 *  hint beside the new employer of a change. */
export function currentEmployer() {
  const r = registrations().find((x) => HELD.includes(x.status));
  return r ? r.employer : null;
}

/**
 * The renewal's specialties as checkboxes: those renewable today ticked (or as `checked` says), the others
 * disabled with why and when. `keep`: specialties of the application being corrected, which its own filing
 * holds (the server calls them pending) and stay choosable.
 */
export function renewalChoices(reg, checked, keep = []) {
  const out = [];
  for (const s of reg.renewal.specialties) {
    const id = `apply-spec-${s.code}`;
    const can = s.renewable || keep.includes(s.code);
    const box = el('div', `check spec-choice${can ? '' : ' spec-off'}`);
    box.dataset.reason = can ? '' : (s.reason || '');
    const input = el('input');
    Object.assign(input, {
      type: 'checkbox', id, name: 'specialties', value: s.code, disabled: !can,
      checked: can && (checked ? checked.includes(s.code) : true),
    });
    const label = el('label', null, `${pick(s.name, s.name_en)} · ${t('wf.until', { date: s.valid_until })}`);
    label.htmlFor = id;
    const why = el('p', 'field-hint spec-why', keep.includes(s.code) && !s.renewable ? '' : pick(s.message, s.message_en));
    why.id = `${id}-why`;
    input.setAttribute('aria-describedby', why.id);
    box.append(input, label, why);
    out.push(box);
  }
  const summary = el('p', 'field-hint spec-summary', pick(reg.renewal.message, reg.renewal.message_en));
  summary.id = 'apply-renewal-summary';
  return [summary, ...out];
}
