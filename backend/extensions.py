"""Extension objects, created unbound; create_app() binds them. The models are plain SQLAlchemy
(backend/models/base.py): Flask-SQLAlchemy is only given their metadata and hands out sessions."""
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

from backend.models.base import Base

db = SQLAlchemy(metadata=Base.metadata)
migrate = Migrate()
limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)
