"""建证 Jianzheng: registry and verification of electronic registration certificates.

The app is made by `create_app()` in backend/app.py; this package imports nothing else at its top, so that
the business layer (backend.services), the models, crypto and QR code load without Flask. ARCHITECTURE.md
at the project's root walks the layers.
"""
from __future__ import annotations


def create_app(config: dict | None = None):
    """The Flask app (backend/app.py): `flask --app backend`, gunicorn 'backend:create_app()'."""
    from backend.app import create_app as make
    return make(config)
