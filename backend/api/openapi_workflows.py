"""The OpenAPI description of the registration workflows (docs/workflows-api.md) and of qualifications:
paths and component schemas, merged into the document by openapi_spec.build_spec."""
from __future__ import annotations

from backend.api.openapi_schemas import DATE, DATETIME, arr, i, nullable, obj, ref, s
from backend.api.openapi_spec import BODY, INVALID, _body, _json, _op, _path, _query
from backend.services.workflows.rules import CHECKS
from backend.services.workflows.types import TYPES, State

BOOL = {"type": "boolean"}
APP_ID = _path("public_id", "申请编号 ap_… / Application id")
APP_404 = (404, "application_not_found")
STATE_409 = (409, "invalid_state")
ENT = {"anyOf": [obj({"name": s(), "uscc": s()}, ["name", "uscc"]), {"type": "null"}]}
TYPE_TABLE = "\n".join(f"- `{t.code}` {t.name} / {t.name_en}: 由{'持证人' if t.filed_by == 'holder' else '单位'}申请 "
                       f"/ filed by the {t.filed_by}" for t in TYPES.values())

SCHEMAS = {
    "ApplicationInput": obj({
        "type": s(enum=list(TYPES)), "registration_number": s(), "kind": s("初始、重新注册 / initial, reregister"),
        "specialties": arr(s()), "enterprise_uscc": s("聘用单位(初始、变更、重新注册)/ the employer named"),
        "changes": obj({"name": s(maxLength=40), "id_number": s("更正后的身份证号码 / corrected ID number", maxLength=18),
                        "deceased_on": DATE}), "cpd_hours": i(minimum=0, maximum=10000),
        "cpd_commitment": BOOL, "note": s(maxLength=500)}, ["type"], TYPE_TABLE),
    "ApplicationPatch": obj({
        "registration_number": s(), "kind": s(), "specialties": arr(s()), "enterprise_uscc": s(),
        "changes": obj({"name": s(), "id_number": s(maxLength=18), "deceased_on": DATE}),
        "cpd_hours": i(minimum=0, maximum=10000),
        "cpd_commitment": BOOL, "note": s(maxLength=500)}, description="只需给出要修改的字段 / only the fields to change"),
    "RuleOutcome": obj({"code": s(enum=list(CHECKS)), "name": s(), "name_en": s(), "passed": BOOL,
                        "correctable": BOOL, "message": s(), "message_en": s(),
                        "details": obj({}, additionalProperties=True)},
                       ["code", "passed", "message", "message_en", "details"]),
    "ApplicationFile": obj({"id": i(), "name": s(), "size": i(), "mime": s(enum=["application/pdf", "image/jpeg",
                                                                               "image/png"]), "url": s()},
                           ["id", "name", "size", "mime"]),
    "Application": obj({
        "id": s(pattern="^ap_"), "type": s(enum=list(TYPES)), "type_name": s(), "type_name_en": s(),
        "state": s(enum=list(State.NAMES)), "state_name": s(), "state_name_en": s(),
        "person": obj({"id": i(), "name": s(), "id_number": s("完整或脱敏 / full or masked")}, ["id", "name", "id_number"]),
        "registration_number": nullable(s()), "kind": nullable(s()), "specialties": arr(s()), "enterprise": ENT,
        "current_enterprise": ENT, "confirm_by": ENT, "filed_by": s(enum=["holder", "enterprise"]),
        "changes": obj({}, additionalProperties=True), "cpd_hours": nullable(i()), "cpd_commitment": BOOL,
        "note": nullable(s()), "files": arr(ref("ApplicationFile")), "decision_mode": s(enum=["auto", "review"]),
        "rules": arr(ref("RuleOutcome")),
        "review_reason": {"anyOf": [obj({"message": s(), "message_en": s()}, ["message", "message_en"]),
                                    {"type": "null"}],
                          "description": "为何须由主管部门人工审核(与 DECISION_MODE 无关)/ Why a person at the authority "
                                         "decides it, whatever DECISION_MODE says"},
        "submitted_at": nullable(DATETIME),
        "decision": {"anyOf": [obj({"outcome": s(enum=["approved", "returned", "refused", "declined"]),
                                    "reason": nullable(s()), "by": s(), "at": DATETIME},
                                   ["outcome", "reason", "by", "at"]), {"type": "null"}]},
        "result": {"anyOf": [obj({"registration_number": nullable(s()), "copy_id": nullable(s())},
                                 ["registration_number", "copy_id"]), {"type": "null"}]},
        "events": arr(obj({"at": DATETIME, "actor": s(), "action": s(), "state": s(enum=list(State.NAMES)),
                           "reason": nullable(s())}, ["at", "actor", "action", "state", "reason"])),
        "actions": arr(s(enum=["edit", "upload", "submit", "withdraw", "confirm", "decline", "decide"]),
                       description="此用户现在可执行的操作 / What this user may do now"),
        "created_at": DATETIME, "updated_at": DATETIME,
    }, ["id", "type", "type_name", "type_name_en", "state", "state_name", "state_name_en", "person",
        "registration_number", "kind", "specialties", "enterprise", "changes", "cpd_hours", "cpd_commitment", "files",
        "decision_mode", "rules", "decision", "result", "events", "created_at", "updated_at"]),
    "ApplicationList": obj({"applications": arr(ref("Application")), "total": i(), "page": i(minimum=1),
                            "page_size": i()}, ["applications", "total", "page"]),
    "QualificationInput": obj({"kind": s(), "specialty": s(), "certificate_no": s(maxLength=64), "issued_on": DATE},
                              ["kind", "certificate_no", "issued_on"]),
    "Qualification": obj({"id": i(), "kind": s(), "specialty": nullable(s()), "certificate_no": s(), "issued_on": DATE},
                         ["id", "kind", "specialty", "certificate_no", "issued_on"]),
}


def workflow_paths() -> dict:
    def op(op_id, summary, ok, errors=(), **kw):
        return _op(op_id, "workflows", summary, ok, errors, auth=True, **kw)

    app_ok, base = _json("Application"), "/api/v1/applications/{public_id}"
    reg_404 = (404, "application_not_found", "registration_not_found", "enterprise_not_found")
    step = [APP_404, STATE_409]
    return {
        "/api/v1/applications": {
            "post": op("create_application", "新建申请(草稿) / Create an application (draft)",
                       _json("Application", "已创建 / Created"), [*BODY, INVALID, reg_404], status=201,
                       body=_body("ApplicationInput"), description=TYPE_TABLE),
            "get": op("list_applications", "申请列表 / Applications", _json("ApplicationList"), [INVALID], params=[
                _query("state", "状态 / State", s(enum=list(State.NAMES))), _query("type", "类型 / Type", s(enum=list(TYPES))),
                _query("queue", "review:待主管部门审批 / awaiting the authority; confirm:待本单位确认 / awaiting this "
                       "employer's confirmation", s(enum=["review", "confirm"])),
                _query("page", "页码,每页 20 / Page, 20 per page", i(minimum=1, default=1))],
                description="持证人:本人的;单位:涉及本单位的;主管部门:全部 / Holder: own; enterprise: involving it; "
                            "authority: all")},
        base: {
            "get": op("get_application", "申请详情(含进度与规则结果) / An application with its history and rule outcomes",
                      app_ok, [APP_404], params=[APP_ID]),
            "patch": op("update_application", "修改申请(草稿或退回时) / Edit (while draft or returned)", app_ok,
                        [*BODY, INVALID, reg_404, STATE_409], params=[APP_ID], body=_body("ApplicationPatch"))},
        f"{base}/files": {"post": op(
            "upload_application_file", "上传证明材料 / Upload a proof file",
            _json(obj({"files": arr(ref("ApplicationFile"))}, ["files"]), "已上传 / Uploaded"),
            [APP_404, STATE_409, (409, "invalid_state", "too_many_files"),
             (413, "file_too_large", "payload_too_large", "too_many_pixels", "pdf_too_complex"),
             (415, "unsupported_media_type"), INVALID,
             (422, "corrupt_image", "image_too_small", "pdf_unreadable", "pdf_encrypted", "pdf_active_content",
              "pdf_embedded_files", "pdf_no_pages")], status=201, params=[APP_ID],
            description="PDF、JPEG 或 PNG,最大 5 MB,按内容检查:图片须能完整解码且短边至少 300 像素;PDF 须能解析、"
                        "有页面,不得加密、含脚本或附件 / PDF, JPEG or PNG, at most 5 MB, checked by content: an image "
                        "must decode in full with a short side of at least 300 px; a PDF must parse and have pages, "
                        "without encryption, JavaScript or embedded files",
            body={"required": True, "content": {"multipart/form-data": {
                "schema": obj({"file": s(format="binary")}, ["file"])}}})},
        f"{base}/files/{{file_id}}": {"get": op(
            "download_application_file", "下载证明材料 / Download a proof file",
            {"description": "证明材料原件 / The proof file as uploaded",
             "content": {m: {"schema": s(format="binary")} for m in ("application/pdf", "image/jpeg", "image/png")}},
            [(404, "application_not_found", "file_not_found")],
            params=[APP_ID, _path("file_id", "文件编号 / File id", i())])},
        f"{base}/submit": {"post": op(
            "submit_application", "提交 / Submit", app_ok, step, params=[APP_ID],
            description="草稿或退回 → 已提交 → 待单位确认,或(无需确认时)自动审批/进入审批队列 / draft or returned → "
                        "submitted → awaiting the employer, or decided at once (auto) / queued (review)")},
        f"{base}/withdraw": {"post": op("withdraw_application", "撤回 / Withdraw", app_ok, step, params=[APP_ID])},
        f"{base}/confirm": {"post": op("confirm_application", "单位确认 / The employer confirms", app_ok, step,
                                       params=[APP_ID])},
        f"{base}/decline": {"post": op(
            "decline_application", "单位不予确认 / The employer declines", app_ok, [*BODY, INVALID, *step],
            params=[APP_ID], body={"required": True, "content": {"application/json": {"schema": obj(
                {"reason": s(maxLength=1000)}, ["reason"])}}})},
        f"{base}/decide": {"post": op(
            "decide_application", "审批 / Decide (authority)", app_ok, [*BODY, INVALID, *step], params=[APP_ID],
            description="同时的两个决定只有一个生效 / Of two decisions at once exactly one takes effect.",
            body={"required": True, "content": {"application/json": {"schema": obj(
                {"decision": s(enum=["approve", "return", "refuse"]),
                 "reason": s("退回、不予批准时必填 / required unless approve", maxLength=1000)}, ["decision"])}}})},
        "/api/v1/holder/registrations": {"get": _op(
            "my_registrations", "workflows", "我的注册 / The holder's own registrations",
            _json(obj({"registrations": arr(obj({"current_copy": nullable(obj({
                "copy_id": s(), "identifier": s(), "usage_from": DATETIME, "usage_until": DATETIME,
                "expired": {"type": "boolean"}}))}))}, ["registrations"])), [], auth=True,
            description="持证人本人的全部注册及各自当前的电子证书 / Every registration of the signed-in holder, "
                        "each with its current copy (fields as Registration, plus current_copy).")},
        "/api/v1/holder/registrations/{number}/copies": {"post": _op(
            "request_copy", "workflows", "申请电子证书加注 / Get a new copy of one's own registration",
            _json("Copy", "已签发 / Issued"),
            [(404, "registration_not_found"), (409, "issuance_refused", "registration_suspended",
                                               "registration_not_active", "age_cap_reached", "no_valid_specialty"),
             (429, "daily_limit_reached")], status=201, auth=True,
            params=[_path("number", "注册编号 / Registration number", s())])},
        "/api/v1/persons/{person_id}/qualifications": {
            "post": _op("add_qualification", "registry", "登记资格证书 / Record a qualification",
                        _json("Qualification", "已登记 / Recorded"),
                        [*BODY, INVALID, (404, "person_not_found"), (409, "qualification_exists")], status=201,
                        auth=True, params=[_path("person_id", "人员编号 / Person id", i(minimum=1))],
                        body=_body("QualificationInput")),
            "get": _op("list_qualifications", "registry", "资格证书列表 / A person's qualifications",
                       _json(obj({"qualifications": arr(ref("Qualification"))}, ["qualifications"])),
                       [(404, "person_not_found")], auth=True,
                       params=[_path("person_id", "人员编号 / Person id", i(minimum=1))])},
    }
