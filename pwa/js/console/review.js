// The review queues (#/review): how much waits (applications for a decision, photos and signatures for
// review), and the way to the app's 账户 tab, where both queues are worked (../workflow/review.js,
// ../onboarding/review.js). The same session serves both: it lives in this tab's sessionStorage.

import { api, errorWords } from '../core/auth.js';
import { el } from '../core/dom.js';
import { t } from '../core/i18n.js';
import './strings-register.js';

export async function mount(root) {
  const title = el('h1', 'cx-title', t('rq.title'));
  title.tabIndex = -1;
  const box = el('section', 'cx-section');
  box.id = 'rq-counts';
  box.append(el('p', null, t('rq.intro')));
  root.append(title, box);
  try {
    const [apps, images] = await Promise.all([
      api('api/v1/applications', { params: { queue: 'review' } }),
      api('api/v1/image-submissions', { params: { state: 'pending' } }),
    ]);
    box.append(el('p', null, t('rq.applications', { n: apps.total })), el('p', null, t('rq.images', { n: images.total })));
  } catch (err) {
    box.append(el('p', 'form-error', errorWords(err)));
  }
  const open = el('a', 'btn primary', t('rq.open'));
  open.href = './';
  box.append(open);
}
