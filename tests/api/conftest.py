"""Fixtures the API tests share: one test client and the admin token's header per module (a module's
app is its own: tests/conftest.py's `app` is module-scoped)."""
import pytest


@pytest.fixture(scope="module")
def mc(app):
    return app.test_client()


@pytest.fixture(scope="module")
def admin(app):
    return {"Authorization": f"Bearer {app.config['ADMIN_TOKEN']}"}
