// One person of a site check on screen: their role, each certificate's verdict (the verify screen's words
// and colours, js/verify/verdicts.js), and the role's requirements met or missing with the reasons and
// flags the rules give (e.g. 缺少安管人员B证, 注册在其他单位: 挂证嫌疑, 专业不符). Built from the check's
// data and an evaluation ({met, requirements}); the controller (sitecheck.js) wires the buttons.

import { el, fillSelect } from '../core/dom.js';
import { pick, t } from '../core/i18n.js';
import { VERDICT_TONE, VERDICT_WORD } from '../verify/verdicts.js';
import { findRole, roleId, roleList, roleName } from './checks.js';
import { words } from './form.js';

/** The <select> of roles, in the current language, `value` chosen. */
export function roleSelect(id, value) {
  const s = el('select', 'sc-role');
  s.id = id;
  const known = roleList().map((r) => [roleId(r), pick(...roleName(r))]);
  if (value && !known.some(([v]) => v === value)) known.push([value, value]);   // a role the rules no longer list
  fillSelect(s, [['', t('sc.rolePick')], ...known]);
  s.value = value || '';
  return s;
}

export function verdictChip(verdict) {
  const chip = el('span', `chip tone-${VERDICT_TONE[verdict] || 'grey'}`, VERDICT_WORD[verdict] ? pick(...VERDICT_WORD[verdict]) : verdict);
  chip.dataset.verdict = verdict;
  return chip;
}

function certItem(c) {
  const li = el('li', 'sc-cert');
  li.dataset.verdict = c.verdict;
  const cert = c.certificate || {};
  const head = el('p', 'sc-cert-head');
  head.append(verdictChip(c.verdict), ' ', el('span', 'sc-cert-kind', pick(cert.kind_name || cert.kind || '', cert.kind_name_en)));
  li.append(head);
  const facts = [cert.registration_number, cert.employer && cert.employer.name].filter(Boolean).join(' · ');
  if (facts) li.append(el('p', 'sc-cert-facts', facts));
  const specs = (c.specialties || []).map((s) => `${pick(s.name, s.name_en)}${s.status === 'valid' ? '' : ` (${s.status})`}`).join('、');
  if (specs) li.append(el('p', 'muted small', specs));
  const why = (c.reasons || []).filter((r) => c.verdict !== 'valid' || r.code !== 'specialty_expiring').slice(0, 3)
    .map((r) => pick(r.message, r.message_en)).filter(Boolean).join(';');
  if (why) li.append(el('p', 'muted small', why));
  li.append(el('p', 'muted small', t(c.mode === 'online' ? 'sc.mode.online' : 'sc.mode.offline')));
  return li;
}

function flagChip(f) {
  const key = `sc.flag.${f}`;
  const text = t(key);
  const chip = el('span', 'chip tone-warn sc-flag', text === key ? f : text);
  chip.dataset.flag = f;
  return chip;
}

const words2 = (x) => pick(x.message || x.reason_zh || '', x.message_en || x.reason_en);

/**
 * The role's verdict and its requirements (./roles.js's evaluate(), or the server's: {met, reasons,
 * requirements: [{code, name, name_en, met, flags, reasons}]}), or a note when the rules are not here.
 * Each requirement says what it needs and, when missing or limited, why; 注册在其他单位 also shows 挂证嫌疑.
 */
export function roleVerdict(evaluation) {
  const box = el('div', 'sc-eval');
  if (!evaluation) {
    box.dataset.met = 'unknown';
    box.append(words('p', 'muted small', 'sc.roleUnknown'));
    return box;
  }
  box.dataset.met = String(!!evaluation.met);
  const head = el('p', 'sc-eval-head');
  head.append(words('span', `chip ${evaluation.met ? 'tone-ok' : 'tone-bad'}`, evaluation.met ? 'sc.roleMet' : 'sc.roleMissing'));
  box.append(head);
  for (const r of evaluation.reasons || []) box.append(el('p', 'sc-eval-why', words2(r)));
  const ul = el('ul', 'sc-reqs');
  for (const r of evaluation.requirements || []) {
    const li = el('li', r.met ? 'sc-req met' : 'sc-req missing');
    li.dataset.req = r.code || r.id || '';
    li.dataset.met = String(!!r.met);
    li.dataset.flags = (r.flags || []).join(' ');
    const text = el('span', 'sc-req-text');
    text.append(el('span', 'sc-req-name', pick(r.name || '', r.name_en)));
    const why = (r.reasons || []).map(words2).filter(Boolean);
    if (!why.length && (r.reason_zh || r.reason_en)) why.push(words2(r));
    if (why.length) text.append(el('span', 'sc-req-why', why.join(';')));
    li.append(el('span', 'sc-mark', r.met ? '✓' : '✗'), text);
    for (const f of (r.flags || []).filter((x) => x === 'other_employer')) li.append(flagChip(f));
    ul.append(li);
  }
  box.append(ul);
  return box;
}

/**
 * A person's card. `open`: the check is still in progress (role and certificates may change); `on`:
 * {role(index, value), more(index), remove(index)}.
 */
export function personCard(person, index, evaluation, { open, on }) {
  const li = el('li', 'card sc-person');
  li.dataset.index = String(index);
  li.dataset.met = evaluation ? String(!!evaluation.met) : 'unknown';
  const name = (person.certs.find((c) => c.certificate && c.certificate.name) || {}).certificate;
  const head = el('div', 'sc-person-head');
  head.append(el('h3', 'sc-person-name', name ? name.name : t('sc.person', { n: index + 1 })));
  li.append(head);
  if (open) {
    const sel = roleSelect(`sc-role-${index}`, person.role);
    sel.addEventListener('change', () => on.role(index, sel.value));
    const box = el('div', 'sc-field');
    const label = el('label', null, t('sc.role'));
    label.htmlFor = sel.id;
    box.append(label, sel);
    li.append(box);
  } else {
    const role = findRole(person.role);
    li.append(el('p', 'sc-person-role', `${t('sc.role')}:${role ? pick(...roleName(role)) : person.role}`));
  }
  const certs = el('ul', 'sc-certs');
  certs.append(...person.certs.map(certItem));
  li.append(certs, roleVerdict(evaluation));
  if (open) {
    const row = el('div', 'action-row');
    const more = words('button', 'btn', 'sc.add.more');
    more.type = 'button';
    more.addEventListener('click', () => on.more(index));
    const remove = words('button', 'btn link-btn', 'sc.add.remove');
    remove.type = 'button';
    remove.addEventListener('click', () => on.remove(index));
    row.append(more, remove);
    li.append(row);
  }
  return li;
}
