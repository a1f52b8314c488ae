// A person's page (#/person/<id>): GET /api/v1/admin/persons/<id>. Identity in full, photo and signature,
// registrations (specialties, validity, copies current and superseded, and the actions of ./actions.js when
// that module is there), qualifications, applications with their history, 挂证 signals, photo and signature
// uploads, and the audit trail of all of these.

import { api, errorWords } from '../core/auth.js';
import { el } from '../core/dom.js';
import { fmtTime, pick, t } from '../core/i18n.js';
import { actionsFor, auditList, chip, kv, protectedImage, registrationStatus, section, specialtyStatus } from './shared.js';
import './strings-register.js';

function backLink(ctx) {
  const b = el('button', 'btn', t('ps.back'));
  b.type = 'button';
  b.addEventListener('click', () => (history.length > 1 ? history.back() : ctx.navigate('#/search')));
  return b;
}

function identity(d) {
  const p = d.person;
  const s = section('ps-identity', 'ps.identity');
  s.append(kv([['ps.id', el('span', 'cx-mono', p.id_number)], ['ps.sex', t(`ps.sex.${p.sex}`)], ['ps.birth', p.birth_date],
    ['ps.phone', p.phone], ['ps.deceased', p.deceased_on], ['ps.created', fmtTime(p.created_at)]]));
  return s;
}

function images(d) {
  const s = section('ps-images', 'ps.images');
  const box = el('div', 'cx-images');
  const fig = (url, cls, key, none) => {
    const f = el('figure');
    if (url) f.append(protectedImage(url, cls, t(key)));
    f.append(el('figcaption', null, url ? t(key) : t(none)));
    return f;
  };
  box.append(fig(d.images.photo_url, 'cx-photo', 'ps.photo', 'ps.noPhoto'),
    fig(d.images.signature_url, 'cx-signature', 'ps.signature', 'ps.noSignature'));
  s.append(box);
  return s;
}

function specialties(r) {
  const ul = el('ul', 'cx-list');
  for (const sp of r.specialties) {
    const li = el('li', 'cx-row');
    const left = sp.days_left >= 0 ? t('ps.daysLeft', { n: sp.days_left }) : t('ps.expired', { n: -sp.days_left });
    li.append(el('b', null, sp.name), el('span', 'cx-mono', t('ps.validity', { from: sp.valid_from, until: sp.valid_until })),
      chip(sp.status, specialtyStatus(sp.status)), el('span', 'cx-muted', sp.status === 'active' ? left : ''));
    ul.append(li);
  }
  return ul;
}

function copies(r) {
  if (!r.copies.length) return el('p', 'cx-muted', t('ps.noCopies'));
  const ul = el('ul', 'cx-list');
  for (const c of r.copies) {
    const li = el('li');
    li.dataset.copy = c.copy_id;
    const row = el('div', 'cx-row');
    row.append(chip(c.status, t(`ps.copy.${c.status}`)), el('span', 'cx-mono', c.copy_id),
      el('span', 'cx-muted', t('ps.copyLine', { v: c.version, at: fmtTime(c.issued_at), until: fmtTime(c.usage_until) })));
    if (c.superseded_at) row.append(el('span', 'cx-muted', t('ps.supersededAt', { at: fmtTime(c.superseded_at) })));
    li.append(row, el('span', 'cx-mono cx-muted', c.identifier));
    ul.append(li);
  }
  return ul;
}

async function registration(r, ctx, reload) {
  const box = el('article', 'cx-section');
  box.dataset.registration = r.registration_number;
  const head = el('div', 'cx-row');
  head.append(el('h3', 'cx-mono', r.registration_number), el('span', null, pick(r.kind_name, r.kind_name_en)),
    chip(r.status, registrationStatus(r.status)));
  const employer = el('button', 'cx-link', r.employer.name);
  employer.type = 'button';
  employer.addEventListener('click', () => ctx.navigate(`#/enterprise/${encodeURIComponent(r.employer.uscc)}`));
  box.append(head, kv([['ps.seal', el('span', 'cx-mono', r.seal_number)], ['ps.employer', employer],
    ['ps.first', r.first_registered_on], ['ps.ageCap', r.age_cap_date], ['ps.reason', r.status_reason]]));
  box.append(el('h4', null, t('ps.specialties')), specialties(r), el('h4', null, t('ps.copies')), copies(r));
  const actions = await actionsFor('registration', r, reload);
  if (actions) box.append(actions);
  return box;
}

function applications(d) {
  const s = section('ps-applications', 'ps.applications');
  if (!d.applications.length) { s.append(el('p', 'cx-muted', t('ps.noApplications'))); return s; }
  const ul = el('ul', 'cx-list');
  for (const a of d.applications) {
    const li = el('li');
    li.dataset.application = a.id;
    const row = el('div', 'cx-row');
    row.append(el('b', null, pick(a.type_name, a.type_name_en)), chip(a.state === 'approved' ? 'active' : a.state,
      pick(a.state_name, a.state_name_en)), el('span', 'cx-mono cx-muted', a.id),
    el('span', 'cx-muted', a.registration_number || ''), el('span', 'cx-muted', a.submitted_at ? t('ps.submitted', { at: fmtTime(a.submitted_at) }) : ''));
    li.append(row);
    if (a.decided_at) li.append(el('p', 'cx-muted', `${t('ps.decided', { by: a.decided_by || '—', at: fmtTime(a.decided_at) })}${a.decision_reason ? `:${a.decision_reason}` : ''}`));
    const steps = el('ol', 'cx-muted small');
    for (const e of a.events) steps.append(el('li', null, `${fmtTime(e.at)} · ${e.action} · ${e.actor}${e.reason ? ` · ${e.reason}` : ''}`));
    li.append(steps);
    ul.append(li);
  }
  s.append(ul);
  return s;
}

function signals(d) {
  const s = section('ps-signals', 'ps.signals');
  if (!d.signals.length) s.append(el('p', 'cx-muted', t('ps.noSignals')));
  for (const g of d.signals) s.append(el('p', 'cx-signal', pick(g.message, g.message_en)));
  return s;
}

function uploads(d) {
  const s = section('ps-submissions', 'ps.submissions');
  if (!d.submissions.length) { s.append(el('p', 'cx-muted', t('ps.noSubmissions'))); return s; }
  const ul = el('ul', 'cx-list');
  for (const u of d.submissions) {
    const li = el('li', 'cx-row');
    li.append(el('b', null, pick(u.kind_name, u.kind_name_en)), el('span', null, pick(u.state_name, u.state_name_en)),
      el('span', 'cx-muted', `${fmtTime(u.created_at)} · ${u.uploader}`), el('span', 'cx-muted', u.reason || ''));
    ul.append(li);
  }
  s.append(ul);
  return s;
}

export async function mount(root, ctx) {
  const id = ctx.params[0];
  const reload = () => ctx.navigate(location.hash);
  let d;
  try {
    if (!/^\d{1,10}$/.test(id || '')) throw Object.assign(new Error('bad id'), { status: 404, body: {} });
    d = await api(`api/v1/admin/persons/${id}`);
  } catch (err) {
    root.append(backLink(ctx), el('p', 'form-error', err.status === 404 ? t('ps.notFound') : errorWords(err)));
    return;
  }
  const title = el('h1', 'cx-title', d.person.name);
  title.id = 'ps-name';
  title.tabIndex = -1;
  const regs = section('ps-registrations', 'ps.registrations');
  if (!d.registrations.length) regs.append(el('p', 'cx-muted', t('ps.noRegistrations')));
  for (const r of d.registrations) regs.append(await registration(r, ctx, reload));
  const quals = section('ps-qualifications', 'ps.qualifications');
  for (const q of d.qualifications) quals.append(el('p', 'cx-mono', `${q.kind}${q.specialty ? `/${q.specialty}` : ''} · ${q.certificate_no} · ${q.issued_on}`));
  const audit = section('ps-audit', 'ps.audit', t('ps.auditCount', { n: d.audit.total, m: d.audit.events.length }));
  audit.append(d.audit.events.length ? auditList(d.audit) : el('p', 'cx-muted', t('ps.noAudit')));
  const top = el('div', 'cx-grid two');
  top.append(identity(d), images(d));
  root.append(backLink(ctx), title, top, regs, signals(d), applications(d), quals, uploads(d), audit);
}
