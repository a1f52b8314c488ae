// Adding a certificate to a site check: to a new person (with their role) or to one already listed. The
// QR text comes from the camera (js/verify/scanner.js and its decoder worker, the scan screen's own, on a
// video element of this screen) or is pasted or typed; it is verified at once by the scan screen's code
// (js/verify/verify.js: live when online, else offline with the cached keys and status list).

import { el } from '../core/dom.js';
import { pick, t } from '../core/i18n.js';
import { Scanner } from '../verify/scanner.js';
import { classify, verifyText } from '../verify/verify.js';
import { findRole, keepResult } from './checks.js';
import { field, words } from './form.js';
import { roleSelect } from './people.js';

let scanner = null;
let target = null;      // index of the person a certificate goes to; null: a new person
let say = () => {};

export const stopScan = () => { if (scanner) scanner.stop(); };
export const setTarget = (index) => { target = index; };

/**
 * The adder in `root` for check `c`: `onAdd(kept result, role, index | null)` once a certificate of ours is
 * verified (index: an existing person; null: a new one with `role`).
 */
export function renderAdder(root, c, { onAdd }) {
  stopScan();
  const box = el('section', 'card sc-add');
  box.id = 'sc-add';
  box.setAttribute('aria-labelledby', 'sc-add-title');
  const who = target !== null && c.people[target];
  const name = who && ((who.certs.find((x) => x.certificate && x.certificate.name) || {}).certificate || {}).name;
  const title = el('h2', 'section-title', who ? t('sc.add.to', { who: name || t('sc.person', { n: target + 1 }) }) : t('sc.add.title'));
  title.id = 'sc-add-title';
  title.tabIndex = -1;
  box.append(title);
  const role = roleSelect('sc-add-role', '');
  const about = el('p', 'field-hint sc-role-about');   // what the chosen role needs, in the rules' words
  about.id = 'sc-role-about';
  role.addEventListener('change', () => {
    const r = findRole(role.value);
    about.textContent = r ? pick(r.explanation || '', r.explanation_en) : '';
  });
  if (!who) box.append(field('sc.role', role), about);
  const qr = Object.assign(el('textarea'), { id: 'sc-qr', rows: 2, maxLength: 4096, spellcheck: false });
  box.append(field('sc.add.qr', qr));
  const video = Object.assign(el('video', 'sc-video'), { muted: true, playsInline: true });
  video.hidden = true;
  video.setAttribute('aria-hidden', 'true');
  const status = el('p', 'status');
  status.id = 'sc-add-status';
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  say = (key) => { status.textContent = key ? t(key) : ''; status.dataset.key = key || ''; };
  const row = el('div', 'action-row');
  const go = words('button', 'btn primary', 'sc.add.go');
  go.type = 'button';
  go.id = 'sc-add-go';
  const scan = words('button', 'btn', 'sc.add.scan');
  scan.type = 'button';
  scan.id = 'sc-add-scan';
  row.append(go, scan);
  if (who) {
    const cancel = words('button', 'btn link-btn', 'sc.add.cancel');
    cancel.type = 'button';
    cancel.addEventListener('click', () => { target = null; renderAdder(root, c, { onAdd }); });
    row.append(cancel);
  }
  box.append(video, row, status);
  root.replaceChildren(box);

  async function add(text) {
    const value = String(text || '').trim();
    if (!value) { say('sc.add.empty'); qr.focus(); return; }
    if (!who && !role.value) { say('sc.add.role'); role.focus(); return; }
    if (!classify(value).token) { say('sc.add.notCert'); return; }
    if (c.people.some((p) => p.certs.some((x) => x.qr === value))) { say('sc.add.dup'); return; }
    go.disabled = true;
    say('sc.add.verifying');
    try {
      const r = await verifyText(value);
      say('');
      qr.value = '';
      await onAdd(keepResult(r), role.value, who ? target : null);
    } finally {
      go.disabled = false;
    }
  }
  go.addEventListener('click', () => add(qr.value));
  qr.addEventListener('keydown', (e) => { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); add(qr.value); } });
  scan.addEventListener('click', async () => {
    if (scanner && scanner.running) { stopScan(); return; }
    if (!who && !role.value) { say('sc.add.role'); role.focus(); return; }
    scanner = new Scanner(video, {
      onCode: (text) => { stopScan(); qr.value = text; add(text); },
      onState: (s) => {
        const on = s === 'starting' || s === 'scanning';
        video.hidden = !on;
        scan.textContent = t(on ? 'sc.add.stop' : 'sc.add.scan');
        scan.dataset.i18n = on ? 'sc.add.stop' : 'sc.add.scan';
        if (s === 'scanning') say('scan.scanning');
      },
    });
    try { await scanner.start(); } catch (e) {
      console.warn('camera', e);
      stopScan();
      say(e && e.name === 'NotFoundError' ? 'scan.nocamera' : 'scan.denied');
    }
  });
  return box;
}
