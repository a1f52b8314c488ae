// 入库登记 (the holder's pane): the ID photo and the signature in use, the latest upload of each with its state
// (awaiting review, returned with the authority's reason, withdrawn), uploading a new one from the phone's
// camera or a file (GET /api/v1/holder/images, POST /api/v1/holder/photo|signature), and the list of uploads.

import { errorWords } from '../core/auth.js';
import { $, el } from '../core/dom.js';
import { fmtTime, t } from '../core/i18n.js';
import {
  holderImages, ImageUrls, KINDS, prepare, sendImage, showImage, sourceLine, stateChip, withdraw,
} from './images.js';

let state = { data: null, error: null, loading: false, done: '' };
const busy = {};          // kind -> { phase: 'uploading' | 'checking', fraction, error }
const urls = new ImageUrls();
let seq = 0;

const card = (kind) => $(`ob-${kind}`);
const part = (kind, name) => card(kind).querySelector(`[data-part="${name}"]`);
const latestOf = (kind) => ((state.data && state.data.submissions) || []).find((s) => s.kind === kind) || null;

function note(s) {
  if (s.state === 'pending') return t('ob.pendingNote');
  if (s.state === 'returned') return `${t('ob.returnedNote', { r: s.reason || '' })} ${t('ob.returnedAgain')}`;
  if (s.state === 'approved') return t('ob.approvedNote');
  return s.reason ? t('ob.withdrawnWhy', { r: s.reason }) : t('ob.withdrawnNote');
}

function renderKind(kind) {
  const box = card(kind);
  const data = state.data;
  const latest = latestOf(kind);
  box.dataset.state = latest ? latest.state : 'none';
  const inUse = !!(data && data.current[kind]);
  const current = box.querySelector('[data-slot="current"]');
  current.querySelector('figcaption').textContent = t(inUse ? 'ob.current' : 'ob.currentNone');
  showImage(current.querySelector('img'), urls, inUse ? `api/v1/holder/${kind}` : null, `ob.alt.current.${kind}`);
  const showLatest = !!latest && latest.state !== 'approved';
  const fig = box.querySelector('[data-slot="latest"]');
  fig.hidden = !showLatest;
  if (showLatest) showImage(fig.querySelector('img'), urls, latest.image_url, `ob.alt.upload.${kind}`);
  const st = part(kind, 'state');
  st.hidden = !latest;
  st.replaceChildren();
  if (latest) st.append(stateChip(latest), el('p', `ob-note ob-note-${latest.state}`, note(latest)));
  box.querySelector('[data-action="withdraw"]').hidden = !(latest && latest.state === 'pending');
  const b = busy[kind] || {};
  const progress = part(kind, 'progress');
  progress.hidden = !b.phase;
  const bar = progress.querySelector('progress');
  if (b.phase === 'uploading') bar.value = Math.round((b.fraction || 0) * 100); else bar.removeAttribute('value');
  progress.querySelector('.progress-label').textContent = b.phase === 'uploading'
    ? t('ob.uploading', { p: Math.round((b.fraction || 0) * 100) }) : b.phase ? t('ob.checking') : '';
  const err = part(kind, 'error');
  err.hidden = !b.error;
  err.textContent = b.error ? errorWords(b.error) : '';
  for (const input of box.querySelectorAll('input[type="file"]')) input.disabled = !!b.phase;
}

function historyItem(s) {
  const li = el('li', 'ob-item');
  li.dataset.id = s.id;
  li.dataset.state = s.state;
  li.dataset.kind = s.kind;
  const head = el('p', 'ob-item-head');
  head.append(el('strong', null, t(`ob.kind.${s.kind}`)), ' ', stateChip(s));
  li.append(head, el('p', 'muted small', [t('ob.when', { t: fmtTime(s.created_at) }), sourceLine(s),
    s.uploaded_by === 'authority' ? t('ob.byAuthority') : ''].filter(Boolean).join(' · ')));
  if (s.reason) li.append(el('p', 'ob-reason', s.reason));
  return li;
}

export function renderImages() {
  const { data, error, loading, done } = state;
  const status = $('images-status');
  status.dataset.state = loading ? 'loading' : error ? 'error' : 'ready';
  status.textContent = loading ? t('wf.loading') : error ? errorWords(error) : done;
  if (loading && data) return;
  for (const kind of KINDS) renderKind(kind);
  const subs = (data && data.submissions) || [];
  $('ob-history').replaceChildren(...subs.map(historyItem));
  if (data && !subs.length) $('ob-history').append(el('li', 'empty', t('ob.historyNone')));
}

export async function loadImages(done = '') {
  const mine = ++seq;
  state = { ...state, loading: true, error: null, done };
  renderImages();
  try {
    const data = await holderImages();
    if (mine !== seq) return;
    urls.clear();                 // the image in use may have changed: fetch it again
    state = { data, error: null, loading: false, done };
  } catch (e) {
    if (mine !== seq) return;
    state = { data: null, error: e, loading: false, done: '' };
  }
  renderImages();
}

async function onFile(kind, input) {
  const file = input.files && input.files[0];
  input.value = '';               // the same file may be chosen again after a refusal
  if (!file || (busy[kind] && busy[kind].phase)) return;
  busy[kind] = { phase: 'uploading', fraction: 0, error: null };
  renderKind(kind);
  try {
    const ready = await prepare(file);
    await sendImage(kind, ready, (f) => {
      busy[kind] = { ...busy[kind], phase: f === null ? 'checking' : 'uploading', fraction: f || 1 };
      renderKind(kind);
    });
    busy[kind] = {};
    await loadImages(t('ob.sent'));
  } catch (e) {
    busy[kind] = { error: e };
    renderKind(kind);
    part(kind, 'error').focus();
  }
}

async function onWithdraw(kind) {
  const latest = latestOf(kind);
  if (!latest) return;
  try {
    await withdraw(latest.id);
    await loadImages(t('ob.withdrawnNote'));
  } catch (e) {
    busy[kind] = { error: e };
    renderKind(kind);
  }
}

export function clearImages() {
  seq += 1;
  urls.clear();
  for (const kind of KINDS) busy[kind] = {};
  state = { data: null, error: null, loading: false, done: '' };
  renderImages();
}

export function initImages() {
  for (const kind of KINDS) {
    busy[kind] = {};
    for (const input of card(kind).querySelectorAll('input[type="file"]')) {
      input.addEventListener('change', () => onFile(kind, input));
    }
    card(kind).querySelector('[data-action="withdraw"]').addEventListener('click', () => onWithdraw(kind));
  }
}
