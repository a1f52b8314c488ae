// UI words in Chinese (first) and English, and the language switch. Elements carry data-i18n="key"
// (text) and data-i18n-attr="attr:key;attr2:key2" (attributes such as aria-label and placeholder).
// This table holds the shell's words, the inspector's screens (scan, result, history, lookup: they
// share the certificate's field names) and the words more than one area shows (pagers, API errors);
// the signed-in areas add theirs from their own strings.js with addStrings.

const STRINGS = {
  'app.title': ['建证 · 证书核验', 'Jianzheng · Certificate check'],
  'app.brand': ['建证', 'Jianzheng'],
  'app.tagline': ['执业证书核验', 'Verify'],
  'skip': ['跳到主要内容', 'Skip to main content'],
  'lang.switch': ['English', '中文'],
  'lang.switch.label': ['Switch to English', '切换为中文'],
  'net.online': ['在线', 'Online'],
  'net.offline': ['离线', 'Offline'],
  'nav.scan': ['扫码', 'Scan'],
  'nav.history': ['记录', 'History'],
  'nav.lookup': ['查询', 'Lookup'],
  'nav.enterprise': ['企业', 'Enterprise'],
  'nav.account': ['账户', 'Account'],
  'nav.site': ['现场', 'Site'],
  'nav.label': ['主导航', 'Main navigation'],
  'scan.title': ['扫描证书二维码', 'Scan a certificate QR code'],
  'scan.start': ['开始扫码', 'Start scanning'],
  'scan.stop': ['停止', 'Stop'],
  'scan.torch': ['手电筒', 'Torch'],
  'scan.camera': ['摄像头', 'Camera'],
  'scan.hint': ['将证书上的二维码放入框内', 'Hold the QR code inside the frame'],
  'scan.idle': ['点击“开始扫码”打开后置摄像头', 'Tap “Start scanning” to open the rear camera'],
  'scan.starting': ['正在打开摄像头…', 'Opening the camera…'],
  'scan.scanning': ['正在识别…', 'Looking for a QR code…'],
  'scan.found': ['已识别,正在核验…', 'Found: verifying…'],
  'scan.denied': ['无法使用摄像头(未授权或不可用)。可以拍照或输入编号。', 'The camera is not available (denied or missing). Take a photo or type a number instead.'],
  'scan.nocamera': ['此设备没有可用的摄像头', 'This device has no usable camera'],
  'scan.or': ['其他方式', 'Other ways'],
  'photo.button': ['拍照,或选择图片、证书 PDF', 'Take a photo, or choose an image or the certificate PDF'],
  'photo.reading': ['正在识别图片…', 'Reading the photo…'],
  'photo.none': ['图片中没有找到二维码', 'No QR code found in the photo'],
  'photo.noneOffline': ['本机未能识别图片中的二维码;联网后可由服务器识别', 'No QR code found on this device; online, the server can try'],
  'photo.failed': ['图片识别失败', 'The photo could not be read'],
  'photo.more': ['图片中共有 {n} 个二维码,显示第一个', '{n} QR codes in the photo: showing the first'],
  'photo.pdfReading': ['正在检查 PDF 的电子签名和二维码…', "Checking the PDF's signature and QR code…"],
  'photo.pdfNone': ['PDF 第 1 页没有找到二维码', 'No QR code found on page 1 of the PDF'],
  'photo.pdfOffline': ['证书 PDF 只能联网核验(需由服务器检查电子签名),请联网后重试', "A certificate PDF can only be checked online (the server checks its signature): try again online"],
  'manual.label': ['输入注册编号、姓名或证书链接', 'Type a registration number, a name or a certificate link'],
  'manual.placeholder': ['如 苏232252600001', 'e.g. 苏232252600001'],
  'manual.go': ['核验/查询', 'Check'],
  'site.label': ['工地/项目名称(可选,记入扫码记录)', 'Site or project (optional, kept in the history)'],
  'site.placeholder': ['如 苏州工业园区3号地块', 'e.g. Block 3, Suzhou Industrial Park'],
  'data.asof': ['离线核验数据截至 {t}', 'Offline data as of {t}'],
  'data.none': ['尚未下载离线核验数据', 'No offline data downloaded yet'],
  'data.stale': ['离线数据已超过7天,请联网更新', 'Offline data is over 7 days old: go online to update'],
  'result.title': ['核验结果', 'Result'],
  'result.online': ['在线核验 · {t}', 'Verified online · {t}'],
  'result.offline': ['离线核验,状态截至 {t}({age})', 'Offline, status as of {t} ({age})'],
  'result.offlineNone': ['离线核验,本机无状态数据', 'Offline, no status data on this device'],
  'result.fallback': ['服务器暂不可用,已改为离线核验', 'The server is not reachable: checked offline'],
  'result.photo': ['持证人照片', 'Photo of the holder'],
  'result.name': ['姓名', 'Name'],
  'result.id': ['身份证号', 'ID number'],
  'result.idLast4': ['身份证号后4位', 'ID number, last 4'],
  'result.idCompare': ['离线无照片:请将证书上的照片与本人比对,并核对其身份证号后4位',
    "Offline, no photo: compare the certificate's photo with the person, and these 4 characters with their ID card"],
  'result.regno': ['注册编号', 'Reg. no.'],
  'result.seal': ['执业印章号', 'Seal no.'],
  'result.kind': ['类别', 'Kind'],
  'result.level': ['级别', 'Level'],
  'result.employer': ['聘用单位', 'Employer'],
  'result.usage': ['电子证书使用期', 'Copy usable'],
  'result.copy': ['电子证书标识', 'Copy identifier'],
  'result.live': ['动态二维码生成于', 'Live code made at'],
  'result.issuer': ['发证机关', 'Issuer'],
  'result.specialties': ['注册专业', 'Specialties'],
  'result.until': ['有效期至 {d}', 'until {d}'],
  'result.reasons': ['原因', 'Reasons'],
  'result.notes': ['提示', 'Notes'],
  'result.raw': ['二维码内容', 'QR code text'],
  'result.rawNote': ['为安全起见,本应用不会打开二维码中的链接。', 'For safety, this app never opens links found in a QR code.'],
  'result.next': ['扫描下一个', 'Scan the next'],
  'result.offlineOnly': ['离线时仅显示证书内的信息', 'Offline, only the data inside the certificate is shown'],
  'result.details': ['证书信息', 'Certificate data'],
  'result.employerOnCopy': ['证书单位', 'On the copy'],
  'result.employerNow': ['现单位', 'Now'],
  'result.employerChanged': ['变更单位', 'Employer changed'],
  'result.employerRenamed': ['单位更名(信用代码未变)', 'Employer renamed (same credit code)'],
  'result.employerSame': ['单位未变更', 'Same employer'],
  'result.recorded': ['扫码记录 {t}:当时结论“{v}”{how}{site}。下面是刚才重新核验的结果', 'Scan of {t}: then “{v}”{how}{site}. Below, the result of checking it again now'],
  'result.recordedOnly': ['扫码记录 {t}:当时结论“{v}”{how}{site}。此记录未保存证书内容,无法重新核验', 'Scan of {t}: then “{v}”{how}{site}. This entry kept no certificate data, so it cannot be checked again'],
  'doc.title': ['PDF 文件电子签名', "The PDF's electronic signature"],
  'doc.intact': ['签名完整', 'Signature intact'],
  'doc.intactNote': ['由发证机关签名,签名后未被修改', 'Signed by the issuer, unchanged since'],
  'doc.tampered': ['已篡改', 'Altered'],
  'doc.tamperedNote': ['签名后文件被修改,或签名已损坏', 'Changed after signing, or the signature is broken'],
  'doc.untrusted': ['不受信任', 'Untrusted'],
  'doc.untrustedNote': ['签名者不是发证机关(或其证书已被吊销)', 'Not signed by the issuer (or its certificate is revoked)'],
  'doc.unsigned': ['未签名', 'Not signed'],
  'doc.unsignedNote': ['没有电子签名,不是原件;结论仅依据二维码', 'No electronic signature, so no original: the verdict rests on the QR code'],
  'doc.signer': ['签名者', 'Signer'],
  'doc.signerClaimed': ['签名者(自称,未经验证)', 'Signer (its own claim, unverified)'],
  'doc.signedAt': ['签名时间', 'Signed at'],
  'level.1': ['一级', 'Grade I'],
  'level.2': ['二级', 'Grade II'],
  'spec.valid': ['有效', 'valid'],
  'spec.lapsed': ['已过期', 'lapsed'],
  'spec.suspended': ['暂扣', 'suspended'],
  'spec.revoked': ['已注销', 'revoked'],
  'spec.unknown': ['未确认', 'unconfirmed'],
  'history.title': ['扫码记录', 'Scan history'],
  'history.note': ['记录只保存在本设备上', 'Kept on this device only'],
  'history.search': ['搜索姓名、编号或工地', 'Search name, number or site'],
  'history.export': ['导出 CSV', 'Export CSV'],
  'history.clear': ['清空记录', 'Clear history'],
  'history.empty': ['暂无记录', 'No scans yet'],
  'history.count': ['共 {n} 条', '{n} entries'],
  'history.confirm': ['确定清空本设备上的全部扫码记录?', 'Clear the whole scan history on this device?'],
  'history.cancel': ['取消', 'Cancel'],
  'history.ok': ['清空', 'Clear'],
  'history.offline': ['离线', 'offline'],
  'history.online': ['在线', 'online'],
  'history.open': ['打开 {who} 的核验结果', 'Open the check of {who}'],
  'csv.time': ['时间', 'Time'],
  'csv.verdict': ['结论', 'Verdict'],
  'csv.regno': ['注册编号', 'Registration no.'],
  'csv.name': ['姓名', 'Name'],
  'csv.site': ['工地', 'Site'],
  'csv.mode': ['方式', 'Mode'],
  'lookup.title': ['公开查询', 'Public lookup'],
  'lookup.label': ['姓名或注册编号/证书编号', 'Name, registration or certificate number'],
  'lookup.go': ['查询', 'Search'],
  'lookup.hint': ['编号可只输前几位(如 苏2322526);身份证号已脱敏显示', 'A number may be its first characters (苏2322526); ID numbers are masked'],
  'lookup.none': ['未找到匹配的注册信息', 'No match'],
  'lookup.none_filtered': ['未找到匹配的注册信息,可清除筛选条件后再试', 'No match: try without the filters'],
  'lookup.total': ['共 {n} 条', '{n} found'],
  'lookup.capped': ['至少 {n} 条,请缩小范围(可加省份、类别等条件)', 'At least {n} found: narrow the search (province, kind …)'],
  'lookup.filters': ['筛选', 'Filters'],
  'lookup.province': ['注册省份', 'Province'],
  'lookup.kind': ['证书类别', 'Kind'],
  'lookup.specialty': ['注册专业', 'Specialty'],
  'lookup.any_province': ['全部省份', 'All provinces'],
  'lookup.any_kind': ['全部类别', 'All kinds'],
  'lookup.any_specialty': ['全部专业', 'All specialties'],
  'lookup.more': ['更多条件', 'More'],
  'lookup.employer': ['聘用单位(名称的一部分或信用代码)', 'Employer (part of its name, or its credit code)'],
  'lookup.clear': ['清除筛选', 'Clear filters'],
  'lookup.filtered': ['已筛选', 'filtered'],
  'lookup.until': ['至 {d}', 'to {d}'],
  'lookup.page': ['第 {p} / {n} 页', 'Page {p} of {n}'],
  'lookup.prev': ['上一页', 'Previous'],
  'lookup.next': ['下一页', 'Next'],
  'lookup.offline': ['查询需要联网', 'Lookup needs a connection'],
  'lookup.busy': ['查询过于频繁,请稍后再试', 'Too many searches: try again shortly'],
  'lookup.failed': ['查询失败,请稍后再试', 'The search failed: try again later'],
  'lookup.status': ['状态', 'Status'],
  'age.now': ['刚刚', 'just now'],
  'age.min': ['{n} 分钟前', '{n} min ago'],
  'age.hour': ['{n} 小时前', '{n} h ago'],
  'age.day': ['{n} 天前', '{n} days ago'],
  'update.ready': ['新版本已就绪,重新打开即可使用', 'A new version is ready: reopen the app to use it'],

  // Shared by the signed-in areas: the pagers' label and an API refusal's words (core/auth.js errorWords).
  'roster.pages': ['翻页', 'Pages'],
  'ent.err.busy': ['请求过于频繁,请稍后再试', 'Too many requests: try again shortly'],
  'ent.err.network': ['无法连接服务器,请检查网络后重试', 'The server cannot be reached: check the connection and try again'],
  'ent.err.failed': ['操作失败,请稍后再试', 'Something went wrong: try again later'],
  'ent.err.expired': ['登录已失效,请重新登录', 'Your session has ended: please sign in again'],
  'ent.err.forbidden': ['此账户不能使用企业功能', 'This account cannot use the enterprise pages'],
};

let lang = (() => {
  try { return localStorage.getItem('jz.lang') === 'en' ? 'en' : 'zh'; } catch { return 'zh'; }
})();

export const getLang = () => lang;

/** More [中文, English] pairs from another module (each signed-in area keeps its words apart). */
export function addStrings(more) {
  Object.assign(STRINGS, more);
}

export function setLang(l) {
  lang = l === 'en' ? 'en' : 'zh';
  try { localStorage.setItem('jz.lang', lang); } catch { /* private mode: the choice lasts this visit */ }
  applyI18n();
}

/** The word for `key` in the current language, with {placeholders} filled from vars. */
export function t(key, vars = {}) {
  const pair = STRINGS[key];
  const s = pair ? pair[lang === 'en' ? 1 : 0] : key;
  return s.replace(/\{(\w+)\}/g, (_, k) => (k in vars ? String(vars[k]) : `{${k}}`));
}

/** Pick from a [中文, English] pair, or from an API object's message / message_en. */
export const pick = (zh, en) => (lang === 'en' && en ? en : zh);

export function applyI18n(root = document) {
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
  document.title = t('app.title');
  // Only what differs is written: at start-up in Chinese that is nothing (the markup is in Chinese), so the
  // page is neither restyled nor repainted before its first screen.
  // A key not known yet (an area whose strings.js is not loaded) keeps the markup's words.
  for (const el of root.querySelectorAll('[data-i18n]')) {
    const text = STRINGS[el.dataset.i18n] ? t(el.dataset.i18n) : el.textContent;
    if (el.textContent !== text) el.textContent = text;
  }
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split(':').map((x) => x.trim());
      if (STRINGS[key] && el.getAttribute(attr) !== t(key)) el.setAttribute(attr, t(key));
    }
  }
}

/** A local date and time, short: 2026-11-21 20:10 (the device's time zone). */
export function fmtTime(value) {
  if (value === null || value === undefined || value === '') return '';
  const d = typeof value === 'number' ? new Date(value) : new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function fmtDate(value) {
  return fmtTime(value).slice(0, 10);
}
