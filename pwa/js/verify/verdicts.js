// Verdicts and reasons in Chinese and English: a mirror of backend/services/verdicts.py, so that an
// offline verdict reads exactly like an online one. tests/e2e/test_pwa_offline.py checks the two agree.

// Most serious first: the overall verdict is the first one any reason points to.
export const PRIORITY = ['invalid', 'not_found', 'revoked', 'suspended', 'lapsed', 'superseded', 'expired', 'valid'];

export const VERDICT_TEXT = {
  valid: ['证书真实有效', 'Genuine and valid'],
  expired: ['电子证书已超过使用时限,请持证人重新下载', "The copy's usage period is over: download a new copy"],
  lapsed: ['注册已失效(超过有效期或已达年龄上限)', 'The registration has lapsed (past its validity or the age cap)'],
  superseded: ['此电子证书已被新版本替代(信息已变更)', 'A newer copy exists after a change of data'],
  suspended: ['注册已被暂扣(锁定)', 'The registration is suspended (locked)'],
  revoked: ['注册已注销、撤销或吊销', 'The registration is cancelled, rescinded or revoked'],
  not_found: ['签名有效,但签发机关无此证书记录', 'Genuine signature, but the issuer has no such copy'],
  invalid: ['无效:不是本机关签发的真实证书', 'Invalid: not a genuine certificate of this issuer'],
};

// Only offline: the app cannot confirm a "valid" without fresh status data (DESIGN.md, offline).
export const UNKNOWN_TEXT = ['状态数据过旧,无法确认有效', 'Status data too old to confirm'];

// The big word on the verdict banner, read at arm's length.
export const VERDICT_WORD = {
  valid: ['有效', 'Valid'],
  expired: ['已过使用期', 'Expired copy'],
  lapsed: ['已失效', 'Lapsed'],
  superseded: ['已被替代', 'Superseded'],
  suspended: ['已暂扣', 'Suspended'],
  revoked: ['已注销/吊销', 'Revoked'],
  not_found: ['查无此证', 'Not found'],
  invalid: ['无效', 'Invalid'],
  unknown: ['无法确认', 'Cannot confirm'],
};

// The banner's word for a live code past its time (verdict expired, reason presentation_expired).
export const OLD_LIVE_WORD = ['旧动态码', 'Old live code'];

// Colour family of each verdict; the banner also has an icon and words, never colour alone.
export const VERDICT_TONE = {
  valid: 'ok', expired: 'warn', superseded: 'warn', unknown: 'grey',
  lapsed: 'bad', suspended: 'bad', revoked: 'bad', invalid: 'bad', not_found: 'bad',
};

// reason code -> [verdict it implies, 中文, English]
export const REASONS = {
  malformed: ['invalid', '二维码内容不是有效的证书令牌', 'The QR text is not a well-formed certificate token'],
  not_a_certificate: ['invalid', '二维码内容不是电子证书', 'The QR code does not hold a certificate'],
  foreign_url: ['invalid', '二维码指向其他网站,不是本机关的证书', 'The QR code points to another site, not this issuer'],
  algorithm_not_allowed: ['invalid', '签名算法不被接受', 'The signature algorithm is not accepted'],
  missing_kid: ['invalid', '令牌缺少密钥标识', 'The token names no key'],
  unknown_key: ['invalid', '签名密钥未知', 'The signing key is unknown'],
  wrong_type: ['invalid', '令牌类型错误', 'Wrong token type'],
  bad_signature: ['invalid', '签名验证失败(内容被篡改或伪造)', 'The signature does not verify (tampered or forged)'],
  wrong_issuer: ['invalid', '签发者不符', 'Wrong issuer'],
  missing_claim: ['invalid', '令牌缺少必需字段', 'The token lacks a required claim'],
  not_yet_valid: ['invalid', '令牌签发时间在未来', 'The token is issued in the future'],
  inconsistent: ['invalid', '令牌内容与登记记录不一致', 'The token does not match the register'],
  copy_unknown: ['not_found', '签发机关没有此电子证书的记录', 'The issuer has no record of this copy'],
  registration_cancelled: ['revoked', '注册已注销', 'The registration is cancelled (注销)'],
  registration_rescinded: ['revoked', '注册已撤销', 'The registration is rescinded (撤销)'],
  registration_revoked: ['revoked', '注册已吊销', 'The registration is revoked (吊销)'],
  copy_revoked: ['revoked', '此电子证书已作废', 'This copy is revoked'],
  registration_suspended: ['suspended', '注册已被暂扣(锁定)', 'The registration is suspended (locked)'],
  registration_lapsed: ['lapsed', '注册已失效', 'The registration has lapsed'],
  all_specialties_lapsed: ['lapsed', '所有注册专业均已超过有效期', 'Every specialty is past its validity'],
  specialty_lapsed: [null, '部分注册专业已超过有效期', 'Some specialties are past their validity'],
  specialty_expiring: [null, '部分注册专业有效期不足180天,请及时办理延续', 'A specialty has under 180 days left'],
  age_cap_reached: ['lapsed', '持证人已达到年龄上限', 'The holder has reached the age cap'],
  copy_superseded: ['superseded', '已有更新版本的电子证书', 'A newer copy exists'],
  copy_expired: ['expired', '电子证书已超过使用时限', "The copy's usage period is over"],
  // a holder's live code (动态二维码) shown after its time: a screenshot or a photo of an old one
  presentation_expired: ['expired', '此为过期的动态二维码(可能是截图)', 'An old live code: possibly a screenshot'],
  // a certificate PDF (POST /api/v1/verify/image with a PDF): its signature judged with the QR code
  document_tampered: ['invalid', 'PDF 文件在签名后被修改,或签名已损坏', 'The PDF was changed after signing, or its signature is broken'],
  document_untrusted: ['invalid', 'PDF 文件不是由发证机关签名(签名者不受信任或其证书已被吊销)',
    'The PDF is not signed by the issuer (an untrusted signer, or a revoked certificate)'],
  document_unsigned: [null, 'PDF 文件没有电子签名,不是发证机关签发的原件;结论仅依据二维码',
    'The PDF carries no electronic signature, so it is no original from the issuer; the verdict rests on the QR code alone'],
};

// Reasons only an offline check gives (the server never sends these codes).
export const OFFLINE_REASONS = {
  status_revoked: ['revoked', '状态清单显示此证书已作废(注册已注销、撤销或吊销,或此电子证书已作废)',
    'The status list marks this copy revoked (registration cancelled, rescinded or revoked, or the copy void)'],
  status_lapsed: ['lapsed', '状态清单显示注册已失效(超过有效期或已达年龄上限)',
    'The status list marks the registration lapsed (past its validity or the age cap)'],
  status_stale: [null, '本机状态数据已超过7天,不能确认证书仍然有效,请联网后重新核验',
    'The status data on this device is over 7 days old: it cannot confirm validity; verify again online'],
  status_missing: [null, '本机尚无状态数据,不能确认证书仍然有效,请联网后重新核验',
    'No status data on this device yet: it cannot confirm validity; verify again online'],
  status_outdated: [null, '状态数据已超过更新周期,可能不是最新', 'The status data is past its refresh time and may be out of date'],
  keys_missing: [null, '本机尚无签发机关公钥,无法离线核验,请联网后重试',
    "No issuer keys on this device yet: cannot verify offline; try again online"],
  not_in_list: [null, '此证书超出本机状态清单范围,无法离线确认状态', 'This copy is beyond the status list on this device'],
};

const ALL_REASONS = { ...REASONS, ...OFFLINE_REASONS };

export function reason(code, details) {
  const [, zh, en] = ALL_REASONS[code] || [null, code, code];
  const out = { code, message: zh, message_en: en };
  if (details) out.details = details;
  return out;
}

export function overall(reasons) {
  const implied = new Set(reasons.map((r) => (ALL_REASONS[r.code] || [])[0]).filter(Boolean));
  return PRIORITY.find((v) => implied.has(v)) || 'valid';
}

// What the inspector asks of the holder, one line under the banner of every verdict but valid. [中文, English]
// A copy is renewed by downloading it again (usage period 180 days, DOMAIN.md); a registration ended by
// 注销/撤销/吊销 or past the age cap cannot be restored; a lapsed one needs 延续注册 or 重新注册.
export const ADVICE = {
  expired: ['请持证人在“建证”或省级平台重新下载电子证书后再出示', 'Ask the holder to download a new copy (Jianzheng or provincial platform)'],
  oldLive: ['不要认可截图:请持证人当面打开“动态二维码”(时钟在走)再扫,或出示打印的证书',
    'Do not accept a screenshot: ask the holder to open the live code in front of you (its clock running), or show the printed copy'],
  superseded: ['请持证人出示最新版本的电子证书,旧版已不作数', 'Ask the holder for the latest copy: this older one no longer counts'],
  supersededEmployer: ['请持证人出示最新电子证书,并核实其是否在现单位任职(劳动合同、社保)',
    'Ask for the latest copy, and check they work for the current employer (contract, insurance)'],
  lapsed: ['不能以此注册执业:请持证人出示延续注册或重新注册后的有效证书', 'Not valid for practice: ask for a renewed or re-registered copy'],
  ageCap: ['持证人已达年龄上限,不能再以此注册执业:请其单位另派持证人员', 'Past the age cap, the holder may no longer practise on this registration: the employer must assign another registered person'],
  suspended: ['暂扣期间不能执业:请持证人联系发证机关,解除暂扣后再核验', 'No practice while suspended: ask the holder to contact the issuer'],
  revoked: ['不能以此注册执业:请持证人出示其他有效证书,并按规定报告主管部门', 'Not valid for practice: ask for another valid certificate, and report it as required'],
  copyRevoked: ['此电子证书已作废:请持证人重新下载最新电子证书后再出示', 'This copy is void: ask the holder to download the current copy and show it'],
  statusRevoked: ['不要认可此证书:请持证人出示其他有效证书,联网后可查明原因', 'Do not accept it: ask for another valid certificate; verify online for the reason'],
  not_found: ['请持证人重新下载电子证书后再核验;仍查无此证的,请向发证机关核实', 'Ask the holder to download the copy again; if it is still not found, check with the issuer'],
  invalid: ['疑似伪造或被篡改,不要认可:请持证人出示原始电子证书,并在“查询”中按姓名或注册编号核对',
    'Possibly forged or altered, do not accept it: ask for the original copy and check the name or number in Lookup'],
  notOurs: ['这不是本机关的证书二维码:请持证人出示电子证书上的二维码', "Not this issuer's certificate QR code: ask for the QR code on the holder's e-certificate"],
  document: ['PDF 文件不可信:请持证人出示从官方平台下载的原文件,或直接扫描证书二维码', 'The PDF cannot be trusted: ask for the file as downloaded from the official platform, or scan its QR code'],
  unknown: ['暂不能确认有效:请联网后重新核验(可在“记录”中重新打开此条)', 'Not confirmed: verify again once online (reopen it from History)'],
};

const has = (r, ...codes) => (r.reasons || []).some((x) => codes.includes(x.code));

/** The advice for a result ([中文, English]), or null for a valid one. employerChanged: the copy names another employer. */
export function adviceFor(r, employerChanged = false) {
  const v = r.verdict;
  if (v === 'valid') return null;
  if (v === 'invalid') {
    if (has(r, 'foreign_url', 'not_a_certificate')) return ADVICE.notOurs;
    if (has(r, 'document_tampered', 'document_untrusted')) return ADVICE.document;
    return ADVICE.invalid;
  }
  if (v === 'revoked') {
    if (has(r, 'status_revoked')) return ADVICE.statusRevoked;
    const regEnded = has(r, 'registration_cancelled', 'registration_rescinded', 'registration_revoked');
    return has(r, 'copy_revoked') && !regEnded ? ADVICE.copyRevoked : ADVICE.revoked;
  }
  if (v === 'lapsed') return has(r, 'age_cap_reached') ? ADVICE.ageCap : ADVICE.lapsed;
  if (v === 'superseded') return employerChanged ? ADVICE.supersededEmployer : ADVICE.superseded;
  if (v === 'expired' && has(r, 'presentation_expired') && !has(r, 'copy_expired')) return ADVICE.oldLive;
  return ADVICE[v] || ADVICE.invalid;
}

export function verdictMessage(verdict) {
  return verdict === 'unknown' ? UNKNOWN_TEXT : VERDICT_TEXT[verdict] || [verdict, verdict];
}
