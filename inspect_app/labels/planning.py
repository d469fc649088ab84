"""Words for the risk score (``cases/planning/score.py``): its components and the reasons' codes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import gettext as _

from cases.planning.score import Reason
from cases.rendering.formatting import format_date
from inspect_app.labels.codes import field_label, risk_band_label


def component_label(name: str) -> str:
    return {
        "violations": lambda: _("Confirmed violations"),
        "hazard": lambda: _("Hazard of the trade"),
        "last_check": lambda: _("Time since the last check"),
        "instruments": lambda: _("Instruments' verification"),
        "samples": lambda: _("Failed samples"),
        "tips": lambda: _("Tips and complaints"),
        "ecommerce": lambda: _("E-commerce checks of the seller"),
        "size": lambda: _("Size"),
    }.get(name, lambda: name)()


def _date(value: Any) -> str:
    return format_date(dt.date.fromisoformat(value)) if isinstance(value, str) else str(value)


def reason_text(reason: Reason) -> str:
    """One reason in words, with its numbers."""
    p = reason.params
    words = {
        "risk_recent_findings": lambda: _(
            "%(count)s confirmed violation(s) in the last %(months)s months",
            count=p["count"],
            months=p["months"],
        ),
        "risk_middle_findings": lambda: _(
            "%(count)s confirmed violation(s) within %(months)s months", count=p["count"], months=p["months"]
        ),
        "risk_old_findings": lambda: _(
            "%(count)s older confirmed violation(s) (within %(months)s months)",
            count=p["count"],
            months=p["months"],
        ),
        "risk_serious_findings": lambda: _("of which %(count)s serious (high fine band)", count=p["count"]),
        "risk_hazard_field": lambda: _("Checked field: %(field)s", field=field_label(p["field"])),
        "risk_never_checked": lambda: _("No check recorded, by the Department or another agency"),
        "risk_last_check": lambda: _(
            "Last inspection %(months)s months ago (%(on)s)", months=p["months"], on=_date(p["on"])
        ),
        "risk_last_check_agency": lambda: _(
            "Last check by another agency %(months)s months ago (%(on)s)",
            months=p["months"],
            on=_date(p["on"]),
        ),
        "risk_instruments_expired": lambda: _(
            "%(count)s instrument(s) with an expired verification", count=p["count"]
        ),
        "risk_instruments_due": lambda: _(
            "%(count)s instrument(s) due for verification within %(days)s days",
            count=p["count"],
            days=p["days"],
        ),
        "risk_failed_samples": lambda: _(
            "%(count)s failed sample(s) in the last %(months)s months", count=p["count"], months=p["months"]
        ),
        "risk_open_tips": lambda: _(
            "%(count)s open tip(s) or complaint(s) in the last %(months)s months",
            count=p["count"],
            months=p["months"],
        ),
        "risk_used_tips": lambda: _(
            "%(count)s tip(s) already acted on in the last %(months)s months",
            count=p["count"],
            months=p["months"],
        ),
        "risk_ecommerce_checks": lambda: _(
            "%(count)s e-commerce check(s) of it as a seller, %(violations)s with a violation",
            count=p["count"],
            violations=p["violations"],
        ),
        "risk_size": lambda: _(
            "%(instruments)s instrument(s) and %(lots)s prepackaged lot(s) recorded",
            instruments=p["instruments"],
            lots=p["lots"],
        ),
    }
    return words.get(reason.code, lambda: reason.code)()


__all__ = ["component_label", "reason_text", "risk_band_label"]


def weight_item_label(component: str, item: str) -> str:
    """The words of one weight (``cases/data/risk_weights.csv``) on the administrator's page."""
    from cases.enums import InspectionField

    if component == "hazard" and item in {f.value for f in InspectionField}:
        return _("Field checked: %(field)s", field=field_label(item))
    if component in {"band", "interval"}:
        return risk_band_label(item)
    words = {
        "per_recent_finding": lambda: _("Each confirmed violation, recent"),
        "per_middle_finding": lambda: _("Each confirmed violation, within the middle period"),
        "per_old_finding": lambda: _("Each older confirmed violation"),
        "serious_extra": lambda: _("More for each serious violation"),
        "serious_fine_from": lambda: _("Serious from a maximum fine of (VND)"),
        "recent_months": lambda: _("Recent: months"),
        "middle_months": lambda: _("Middle period: months"),
        "window_months": lambda: _("Counted over: months"),
        "ceiling": lambda: _("Most points"),
        "never": lambda: _("Never checked"),
        "over_24_months": lambda: _("Last check 24 months ago or more"),
        "over_12_months": lambda: _("Last check 12 months ago or more"),
        "per_expired": lambda: _("Each instrument with an expired verification"),
        "per_due": lambda: _("Each instrument due for verification"),
        "due_days": lambda: _("Due within: days"),
        "per_failed": lambda: _("Each failed sample"),
        "per_open": lambda: _("Each open tip"),
        "per_used": lambda: _("Each tip used as a ground"),
        "per_check": lambda: _("Each e-commerce check"),
        "per_check_with_violation": lambda: _("Each e-commerce check with a violation"),
        "per_10_instruments": lambda: _("Each 10 instruments"),
        "per_5_lots": lambda: _("Each 5 prepackaged lots"),
    }
    return words.get(item, lambda: item)()
