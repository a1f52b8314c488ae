// The camera: the rear one through getUserMedia, a picker where there are several, the torch where
// the device offers it, and a frame loop that hands one frame at a time to the decoder worker.

import { decode } from './decoder.js';

const PREF_KEY = 'jz.camera';

export class Scanner {
  constructor(video, { onCode, onState }) {
    this.video = video;
    this.onCode = onCode;
    this.onState = onState || (() => {});
    this.stream = null;
    this.running = false;
    this.session = 0;
    this.firstFrameAt = null;
  }

  get track() { return this.stream ? this.stream.getVideoTracks()[0] : null; }

  async start(deviceId = null) {
    this.stop();
    const session = ++this.session;
    this.onState('starting');
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) throw Object.assign(new Error('no camera API'), { name: 'NotFoundError' });
    let wanted = deviceId;
    try { wanted = wanted || localStorage.getItem(PREF_KEY); } catch { /* no storage: default camera */ }
    const size = { width: { ideal: 1280 }, height: { ideal: 720 } };
    // facingMode as a plain value, not {exact}: a laptop or a tablet with only a front camera still works.
    const video = wanted ? { deviceId: { exact: wanted }, ...size } : { facingMode: 'environment', ...size };
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: false, video });
    } catch (e) {
      if (!wanted || e.name === 'NotAllowedError') throw e;
      stream = await navigator.mediaDevices.getUserMedia({ audio: false, video: { facingMode: 'environment', ...size } });
    }
    if (session !== this.session) { stream.getTracks().forEach((t) => t.stop()); return; }
    this.stream = stream;
    // iOS Safari plays inline and without a tap only when the element is muted and playsinline.
    this.video.muted = true;
    this.video.setAttribute('playsinline', '');
    this.video.srcObject = stream;
    await this.video.play().catch(() => {});
    if (!this.video.videoWidth) {
      await new Promise((r) => this.video.addEventListener('loadedmetadata', r, { once: true }));
    }
    if (session !== this.session) return;
    this.running = true;
    this.firstFrameAt = null;
    this.onState('scanning');
    this.loop(session);
  }

  stop() {
    this.session++;
    this.running = false;
    if (this.stream) this.stream.getTracks().forEach((t) => t.stop());
    this.stream = null;
    this.video.srcObject = null;
    this.onState('stopped');
  }

  schedule(session) {
    // requestVideoFrameCallback fires once per new camera frame (Chromium, Safari 15.4+);
    // elsewhere animation frames will do, at the cost of decoding some frames twice.
    const next = () => this.loop(session);
    if (this.video.requestVideoFrameCallback) this.video.requestVideoFrameCallback(next);
    else requestAnimationFrame(next);
  }

  async loop(session) {
    if (!this.running || session !== this.session) return;
    if (this.firstFrameAt === null) this.firstFrameAt = performance.now();
    const grabbedAt = performance.now();
    let texts = [];
    try {
      ({ texts } = await decode(this.video, { kind: 'frame' }));
    } catch (e) {
      console.warn('frame decode failed', e);
    }
    if (!this.running || session !== this.session) return;
    if (texts.length) {
      this.running = false;   // one code per scan: the result screen takes over
      this.onCode(texts[0], { firstFrameAt: this.firstFrameAt, frameAt: grabbedAt, decodedAt: performance.now() });
      return;
    }
    this.schedule(session);
  }

  /** Video inputs; their labels are known only once the user has allowed the camera. */
  static async cameras() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.enumerateDevices) return [];
    const all = await navigator.mediaDevices.enumerateDevices();
    return all.filter((d) => d.kind === 'videoinput');
  }

  currentDeviceId() {
    const s = this.track && this.track.getSettings ? this.track.getSettings() : {};
    return s.deviceId || null;
  }

  async useCamera(deviceId) {
    try { localStorage.setItem(PREF_KEY, deviceId); } catch { /* not remembered */ }
    await this.start(deviceId);
  }

  torchSupported() {
    const t = this.track;
    // getCapabilities() is missing in Firefox; torch is reported by Chrome on Android only.
    const caps = t && t.getCapabilities ? t.getCapabilities() : {};
    return !!caps.torch;
  }

  async setTorch(on) {
    if (!this.torchSupported()) return false;
    await this.track.applyConstraints({ advanced: [{ torch: !!on }] });
    return true;
  }
}
