"""Accounts and logins through the HTTP API, as authority staff and users would do it."""
from __future__ import annotations

import itertools

from tests import factories as f

PASSWORD = "correct horse battery"
_n = itertools.count(1)


def make_enterprise(client, auth, name: str | None = None) -> dict:
    code = f.uscc()
    r = client.post("/api/v1/enterprises", headers=auth, json={"name": name or f"江苏测试建设有限公司{code[-5:]}",
                                                                "uscc": code})
    assert r.status_code == 201, r.json
    return r.json


def make_account(client, auth, role: str, **extra) -> dict:
    username = extra.pop("username", None) or f"{role}.{next(_n)}"
    r = client.post("/api/v1/accounts", headers=auth, json={"username": username, "password": PASSWORD, "role": role,
                                                             **extra})
    assert r.status_code == 201, r.json
    return r.json


def login(client, username: str, password: str = PASSWORD) -> dict:
    r = client.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert r.status_code == 200, r.json
    return {"Authorization": f"Bearer {r.json['access_token']}"}


def bearer_for(client, auth, role: str, **extra) -> dict:
    return login(client, make_account(client, auth, role, **extra)["username"])
