// The screen of an inspection record's link ({base}/i#<token>: the QR code on the record's PDF; view-record),
// imported by app.js only when such a link is opened, so that a certificate link's path carries none of it.
// The verdict first (a genuine record of the issuer, or not: recordcheck.js, online, else its signature
// offline), then what the signed record says: the site, the times, the inspecting organisation and the result
// in figures. The public record holds no inspector's or checked person's personal data (docs/site-checks.md).

import { $, el } from '../core/dom.js';
import { addStrings, fmtTime, pick, t } from '../core/i18n.js';
import { PROVINCES } from '../core/provinces.js';
import { onTrustChange, trust } from '../core/trust.js';
import { VERDICT_WORD } from '../verify/verdicts.js';
import { checkRecord } from './recordcheck.js';
import { FLAGS, INFO } from './roles.js';

addStrings({
  'rec.word.valid': ['真实记录', 'Genuine record'],
  'rec.word.invalid': ['不是真实记录', 'Not a genuine record'],
  'rec.word.not_found': ['查无此记录', 'No such record'],
  'rec.word.signature_valid': ['签名有效', 'Signature valid'],
  'rec.word.unknown': ['需联网核验', 'Needs a connection'],
  'rec.msg.signature_valid': ['离线核验:检查记录由签发机关签名,内容未被改动', 'Verified offline: signed by the issuer and unchanged'],
  'rec.msg.unknown': ['核验检查记录需要联网,请联网后重试', 'Checking an inspection record needs a connection: try again online'],
  'rec.msg.invalid': ['无效:不是本机关签发的真实检查记录', 'Invalid: not a genuine inspection record of this issuer'],
  'rec.offlineNote': ['离线只能核验签名;与签发机关存档的完整比对需联网进行。', 'Offline only the signature is checked; the full check against the issuer’s archive is online.'],
  'rec.fallback': ['服务器暂不可用,已改为离线核验', 'The server is unavailable: checked offline'],
  'rec.mode.online': ['在线核验 · {t}', 'Checked online · {t}'],
  'rec.mode.offline': ['离线核验 · {t}', 'Checked offline · {t}'],
  'rec.why.keys_missing': ['本设备尚未下载签发机关的公钥', 'This device has not downloaded the issuer’s keys yet'],
  'rec.why.unknown_key': ['签名密钥不在本设备已下载的公钥中', 'The signing key is not among the keys on this device'],
  'rec.why.malformed': ['不是格式正确的检查记录令牌', 'Not a well-formed inspection record token'],
  'rec.why.wrong_type': ['令牌类型错误:不是检查记录', 'Wrong token type: not an inspection record'],
  'rec.why.bad_signature': ['签名验证失败(内容被篡改或伪造)', 'The signature does not verify (tampered or forged)'],
  'rec.why.wrong_issuer': ['签发者不符', 'Wrong issuer'],
  'rec.why.missing_claim': ['令牌缺少必需字段', 'The token lacks a required claim'],
  'rec.why.not_yet_valid': ['令牌签发时间在未来', 'The token is issued in the future'],
  'rec.why.algorithm_not_allowed': ['签名算法不被接受', 'The signature algorithm is not accepted'],
  'rec.why.missing_kid': ['令牌缺少密钥标识', 'The token names no key'],
  'rec.title': ['施工现场人员持证核查记录', 'Site inspection record'],
  'rec.id': ['记录编号', 'Record no.'],
  'rec.site': ['工地名称', 'Site'],
  'rec.specialty': ['工程专业', 'Project specialty'],
  'rec.scale': ['工程规模', 'Project size'],
  'rec.contractor': ['施工单位信用代码', 'Contractor’s credit code'],
  'rec.province': ['省份', 'Province'],
  'rec.gps': ['位置', 'Location'],
  'rec.time': ['检查时间', 'Time of the check'],
  'rec.org': ['检查单位', 'Inspecting organisation'],
  'rec.issued': ['记录签发', 'Record signed'],
  'rec.result': ['检查结果', 'Result'],
  'rec.people': ['{n} 人、{c} 张证书;{met} 人符合岗位要求,{not} 人不符合', '{n} people, {c} certificates: {met} meet their role, {not} do not'],
  'rec.verdicts': ['证书核验结论', 'Certificate verdicts'],
  'rec.flags': ['发现的问题(人数)', 'Problems found (people)'],
  'rec.noFlags': ['未发现问题', 'None'],
  'rec.private': ['公开核验不显示检查人员和被检查人员的个人信息;完整记录由检查人员和主管部门保存。', 'A public check shows no personal data of the inspector or of the people checked; the full record stays with the inspector and the authority.'],
  'rec.again': ['重新核验', 'Check again'],
  'rec.scan': ['扫描证书', 'Scan a certificate'],
  'rec.scale.small': ['小型', 'Small'], 'rec.scale.medium': ['中型', 'Medium'], 'rec.scale.large': ['大型', 'Large'],
});

const TONE = { valid: 'ok', signature_valid: 'ok', invalid: 'bad', not_found: 'bad', unknown: 'grey' };
const ICON = { ok: '#i-ok', bad: '#i-bad', grey: '#i-unknown' };
let shown = null;    // {token, r}: re-drawn on a language switch
let onScan = () => {};

function words(tag, cls, key, vars) {
  return el(tag, cls, t(key, vars));
}

function specialtyName(code) {
  for (const k of (trust().catalogue && trust().catalogue.kinds) || []) {
    const s = (k.specialties || []).find((x) => x.code === code);
    if (s && /^JZS/.test(k.code)) return `${pick(s.name, s.name_en)} (${code})`;
  }
  return code;
}

function banner(r) {
  const tone = TONE[r.verdict] || 'grey';
  const box = el('div', 'verdict');
  box.id = 'record-verdict';
  box.tabIndex = -1;
  Object.assign(box.dataset, { tone, verdict: r.verdict });
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('class', 'verdict-icon');
  svg.setAttribute('aria-hidden', 'true');
  const use = document.createElementNS('http://www.w3.org/2000/svg', 'use');
  use.setAttribute('href', ICON[tone]);
  svg.append(use);
  const text = el('div', 'verdict-text');
  const msg = r.mode === 'online' && r.message ? pick(r.message, r.message_en) : t(`rec.msg.${r.verdict}`);
  text.append(words('h1', 'verdict-word', `rec.word.${r.verdict}`), el('p', 'verdict-message', msg));
  box.append(svg, text);
  return box;
}

function reasonList(r) {
  const ul = el('ul', 'reasons record-reasons');
  for (const x of r.reasons || []) {
    const li = el('li', null, x.message ? pick(x.message, x.message_en) : t(`rec.why.${x.code}`));
    li.dataset.code = x.code;
    ul.append(li);
  }
  return ul;
}

function field(dl, key, value, cls) {
  if (value === null || value === undefined || value === '') return;
  const dd = el('dd', cls, value);
  dl.append(words('dt', null, key), dd);
}

function details(rec) {
  const card = el('section', 'card record-card');
  card.append(words('h2', 'section-title', 'rec.title'));
  const dl = el('dl', 'kv');
  const s = rec.site || {};
  const prov = PROVINCES.find((p) => p[0] === s.province);
  field(dl, 'rec.site', s.name, 'record-site');
  field(dl, 'rec.specialty', s.specialty && specialtyName(s.specialty));
  field(dl, 'rec.scale', s.scale && t(`rec.scale.${s.scale}`));
  field(dl, 'rec.contractor', s.contractor_uscc, 'mono');
  field(dl, 'rec.province', prov ? pick(prov[1], prov[2]) : s.province);
  if (s.gps) field(dl, 'rec.gps', `${Number(s.gps.lat).toFixed(5)}, ${Number(s.gps.lon).toFixed(5)}`);
  field(dl, 'rec.time', rec.started_at && `${fmtTime(rec.started_at)} — ${rec.finished_at ? fmtTime(rec.finished_at) : '…'}`, 'record-time');
  field(dl, 'rec.org', rec.organisation, 'record-org');
  field(dl, 'rec.issued', fmtTime(rec.issued_at));
  field(dl, 'rec.id', rec.id, 'mono record-id');
  card.append(dl);
  return card;
}

function summary(sum) {
  const card = el('section', 'card record-summary');
  card.append(words('h2', 'section-title', 'rec.result'));
  const n = Number(sum.people) || 0;
  const met = Number(sum.met) || 0;
  card.append(words('p', 'record-people', 'rec.people', { n, c: Number(sum.certificates) || 0, met, not: n - met }));
  const chips = (entries, label) => {
    const p = el('p', 'record-chips');
    p.append(el('span', 'muted small', `${t(label)}: `));
    for (const [code, count, tone, text] of entries) {
      const chip = el('span', `chip tone-${tone}`, `${text} ${count}`);
      chip.dataset.code = code;
      p.append(chip, ' ');
    }
    return p;
  };
  const verdicts = Object.entries(sum.verdicts || {}).map(([v, k]) => [v, k, v === 'valid' ? 'ok' : 'bad', VERDICT_WORD[v] ? pick(...VERDICT_WORD[v]) : v]);
  if (verdicts.length) card.append(chips(verdicts, 'rec.verdicts'));
  const flags = Object.entries(sum.flags || {}).filter(([f]) => !INFO.includes(f))
    .map(([f, k]) => [f, k, 'warn', FLAGS[f] ? pick(...FLAGS[f]) : f]);
  if (flags.length) card.append(chips(flags, 'rec.flags'));
  else card.append(words('p', 'muted small', 'rec.noFlags'));
  return card;
}

function render() {
  const root = $('record-root');
  if (!root || !shown) return;
  const { r } = shown;
  const parts = [banner(r)];
  const mode = el('p', 'result-mode', t(`rec.mode.${r.mode}`, { t: fmtTime(r.checked_at) }));
  mode.dataset.mode = r.mode;
  parts.push(mode);
  if (r.fallback) parts.push(words('p', 'notice record-fallback', 'rec.fallback'));
  if (r.error) parts.push(el('p', 'notice', pick(r.error.message, r.error.message_en)));
  if (r.verdict === 'signature_valid') parts.push(words('p', 'notice record-offline', 'rec.offlineNote'));
  if ((r.reasons || []).length) parts.push(reasonList(r));
  if (r.record) parts.push(details(r.record), summary(r.record.summary || {}), words('p', 'muted small', 'rec.private'));
  const row = el('div', 'action-row');
  if (r.mode !== 'online') {
    const again = words('button', 'btn primary', 'rec.again');
    again.type = 'button';
    again.id = 'record-again';
    again.addEventListener('click', () => showRecord(shown.token));
    row.append(again);
  }
  const scan = words('button', 'btn', 'rec.scan');
  scan.type = 'button';
  scan.addEventListener('click', () => onScan());
  row.append(scan);
  parts.push(row);
  root.replaceChildren(...parts);
}

/** Check `token` and show its verdict; `early`: the boot script's answer; `scan`: opens the scanner. */
export async function showRecord(token, { early = null, scan } = {}) {
  if (scan) onScan = scan;
  const r = await checkRecord(token, early);
  shown = { token, r };
  render();
  $('view-record').dataset.verdict = r.verdict;   // tests wait on this
  return r;
}

export const rerenderRecord = render;
onTrustChange(() => render());   // the catalogue arrived (a first visit): the specialty's name
