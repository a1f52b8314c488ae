// Building the page from data, for every area: element lookup and creation, <select> options, and
// the cells of the responsive tables (the roster, the bulk check, the review queue: cards on phones,
// a table on wide screens). Text from the server only ever goes in through textContent, never as HTML.

import { t } from './i18n.js';

export const $ = (id) => document.getElementById(id);

/** <tag class="cls">text</tag>; children may be appended by the caller. */
export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null && text !== '') e.textContent = text;
  return e;
}

/** <select> options: [value, words] pairs, or {group, options} for an <optgroup>; the current choice is
 *  kept across a language switch. */
export function fillSelect(select, options) {
  const was = select.value;
  const option = ([value, words]) => {
    const o = el('option', null, words);
    o.value = value;
    return o;
  };
  select.replaceChildren(...options.map((x) => {
    if (Array.isArray(x)) return option(x);
    const g = el('optgroup');
    g.label = x.group;
    g.append(...x.options.map(option));
    return g;
  }));
  const values = [...select.options].map((o) => o.value);
  select.value = values.includes(was) ? was : values[0];
}

/** A cell of a responsive table: its column name goes in data-label for the phone's card layout. */
export function cell(labelKey, ...content) {
  const td = el('td');
  td.setAttribute('role', 'cell');
  td.dataset.label = t(labelKey);
  td.dataset.col = labelKey.split('.')[1];
  // One wrapper: in the card layout the cell is a two-column grid of its label and this value.
  const value = el('div', 'cv');
  const parts = content.filter((c) => c !== null && c !== undefined && c !== '');
  value.append(...parts);
  td.append(value);
  // Nothing to say ("—"): a table keeps the cell, a card leaves the line out.
  if (parts.every((c) => c === '—' || (c instanceof Node && c.textContent === '—'))) td.classList.add('is-empty');
  return td;
}

/** Header cells for the same table (the column names, translated). */
export function headerRow(keys) {
  const tr = el('tr');
  tr.setAttribute('role', 'row');
  for (const k of keys) {
    const th = el('th', null, t(k));
    th.scope = 'col';
    th.setAttribute('role', 'columnheader');
    tr.append(th);
  }
  return tr;
}
