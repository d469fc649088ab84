"""Survey campaigns (đợt khảo sát). A campaign created (from the survey form or by the import) writes an
audit entry (entity ``campaign``, in the cases' hash chain). Flushes, never commits."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from cases.audit import trail as audit
from cases.db import db
from cases.errors import ValidationFailed
from cases.models import SurveyCampaign


def campaign_choices() -> list[tuple[str, str]]:
    rows = db.session.scalars(
        select(SurveyCampaign).order_by(SurveyCampaign.year.desc(), SurveyCampaign.name)
    )
    return [(str(c.id), c.name) for c in rows]


def get_or_create_campaign(
    *, name: str, year: int, field: str | None = None, actor: Any = None
) -> SurveyCampaign:
    """The campaign of that name (case-insensitive), created (by ``actor``) if it does not exist yet."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationFailed("required", field="new_campaign")
    if len(name) > 200:
        raise ValidationFailed("too_long", field="new_campaign")
    found = db.session.scalar(select(SurveyCampaign).where(func.lower(SurveyCampaign.name) == name.lower()))
    if found is not None:
        return found
    campaign = SurveyCampaign(name=name, year=year, field=field)
    db.session.add(campaign)
    db.session.flush()
    actor = actor if getattr(actor, "id", None) is not None else None
    audit.record(actor, "create", entity=campaign, changes=audit.diff({}, audit.snapshot(campaign)))
    return campaign
