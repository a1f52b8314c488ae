"""What the web app keeps for offline display: the names of kinds and specialties (a token carries only
their codes), the issuer's name and the time zone of its calendar (specialty dates are local dates).

Served from the catalogue in force (KINDS_FILE may replace backend/data/kinds.json), so a deployment
that adds a kind needs no change to the app.
"""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from backend.api import deps
from backend.api.schemas.meta import Catalogue
from backend.api.spec import operation

bp = Blueprint("pwa_support", __name__, url_prefix="/api/v1")


@bp.get("/catalogue")
@operation("证书类别与专业名称 / Kind and specialty names for offline display", tag="offline", ok=Catalogue,
           description="令牌只携带代码;离线时用此表显示名称 / A token carries codes only; offline, the app shows names "
                       "from this table. Public, CORS `*`, cacheable for an hour.")
def catalogue():
    settings = deps.settings()
    kinds = [{"code": k.code, "name": k.name, "name_en": k.name_en, "level": k.level,
              "specialties": [{"code": s.code, "name": s.name, "name_en": s.name_en} for s in k.specialties.values()]}
             for k in deps.catalogue().kinds.values()]
    resp = jsonify({"kinds": kinds, "timezone": current_app.config["TIMEZONE"],
                    "issuer": {"iss": settings.issuer, "name": settings.issuer_name, "name_en": settings.issuer_name_en}})
    resp.headers["Access-Control-Allow-Origin"] = "*"
    resp.headers["Cache-Control"] = "public, max-age=3600"
    return resp
