"""Site roles as data (backend/data/roles.json, or the file ROLES_FILE names): read once and checked whole at
start, so that a bad file stops the app with every problem named rather than answering wrongly on a site.

The roles stay plain JSON after the check: the evaluator (evaluate.py) and the app's offline evaluator
(pwa/js/sitecheck/roles.js) read the same objects, which GET /api/v1/roles hands out.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from backend.services.kinds import Catalogue
from backend.services.sitecheck.errors import RolesFileInvalid

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "data" / "roles.json"
SCALES = ("small", "medium", "large")          # smallest first: max_scale admits every size up to its own
CODE_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_")
ROLE_TEXT = ("name", "name_en", "explanation", "explanation_en")
REQ_TEXT = ("name", "name_en")
OVERRIDABLE = {"name", "name_en", "explanation", "explanation_en", "requirements"}


@dataclass(frozen=True)
class Roles:
    """The checked roles file: `data` is its JSON (as GET /api/v1/roles serves it), `by_code` each role."""
    data: dict
    by_code: dict

    def get(self, code: str) -> dict | None:
        return self.by_code.get(code)

    def for_site(self, code: str, province: str | None) -> dict | None:
        """The role as it applies in a province: its overrides there replace whole fields."""
        role = self.by_code.get(code)
        if role is None:
            return None
        over = (role.get("province_overrides") or {}).get(province or "")
        return {**role, **over} if over else role


def _code(value) -> bool:
    return isinstance(value, str) and 0 < len(value) <= 40 and set(value) <= CODE_CHARS


def _texts(obj: dict, keys, where: str, problems: list[str]) -> None:
    for k in keys:
        if not isinstance(obj.get(k), str) or not obj[k].strip():
            problems.append(f"{where}: 缺少文字 {k} / missing text {k}")


def _requirement(req, where: str, catalogue: Catalogue, problems: list[str]) -> None:
    if not isinstance(req, dict):
        problems.append(f"{where}: 须为对象 / must be an object")
        return
    if not _code(req.get("code")):
        problems.append(f"{where}: code 须为小写字母、数字或下划线 / code must be lower-case letters, digits or _")
    _texts(req, REQ_TEXT, where, problems)
    options = req.get("any_of")
    if not isinstance(options, list) or not options:
        problems.append(f"{where}: any_of 须列出至少一种证书 / any_of must list at least one kind")
        options = []
    for j, opt in enumerate(options):
        at = f"{where}.any_of[{j}]"
        kind = catalogue.kind(opt.get("kind")) if isinstance(opt, dict) and isinstance(opt.get("kind"), str) else None
        if kind is None:
            problems.append(f"{at}: 未知的证书类别 {opt.get('kind') if isinstance(opt, dict) else opt!r} / "
                            "unknown kind (backend/data/kinds.json)")
            continue
        unknown_keys = set(opt) - {"kind", "specialties", "max_scale"}
        if unknown_keys:
            problems.append(f"{at}: 未知字段 {sorted(unknown_keys)} / unknown fields")
        specs = opt.get("specialties")
        if specs is not None and (not isinstance(specs, list) or not specs
                                  or any(not isinstance(s, str) or kind.specialty(s) is None for s in specs)):
            problems.append(f"{at}: specialties 须为 {kind.code} 的专业代码 / specialties must be codes of {kind.code}: "
                            f"{sorted(kind.specialties)}")
        if "max_scale" in opt and opt["max_scale"] not in SCALES:
            problems.append(f"{at}: max_scale 须为 {'/'.join(SCALES)} 之一 / max_scale must be one of {SCALES}")
    if req.get("specialty") not in (None, "project"):
        problems.append(f"{where}: specialty 只能为 \"project\" 或省略 / specialty is \"project\" or absent")
    if not isinstance(req.get("at_contractor", False), bool):
        problems.append(f"{where}: at_contractor 须为 true 或 false / at_contractor must be true or false")
    unknown_keys = set(req) - {"code", "name", "name_en", "explanation", "explanation_en", "any_of", "specialty",
                               "at_contractor"}
    if unknown_keys:
        problems.append(f"{where}: 未知字段 {sorted(unknown_keys)} / unknown fields")


def _requirements(reqs, where: str, catalogue: Catalogue, problems: list[str]) -> None:
    if not isinstance(reqs, list) or not reqs:
        problems.append(f"{where}.requirements: 须列出至少一项要求 / must list at least one requirement")
        return
    for i, req in enumerate(reqs):
        _requirement(req, f"{where}.requirements[{i}]", catalogue, problems)
    codes = [r.get("code") for r in reqs if isinstance(r, dict)]
    if len(set(codes)) != len(codes):
        problems.append(f"{where}.requirements: code 重复 / a requirement code appears twice")


def check_roles(raw, catalogue: Catalogue) -> list[str]:
    """Every problem of a roles file's JSON (empty: usable)."""
    problems: list[str] = []
    if not isinstance(raw, dict) or not isinstance(raw.get("roles"), list) or not raw["roles"]:
        return ["顶层须为含 roles 列表的对象 / the top level must be an object with a non-empty roles list"]
    if "scales" in raw and [s.get("code") if isinstance(s, dict) else s for s in raw["scales"] or []] != list(SCALES):
        problems.append(f"scales: 须依次为 {'/'.join(SCALES)} / scales must be {SCALES}, in this order")
    seen = set()
    for i, role in enumerate(raw["roles"]):
        where = f"roles[{i}]"
        if not isinstance(role, dict):
            problems.append(f"{where}: 须为对象 / must be an object")
            continue
        code = role.get("code")
        where = f"roles[{i}] ({code})"
        if not _code(code):
            problems.append(f"{where}: code 须为小写字母、数字或下划线 / code must be lower-case letters, digits or _")
        elif code in seen:
            problems.append(f"{where}: code 重复 / the code appears twice")
        seen.add(code)
        _texts(role, ROLE_TEXT, where, problems)
        unknown_keys = set(role) - {*ROLE_TEXT, "code", "group", "requirements", "province_overrides"}
        if unknown_keys:
            problems.append(f"{where}: 未知字段 {sorted(unknown_keys)} / unknown fields")
        _requirements(role.get("requirements"), where, catalogue, problems)
        overrides = role.get("province_overrides", {})
        if not isinstance(overrides, dict):
            problems.append(f"{where}.province_overrides: 须为对象 / must be an object")
            continue
        for prov, over in overrides.items():
            at = f"{where}.province_overrides.{prov}"
            if prov not in catalogue.provinces:
                problems.append(f"{at}: 未知的省级代码 / unknown province code (GB/T 2260)")
            if not isinstance(over, dict) or not over or set(over) - OVERRIDABLE:
                problems.append(f"{at}: 只能替换 {sorted(OVERRIDABLE)} / may replace only {sorted(OVERRIDABLE)}")
                continue
            if "requirements" in over:
                _requirements(over["requirements"], at, catalogue, problems)
    return problems


def load_roles(path: str | None, catalogue: Catalogue) -> Roles:
    """The roles file read and checked; RolesFileInvalid names every problem."""
    where = str(path or DEFAULT_FILE)
    try:
        raw = json.loads(Path(where).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise RolesFileInvalid(where, [f"无法读取或不是 JSON / unreadable or not JSON: {e}"]) from None
    problems = check_roles(raw, catalogue)
    if problems:
        raise RolesFileInvalid(where, problems)
    data = {"version": raw.get("version", 1), "scales": raw.get("scales") or [{"code": s} for s in SCALES],
            "roles": raw["roles"]}
    return Roles(data=data, by_code={r["code"]: r for r in data["roles"]})

