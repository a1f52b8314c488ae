"""A person's verified certificates against a site role: each requirement met or not, and why.

`certs` are verification results in the shape of POST /api/v1/verify (verify_qr's answer, or the app's offline
one: pwa/js/verify/offline.js); `site` is {specialty, contractor_uscc, scale, province}. A requirement is met by
one certificate of a kind it names that has no failing flag; otherwise the candidate with the fewest failing
flags is shown with them, or `missing` when no certificate is of such a kind. pwa/js/sitecheck/roles.js is the
same function in JavaScript: tests/data/role_cases.json holds both to the same answers, word for word.
"""
from __future__ import annotations

from backend.services.sitecheck.roles import SCALES

# flag -> (中文, English). FAILING flags leave a requirement unmet; the others only say what was not checked.
FLAGS = {
    "missing": ("缺少此项所需证书", "No certificate for this requirement"),
    "other_employer": ("注册在其他单位,不是本工地的施工单位(疑似挂证)",
                       "Registered at another employer than the site's contractor (possible certificate renting)"),
    "specialty_mismatch": ("注册专业或类别与要求不符", "The specialty or category does not match"),
    "level_limit": ("证书级别不能担任此规模工程", "The certificate's level does not cover a project of this size"),
    "lapsed": ("注册或专业已失效", "The registration or specialty has lapsed"),
    "expired": ("电子证书已超过使用时限", "The copy's usage period is over"),
    "superseded": ("电子证书已被新版本替代", "A newer copy exists"),
    "suspended": ("注册已被暂扣", "The registration is suspended"),
    "revoked": ("注册已注销、撤销或吊销", "The registration is cancelled, rescinded or revoked"),
    "not_found": ("签发机关无此证书记录", "The issuer has no such copy"),
    "invalid": ("证书无效", "The certificate is not valid"),
    "unconfirmed": ("状态数据过旧,无法确认有效", "Status data too old to confirm"),
    "different_holders": ("所扫证书不属于同一人", "The certificates scanned are not all of one person"),
    "scale_unknown": ("未填写工程规模,未核对级别限制", "No project size given: the level limit was not checked"),
    "specialty_unknown": ("未填写工程专业,未核对注册专业", "No project specialty given: the specialty was not checked"),
    "contractor_unknown": ("未填写施工单位,未核对聘用单位", "No contractor given: the employer was not checked"),
}
INFO = ("scale_unknown", "specialty_unknown", "contractor_unknown")
VERDICT_FLAG = {"expired": "expired", "lapsed": "lapsed", "superseded": "superseded", "suspended": "suspended",
                "revoked": "revoked", "not_found": "not_found", "invalid": "invalid", "unknown": "unconfirmed"}
SPECIALTY_FLAG = {"lapsed": "lapsed", "suspended": "suspended", "revoked": "revoked"}


def _reason(flag: str, details: dict | None = None) -> dict:
    zh, en = FLAGS[flag]
    out = {"code": flag, "message": zh, "message_en": en}
    if details:
        out["details"] = details
    return out


def _specialty_flags(cert: dict, wanted: list | None) -> list:
    """[] when the certificate holds one of `wanted` (None: any) valid; else the flag of the nearest miss."""
    if wanted is None:
        return []
    held = [s for s in cert.get("specialties") or [] if s.get("code") in wanted]
    if any(s.get("status") == "valid" for s in held):
        return []
    if held:
        return [(SPECIALTY_FLAG.get(held[0].get("status"), "lapsed"), None)]
    return [("specialty_mismatch", {"required": list(wanted)})]


def _candidate(req: dict, opt: dict, result: dict, site: dict) -> list:
    """The (flag, details) of one certificate against one requirement, in a fixed order."""
    cert = result["certificate"]
    flags = []
    verdict = VERDICT_FLAG.get(result.get("verdict"))
    if verdict:
        flags.append((verdict, None))
    wanted = opt.get("specialties")
    if req.get("specialty") == "project":
        if site.get("specialty"):
            wanted = [c for c in (wanted or [site["specialty"]]) if c == site["specialty"]] or [site["specialty"]]
        else:
            flags.append(("specialty_unknown", None))
    flags += _specialty_flags(result, wanted)
    if opt.get("max_scale"):
        scale = site.get("scale")
        if scale not in SCALES:
            flags.append(("scale_unknown", None))
        elif SCALES.index(scale) > SCALES.index(opt["max_scale"]):
            flags.append(("level_limit", {"max_scale": opt["max_scale"], "scale": scale}))
    if req.get("at_contractor"):
        contractor = site.get("contractor_uscc")
        employer = (cert.get("employer") or {}).get("uscc")
        if not contractor:
            flags.append(("contractor_unknown", None))
        elif employer != contractor:
            flags.append(("other_employer", {"employer_uscc": employer, "contractor_uscc": contractor}))
    seen, out = set(), []
    for flag, details in flags:
        if flag not in seen:
            seen.add(flag)
            out.append((flag, details))
    return out


def _requirement(req: dict, certs: list, site: dict) -> dict:
    kinds = {}
    for opt in req["any_of"]:
        kinds.setdefault(opt["kind"], opt)
    best = None                      # (failing count, index, certificate id, flags)
    for i, result in enumerate(certs):
        cert = result.get("certificate") if isinstance(result, dict) else None
        if not cert or cert.get("kind") not in kinds:
            continue
        flags = _candidate(req, kinds[cert["kind"]], result, site)
        failing = sum(1 for f, _ in flags if f not in INFO)
        if best is None or failing < best[0]:
            best = (failing, i, cert.get("copy_id"), flags)
        if failing == 0:
            break
    if best is None:
        best = (1, -1, None, [("missing", None)])
    failing, _, copy_id, flags = best
    return {"code": req["code"], "name": req["name"], "name_en": req["name_en"], "met": failing == 0,
            "certificate": copy_id, "flags": [f for f, _ in flags], "reasons": [_reason(f, d) for f, d in flags]}


def evaluate(role: dict, certs: list, site: dict) -> dict:
    """One person's certificates against a role (as roles.json has it, or as Roles.for_site resolved it)."""
    site = site or {}
    over = (role.get("province_overrides") or {}).get(site.get("province") or "")
    if over:
        role = {**role, **over}
    certs = [c for c in certs or [] if isinstance(c, dict)]
    requirements = [_requirement(req, certs, site) for req in role["requirements"]]
    names = []
    for c in certs:
        name = (c.get("certificate") or {}).get("name")
        if name and name not in names:
            names.append(name)
    flags = []
    for r in requirements:
        flags += [f for f in r["flags"] if f not in flags]
    if len(names) > 1:
        flags.append("different_holders")
    return {"role": role["code"], "role_name": role["name"], "role_name_en": role["name_en"],
            "met": all(r["met"] for r in requirements) and len(names) <= 1,
            "holder": names[0] if names else None, "flags": flags,
            "reasons": [_reason("different_holders")] if len(names) > 1 else [],
            "requirements": requirements}
