// 照片签名审核 (authority staff): uploaded photos and signatures, oldest first while awaiting review, each beside
// the image in use, with approve (after a confirmation: copies are superseded) or return with a reason the
// holder reads (GET /api/v1/image-submissions, POST …/decide). Every control is a native button, textarea or
// dialog: usable from the keyboard.

import { errorWords } from '../core/auth.js';
import { $, el, fillSelect } from '../core/dom.js';
import { fmtTime, t } from '../core/i18n.js';
import {
  decide, ImageUrls, KINDS, kindName, reviewQueue, showImage, sourceLine, stateChip, stateName, STATES,
} from './images.js';

let state = { page: 1, data: null, error: null, loading: false, done: '' };
const urls = new ImageUrls();
const itemErrors = new Map();    // submission id -> the last refusal, or 'reason' when it was missing
const drafts = new Map();        // submission id -> the reason typed so far (kept across a redraw)
let seq = 0;

const filters = () => ({ state: $('imgreview-state').value, kind: $('imgreview-kind').value });
const label = (s) => t('obr.label', { who: s.person.name, kind: kindName(s) });

function renderFilters() {
  fillSelect($('imgreview-state'), [...STATES.map((c) => [c, t(`ob.state.${c}`)]), ['', t('obr.all')]]);
  fillSelect($('imgreview-kind'), [['', t('obr.all')], ...KINDS.map((c) => [c, t(`ob.kind.${c}`)])]);
}

function figure(captionKey, path, altKey) {
  const fig = el('figure', 'ob-fig');
  const frame = el('div', 'ob-frame');
  const img = el('img');
  frame.append(img);
  fig.append(frame, el('figcaption', null, t(captionKey)));
  showImage(img, urls, path, altKey);
  return fig;
}

function actions(s) {
  const box = el('div', 'ob-decide');
  const id = `obr-reason-${s.id}`;
  const lab = el('label', null, t('obr.reason'));
  lab.htmlFor = id;
  const reason = el('textarea');
  reason.id = id;
  reason.rows = 2;
  reason.maxLength = 500;
  reason.value = drafts.get(s.id) || '';
  reason.addEventListener('input', () => drafts.set(s.id, reason.value));
  const err = el('p', 'form-error');
  err.id = `${id}-error`;
  err.setAttribute('role', 'alert');
  reason.setAttribute('aria-describedby', err.id);
  const problem = itemErrors.get(s.id);
  err.hidden = !problem;
  err.textContent = problem ? (problem === 'reason' ? t('obr.needReason') : errorWords(problem)) : '';
  if (problem === 'reason') reason.setAttribute('aria-invalid', 'true');
  const row = el('div', 'action-row');
  const approve = el('button', 'btn primary', t('obr.approve'));
  approve.type = 'button';
  approve.dataset.act = 'approve';
  approve.setAttribute('aria-label', t('obr.approveLabel', { what: label(s) }));
  approve.addEventListener('click', () => confirmApprove(s));
  const ret = el('button', 'btn danger', t('obr.return'));
  ret.type = 'button';
  ret.dataset.act = 'return';
  ret.setAttribute('aria-label', t('obr.returnLabel', { what: label(s) }));
  ret.addEventListener('click', () => onReturn(s, reason));
  row.append(approve, ret);
  box.append(lab, reason, err, row);
  return box;
}

function item(s) {
  const li = el('li', 'ob-review-item');
  li.dataset.id = s.id;
  li.dataset.state = s.state;
  li.dataset.kind = s.kind;
  const head = el('div', 'ob-review-head');
  head.append(el('h3', 'ob-review-title', label(s)), stateChip(s));
  const meta = el('p', 'muted small', [s.person.id_number, t('ob.when', { t: fmtTime(s.created_at) }), sourceLine(s),
    s.uploaded_by === 'authority' ? t('ob.byAuthority') : ''].filter(Boolean).join(' · '));
  const figs = el('div', `ob-figs ob-figs-${s.kind}`);
  const inUse = s.kind === 'photo' ? s.person.has_photo : s.person.has_signature;
  figs.append(figure(inUse ? 'obr.current' : 'ob.currentNone', inUse ? `api/v1/persons/${s.person.id}/${s.kind}` : null,
    `ob.alt.current.${s.kind}`), figure('obr.new', s.image_url, `ob.alt.upload.${s.kind}`));
  li.append(head, meta, figs);
  if (s.state === 'pending') {
    li.append(actions(s));
  } else {
    li.append(el('p', 'small', t('obr.decided', { state: stateName(s), by: s.decided_by || '—', t: fmtTime(s.decided_at) })));
    if (s.reason) li.append(el('p', 'ob-reason', s.reason));
  }
  return li;
}

export function renderReviewImages() {
  renderFilters();
  const { data, error, loading, done } = state;
  const status = $('imgreview-status');
  status.dataset.state = loading ? 'loading' : error ? 'error' : 'ready';
  status.textContent = loading ? t('wf.loading') : error ? errorWords(error)
    : data ? [done, data.total ? t('obr.total', { n: data.total }) : t('obr.none')].filter(Boolean).join(' ') : '';
  $('imgreview-pager').hidden = true;
  if (loading) return;
  const subs = (data && data.submissions) || [];
  $('imgreview-list').replaceChildren(...subs.map(item));
  const pages = data ? Math.max(1, Math.ceil((data.total || 0) / (data.page_size || 20))) : 1;
  if (pages > 1) {
    $('imgreview-pager').hidden = false;
    $('imgreview-page').textContent = t('lookup.page', { p: data.page, n: pages });
    $('imgreview-prev').disabled = data.page <= 1;
    $('imgreview-next').disabled = data.page >= pages;
  }
}

export async function loadReviewImages(page = 1, done = '') {
  const mine = ++seq;
  state = { ...state, page, loading: true, error: null, done };
  renderReviewImages();
  try {
    const data = await reviewQueue({ ...filters(), page });
    if (mine !== seq) return;
    urls.clear();
    state = { page, data, error: null, loading: false, done };
  } catch (e) {
    if (mine !== seq) return;
    state = { page, data: null, error: e, loading: false, done: '' };
  }
  renderReviewImages();
}

async function run(s, decision, reason) {
  itemErrors.delete(s.id);
  try {
    await decide(s.id, decision, reason);
    drafts.delete(s.id);
    await loadReviewImages(state.page, t(decision === 'approve' ? 'obr.approved' : 'obr.returned',
      { who: s.person.name, kind: kindName(s) }));
    $('ent-imgreview-title').focus();
  } catch (e) {
    itemErrors.set(s.id, e);
    renderReviewImages();
  }
}

function confirmApprove(s) {
  const dlg = $('ob-confirm');
  $('ob-confirm-text').textContent = t('obr.sure', { who: s.person.name, kind: kindName(s) });
  dlg.returnValue = '';
  dlg.addEventListener('close', () => { if (dlg.returnValue === 'ok') run(s, 'approve'); }, { once: true });
  dlg.showModal();
}

function onReturn(s, textarea) {
  const reason = textarea.value.trim();
  if (!reason) {
    itemErrors.set(s.id, 'reason');
    renderReviewImages();
    const again = document.getElementById(textarea.id);
    if (again) again.focus();
    return;
  }
  run(s, 'return', reason);
}

export function clearReviewImages() {
  seq += 1;
  urls.clear();
  itemErrors.clear();
  drafts.clear();
  state = { page: 1, data: null, error: null, loading: false, done: '' };
  $('imgreview-filters').reset();
  renderReviewImages();
}

export function initReviewImages() {
  renderFilters();
  $('imgreview-filters').addEventListener('submit', (e) => { e.preventDefault(); loadReviewImages(1); });
  for (const id of ['imgreview-state', 'imgreview-kind']) $(id).addEventListener('change', () => loadReviewImages(1));
  $('imgreview-prev').addEventListener('click', () => loadReviewImages(Math.max(1, state.page - 1)));
  $('imgreview-next').addEventListener('click', () => loadReviewImages(state.page + 1));
  $('ob-confirm').addEventListener('cancel', () => { $('ob-confirm').returnValue = 'cancel'; });
}
