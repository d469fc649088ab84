"""All models, imported here so that Alembic and ``db.create_all`` see every table."""

from cases.models.catalog import Violation
from cases.models.geo import Commune, FormerDistrict, FormerWard, FormerWardCommune
from cases.models.plan import PlanTask
from cases.models.user import User, user_commune

__all__ = [
    "Commune",
    "FormerDistrict",
    "FormerWard",
    "FormerWardCommune",
    "PlanTask",
    "User",
    "Violation",
    "user_commune",
]
