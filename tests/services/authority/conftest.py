"""The officials of the authority's four-eyes tests: two staff accounts and the admin service token."""
import pytest

from backend.services.authority.requests import Official


@pytest.fixture()
def alice():
    return Official(label="authority:alice", account_id=9001, audit="authority:alice@10.0.0.1")


@pytest.fixture()
def bob():
    return Official(label="authority:bob", account_id=9002, audit="authority:bob@10.0.0.2")


@pytest.fixture()
def admin_token():
    return Official(label="admin-token", account_id=None, audit="authority@127.0.0.1")
