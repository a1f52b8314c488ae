// How the enterprise pages show states: registration status chips, warning and 挂证 badges, days left,
// the data's age. Each badge carries words as well as a colour (the colour is never the only sign), and
// the server's own message where it has one. Used by the roster, the warnings and the bulk check.

import { el } from '../core/dom.js';
import { fmtTime, pick, t } from '../core/i18n.js';
import './strings.js';

export const REG_STATUSES = ['active', 'suspended', 'rescinded', 'cancelled', 'lapsed', 'revoked'];
export const WARNING_CODES = [
  'registration_suspended', 'registration_revoked', 'registration_lapsed', 'specialty_lapsed', 'copy_expired',
  'no_current_copy', 'specialty_under_180_days', 'specialty_expiring_notice', 'renewal_window_open', 'age_cap_within_year',
];
export const SEVERITIES = ['critical', 'warning', 'info'];
export const SIGNAL_CODES = ['registered_elsewhere', 'safety_b_without_constructor', 'multiple_employers'];
const SEVERITY_TONE = { critical: 'bad', warning: 'warn', info: 'info' };

const known = (prefix, code) => t(`${prefix}.${code}`) !== `${prefix}.${code}`;

/** The registration status in words: the server's name, or ours for a code it did not name. */
export function statusChip(code, zh, en) {
  const words = zh ? pick(zh, en) : (known('regst', code) ? t(`regst.${code}`) : code);
  const chip = el('span', `chip tone-${code === 'active' ? 'ok' : 'bad'}`, words);
  chip.dataset.status = code;
  return chip;
}

export const warningName = (code) => (known('warn', code) ? t(`warn.${code}`) : code);

/** "剩 12 天" / "已过 3 天" / "今天到期" for a days-left count (negative: already past). */
export function daysWords(n) {
  if (n === null || n === undefined) return '';
  if (n < 0) return t('days.over', { n: -n });
  if (n === 0) return t('days.today');
  return t('days.left', { n });
}

/** The tone of a deadline: past or within 30 days is serious, within 180 days a warning. */
export function daysTone(n) {
  if (n === null || n === undefined) return 'grey';
  if (n < 30) return 'bad';
  if (n < 180) return 'warn';
  return 'ok';
}

/**
 * The warnings of a roster row as badges: short name plus days, the server's full messages as the
 * title. The same warning for several specialties with the same date (建筑 and 市政 lapsing together)
 * is one badge with a count, so that the row stays short.
 */
export function warningBadges(warnings) {
  const groups = new Map();
  for (const w of warnings) {
    const key = `${w.code}|${w.days_left}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(w);
  }
  return [...groups.values()].map((same) => {
    const w = same[0];
    const tone = SEVERITY_TONE[w.severity] || 'info';
    const count = same.length > 1 ? ` ×${same.length}` : '';
    const days = w.days_left === null || w.days_left === undefined ? '' : ` · ${daysWords(w.days_left)}`;
    const b = el('span', `badge tone-${tone}`, `${warningName(w.code)}${count}${days}`);
    b.dataset.code = w.code;
    b.dataset.severity = w.severity;
    const full = same.map((x) => pick(x.message, x.message_en)).filter(Boolean).join('\n');
    if (full) b.title = full;
    return b;
  });
}

/** A 挂证 signal: outlined and marked as a signal, so that it never reads as an ordinary warning. */
export function signalBadge(s) {
  const words = known('sig', s.code) ? t(`sig.${s.code}`) : pick(s.message, s.message_en) || s.code;
  const b = el('span', 'badge signal');
  b.append(el('span', 'badge-tag', t('sig.prefix')), ` ${words}`);
  b.dataset.code = s.code;
  const full = pick(s.message, s.message_en);
  if (full) b.title = full;
  return b;
}

export function severityBadge(sev) {
  const b = el('span', `chip tone-${SEVERITY_TONE[sev] || 'info'}`, t(`sev.${sev}`));
  b.dataset.severity = sev;
  return b;
}

/** A list of badges in one wrapping line; `emptyText` when there are none. */
export function badgeLine(badges, emptyText) {
  const box = el('div', 'badges');
  if (badges.length) box.append(...badges);
  else box.append(el('span', 'muted', emptyText));
  return box;
}

/** A status line: the words, then when the server computed the data (smaller, on its own line). */
export function statusWithTime(p, words, generatedAt) {
  p.replaceChildren(words);
  if (generatedAt) p.append(el('span', 'asof', t('ent.asof', { t: fmtTime(generatedAt) })));
}
