"""Extension singletons, bound to an app in ``create_app``. Imports nothing from the app."""

from __future__ import annotations

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf import CSRFProtect

from cases.db import db

babel = Babel()
login_manager = LoginManager()
migrate = Migrate()
csrf = CSRFProtect()
#: Limits are declared on the views that need them (the login form); none by default.
limiter = Limiter(get_remote_address)

__all__ = ["babel", "csrf", "db", "limiter", "login_manager", "migrate"]
