"""Extension singletons, bound to an app in ``create_app``. Imports nothing from the app."""

from __future__ import annotations

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf import CSRFProtect

from cases.db import db

babel = Babel()
login_manager = LoginManager()
migrate = Migrate()
csrf = CSRFProtect()
__all__ = ["babel", "csrf", "db", "login_manager", "migrate"]
