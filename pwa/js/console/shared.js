// What the console's register panes share: status chips and names, sections with a heading, key-value
// lists, the audit trail's list, and protected images shown through blob: URLs (an <img> cannot send
// the bearer token).

import { fetchBlob } from '../core/auth.js';
import { el } from '../core/dom.js';
import { fmtTime, pick, t } from '../core/i18n.js';

const REG_STATUS = {
  active: ['有效', 'active'], suspended: ['暂扣', 'suspended'], rescinded: ['撤销', 'rescinded'],
  cancelled: ['注销', 'cancelled'], lapsed: ['失效', 'lapsed'], revoked: ['吊销', 'revoked'],
};
const SPEC_STATUS = { active: ['有效', 'active'], lapsed: ['已过期', 'lapsed'], cancelled: ['已注销', 'cancelled'] };
const CHIP = { active: 'chip-active', current: 'chip-active', suspended: 'chip-suspended', lapsed: 'chip-lapsed',
  revoked: 'chip-revoked', rescinded: 'chip-rescinded', cancelled: 'chip-cancelled', superseded: 'chip-superseded' };

export const registrationStatus = (s) => pick(...(REG_STATUS[s] || [s, s]));
export const specialtyStatus = (s) => pick(...(SPEC_STATUS[s] || [s, s]));

export function chip(status, words) {
  const c = el('span', `chip ${CHIP[status] || 'tone-grey'}`, words);
  c.dataset.status = status;
  return c;
}

/** <section class="cx-section"><h2>title</h2>…</section>, its id for tests and links. */
export function section(id, titleKey, extra = '') {
  const s = el('section', 'cx-section');
  s.id = id;
  const h = el('h2', null, t(titleKey));
  h.id = `${id}-title`;
  if (extra) h.append(' ', el('span', 'cx-muted', extra));
  s.setAttribute('aria-labelledby', h.id);
  s.append(h);
  return s;
}

/** <dl class="cx-kv"> of [labelKey, value] pairs; empty values are left out. */
export function kv(pairs) {
  const dl = el('dl', 'cx-kv');
  for (const [key, value] of pairs) {
    if (value === null || value === undefined || value === '') continue;
    const dd = el('dd');
    dd.append(value instanceof Node ? value : String(value));
    dl.append(el('dt', null, t(key)), dd);
  }
  return dl;
}

/** The audit trail: newest first, each event's time, action, who, what it concerned and its data. */
export function auditList(audit) {
  const ul = el('ul', 'cx-list cx-audit');
  for (const e of audit.events) {
    const li = el('li');
    li.dataset.action = e.action;
    const row = el('div', 'cx-row');
    row.append(el('span', 'cx-mono', fmtTime(e.at)), el('b', null, e.action),
      el('span', 'cx-muted', `${e.entity_type}:${e.entity_id}`), el('span', 'cx-muted', e.actor));
    li.append(row);
    const data = Object.entries(e.data || {}).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : v}`).join(' · ');
    if (data) li.append(el('span', 'cx-data', data));
    ul.append(li);
  }
  return ul;
}

/** An <img> of a protected image (photo, signature, upload), filled when its bytes arrive. */
export function protectedImage(url, cls, alt) {
  const img = el('img', cls);
  img.alt = alt;
  fetchBlob(url).then((blob) => { img.src = URL.createObjectURL(blob); }).catch(() => { img.hidden = true; });
  return img;
}

/** The actions helper's buttons (./actions.js), when that module is there; otherwise nothing. */
export async function actionsFor(kind, record, reload) {
  try {
    const mod = await import('./actions.js');
    const make = kind === 'registration' ? mod.registrationActions : mod.enterpriseActions;
    if (typeof make !== 'function') return null;
    const node = await make(record, { reload });
    if (node instanceof Node) {
      const box = el('div', 'cx-actions');
      box.append(node);
      return box;
    }
  } catch { /* not built yet, or it failed: the page stays read-only */ }
  return null;
}
