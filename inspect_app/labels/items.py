"""Words for what an inspection checks: instruments, seals, results, offenders, the rules an item fails,
the fine bands and their warnings; and measured values written the way the forms read them back."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _

from cases.models import Violation
from forms.case_items import instrument_type_choices, offender_choices, result_choices, seal_choices
from forms.numbers import format_number_input


def _label(choices: list[tuple[str, str]], value: str | None) -> str:
    return dict(choices).get(value or "", value or "")


def instrument_type_label(value: str | None) -> str:
    return _label(instrument_type_choices(), value)


def seal_label(value: str | None) -> str:
    return _label(seal_choices(), value)


def item_result_label(value: str | None) -> str:
    return _label(result_choices(pending=True), value)


def offender_label(value: str | None, short: bool = False) -> str:
    """ "Organisation (fines × 2)" as in the form, or just "Organisation" with ``short``."""
    if short:
        return {"individual": _("Individual"), "organisation": _("Organisation")}.get(
            value or "", value or ""
        )
    return _label(offender_choices(), value)


def item_reason_label(code: str) -> str:
    """Words for a rule an instrument or a prepackaged lot fails."""
    return {
        "certificate_expired": _("Verification expired before the inspection date"),
        "seal_broken": _("Seal broken"),
        "seal_missing": _("No seal"),
        "error_over_limit": _("Error over the permissible limit"),
        "mean_below_nominal": _("Mean quantity below the nominal quantity"),
        "short_over_2t": _("A unit is short by more than 2T"),
        "too_many_short_over_t": _("Too many units short by more than T"),
    }.get(code, code)


def fine_warning_label(code: str | None) -> str:
    return {
        "below_range": _("The proposed fine is below the catalog's range for this offender."),
        "above_range": _("The proposed fine is above the catalog's range for this offender."),
        "below_verified_range": _(
            "The proposed fine is below the legal band for this offender: it cannot be decided as it is."
        ),
        "above_verified_range": _(
            "The proposed fine is above the legal band for this offender: it cannot be decided as it is."
        ),
    }.get(code or "", "")


def fine_band_note(violation: Violation) -> str:
    """Whether a catalog entry's fine band is verified from the legal text, and what follows from it."""
    if violation.fine_verified:
        return _("Verified from the legal text: a fine outside it cannot be decided.")
    return _("Not verified from the legal text: a fine outside it needs a reason.")


def fine_range_text(bounds: tuple[int | None, int | None] | None) -> str:
    """``"4.000.000 ₫ – 8.000.000 ₫"``, ``"from 500.000 ₫"``, or "unknown"."""
    from cases.rendering.formatting import format_vnd

    if bounds is None:
        return _("not known")
    low, high = bounds
    if low is not None and high is not None:
        return f"{format_vnd(low)} – {format_vnd(high)}"
    if low is not None:
        return _("from %(amount)s (upper limit not known)", amount=format_vnd(low))
    return _("up to %(amount)s", amount=format_vnd(high))


def plain_number(value: float | Decimal | None) -> str:
    """A measured value as the page's language writes it, without trailing zeros: ``1250.5`` →
    ``"1.250,5"`` in Vietnamese (``"1,250.5"`` in English), as the forms read it back."""
    if value is None:
        return ""
    return format_number_input(value)
