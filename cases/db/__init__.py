"""The SQLAlchemy declarative base and the unbound ``db`` object (bound in ``create_app``).

The database: the unbound Flask-SQLAlchemy ``db`` object and its declarative base (here), ids of new
rows, the SQL functions each database needs (folding, the SQLite planner hint) and bulk row writing.
Imported by every other package; imports none of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "pk": "pk_%(table_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

if TYPE_CHECKING:
    from flask_sqlalchemy.model import Model as _FlaskModel

    class Model(_FlaskModel, Base):
        """What ``db.Model`` is at run time (Flask-SQLAlchemy's mixins over ``Base``), spelt as a class
        for the type checker, which takes no attribute of an object (``db.Model``) as a base class."""

else:
    Model = db.Model
"""The base class of every model: ``db.Model``."""
