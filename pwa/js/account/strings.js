// The signed-in area's own words in Chinese (first) and English: the login form, its refusals, the
// session's end and the names of the roles. Added to the app's i18n table when first imported; each
// role's panes bring their words (enterprise/strings.js, workflow/strings.js), and an API refusal's
// words are shared ones (core/i18n.js).

import { addStrings } from '../core/i18n.js';

addStrings({
  'ent.title': ['账户登录', 'Sign in'],
  'ent.intro': ['企业账户登录后,可查看本单位注册人员和预警,并批量核查人员名单。', 'Sign in with an enterprise account to see your registered staff and warnings, and to check a list of people.'],
  'ent.user': ['用户名', 'Username'],
  'ent.pass': ['密码', 'Password'],
  'ent.login': ['登录', 'Sign in'],
  'ent.loggingIn': ['正在登录…', 'Signing in…'],
  'ent.logout': ['退出登录', 'Sign out'],
  'ent.loggedOut': ['已退出登录', 'Signed out'],
  'ent.sections': ['企业功能', 'Enterprise sections'],
  'ent.err.empty': ['请输入用户名和密码', 'Enter your username and password'],
  'ent.err.invalid_credentials': ['用户名或密码错误', 'Wrong username or password'],
  'ent.err.account_locked': ['连续输错次数过多,账户已锁定。请于 {time} 后重试(约 {min} 分钟)。', 'Too many failed attempts: the account is locked. Try again after {time} (about {min} min).'],
  'acct.intro': ['登录后:企业可查看本单位人员、预警并确认注册申请;持证人可申请注册并查看进度;主管部门可审核申请。', 'Sign in: enterprises see their staff and warnings and confirm applications; holders apply and follow their applications; authority staff review them.'],
  'acct.forbidden': ['此账户不能使用这些页面', 'This account cannot use these pages'],
  'acct.console': ['打开主管部门控制台:登记簿查询、人员档案、审批、导入、概览', "Open the authority's console: register search, files, approvals, imports, overview"],
  'role.holder': ['持证人', 'Holder'],
  'role.authority': ['主管部门', 'Authority'],
  'role.enterprise': ['企业', 'Enterprise'],
});
