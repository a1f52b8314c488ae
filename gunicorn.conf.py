"""gunicorn reads this file when started from the project's root without -c: the settings live in
backend/gunicorn_conf.py (what `-c python:backend.gunicorn_conf` names, inside the image too)."""
from backend.gunicorn_conf import *  # noqa: F403
