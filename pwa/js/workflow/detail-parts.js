// The pieces of an application's detail page, each a plain element built from the application: who acts
// next and by when, its facts, the decision's reason, the copy it produced (with downloads), each rule's outcome, and the
// history as a timeline. detail.js puts them together and adds the actions; mine.js reuses the downloads.

import { download, errorWords } from '../core/auth.js';
import { el } from '../core/dom.js';
import { fmtTime, pick, t } from '../core/i18n.js';
import { trust } from '../core/trust.js';
import { stateChip, stateName } from './applications.js';

function kindOf(code) {
  const kinds = (trust().catalogue && trust().catalogue.kinds) || [];
  return kinds.find((k) => k.code === code);
}

function specialtyNames(a) {
  const kind = kindOf(a.kind);
  return (a.specialties || []).map((code) => {
    const s = kind && (kind.specialties || []).find((x) => x.code === code);
    return s ? pick(s.name, s.name_en) : code;
  }).join('、');
}

function field(dl, key, ...value) {
  const parts = value.filter((v) => v !== null && v !== undefined && v !== '');
  if (!parts.length) return;
  const box = el('div', 'field');
  const dd = el('dd');
  dd.append(...parts);
  box.append(el('dt', null, t(key)), dd);
  dl.append(box);
}

export function facts(a) {
  const dl = el('dl', 'kv');
  const p = a.person || {};
  field(dl, 'd.person', [p.name, p.id_number].filter(Boolean).join(' · '));
  field(dl, 'd.regno', a.registration_number);
  const kind = kindOf(a.kind);
  field(dl, 'd.kind', kind ? pick(kind.name, kind.name_en) : a.kind);
  field(dl, 'd.specialties', specialtyNames(a));
  const ent = (e) => (e ? `${e.name} (${e.uscc})` : '');
  field(dl, 'd.enterprise', ent(a.enterprise));
  if (a.confirm_by && (!a.enterprise || a.confirm_by.uscc !== a.enterprise.uscc)) field(dl, 'd.confirmBy', ent(a.confirm_by));
  const changed = [];
  if (a.changes && a.changes.name) changed.push(`${t('f.name')}:${a.changes.name}`);
  if (a.changes && a.changes.id_number) changed.push(`${t('f.idNumber')}:${a.changes.id_number}`);
  field(dl, 'd.changes', changed.join(' · '));
  const cpd = [];
  if (a.cpd_hours !== null && a.cpd_hours !== undefined) cpd.push(t('d.cpdHours', { n: a.cpd_hours }));
  if (a.cpd_commitment) cpd.push(t('d.cpdCommit'));
  field(dl, 'd.cpd', cpd.join(' · '));
  field(dl, 'd.files', (a.files || []).map((f) => f.name).join('、'));
  if (a.decision_mode) field(dl, 'd.mode', t(`d.mode.${a.decision_mode}`));
  if (a.review_reason) field(dl, 'd.review', pick(a.review_reason.message, a.review_reason.message_en));
  field(dl, 'd.note', a.note);
  return dl;
}

/** Who must act next and by when (the server's next_step); `yours`: this viewer is the one. */
export function nextStepNotice(a, yours = false) {
  const n = a.next_step;
  if (!n) return null;
  const box = el('section', `card next-step next-${n.actor}`);
  box.id = 'detail-next';
  box.dataset.actor = n.actor;
  box.setAttribute('aria-labelledby', 'detail-next-title');
  const h = el('h3', 'section-title', t('next.title'));
  h.id = 'detail-next-title';
  const who = el('p', 'next-who');
  who.append(el('strong', null, t(`next.actor.${n.actor}`)), ' · ', pick(n.message, n.message_en));
  if (yours) who.append(' ', el('span', 'chip tone-warn next-you', t('next.you')));
  box.append(h, who);
  const due = pick(n.due_message, n.due_message_en);
  if (due) {
    const p = el('p', n.due_on ? 'next-due has-due' : 'next-due muted small', due);
    p.dataset.due = n.due_on || '';
    box.append(p);
  }
  return box;
}

export function decisionNotice(a) {
  const reason = a.decision && a.decision.reason;
  const last = [...(a.events || [])].reverse().find((e) => e.reason);
  const words = reason || (['declined', 'returned', 'refused'].includes(a.state) && last ? last.reason : '');
  if (!words) return null;
  const p = el('p', `decision-note tone-line-${a.state}`);
  p.append(el('strong', null, stateName(a)), ' ', t('d.reason', { r: words }));
  p.id = 'detail-reason-note';
  return p;
}

export function copySection(a) {
  const copy = a.result && a.result.copy_id;
  if (!copy) return null;
  const box = el('section', 'card result-card');
  box.setAttribute('aria-labelledby', 'detail-result-title');
  const h = el('h3', 'section-title', t('d.result'));
  h.id = 'detail-result-title';
  box.append(h, el('p', 'mono', `${a.result.registration_number || ''} · ${t('wf.copy', { id: copy })}`));
  box.append(copyButtons(copy));
  return box;
}

/** The buttons that download a copy's PDF and QR code (the bearer token cannot ride on a link). */
export function copyButtons(copy) {
  const row = el('div', 'action-row');
  const status = el('span', 'muted small');
  status.setAttribute('role', 'status');
  for (const [key, file, name] of [['wf.pdf', 'certificate.pdf', `certificate-${copy}.pdf`], ['wf.qr', 'qr.png', `qr-${copy}.png`]]) {
    const b = el('button', 'btn', t(key));
    b.type = 'button';
    b.dataset.download = file;
    b.dataset.copy = copy;
    b.addEventListener('click', async () => {
      status.textContent = '';
      try {
        await download(`api/v1/certificates/${encodeURIComponent(copy)}/${file}`, name);
        status.textContent = t('wf.downloaded');
      } catch (e) { status.textContent = errorWords(e); }
    });
    row.append(b);
  }
  row.append(status);
  return row;
}

export function rulesSection(a, advice = false) {
  const box = el('section', 'card');
  box.setAttribute('aria-labelledby', 'detail-rules-title');
  const h = el('h3', 'section-title', t(advice ? 'd.rulesAdvice' : 'd.rules'));
  h.id = 'detail-rules-title';
  box.append(h);
  const rules = a.rules || [];
  if (!rules.length) { box.append(el('p', 'muted', t('d.rulesNone'))); return box; }
  const ul = el('ul', 'rule-list');
  for (const r of rules) {
    const li = el('li', `rule ${r.passed ? 'rule-ok' : 'rule-bad'}`);
    li.dataset.code = r.code;
    li.dataset.passed = String(!!r.passed);
    const head = el('div', 'rule-head');
    head.append(el('span', `chip small-chip tone-${r.passed ? 'ok' : 'bad'}`, t(r.passed ? 'd.passed' : 'd.failed')),
      el('span', 'rule-name', pick(r.name, r.name_en) || r.code));
    li.append(head);
    const msg = pick(r.message, r.message_en);
    if (msg) li.append(el('p', 'rule-msg', msg));
    ul.append(li);
  }
  box.append(ul);
  return box;
}

export function timeline(a) {
  const box = el('section', 'card');
  box.setAttribute('aria-labelledby', 'detail-timeline-title');
  const h = el('h3', 'section-title', t('d.timeline'));
  h.id = 'detail-timeline-title';
  const ol = el('ol', 'timeline');
  for (const e of a.events || []) {
    const li = el('li', 'tl-item');
    li.dataset.state = e.state || '';
    const head = el('div', 'tl-head');
    head.append(stateChip(e.state || ''), el('time', 'tl-time', fmtTime(e.at)));
    li.append(head);
    const did = t(`ev.${e.action}`) !== `ev.${e.action}` ? t(`ev.${e.action}`) : e.action;
    if (e.actor || did) li.append(el('p', 'tl-actor', [did, e.actor].filter(Boolean).join(' · ')));
    if (e.reason) li.append(el('p', 'tl-reason', t('d.reason', { r: e.reason })));
    ol.append(li);
  }
  box.append(h, ol);
  return box;
}
