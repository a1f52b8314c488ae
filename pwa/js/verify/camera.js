// The scan screen's camera, imported when the inspector first goes to scan (app.js; never on a certificate
// link's way to its verdict): the scanner (scanner.js) with its decoder worker, which starts compiling the
// wasm at once, while the camera opens, and the controls that go with it: the scan and stop buttons'
// states, the torch, the choice of camera. app.js says what a code leads to and words the status line.

import { $ } from '../core/dom.js';
import { t } from '../core/i18n.js';
import { perf, startDecoder } from './decoder.js';
import { Scanner } from './scanner.js';

export { perf };
let scanner = null;
let say = () => {};

/** Set up once: `onCode(text, timing)` gets each code read; `setStatus(key)` words the status line. */
export function initCamera({ onCode, setStatus }) {
  say = setStatus;
  startDecoder().catch(() => {});   // compile the wasm now, not at the first frame
  scanner = new Scanner($('video'), { onCode: (text, timing) => { scanner.stop(); onCode(text, timing); }, onState: showState });
  $('torch').addEventListener('click', async () => {
    const on = $('torch').getAttribute('aria-pressed') !== 'true';
    if (await scanner.setTorch(on).catch(() => false)) $('torch').setAttribute('aria-pressed', String(on));
  });
  $('camera-select').addEventListener('change', (e) => scanner.useCamera(e.target.value).catch(() => say('scan.denied')));
}

export const start = () => scanner.start();
export const stop = () => scanner.stop();
export const running = () => scanner.running;

/** The viewfinder and buttons for a scanner state: 'starting', 'scanning' or 'stopped'. */
export function showState(state) {
  $('viewfinder').dataset.state = state;
  const on = state === 'scanning' || state === 'starting';
  document.querySelector('[data-action="scan"]').hidden = on;
  document.querySelector('[data-action="stop"]').hidden = !on;
  if (state === 'starting') say('scan.starting');
  if (state === 'scanning') { say('scan.scanning'); afterStart(); }
  if (state === 'stopped') $('torch').hidden = true;
}

async function afterStart() {
  $('torch').hidden = !scanner.torchSupported();
  $('torch').setAttribute('aria-pressed', 'false');
  const cams = await Scanner.cameras().catch(() => []);
  const sel = $('camera-select');
  $('camera-pick').hidden = cams.length < 2;
  if (cams.length < 2) return;
  const current = scanner.currentDeviceId();
  sel.replaceChildren(...cams.map((c, i) => {
    const o = document.createElement('option');
    o.value = c.deviceId;
    o.textContent = c.label || `${t('scan.camera')} ${i + 1}`;
    o.selected = c.deviceId === current;
    return o;
  }));
}
