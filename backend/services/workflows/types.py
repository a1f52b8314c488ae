"""The vocabulary of the registration workflows: application types, states, and the per-province policy
(decision mode, renewal window, how a change of employer is handled). docs/workflows-api.md is the contract."""
from __future__ import annotations

from dataclasses import dataclass

from backend.services.clock import Clock
from backend.services.kinds import Catalogue, Kind


@dataclass(frozen=True)
class AppType:
    code: str
    name: str
    name_en: str
    filed_by: str                  # 'holder' or 'enterprise'
    confirm: str | None            # who confirms: 'named' (the employer named), 'registration' (its employer), None
    needs_registration: bool       # names an existing registration
    # Why the authority must look at it whatever DECISION_MODE says: its truth cannot be checked from the
    # registry's own data (a death, a new name or ID number, the end of an employment), so an irreversible
    # effect waits for a person to read the proof files. None: the rules may decide it (智慧审批).
    review_why: tuple[str, str] | None = None

    @property
    def always_review(self) -> bool:
        return self.review_why is not None


TYPES = {t.code: t for t in (
    AppType("initial", "初始注册", "Initial registration", "holder", "named", False),
    AppType("add_specialty", "增项注册", "Additional specialty", "holder", "registration", True),
    AppType("renewal", "延续注册", "Renewal", "holder", "registration", True),
    AppType("change_employer", "变更注册(聘用单位)", "Change of employer", "holder", "named", True),
    AppType("personal_info", "个人信息修改", "Change of personal information", "holder", None, False,
            ("姓名或身份证号码的修改须由主管部门核对证明材料后办理",
             "A change of name or ID number is made only after the authority has checked the proof files")),
    AppType("cancel", "注销(本人申请)", "Cancellation (by the holder)", "holder", "registration", True),
    AppType("cancel_by_employer", "注销(单位申请)", "Cancellation (by the employer)", "enterprise", None, True,
            ("单位申请注销须由主管部门核实解除聘用关系的证明材料", "The authority checks the proof that the "
             "employment has ended before a cancellation filed by the employer")),
    # the old employer does not cooperate: the authority always looks at it (Jiangsu FAQ 2023)
    AppType("forced_cancel", "强制注销", "Forced cancellation", "holder", None, True,
            ("原聘用单位未配合,强制注销须由主管部门核实证明材料", "The old employer does not cooperate: the "
             "authority checks the proof files of a forced cancellation")),
    AppType("cancel_deceased", "注销(死亡/丧失行为能力)", "Cancellation (death or incapacity)", "enterprise", None, True,
            ("死亡或丧失民事行为能力须由主管部门核实证明材料后方可注销", "A death or loss of capacity is "
             "verified by the authority against the proof files before anything is cancelled")),
    AppType("reregister", "重新注册", "Re-registration", "holder", "named", False),
)}
NAMED_EMPLOYER = ("initial", "change_employer", "reregister")       # enterprise_uscc is required
PERSONAL_CHANGES = ("name", "id_number")        # 个人信息修改: sex and birth date follow the ID number (GB 11643)
WITH_KIND = ("initial", "reregister")                                  # kind and specialties are given
CANCELS = ("cancel", "cancel_by_employer", "forced_cancel", "cancel_deceased")


class State:
    DRAFT, SUBMITTED, AWAITING, CONFIRMED = "draft", "submitted", "awaiting_employer", "confirmed"
    DECLINED, APPROVED, RETURNED, REFUSED, WITHDRAWN = "declined", "approved", "returned", "refused", "withdrawn"
    NAMES = {DRAFT: ("草稿", "Draft"), SUBMITTED: ("已提交", "Submitted"),
             AWAITING: ("待单位确认", "Awaiting the employer"), CONFIRMED: ("单位已确认", "Confirmed by the employer"),
             DECLINED: ("单位不予确认", "Declined by the employer"), APPROVED: ("已批准", "Approved"),
             RETURNED: ("已退回", "Returned"), REFUSED: ("不予批准", "Refused"), WITHDRAWN: ("已撤回", "Withdrawn")}
    EDITABLE = (DRAFT, RETURNED)
    PENDING_DECISION = (SUBMITTED, CONFIRMED)       # complete, in the authority's queue in review mode
    # Filed and not yet decided either way: a renewal in one of these states keeps its specialties from
    # lapsing (a returned one is still filed: the applicant corrects and resubmits it).
    OPEN = (SUBMITTED, AWAITING, CONFIRMED, RETURNED)
    FINAL = (DECLINED, APPROVED, REFUSED, WITHDRAWN)


@dataclass(frozen=True)
class WorkflowPolicy:
    decision_mode: dict
    renewal_window: dict
    employer_change_mode: dict
    file_max_bytes: int = 5 * 1024 * 1024
    max_files: int = 10

    @classmethod
    def from_config(cls, cfg) -> WorkflowPolicy:
        return cls(decision_mode=dict(cfg.get("DECISION_MODE") or {}), renewal_window=dict(cfg.get("RENEWAL_WINDOW") or {}),
                   employer_change_mode=dict(cfg.get("EMPLOYER_CHANGE_MODE") or {}),
                   file_max_bytes=cfg.get("APPLICATION_FILE_MAX_BYTES", 5 * 1024 * 1024),
                   max_files=cfg.get("APPLICATION_MAX_FILES", 10))

    def mode_for(self, province: str | None, app_type: str) -> str:
        if TYPES[app_type].always_review:
            return "review"
        mode = self.decision_mode.get(province or "", self.decision_mode.get("default", "auto"))
        return mode if mode in ("auto", "review") else "review"

    def window_for(self, kind: Kind, province: str | None) -> tuple[int, int]:
        """(opens, closes): a renewal may be filed from `opens` days before expiry until `closes` days before."""
        w = self.renewal_window.get(province or "") or self.renewal_window.get("default")
        return (int(w[0]), int(w[1])) if w else (kind.renewal_opens_days, kind.renewal_closes_days)

    def change_mode(self, province: str | None) -> str:
        return self.employer_change_mode.get(province or "", self.employer_change_mode.get("default", "change"))


@dataclass(frozen=True)
class WorkflowContext:
    """What the workflow services need besides the session: plain objects, no Flask."""
    catalogue: Catalogue
    clock: Clock
    policy: WorkflowPolicy
    rulebook: object                 # services.rules.RuleBook
    ring: object = None              # crypto.keys.KeyRing, for the copy an approval issues
    settings: object = None          # services.settings.IssuerSettings


@dataclass(frozen=True)
class Actor:
    """Who acts: role, account name (shown in the history), bound person or enterprise, and the audit label."""
    role: str
    username: str
    audit: str
    person_id: int | None = None
    enterprise_id: int | None = None

    @property
    def label(self) -> str:
        return self.role if self.username in ("admin-token", "") else f"{self.role}:{self.username}"[:64]


SYSTEM = Actor("system", "rules", "system:rules")
