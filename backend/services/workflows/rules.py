"""The conditions of the workflows as named rules: names, explanations and the types they apply to are
data (backend/data/rules.json); each rule's check is the function of the same code below. A rule answers
(passed, 中文, English, details); evaluate() lists every applicable rule's outcome for an application."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import Application, Person, Qualification, Registration, RegStatus, SpecialtyStatus
from backend.services.checkdigits import id_number_facts
from backend.services.clock import add_years, age_cap_date
from backend.services.errors import ServiceError
from backend.services.formats import PERSON_NAME
from backend.services.registry.persons import identity_facts
from backend.services.workflows.types import CANCELS, WorkflowContext

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "data" / "rules.json"
HELD = (RegStatus.ACTIVE, RegStatus.SUSPENDED)
ENDED = (RegStatus.LAPSED, *RegStatus.ENDED)


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    name_en: str
    explanation: str
    explanation_en: str
    applies_to: tuple
    correctable: bool


@dataclass(frozen=True)
class RuleBook:
    rules: tuple

    def for_type(self, app_type: str) -> list[Rule]:
        return [r for r in self.rules if app_type in r.applies_to]

    def get(self, code: str) -> Rule | None:
        return next((r for r in self.rules if r.code == code), None)


@lru_cache(maxsize=4)
def load_rulebook(path: str | None = None) -> RuleBook:
    raw = json.loads(Path(path or DEFAULT_FILE).read_text(encoding="utf-8"))
    rules = tuple(Rule(d["code"], d["name"], d["name_en"], d["explanation"], d["explanation_en"],
                       tuple(d["applies_to"]), bool(d.get("correctable"))) for d in raw["rules"])
    unknown = [r.code for r in rules if r.code not in CHECKS]
    if unknown:
        raise ValueError(f"rules without a check: {unknown}")
    return RuleBook(rules)


def _kind(ctx: WorkflowContext, app: Application):
    code = app.kind_code or (app.registration.kind_code if app.registration else None)
    return ctx.catalogue.kind(code) if code else None


def identity_consistent(session: Session, ctx: WorkflowContext, app: Application):
    p = app.person
    if app.type == "personal_info":            # the register's data are what is being corrected
        return _personal_change(session, app)
    facts = id_number_facts(p.id_number)
    if facts is None or facts != (p.birth_date, p.sex):
        return False, "身份证号码无效或与性别、出生日期不符", "The ID number is invalid or disagrees with sex and birth date", {}
    return True, "身份证号码有效,与性别、出生日期一致", "The ID number is valid and agrees with sex and birth date", {}


def _personal_change(session: Session, app: Application):
    """The new name and/or ID number are well formed, differ from the register and belong to nobody else.
    Whether they are true is for the authority to read in the proof files (always reviewed)."""
    p, changes = app.person, app.changes or {}
    new_name, new_idn = changes.get("name"), changes.get("id_number")
    clean = {"name": new_name or p.name, "id_number": new_idn or p.id_number}
    try:
        clean["birth_date"], clean["sex"] = identity_facts(clean["id_number"])
    except ServiceError:
        clean = None
    if clean is None or not PERSON_NAME.match(clean["name"]):
        return False, "新姓名或新身份证号码无效", "The new name or ID number is invalid", {}
    if clean["name"] == p.name and clean["id_number"] == p.id_number:
        return False, "新信息与登记的信息相同", "The new data are the registered ones", {}
    if clean["id_number"] != p.id_number and session.scalar(
            select(Person.id).where(Person.id_number == clean["id_number"], Person.id != p.id)):
        return False, "新身份证号码已登记在其他人员名下", "The new ID number is registered to another person", {}
    zh, en = [], []
    if clean["name"] != p.name:
        zh.append(f"姓名由「{p.name}」改为「{clean['name']}」")
        en.append("the name changes")
    if clean["id_number"] != p.id_number:
        zh.append("身份证号码更正(性别、出生日期随之更正)" if (clean["sex"], clean["birth_date"]) != (p.sex, p.birth_date)
                  else "身份证号码更正")
        en.append("the ID number is corrected")
    return True, "身份证号码有效;" + ",".join(zh) + ",须核对证明材料", \
        "Valid ID number; " + " and ".join(en) + ", to be checked against the proof files", {}


def one_employer(session: Session, ctx: WorkflowContext, app: Application):
    other = session.scalar(select(Registration.registration_number).where(
        Registration.person_id == app.person_id, Registration.enterprise_id != app.enterprise_id,
        Registration.status.in_(HELD)).limit(1))
    if other:
        return False, f"已在其他单位注册({other}),一人只能在一个单位注册", \
            f"Registered with another employer ({other}): one person, one employer", {"registration_number": other}
    return True, "未在其他单位注册", "No registration at another employer", {}


def _qualifications(session: Session, app: Application, kind_code: str) -> dict:
    rows = session.scalars(select(Qualification).where(Qualification.person_id == app.person_id,
                                                       Qualification.kind_code == kind_code)).all()
    out = {}
    for code in app.specialties or []:
        match = [q for q in rows if q.specialty_code in (code, None)]
        if match:
            out[code] = min(q.issued_on for q in match)
    return out


def qualification_held(session: Session, ctx: WorkflowContext, app: Application):
    kind = _kind(ctx, app)
    held = _qualifications(session, app, kind.code) if kind else {}
    missing = [c for c in app.specialties or [] if c not in held]
    if missing or not app.specialties:
        return False, f"缺少以下专业的资格证书:{'、'.join(missing) or '未指定专业'}", \
            f"No qualification for: {', '.join(missing) or 'no specialty named'}", {"missing": missing}
    return True, "每个专业都有资格证书", "A qualification for each specialty", {}


def cpd_hours(session: Session, ctx: WorkflowContext, app: Application):
    kind = _kind(ctx, app)
    if kind is None or kind.cpd_hours <= 0:
        return True, "该类别无继续教育要求", "No continuing-education requirement for this kind", {}
    if app.type == "renewal":
        if app.cpd_commitment:
            return True, "已承诺完成继续教育", "Continuing education committed", {}
        return False, "延续注册须承诺已完成继续教育", "A renewal needs the continuing-education commitment", {}
    held = _qualifications(session, app, kind.code)
    old = [c for c, issued in held.items() if issued < add_years(ctx.clock.today(), -3)]
    if not old:
        return True, "资格证书签发未满3年,无需继续教育", "Qualification less than 3 years old", {}
    if (app.cpd_hours or 0) >= kind.cpd_hours:
        return True, f"已申报继续教育{app.cpd_hours}学时", f"{app.cpd_hours} hours declared", {}
    return False, f"资格证书签发已超过3年,须完成继续教育{kind.cpd_hours}学时(已申报{app.cpd_hours or 0}学时)", \
        f"Qualification more than 3 years old: {kind.cpd_hours} hours needed ({app.cpd_hours or 0} declared)", \
        {"required": kind.cpd_hours, "declared": app.cpd_hours or 0, "specialties": old}


def renewal_window(session: Session, ctx: WorkflowContext, app: Application):
    """Judged on the day the renewal was filed (first submitted), not the day it is decided: a renewal filed
    in time stays in time while the employer and the authority look at it."""
    reg, kind = app.registration, _kind(ctx, app)
    filed = ctx.clock.local(app.submitted_at).date() if app.submitted_at else ctx.clock.today()
    opens, closes = ctx.policy.window_for(kind, app.enterprise.province_code if app.enterprise else None)
    specs = {s.specialty_code: s for s in reg.specialties}
    outside = []
    for code in app.specialties or []:
        s = specs.get(code)
        if s is None or not s.valid_until - dt.timedelta(days=opens) <= filed <= s.valid_until - dt.timedelta(days=closes):
            outside.append({"specialty": code, "valid_until": s.valid_until.isoformat() if s else None})
    window = {"opens_days": opens, "closes_days": closes, "filed_on": filed.isoformat()}
    if outside or not app.specialties:
        return False, f"不在延续申请期限内(有效期届满前{opens}日至{closes}日)", \
            f"Outside the renewal window ({opens} to {closes} days before expiry)", {**window, "outside": outside}
    return True, f"在延续申请期限内提交({filed.isoformat()})", f"Filed within the renewal window ({filed.isoformat()})", window


def age_cap(session: Session, ctx: WorkflowContext, app: Application):
    kind, p = _kind(ctx, app), app.person
    cap = age_cap_date(p.birth_date, kind.age_cap_for(p.sex))
    if ctx.clock.today() >= cap:
        return False, f"已达到{kind.age_cap_for(p.sex)}周岁年龄上限", "The age cap is reached", {"age_cap_date": cap}
    return True, f"未达到{kind.age_cap_for(p.sex)}周岁年龄上限", "Below the age cap", {"age_cap_date": cap}


def not_locked(session: Session, ctx: WorkflowContext, app: Application):
    locked = session.scalar(select(Registration.registration_number).where(
        Registration.person_id == app.person_id, Registration.status == RegStatus.SUSPENDED).limit(1))
    if locked:
        return False, f"注册{locked}已被暂扣(锁定)", f"Registration {locked} is suspended (locked)", \
            {"registration_number": locked}
    return True, "没有被暂扣的注册", "No suspended registration", {}


def _state_problem(session: Session, ctx: WorkflowContext, app: Application) -> tuple[str, str] | None:
    p, reg = app.person, app.registration
    if p.deceased_on and app.type not in CANCELS:
        return "持证人已死亡", "The holder is deceased"
    if app.type in ("initial", "reregister"):
        kinds = session.scalars(select(Registration.status).where(Registration.person_id == p.id,
                                                                  Registration.kind_code == app.kind_code)).all()
        if any(s in HELD for s in kinds):
            return "已有该类别的有效注册,请申请增项或延续", "Already registered in this kind: apply to add or renew"
        if app.type == "initial" and kinds:
            return "曾在该类别注册,请申请重新注册", "Registered in this kind before: apply for re-registration"
        if app.type == "reregister" and not kinds:
            return "没有已终止的注册,请申请初始注册", "No ended registration: apply for an initial registration"
        return None
    if reg is None:
        return None if app.type == "personal_info" else ("未指定注册", "No registration named")
    if app.type in ("add_specialty", "renewal") and reg.status != RegStatus.ACTIVE:
        return f"注册状态为{RegStatus.ZH[reg.status]}", f"The registration is {RegStatus.EN[reg.status]}"
    if app.type == "add_specialty":
        today = ctx.clock.today()
        have = [s.specialty_code for s in reg.specialties if s.specialty_code in (app.specialties or [])
                and s.status == SpecialtyStatus.ACTIVE and s.valid_until >= today]
        if have:
            return f"专业已注册:{'、'.join(have)}", f"Already registered: {', '.join(have)}"
    if app.type == "change_employer":
        if reg.status not in HELD:
            return "注册已终止,请申请重新注册", "The registration has ended: apply for re-registration"
        if reg.enterprise_id == app.enterprise_id:
            return "新单位与原单位相同", "The new employer is the current one"
    if app.type in CANCELS and reg.status not in (*HELD, RegStatus.LAPSED):
        return f"注册已{RegStatus.ZH[reg.status]}", f"The registration is already {RegStatus.EN[reg.status]}"
    if app.type == "cancel_deceased" and p.deceased_on:
        return "该人员已登记为死亡", "The person is already recorded as deceased"
    return None


def registration_state(session: Session, ctx: WorkflowContext, app: Application):
    problem = _state_problem(session, ctx, app)
    if problem:
        return False, problem[0], problem[1], {"status": app.registration.status if app.registration else None}
    return True, "注册状态允许此申请", "The registration's state allows this application", \
        {"status": app.registration.status if app.registration else None}


def employer_active(session: Session, ctx: WorkflowContext, app: Application):
    e = app.enterprise
    if e is None or e.status != "active":
        return False, "聘用单位资质或执照已失效", "The employer may not employ registered persons", \
            {"status": e.status if e else None}
    return True, "聘用单位有效", "The employer is active", {}


def proof_files(session: Session, ctx: WorkflowContext, app: Application):
    if app.files:
        return True, f"已上传{len(app.files)}份证明材料", f"{len(app.files)} proof file(s)", {"count": len(app.files)}
    return False, "请上传证明材料", "Upload at least one proof file", {"count": 0}


CHECKS = {f.__name__: f for f in (identity_consistent, one_employer, qualification_held, cpd_hours, renewal_window,
                                  age_cap, not_locked, registration_state, employer_active, proof_files)}


def evaluate(session: Session, ctx: WorkflowContext, app: Application) -> list[dict]:
    """Every applicable rule's outcome: {code, name, name_en, passed, correctable, message, message_en, details}."""
    out = []
    for rule in ctx.rulebook.for_type(app.type):
        passed, zh, en, details = CHECKS[rule.code](session, ctx, app)
        out.append({"code": rule.code, "name": rule.name, "name_en": rule.name_en, "passed": bool(passed),
                    "correctable": rule.correctable, "message": zh, "message_en": en,
                    "details": json.loads(json.dumps(details, default=str))})
    return out
