"""入库登记's bodies (docs/onboarding.md): an image upload, the authority's decision, the review queue's query, and
one upload as holder and authority see it. An answer model is built by the `*_json` function beside it."""
from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, field_validator
from pydantic_core import PydanticCustomError
from spectree.model_adapter.pydantic_adapter import BaseFile

from backend.api.schemas.base import Answer, ApiModel, DateTime, QueryModel
from backend.api.schemas.fields import text
from backend.models import ImageSubmission as SubmissionRow
from backend.services.registry.onboarding import DECISIONS, KINDS, REASON_MAX, SubState

Kind = Literal[tuple(KINDS)]
SubmissionState = Literal[tuple(SubState.NAMES)]
MAX_PAGE = 10000


def _page(value: Any) -> Any:
    if value in ("", None):
        return 1
    if isinstance(value, str) and not value.isdigit():
        raise PydanticCustomError("range", "页码须为正整数 / page is a positive integer")
    return value


# -- requests --------------------------------------------------------------------------------------------------

class ImageUpload(ApiModel):
    """JPEG 或 PNG,最大 5 MB,按入库登记规则检查并规范化 / JPEG or PNG, at most 5 MB, judged and normalised by the
    onboarding rules."""
    image: BaseFile = Field(description="图片 / Image")

    @field_validator("image")
    @classmethod
    def _a_file(cls, v: Any) -> Any:
        if not hasattr(v, "read"):       # a plain form field of that name
            raise PydanticCustomError("required", "请以 multipart 字段 image 上传图片 / Send the multipart field 'image'")
        return v


class ImageDecision(ApiModel):
    """退回时须填写理由 / A return needs a reason."""
    decision: Literal[tuple(DECISIONS)] = Field(description="approve 通过 / return 退回")
    reason: text(REASON_MAX, required=False, normalize=False) = Field(None, description="理由 / Reason")


class SubmissionQuery(QueryModel):
    state: SubmissionState | None = Field(None, description="状态(省略为全部)/ State (all when omitted)")
    kind: Kind | None = Field(None, description="photo 或 signature / photo or signature")
    page: Annotated[int, BeforeValidator(_page)] = Field(1, ge=1, le=MAX_PAGE, description="页码 / Page")


# -- answers ---------------------------------------------------------------------------------------------------

class SubmissionPerson(Answer):
    id: int
    name: str
    id_number: str = Field(description="完整身份证号(持证人本人、主管部门)/ In full (the holder, authority staff)")
    has_photo: bool = Field(description="已有启用的照片 / A current photo is on file")
    has_signature: bool = Field(description="已有启用的签名 / A current signature is on file")


class ImageSource(Answer):
    """上传的原图(未保存)/ The upload as it came (not kept)."""
    mime: str
    bytes: int
    width: int
    height: int


class ImageSubmission(Answer):
    id: str = Field(description="上传编号 / Upload id (im_…)")
    kind: Kind
    kind_name: str
    kind_name_en: str
    state: SubmissionState
    state_name: str
    state_name_en: str
    person: SubmissionPerson
    mime: str = Field(description="规范化后的图片类型 / The normalised image's type")
    size: int = Field(description="字节数 / Bytes")
    width: int
    height: int
    sha256: str
    source: ImageSource
    checks: dict[str, float | int] = Field(description="规则的测量值 / What the rules measured")
    uploaded_by: Literal["holder", "authority"] = Field(description="本人上传,或主管部门代为上传 / The holder, or "
                                                                    "the authority on the holder's behalf")
    uploader: str
    reason: str | None = Field(description="退回或撤回的理由 / Why it was returned or withdrawn")
    decided_by: str | None
    decided_at: DateTime | None
    created_at: DateTime
    updated_at: DateTime
    image_url: str = Field(description="规范化后的图片 / The normalised image")


class ImageSubmissionList(Answer):
    submissions: list[ImageSubmission]
    total: int
    page: int
    page_size: int


class CurrentImages(Answer):
    """已启用(审核通过)的图片 / The current, approved images."""
    photo: bool
    signature: bool


class HolderImages(Answer):
    current: CurrentImages
    submissions: list[ImageSubmission] = Field(description="最近的上传,新的在前 / The latest uploads, newest first")


def _at(t) -> str | None:
    return t.isoformat() + "Z" if t else None


def submission_json(s: SubmissionRow, on_file: dict[str, bool], script_root: str = "") -> dict:
    """One upload; `on_file`: which current images the person has ({"photo", "signature"})."""
    p = s.person
    kind_zh, kind_en = KINDS[s.kind]
    state_zh, state_en = SubState.NAMES[s.state]
    return {
        "id": s.public_id, "kind": s.kind, "kind_name": kind_zh, "kind_name_en": kind_en,
        "state": s.state, "state_name": state_zh, "state_name_en": state_en,
        "person": {"id": p.id, "name": p.name, "id_number": p.id_number, "has_photo": on_file["photo"],
                   "has_signature": on_file["signature"]},
        "mime": s.mime, "size": s.size, "width": s.width, "height": s.height, "sha256": s.sha256,
        "source": {k: (s.source or {}).get(k) for k in ("mime", "bytes", "width", "height")},
        "checks": dict(s.checks or {}), "uploaded_by": s.uploaded_by, "uploader": s.uploader, "reason": s.reason,
        "decided_by": s.decided_by, "decided_at": _at(s.decided_at), "created_at": _at(s.created_at),
        "updated_at": _at(s.updated_at),
        "image_url": f"{script_root}/api/v1/image-submissions/{s.public_id}/image",
    }
