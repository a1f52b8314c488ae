// Site roles: a person's verified certificates against a role, for the inspector's app offline. The same
// function as backend/services/sitecheck/evaluate.py, word for word: tests/data/role_cases.json holds both to
// the same answers (tests/e2e/test_sitecheck_roles.py runs this file in Chromium on those vectors).
//   role:  one role of GET /api/v1/roles (roles.json: requirements, any_of kinds, province_overrides)
//   certs: verification results as verify.js gives them, live or offline ({verdict, certificate, specialties})
//   site:  {specialty, contractor_uscc, scale, province}
// Returns {role, role_name, role_name_en, met, holder, flags, reasons, requirements: [{code, name, name_en, met,
// certificate, flags, reasons}]}; docs/site-checks.md explains each flag.

export const SCALES = ['small', 'medium', 'large'];   // smallest first: max_scale admits every size up to its own

// flag -> [中文, English]. INFO flags only say what was not checked; every other flag leaves a requirement unmet.
export const FLAGS = {
  missing: ['缺少此项所需证书', 'No certificate for this requirement'],
  other_employer: ['注册在其他单位,不是本工地的施工单位(疑似挂证)',
    "Registered at another employer than the site's contractor (possible certificate renting)"],
  specialty_mismatch: ['注册专业或类别与要求不符', 'The specialty or category does not match'],
  level_limit: ['证书级别不能担任此规模工程', "The certificate's level does not cover a project of this size"],
  lapsed: ['注册或专业已失效', 'The registration or specialty has lapsed'],
  expired: ['电子证书已超过使用时限', "The copy's usage period is over"],
  superseded: ['电子证书已被新版本替代', 'A newer copy exists'],
  suspended: ['注册已被暂扣', 'The registration is suspended'],
  revoked: ['注册已注销、撤销或吊销', 'The registration is cancelled, rescinded or revoked'],
  not_found: ['签发机关无此证书记录', 'The issuer has no such copy'],
  invalid: ['证书无效', 'The certificate is not valid'],
  unconfirmed: ['状态数据过旧,无法确认有效', 'Status data too old to confirm'],
  different_holders: ['所扫证书不属于同一人', 'The certificates scanned are not all of one person'],
  scale_unknown: ['未填写工程规模,未核对级别限制', 'No project size given: the level limit was not checked'],
  specialty_unknown: ['未填写工程专业,未核对注册专业', 'No project specialty given: the specialty was not checked'],
  contractor_unknown: ['未填写施工单位,未核对聘用单位', 'No contractor given: the employer was not checked'],
};
export const INFO = ['scale_unknown', 'specialty_unknown', 'contractor_unknown'];
const VERDICT_FLAG = {
  expired: 'expired', lapsed: 'lapsed', superseded: 'superseded', suspended: 'suspended', revoked: 'revoked',
  not_found: 'not_found', invalid: 'invalid', unknown: 'unconfirmed',
};
const SPECIALTY_FLAG = { lapsed: 'lapsed', suspended: 'suspended', revoked: 'revoked' };

function reason(flag, details) {
  const [zh, en] = FLAGS[flag];
  const out = { code: flag, message: zh, message_en: en };
  if (details) out.details = details;
  return out;
}

function specialtyFlags(result, wanted) {
  if (!wanted) return [];
  const held = (result.specialties || []).filter((s) => wanted.includes(s.code));
  if (held.some((s) => s.status === 'valid')) return [];
  if (held.length) return [[SPECIALTY_FLAG[held[0].status] || 'lapsed', null]];
  return [['specialty_mismatch', { required: [...wanted] }]];
}

function candidate(req, opt, result, site) {
  const cert = result.certificate;
  const flags = [];
  const v = VERDICT_FLAG[result.verdict];
  if (v) flags.push([v, null]);
  let wanted = opt.specialties || null;
  if (req.specialty === 'project') {
    if (site.specialty) {
      const only = (wanted || [site.specialty]).filter((c) => c === site.specialty);
      wanted = only.length ? only : [site.specialty];
    } else {
      flags.push(['specialty_unknown', null]);
    }
  }
  flags.push(...specialtyFlags(result, wanted));
  if (opt.max_scale) {
    if (!SCALES.includes(site.scale)) flags.push(['scale_unknown', null]);
    else if (SCALES.indexOf(site.scale) > SCALES.indexOf(opt.max_scale)) {
      flags.push(['level_limit', { max_scale: opt.max_scale, scale: site.scale }]);
    }
  }
  if (req.at_contractor) {
    const contractor = site.contractor_uscc;
    const employer = (cert.employer || {}).uscc;
    if (!contractor) flags.push(['contractor_unknown', null]);
    else if (employer !== contractor) {
      flags.push(['other_employer', { employer_uscc: employer === undefined ? null : employer, contractor_uscc: contractor }]);
    }
  }
  const seen = new Set();
  return flags.filter(([f]) => (seen.has(f) ? false : seen.add(f)));
}

function requirement(req, certs, site) {
  const kinds = {};
  for (const opt of req.any_of) if (!(opt.kind in kinds)) kinds[opt.kind] = opt;
  let best = null;   // [failing count, certificate id, flags]
  for (const result of certs) {
    const cert = result.certificate;
    if (!cert || !Object.prototype.hasOwnProperty.call(kinds, cert.kind)) continue;
    const flags = candidate(req, kinds[cert.kind], result, site);
    const failing = flags.filter(([f]) => !INFO.includes(f)).length;
    if (best === null || failing < best[0]) best = [failing, cert.copy_id === undefined ? null : cert.copy_id, flags];
    if (failing === 0) break;
  }
  if (best === null) best = [1, null, [['missing', null]]];
  const [failing, copyId, flags] = best;
  return {
    code: req.code, name: req.name, name_en: req.name_en, met: failing === 0, certificate: copyId,
    flags: flags.map(([f]) => f), reasons: flags.map(([f, d]) => reason(f, d)),
  };
}

/** One person's certificates against a role; see the head of this file. */
export function evaluate(role, certs, site) {
  site = site || {};
  const over = (role.province_overrides || {})[site.province || ''];
  if (over) role = { ...role, ...over };
  const list = (certs || []).filter((c) => c && typeof c === 'object');
  const requirements = role.requirements.map((req) => requirement(req, list, site));
  const names = [];
  for (const c of list) {
    const name = (c.certificate || {}).name;
    if (name && !names.includes(name)) names.push(name);
  }
  const flags = [];
  for (const r of requirements) for (const f of r.flags) if (!flags.includes(f)) flags.push(f);
  if (names.length > 1) flags.push('different_holders');
  return {
    role: role.code, role_name: role.name, role_name_en: role.name_en,
    met: requirements.every((r) => r.met) && names.length <= 1,
    holder: names.length ? names[0] : null, flags,
    reasons: names.length > 1 ? [reason('different_holders')] : [],
    requirements,
  };
}

/** The role of a roles document (GET /api/v1/roles) by its code, or null. */
export function roleByCode(doc, code) {
  return ((doc && doc.roles) || []).find((r) => r.code === code) || null;
}
