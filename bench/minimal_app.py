"""The reference for bench/verify_throughput.py: the least a Flask verify endpoint can do.

`POST /minimal` with the same body as `POST /api/v1/verify` (`{"qr": "<URL or bare token>"}`): checks the
ES256 signature with pyjwt (the issuer's public keys, read once from KEY_DIR) and reads one row by primary
key (the copy, through Flask-SQLAlchemy, from the same database). No rate limiter, no verdict logic. A v2
link's packed token is unpacked first (backend.crypto.tokens.unpack) and its CBOR payload read with cbor2.

    BENCH_DB_URL=sqlite:///... BENCH_KEY_DIR=.../keys gunicorn --pythonpath bench 'minimal_app:create_app()'
"""
from __future__ import annotations

import os
from pathlib import Path

import cbor2
import jwt
from cryptography.hazmat.primitives import serialization
from flask import Flask, jsonify, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from backend.crypto.tokens import unpack

_jws = jwt.PyJWS()


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Copy(db.Model):
    """Two columns of the real table, enough to read a row by primary key."""
    __tablename__ = "certificate_copies"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(16))


def create_app() -> Flask:
    app = Flask(__name__)
    url = os.environ["BENCH_DB_URL"]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    db.init_app(app)
    key_dir = Path(os.environ["BENCH_KEY_DIR"])
    keys = {p.name[: -len(".pub.pem")]: serialization.load_pem_public_key(p.read_bytes())
            for p in key_dir.glob("*.pub.pem")}

    @app.post("/minimal")
    def minimal():
        token = request.get_json()["qr"].rpartition("#")[2]
        if "." not in token:                                       # v2, packed
            token = unpack(token)
            key = keys[jwt.get_unverified_header(token)["kid"]]
            index = cbor2.loads(_jws.decode(token, key, algorithms=["ES256"]))[8]
        else:
            key = keys[jwt.get_unverified_header(token)["kid"]]
            index = jwt.decode(token, key, algorithms=["ES256"], options={"verify_exp": False})["i"]
        row = db.session.get(Copy, index)
        return jsonify({"ok": row is not None, "status": row.status if row else None})

    return app
