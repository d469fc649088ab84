"""Words for the field codes the domain names: what a case lacks before it can be submitted
(``workflow.missing_for_submission``), what a report lacks before it can be finalised."""

from __future__ import annotations

from flask_babel import gettext as _


def submission_field_label(code: str) -> str:
    """Words for the field codes of ``workflow.missing_for_submission``."""
    labels = {
        "establishment_id": lambda: _("establishment"),
        "decision_number": lambda: _("decision number"),
        "decision_date": lambda: _("decision date"),
        "start_date": lambda: _("start date"),
        "end_date": lambda: _("end date"),
        "conclusion": lambda: _("conclusion"),
        "action": lambda: _("action taken"),
        "samples": lambda: _("at least one sample with its test result"),
    }
    factory = labels.get(code)
    return factory() if factory else code


def report_field_label(name: str) -> str:
    """Words for the codes of ``cases.reporting.annual_report.missing_for_finalising``: the heading's fields,
    and each
    narrative section with its number in the document (1, 2.1–2.6, II–IV) and its title."""
    labels = {
        "number_symbol": lambda: _("the report's number (…/BC-SKHCN is not numbered yet)"),
        "report_date": lambda: _("date of the report"),
        "signer_name": lambda: _("signer's name"),
        "overall_assessment": lambda: _(
            "section %(number)s (%(title)s)", number="I.1", title=_("Overall assessment")
        ),
        "group_1": lambda: _(
            "section %(number)s (%(title)s)", number="2.1", title=_("Task group 1: awareness")
        ),
        "group_2": lambda: _(
            "section %(number)s (%(title)s)",
            number="2.2",
            title=_("Task group 2: policies and support to enterprises"),
        ),
        "group_3": lambda: _(
            "section %(number)s (%(title)s)", number="2.3", title=_("Task group 3: organisation and people")
        ),
        "group_4": lambda: _(
            "section %(number)s (%(title)s)", number="2.4", title=_("Task group 4: investment and funding")
        ),
        "group_5": lambda: _(
            "section %(number)s (%(title)s)",
            number="2.5",
            title=_("Task group 5: inspection, checking and supervision"),
        ),
        "group_6": lambda: _(
            "section %(number)s (%(title)s)", number="2.6", title=_("Task group 6: international integration")
        ),
        "limitations": lambda: _(
            "section %(number)s (%(title)s)", number="II", title=_("Limitations and their causes")
        ),
        "directions": lambda: _(
            "section %(number)s (%(title)s)", number="III", title=_("Directions and tasks for next year")
        ),
        "recommendations": lambda: _(
            "section %(number)s (%(title)s)", number="IV", title=_("Recommendations")
        ),
    }
    factory = labels.get(name)
    return factory() if factory else name
