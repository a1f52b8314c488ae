// The registration workflow's panes inside the signed-in area, wired together: the holder's 我的注册
// and 申请 (mine.js, apply.js), the employer's 待确认 (confirm.js), the authority's 审核队列 (review.js),
// and the one application detail they all open (detail.js). account/account.js owns the panes'
// visibility and calls in here to load, clear and re-word them.

import { $ } from '../core/dom.js';
import { clearApply, editApplication, initApply, newApplication, prefillApply, renderApply } from './apply.js';
import { clearConfirm, initConfirm, loadConfirm, renderConfirm } from './confirm.js';
import { clearDetail, initDetail, openDetail, renderDetail } from './detail.js';
import { clearMine, initMine, knownNumbers, knownRegistrations, loadMine, renderMine } from './mine.js';
import { clearReview, initReview, loadReview, renderReview } from './review.js';

/** The panes of each role, the first being where it lands after signing in. */
export const ROLE_PANES = {
  enterprise: ['roster', 'warnings', 'bulk', 'confirm', 'notices'],
  holder: ['mine', 'apply', 'images', 'notices'],   // images, imgreview: 入库登记 (../onboarding/); notices: 通知
  // (../notices/); both wired by account.js
  authority: ['review', 'imgreview'],
};
export const WORKFLOW_PANES = ['confirm', 'mine', 'apply', 'review', 'detail'];

let nav = { show: () => {}, role: () => null };
let back = null;   // the pane the detail was opened from

/** Open an application's detail from the pane `from` (where 返回 leads). */
function open(id) {
  const from = nav.current();
  if (from !== 'detail') back = from;
  nav.show('detail');
  return openDetail(id);
}

function reloadLists() {
  const role = nav.role();
  if (role === 'holder') loadMine();
  if (role === 'enterprise') loadConfirm();
  if (role === 'authority') loadReview(1);
}

/** Called when a workflow pane is shown. */
export function loadPane(pane) {
  if (pane === 'mine') loadMine();
  if (pane === 'confirm') loadConfirm();
  if (pane === 'review') loadReview(1);
  if (pane === 'apply') { prefillApply(); renderApply(); }
}

/** What a freshly signed-in role needs at once (the employer's count of applications to confirm). */
export function startRole(role) {
  if (role === 'enterprise') loadConfirm();
}

/** The pane the detail returns to, for the tab highlight while the detail is open. */
export const backPane = () => back;

export function clearWorkflow() {
  back = null;
  clearDetail();
  clearMine();
  clearApply();
  clearConfirm();
  clearReview();
}

export function rerenderWorkflow() {
  renderDetail();
  renderMine();
  renderApply();
  renderConfirm();
  renderReview();
}

export function initWorkflowPages(h) {
  nav = h;
  initDetail({
    role: nav.role,
    onBack: () => nav.show(back || ROLE_PANES[nav.role()][0], { focus: true }),
    onEdit: (a) => { editApplication(a); nav.show('apply', { focus: true }); },
    onChanged: reloadLists,
  });
  initMine({ open, newApplication: () => { newApplication(); nav.show('apply', { focus: true }); }, loaded: prefillApply });
  initApply({
    numbers: knownNumbers,
    registrations: knownRegistrations,
    done: (id) => {
      loadMine();
      if (id) { back = 'mine'; nav.show('detail'); openDetail(id); } else nav.show('mine', { focus: true });
    },
  });
  initConfirm({ open });
  initReview({ open });
  $('wf-confirm').addEventListener('cancel', () => { $('wf-confirm').returnValue = 'cancel'; });
}
