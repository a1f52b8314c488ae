"""The OpenAPI 3.1 document served at /api/v1/openapi.json: generated from the routes and their pydantic
models (api/spec.py), with the prose that no model can say (the token, the status list)."""
from __future__ import annotations

import copy
import threading

from backend.api.schemas.meta import CertificateClaims, StatusListClaims
from backend.api.spec import generated_spec

DOCUMENTED_ONLY = (CertificateClaims, StatusListClaims)     # they travel inside a JWS, never as a body

_lock = threading.Lock()
_cache: dict[str, dict] = {}


def document(base_url: str) -> dict:
    with _lock:
        if base_url not in _cache:
            _cache[base_url] = _build(base_url)
        return _cache[base_url]


def _build(base_url: str) -> dict:
    from backend.api.openapi_spec import build_spec  # the hand-written part, while operations move over
    doc = build_spec(base_url)
    gen = copy.deepcopy(generated_spec())
    for path, item in gen["paths"].items():
        for method, op in item.items():
            doc["paths"].setdefault(path, {})[method] = op
    doc["components"]["schemas"].update(gen.get("components", {}).get("schemas", {}))
    for model in DOCUMENTED_ONLY:
        doc["components"]["schemas"][model.__name__] = model.model_json_schema(
            ref_template="#/components/schemas/{model}")
    return doc
