"""The authority's imports of the existing register (docs/import.md): upload a file (it is checked for its
type, encoding and header at once, then imported by a thread of the process that received it, each batch
committed with its progress), follow a batch, download its report, download the templates. Authority only.

A batch's state is in import_batches, so any replica answers the polling; a process that dies leaves its batch
without heartbeat, shown 'interrupted'. The file waits under instance/imports/ while its batch runs."""
from __future__ import annotations

import functools
import hashlib
import logging
import threading
from pathlib import Path

from flask import Blueprint, Response, current_app, jsonify, request, stream_with_context

from backend.api import deps
from backend.api.auth import actor, require_role
from backend.api.schemas.admin_imports import FormatQuery, ImportBatchList, ImportBatchOut, ImportForm
from backend.api.spec import INVALID, binary, operation
from backend.extensions import db
from backend.models import Role
from backend.services.imports.batches import ImportSettings, batch_dict, create_batch, get_batch, list_batches, shown_state
from backend.services.imports.errors import FileTooLarge
from backend.services.imports.reader import open_source
from backend.services.imports.report import report_csv, report_xlsx
from backend.services.imports.runner import run_import
from backend.services.imports.templates import XLSX_MIME, columns, template_csv, template_xlsx

log = logging.getLogger(__name__)
bp = Blueprint("admin_imports", __name__, url_prefix="/api/v1/admin")
MULTIPART_OVERHEAD = 64 * 1024
FILE_ERRORS = [(413, "file_too_large", "payload_too_large", "too_many_strings", "too_complex"),
               (415, "unsupported_media_type"), (422, "bad_header", "empty_file")]


def op(summary: str, **kw):
    return operation(summary, tag="admin", auth=True, **kw)


def _settings() -> ImportSettings:
    return ImportSettings.from_config(current_app.config)


def _private(resp: Response) -> Response:
    resp.headers["Cache-Control"] = "private, no-store"
    return resp


def _shown(b, session=None) -> dict:
    out = batch_dict(b, session, shown_state(b, deps.clock(), _settings()))
    if session is not None:
        base = f"{bp.url_prefix}/imports/{b.id}/report"
        out["links"] = {"csv": f"{base}?format=csv", "xlsx": f"{base}?format=xlsx"}
    return out


def _upload_limit(view):
    """The upload may be larger than the app's MAX_CONTENT_LENGTH (up to IMPORT_MAX_BYTES); declared larger than
    that, it is refused before its body is read."""
    @functools.wraps(view)
    def wrapped(*a, **kw):
        limit = _settings().max_bytes
        if (request.content_length or 0) > limit + MULTIPART_OVERHEAD:
            raise FileTooLarge(limit)
        request.max_content_length = limit + MULTIPART_OVERHEAD
        return view(*a, **kw)
    return wrapped


def _folder() -> Path:
    p = Path(current_app.instance_path) / "imports"
    p.mkdir(parents=True, exist_ok=True)
    return p


@bp.post("/imports")
@require_role(Role.AUTHORITY)
@_upload_limit
@op("导入登记数据 / Import a file of the register", form=ImportForm, ok=ImportBatchOut, status=202,
    operation_id="admin_import_create", errors=[INVALID, (409, "import_running"), *FILE_ERRORS],
    description="multipart:kind(enterprises、persons、qualifications、registrations)、file(CSV 或 XLSX,按模板)、"
                "dry_run。文件类型、编码和表头当即检查;导入在后台进行,以 GET /imports/<id> 查看进度。/ multipart: kind, "
                "file (CSV or XLSX in the template), dry_run. The file's type, encoding and header are checked at "
                "once; the import runs in the background: follow it with GET /imports/<id>.")
def admin_import_create(form: ImportForm):
    settings, s = _settings(), deps.session()
    tmp = _folder() / f"upload-{threading.get_ident()}-{id(form)}.part"
    h, size = hashlib.sha256(), 0
    with open(tmp, "wb") as out:
        while chunk := form.file.stream.read(1 << 20):
            size += len(chunk)
            if size > settings.max_bytes:
                out.close()
                tmp.unlink(missing_ok=True)
                raise FileTooLarge(settings.max_bytes)
            h.update(chunk)
            out.write(chunk)
    try:
        open_source(tmp, form.kind, max_unpacked=settings.max_unpacked)      # type, encoding, header: 4xx now
        b = create_batch(s, deps.clock(), settings, kind=form.kind, file_name=form.file.filename or "upload",
                         size=size, sha256=h.hexdigest(), dry_run=form.dry_run, actor=actor())
        s.commit()
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    path = tmp.rename(_folder() / f"{b.id}{Path(form.file.filename or '').suffix.lower()[:6]}")
    _start(current_app._get_current_object(), b.id, path, actor())
    return _private(jsonify(_shown(b, s))), 202


def _start(app, batch_id: int, path: Path, who: str) -> None:
    def work():
        with app.app_context():
            ext = app.extensions
            try:
                run_import(db.session, ext["jz.catalogue"], ext["jz.clock"], ImportSettings.from_config(app.config),
                           batch_id, path, actor=who)
            except Exception:             # recorded in the batch as failed by the runner
                log.exception("import batch %s failed", batch_id)
            finally:
                db.session.remove()
                path.unlink(missing_ok=True)
    t = threading.Thread(target=work, name=f"import-{batch_id}", daemon=True)
    app.extensions.setdefault("jz.import_threads", {})[batch_id] = t      # the tests join it
    t.start()


@bp.get("/imports")
@require_role(Role.AUTHORITY)
@op("最近的导入 / Recent imports", ok=ImportBatchList, operation_id="admin_imports")
def admin_imports():
    return _private(jsonify({"batches": [_shown(b) for b in list_batches(deps.session())]}))


@bp.get("/imports/<int:batch_id>")
@require_role(Role.AUTHORITY)
@op("导入批次 / An import batch", ok=ImportBatchOut, operation_id="admin_import",
    errors=[(404, "import_not_found")],
    description="状态、进度(已处理行数/总行数)、计数,以及前 100 个被拒绝的行 / State, progress (rows done of "
                "rows total), counts and the first 100 refused rows.")
def admin_import(batch_id: int):
    s = deps.session()
    return _private(jsonify(_shown(get_batch(s, batch_id), s)))


@bp.get("/imports/<int:batch_id>/report")
@require_role(Role.AUTHORITY)
@op("导入报告 / The report of refused rows", query=FormatQuery, operation_id="admin_import_report",
    content=binary("text/csv", XLSX_MIME, description="每个被拒绝的行一行 / One line per refused row"),
    errors=[INVALID, (404, "import_not_found")])
def admin_import_report(batch_id: int, query: FormatQuery):
    s = deps.session()
    b = get_batch(s, batch_id)
    name = f"import-{b.id}-{b.kind}-report.{query.format}"
    if query.format == "xlsx":
        resp = Response(report_xlsx(s, b), mimetype=XLSX_MIME)
    else:
        resp = Response(stream_with_context(report_csv(s, b)), mimetype="text/csv")
        resp.headers["Content-Type"] = "text/csv; charset=utf-8"
    resp.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return _private(resp)


@bp.get("/import-templates/<kind>")
@require_role(Role.AUTHORITY)
@op("导入模板 / An import template", query=FormatQuery, operation_id="admin_import_template",
    content=binary("text/csv", XLSX_MIME, description="表头一行和示例一行 / The header and an example row"),
    errors=[INVALID, (404, "unknown_import_kind")])
def admin_import_template(kind: str, query: FormatQuery):
    columns(kind)
    if query.format == "xlsx":
        resp = Response(template_xlsx(kind), mimetype=XLSX_MIME)
    else:
        resp = Response(template_csv(kind), mimetype="text/csv")
        resp.headers["Content-Type"] = "text/csv; charset=utf-8"
    resp.headers["Content-Disposition"] = f'attachment; filename="template-{kind}.{query.format}"'
    return resp
