"""Without PUBLIC_BASE_URL, the links in QR codes follow the port the app serves (issue 11): gunicorn's bound
address (backend/gunicorn_conf.py), else $PORT, else 5000. tests/test_run_sh.py checks it through run.sh."""
from __future__ import annotations

import logging
import os
from types import SimpleNamespace

import pytest

from backend import gunicorn_conf
from backend.config import load_config


def _server(*addresses):
    socks = [SimpleNamespace(sock=SimpleNamespace(getsockname=lambda a=a: a)) for a in addresses]
    return SimpleNamespace(LISTENERS=socks, log=logging.getLogger("test.gunicorn"))


@pytest.mark.parametrize("env, want", [
    ({}, "http://127.0.0.1:5000"),
    ({"PORT": "8080"}, "http://127.0.0.1:8080"),
    ({"PORT": "8080", "PUBLIC_BASE_URL": "https://jz.example.cn/"}, "https://jz.example.cn"),
])
def test_the_default_follows_port(env, want, monkeypatch, tmp_path):
    for k in ("PORT", "PUBLIC_BASE_URL"):
        monkeypatch.delenv(k, raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    assert load_config(str(tmp_path))["PUBLIC_BASE_URL"] == want


@pytest.mark.parametrize("addresses, want", [
    ((("127.0.0.1", 8123),), "http://127.0.0.1:8123"),
    ((("0.0.0.0", 8000),), "http://127.0.0.1:8000"),                   # a wildcard is no address to open
    (("/run/jz.sock", ("192.168.1.20", 9000)), "http://192.168.1.20:9000"),   # a unix socket has no URL
    ((("::", 8443, 0, 0),), "http://127.0.0.1:8443"),
    ((("::1", 8443, 0, 0),), "http://[::1]:8443"),
])
def test_gunicorn_sets_it_from_the_bound_address(addresses, want, monkeypatch):
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    monkeypatch.setenv("PORT", "5555")                                   # what was bound wins over PORT
    gunicorn_conf.when_ready(_server(*addresses))
    assert os.environ["PUBLIC_BASE_URL"] == want


def test_gunicorn_leaves_a_given_public_base_url(monkeypatch):
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://jz.example.cn")
    gunicorn_conf.when_ready(_server(("127.0.0.1", 8123)))
    assert os.environ["PUBLIC_BASE_URL"] == "https://jz.example.cn"
