"""入库登记 (docs/onboarding.md): the holder uploads a colour ID photo and a picture of their handwritten signature,
the upload rules judge and normalise them, and the authority approves or returns each with a reason. Only an
approved image is the person's current one, the one copies print; the authority may also upload on the
holder's behalf (approved at once). Each view parses, calls backend.services.registry.onboarding, commits and
shapes the answer (schemas/onboarding.py)."""
from __future__ import annotations

import functools

from flask import Blueprint, Response, jsonify, request

from backend.api import deps
from backend.api.auth import actor, current_principal, require_role
from backend.api.schemas.onboarding import (
    HolderImages,
    ImageDecision,
    ImageSubmission,
    ImageSubmissionList,
    ImageUpload,
    SubmissionQuery,
    submission_json,
)
from backend.api.spec import BODY, INVALID, binary, operation
from backend.models import Role
from backend.services.registry import onboarding
from backend.services.registry.onboarding import PHOTO, SIGNATURE, UPLOAD_MAX_BYTES, Uploader
from backend.services.uploads.errors import ImageTooLarge

bp = Blueprint("onboarding", __name__, url_prefix="/api/v1")
MULTIPART_OVERHEAD = 64 * 1024
IMAGE_TYPES = ("image/jpeg", "image/png")

NOT_FOUND = (404, "submission_not_found")
PERSON_404 = (404, "person_not_found")
UPLOAD = [(413, "image_too_large", "too_many_pixels", "payload_too_large"), (415, "unsupported_media_type"),
          INVALID, (422, "corrupt_image")]
RULES = {PHOTO: (422, "photo_too_small", "photo_aspect", "photo_not_colour", "photo_blank", "photo_exposure"),
         SIGNATURE: (422, "signature_no_ink", "signature_too_much_ink", "signature_too_small",
                     "signature_not_landscape")}
RULES_TEXT = {
    PHOTO: "彩色证件照:JPEG 或 PNG,最大 5 MB,至少 358×441 像素,竖幅(宽高比 0.60–0.85);裁剪为 358:441 并缩放为 "
           "358×441 的 JPEG / A colour ID photo: JPEG or PNG, at most 5 MB, at least 358x441 px, upright (width / "
           "height 0.60-0.85); cut to 358:441 about its centre and scaled to a 358x441 JPEG.",
    SIGNATURE: "手写签名的照片或扫描件:JPEG 或 PNG,最大 5 MB;提取笔迹,透明背景,高 150 像素的 PNG / A photo or scan "
               "of the handwritten signature: JPEG or PNG, at most 5 MB; the ink is found and kept on a transparent "
               "background, as a PNG 150 px high.",
}
IMAGE_CONTENT = binary(*IMAGE_TYPES, description="图片 / The image")


def op(summary: str, **kw):
    return operation(summary, tag="onboarding", auth=True, **kw)


def who() -> Uploader:
    p = current_principal()
    label = p.role if p.account_id is None else f"{p.role}:{p.username}"
    return Uploader(role=p.role, label=label[:64], audit=actor())


def _bounded_upload(view):
    """image_too_large before the body is read at all (the form is parsed before the view runs)."""
    @functools.wraps(view)
    def wrapped(*a, **kw):
        if (request.content_length or 0) > UPLOAD_MAX_BYTES + MULTIPART_OVERHEAD:
            raise ImageTooLarge(UPLOAD_MAX_BYTES)
        return view(*a, **kw)
    return wrapped


def _private(resp: Response, status: int = 200) -> Response:
    resp.status_code = status
    resp.headers["Cache-Control"] = "private, no-store"
    return resp


def _shaped(subs) -> list[dict]:
    on_file = onboarding.images_on_file(deps.session(), [s.person_id for s in subs])
    return [submission_json(s, on_file[s.person_id], request.script_root) for s in subs]


def _answer(sub, status: int = 200):
    deps.session().commit()
    return _private(jsonify(_shaped([sub])[0]), status)


def _image(data: bytes, mime: str, name: str) -> Response:
    resp = _private(Response(data, mimetype=mime))
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Content-Disposition"] = f'inline; filename="{name}.{"png" if mime == "image/png" else "jpg"}"'
    return resp


def _read(form: ImageUpload) -> bytes:
    return form.image.read(UPLOAD_MAX_BYTES + 1)


# -- the holder ------------------------------------------------------------------------------------------------

def _holder_upload(kind: str, form: ImageUpload):
    sub = onboarding.submit(deps.session(), current_principal().person_id, kind, _read(form), who())
    return _answer(sub, 201)


@bp.post("/holder/photo")
@require_role(Role.HOLDER)
@_bounded_upload
@op("上传证件照(待审核) / Upload one's ID photo (for review)", form=ImageUpload, ok=ImageSubmission, status=201,
    ok_text="已提交审核 / Submitted for review", operation_id="holder_upload_photo",
    errors=[*UPLOAD, RULES[PHOTO]], description=RULES_TEXT[PHOTO])
def holder_upload_photo(form: ImageUpload):
    return _holder_upload(PHOTO, form)


@bp.post("/holder/signature")
@require_role(Role.HOLDER)
@_bounded_upload
@op("上传手写签名(待审核) / Upload one's handwritten signature (for review)", form=ImageUpload, ok=ImageSubmission,
    status=201, ok_text="已提交审核 / Submitted for review", operation_id="holder_upload_signature",
    errors=[*UPLOAD, RULES[SIGNATURE]], description=RULES_TEXT[SIGNATURE])
def holder_upload_signature(form: ImageUpload):
    return _holder_upload(SIGNATURE, form)


@bp.get("/holder/photo")
@require_role(Role.HOLDER)
@op("本人当前的证件照 / One's current (approved) photo", operation_id="holder_photo", content=IMAGE_CONTENT,
    errors=[(404, "photo_missing")])
def holder_photo():
    return _image(*onboarding.current_image(deps.session(), current_principal().person_id, PHOTO), "photo")


@bp.get("/holder/signature")
@require_role(Role.HOLDER)
@op("本人当前的签名 / One's current (approved) signature", operation_id="holder_signature", content=IMAGE_CONTENT,
    errors=[(404, "signature_missing")])
def holder_signature():
    return _image(*onboarding.current_image(deps.session(), current_principal().person_id, SIGNATURE), "signature")


@bp.get("/holder/images")
@require_role(Role.HOLDER)
@op("本人的入库登记 / One's photo and signature: current ones and uploads", ok=HolderImages,
    operation_id="holder_images")
def holder_images():
    person_id = current_principal().person_id
    s = deps.session()
    subs = onboarding.person_submissions(s, person_id)
    current = onboarding.images_on_file(s, [person_id])[person_id]
    return _private(jsonify({"current": current, "submissions": _shaped(subs)}))


@bp.post("/holder/images/<submission_id>/withdraw")
@require_role(Role.HOLDER)
@op("撤回待审核的上传 / Withdraw a pending upload", ok=ImageSubmission, operation_id="holder_withdraw_image",
    errors=[NOT_FOUND, (409, "submission_not_pending")])
def holder_withdraw_image(submission_id: str):
    return _answer(onboarding.withdraw(deps.session(), submission_id, current_principal().person_id, who()))


# -- the authority ---------------------------------------------------------------------------------------------

@bp.get("/image-submissions")
@require_role(Role.AUTHORITY)
@op("照片与签名审核队列 / The review queue of photos and signatures", query=SubmissionQuery,
    ok=ImageSubmissionList, operation_id="image_submissions", errors=[INVALID],
    description="state=pending:待审核,先到先审;其他状态新的在前;每页 20 条 / state=pending: awaiting review, "
                "oldest first; any other state newest first; 20 a page.")
def image_submissions(query: SubmissionQuery):
    rows, total, page = onboarding.review_queue(deps.session(), state=query.state, kind=query.kind, page=query.page)
    return _private(jsonify({"submissions": _shaped(rows), "total": total, "page": page,
                             "page_size": onboarding.PAGE_SIZE}))


@bp.get("/image-submissions/<submission_id>/image")
@require_role(Role.AUTHORITY, Role.HOLDER)
@op("上传的图片(规范化后) / The uploaded image, normalised", operation_id="image_submission_image",
    content=IMAGE_CONTENT, errors=[NOT_FOUND],
    description="持证人:仅本人的;主管部门:全部 / The holder: their own; authority staff: any.")
def image_submission_image(submission_id: str):
    p = current_principal()
    sub = onboarding.get_submission(deps.session(), submission_id,
                                    person_id=p.person_id if p.role == Role.HOLDER else None)
    return _image(sub.data, sub.mime, sub.public_id)


@bp.post("/image-submissions/<submission_id>/decide")
@require_role(Role.AUTHORITY)
@op("审核照片或签名 / Approve or return a photo or signature", json=ImageDecision, ok=ImageSubmission,
    operation_id="decide_image_submission", errors=[*BODY, INVALID, NOT_FOUND, (409, "submission_not_pending")],
    description="通过:成为证书上使用的图片,此人现有的电子证书均被替代;退回须填写理由 / approve: it becomes the image "
                "copies print, and every current copy of the person is superseded; return: with a reason.")
def decide_image_submission(submission_id: str, json: ImageDecision):
    return _answer(onboarding.decide(deps.session(), deps.clock(), submission_id, json.decision, json.reason, who()))


def _on_behalf(person_id: int, kind: str, form: ImageUpload):
    sub = onboarding.upload_for_holder(deps.session(), deps.clock(), person_id, kind, _read(form), who())
    return _answer(sub, 201)


@bp.post("/persons/<int:person_id>/photo")
@require_role(Role.AUTHORITY)
@_bounded_upload
@op("代为上传证件照(即时通过) / Upload the photo on the holder's behalf (approved at once)", form=ImageUpload,
    ok=ImageSubmission, status=201, ok_text="已通过 / Approved", operation_id="upload_person_photo",
    errors=[*UPLOAD, RULES[PHOTO], PERSON_404],
    description=RULES_TEXT[PHOTO] + " 记录为上传并由本人(主管部门)即时通过,现有电子证书被替代 / Recorded as an upload "
                                    "approved at once by the uploader; current copies are superseded.")
def upload_person_photo(person_id: int, form: ImageUpload):
    return _on_behalf(person_id, PHOTO, form)


@bp.post("/persons/<int:person_id>/signature")
@require_role(Role.AUTHORITY)
@_bounded_upload
@op("代为上传签名(即时通过) / Upload the signature on the holder's behalf (approved at once)", form=ImageUpload,
    ok=ImageSubmission, status=201, ok_text="已通过 / Approved", operation_id="upload_person_signature",
    errors=[*UPLOAD, RULES[SIGNATURE], PERSON_404],
    description=RULES_TEXT[SIGNATURE] + " 记录为上传并即时通过,现有电子证书被替代 / Recorded as an upload approved "
                                        "at once; current copies are superseded.")
def upload_person_signature(person_id: int, form: ImageUpload):
    return _on_behalf(person_id, SIGNATURE, form)


@bp.get("/persons/<int:person_id>/photo")
@require_role(Role.AUTHORITY)
@op("人员当前的证件照 / A person's current photo", operation_id="person_photo", content=IMAGE_CONTENT,
    errors=[PERSON_404, (404, "photo_missing")])
def person_photo(person_id: int):
    return _image(*onboarding.current_image(deps.session(), person_id, PHOTO), f"photo-{person_id}")


@bp.get("/persons/<int:person_id>/signature")
@require_role(Role.AUTHORITY)
@op("人员当前的签名 / A person's current signature", operation_id="person_signature", content=IMAGE_CONTENT,
    errors=[PERSON_404, (404, "signature_missing")])
def person_signature(person_id: int):
    return _image(*onboarding.current_image(deps.session(), person_id, SIGNATURE), f"signature-{person_id}")
