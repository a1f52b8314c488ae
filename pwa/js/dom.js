// Two small DOM helpers for the enterprise pages. Text from the server only ever goes in through
// textContent, never as HTML.

export const $ = (id) => document.getElementById(id);

/** <tag class="cls">text</tag>; children may be appended by the caller. */
export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null && text !== '') e.textContent = text;
  return e;
}
