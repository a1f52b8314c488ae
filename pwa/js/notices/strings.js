// The notices pane's words in Chinese (first) and English. Added to the app's i18n table when first
// imported; a notice's own title and text come from the server in both languages.

import { addStrings } from '../core/i18n.js';

addStrings({
  'nt.tab': ['通知', 'Notices'],
  'nt.title': ['我的通知', 'My notices'],
  'nt.intro': ['延续注册提醒、电子证书更新、注册状态变更、待办申请与核验记录。', 'Renewal reminders, superseded copies, status changes, applications to act on and checks of your certificate.'],
  'nt.unreadOnly': ['只看未读', 'Unread only'],
  'nt.readAll': ['全部标为已读', 'Mark all read'],
  'nt.markRead': ['标为已读', 'Mark read'],
  'nt.unread': ['未读', 'Unread'],
  'nt.none': ['暂无通知', 'No notices'],
  'nt.noneUnread': ['没有未读通知', 'No unread notices'],
  'nt.count': ['共 {total} 条,未读 {unread} 条', '{total} in all, {unread} unread'],
  'nt.loading': ['正在加载…', 'Loading…'],
  'nt.prev': ['上一页', 'Previous'],
  'nt.next': ['下一页', 'Next'],
  'nt.page': ['第 {page} 页', 'Page {page}'],
  'nt.prefs': ['通知设置', 'Notice settings'],
  'nt.checks': ['证书被核验时通知我(显示日期和检查单位)', 'Tell me when my certificate is checked (the date and the inspecting organisation)'],
  'nt.email': ['同时发送电子邮件(如已登记邮箱)', 'Also send e-mails (when an address is on file)'],
  'nt.saved': ['已保存', 'Saved'],
  'nt.kind.renewal_open': ['延续注册', 'Renewal'],
  'nt.kind.renewal_closing': ['延续截止', 'Renewal closing'],
  'nt.kind.specialty_short': ['有效期', 'Validity'],
  'nt.kind.copy_superseded': ['证书更新', 'Copy superseded'],
  'nt.kind.status_changed': ['状态变更', 'Status'],
  'nt.kind.application_action': ['待办', 'To do'],
  'nt.kind.certificate_checked': ['核验', 'Checked'],
});
