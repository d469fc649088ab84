"""Words for the domain's error codes (the domain raises codes; the web layer translates them)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from cases.errors import DomainError
from cases.recording.taxcode import PROBLEMS as TAX_CODE_PROBLEMS
from forms.validators import tax_code_message
from inspect_app.labels.fields import report_field_label, submission_field_label


def domain_message(exc: DomainError) -> str:
    p = exc.params
    messages = {
        "username_length": lambda: _("The user name must have 3 to 64 characters."),
        "username_characters": lambda: _(
            "The user name may only contain lower-case letters without accents, digits, '.', '-' and '_'."
        ),
        "username_taken": lambda: _(
            "The user name %(username)s is already taken.", username=p.get("username")
        ),
        "unknown_role": lambda: _("Unknown role."),
        "import_not_allowed": lambda: _("You may not import cases."),
        "mapping_name_taken": lambda: _("A mapping of this name exists already; choose another name."),
        "mapping_column_without_header": lambda: _(
            "Column %(number)s has no header: a saved mapping finds the columns by their headers.",
            number=p.get("position", ""),
        ),
        "password_too_short": lambda: _("The password must have at least 10 characters."),
        "password_needs_letters_and_digits": lambda: _("The password must contain letters and digits."),
        "password_contains_username": lambda: _("The password must not contain the user name."),
        "password_too_common": lambda: _(
            "This password is too common and easy to guess; choose another one."
        ),
        "unknown_commune": lambda: _("Unknown commune code: %(codes)s.", codes=p.get("codes")),
        "liaison_needs_commune": lambda: _("A commune liaison must be tied to at least one commune."),
        "cannot_deactivate_self": lambda: _("You cannot deactivate your own account."),
        "cannot_change_own_role": lambda: _("You cannot change your own role."),
        "last_admin": lambda: _("This is the last active administrator; keep at least one."),
        "wrong_current_password": lambda: _("The current password is wrong."),
        "password_unchanged": lambda: _("The new password must differ from the current one."),
        "outside_province": lambda: _("These coordinates are outside An Giang province."),
        "invalid_coordinates": lambda: _("These are not valid coordinates."),
        "required": lambda: _("This field is required."),
        "invalid_choice": lambda: _("Not a valid choice."),
        "too_long": lambda: _("This text is too long."),
        "negative": lambda: _("The value cannot be negative."),
        "date_in_future": lambda: _("The date cannot be in the future."),
        "date_too_old": lambda: _("The date is too far in the past."),
        "closed_before_opened": lambda: _("The closing date cannot be before the opening date."),
        "end_before_start": lambda: _("The end date cannot be before the start date."),
        "takedown_before_action": lambda: _("The takedown cannot be before the action."),
        "coordinates_pair": lambda: _("Give both latitude and longitude, or neither."),
        "unknown_former_ward": lambda: _("Unknown former ward."),
        "former_ward_after_reform": lambda: _(
            "Former wards only apply to cases dated before 1 July 2025; "
            "for later cases choose today's commune."
        ),
        "unknown_field": lambda: _("Unknown field of inspection."),
        "survey_one_field": lambda: _("A survey covers one field."),
        "unknown_establishment": lambda: _("Unknown establishment."),
        "unknown_user": lambda: _("Unknown team member."),
        "document_time_invalid": lambda: _("Write the time as hours and minutes, e.g. 14:30."),
        "template_ends_before_it_starts": lambda: _("The version cannot end before it takes effect."),
        "template_number_pattern": lambda: _("Write {n} once where the number goes, e.g. {n}/BB-VPHC."),
        "template_same_start": lambda: _("Another version of this document takes effect on that date."),
        "document_sanction_signer_listed": lambda: _(
            "A sanction decision is signed by one of the agency's signers, whose authority to fine is "
            "checked: choose him in the list."
        ),
        "decision_scope_locked": lambda: _(
            "The decision to inspect %(number)s fixes this: to change it, draft a correction of the decision "
            "first.",
            number=p.get("number"),
        ),
        "team_role_not_in_team": lambda: _("Choose one of the team members selected above."),
        "team_roles_same_person": lambda: _("The team leader cannot also be the technical officer."),
        "address_too_long": lambda: _(
            "The address is too long (at most %(max)s characters).", max=p.get("max")
        ),
        "url_too_long": lambda: _("The address is too long."),
        "url_not_http": lambda: _("Enter a web address starting with http:// or https://."),
        "unknown_campaign": lambda: _("Unknown campaign."),
        "checked_this_year": lambda: _(
            "This establishment was already checked this year (%(check)s, %(on)s): at most one inspection "
            "a year, unless the case records clear signs of a violation or a manager allows it "
            "with a reason.",
            check=p.get("check"),
            on=p.get("on"),
        ),
        "clear_signs_tick_required": lambda: _("Tick the box if there are clear signs of a violation."),
        "yearly_override_managers_only": lambda: _("Only a manager may allow a second inspection in a year."),
        "unknown_tip": lambda: _("Unknown tip or complaint."),
        "tip_subject_required": lambda: _(
            "Give the establishment, or the listing's address or the seller, the tip is about."
        ),
        "risk_weights_missing": lambda: _("The risk score's weights are not loaded (run seed-reference)."),
        "risk_weights_incomplete": lambda: _("Every weight must be given."),
        "risk_weight_invalid": lambda: _("A weight is a whole number, not negative."),
        "risk_weights_date_before": lambda: _("A new version cannot start before the version in force."),
        "agency_column_missing": lambda: _("A column is missing from the file's header."),
        "agency_file_not_utf8": lambda: _("The file is not a UTF-8 CSV file."),
        "agency_file_empty": lambda: _("The file holds no check; nothing was imported."),
        "agency_invalid_date": lambda: _("Not a date (DD/MM/YYYY)."),
        "unknown_case": lambda: _("This case does not exist or you may not see it."),
        "follow_up_of_survey_only": lambda: _("A follow-up inspection can only follow a survey."),
        "commune_out_of_scope": lambda: _("You can only record cases in your own communes."),
        "stale_case": lambda: _("Somebody else saved this case meanwhile."),
        "not_a_survey": lambda: _("A follow-up inspection can only be opened from a survey."),
        # evidence files
        "no_files": lambda: _("Choose at least one photo or PDF file."),
        "file_too_large": lambda: _(
            "The file %(name)s is larger than %(max_mb)s MB; nothing was saved.",
            name=p.get("name"),
            max_mb=p.get("max_mb"),
        ),
        "file_empty": lambda: _("The file %(name)s is empty; nothing was saved.", name=p.get("name")),
        "file_type_not_allowed": lambda: _(
            "The file %(name)s is not a JPEG, PNG or WebP photo or a PDF; nothing was saved.",
            name=p.get("name"),
        ),
        "file_invalid": lambda: _(
            "The file %(name)s is damaged or not a valid image; nothing was saved.", name=p.get("name")
        ),
        "image_too_many_pixels": lambda: _(
            "The photo %(name)s has %(megapixels)s megapixels; at most %(max)s are accepted. Take it in the "
            "camera's normal mode, or send a smaller copy; nothing was saved.",
            name=p.get("name"),
            megapixels=p.get("megapixels") or _("far more than %(max)s", max=p.get("max_megapixels")),
            max=p.get("max_megapixels"),
        ),
        "pdf_active_content": lambda: _(
            "The PDF %(name)s contains scripts or actions that run when it is opened; it was not saved. "
            "Print it again as a plain PDF (or scan the paper) and send that.",
            name=p.get("name"),
        ),
        "note_too_long": lambda: _("The note may have at most %(max)s characters.", max=p.get("max")),
        "finding_not_in_case": lambda: _("This finding does not belong to the case."),
        "evidence_locked": lambda: _("Evidence can only be deleted while the case is a draft."),
        # establishments
        "tax_code_taken": lambda: (
            _("The tax code is already recorded for %(name)s.", name=p["name"])
            if p.get("name")
            else _("The tax code is already recorded for another establishment.")
        ),
        "unknown_business_type": lambda: _("Unknown type of business."),
        "commune_not_yours": lambda: _("You can only choose one of your own communes."),
        **{code: (lambda code=code: tax_code_message(code)) for code in TAX_CODE_PROBLEMS},
        # items checked on a case and proposed findings (cases/inspection/items.py, cases/review/findings.py)
        "not_a_number": lambda: _("Enter a number."),
        "not_an_integer": lambda: _("Enter a whole number."),
        "below_minimum": lambda: _("Enter at least %(min)s.", min=p.get("min")),
        "item_not_for_kind": lambda: _("This kind of case does not record such items."),
        "error_limit_positive": lambda: _("The permissible error must be above zero."),
        "error_limit_required": lambda: _("Give the maximum permissible error with the measured error."),
        "other_reason_required": lambda: _("Say in the notes what the other non-conformity is."),
        "nominal_positive": lambda: _("The nominal quantity must be above zero."),
        "nominal_above_table": lambda: _(
            "The tolerance table covers nominal quantities up to 50 kg (50 L); check this lot by hand."
        ),
        "count_above_sample": lambda: _(
            "This count cannot be larger than the sample size (%(n)s).", n=p.get("n")
        ),
        "mean_far_from_nominal": lambda: _(
            "The mean actual quantity (%(mean)s %(unit)s) is far from the nominal quantity Qn "
            "(%(nominal)s %(unit)s): more than ten times larger or smaller. Check both numbers and the unit "
            "(%(thousand)s is one thousand, %(half)s is one and a half). If they are right, tick the box "
            "and save again.",
            mean=_number(p.get("mean")),
            nominal=_number(p.get("nominal")),
            unit=p.get("unit") or "",
            thousand=_number(1000),
            half=_number(1.5),
        ),
        "count_2t_above_t": lambda: _(
            "Units short by more than 2T are also short by more than T: this count cannot be the larger."
        ),
        "barcode_format": lambda: _("A barcode has 8 or 13 digits."),
        "barcode_check_digit": lambda: _(
            "The check digit is wrong (it should be %(expected)s). An invalid barcode found on the goods "
            "goes in the barcode observations.",
            expected=p.get("expected"),
        ),
        "tested_before_sent": lambda: _("The test date cannot be before the date the sample was sent."),
        "survey_no_findings": lambda: _("A survey does not sanction: it carries no findings."),
        "unknown_violation": lambda: _("Unknown violation."),
        "violation_retired": lambda: _(
            "The catalog entry %(code)s is retired; choose a current one.", code=p.get("violation_code")
        ),
        "finding_reviewed": lambda: _("This finding has been reviewed and can no longer be changed."),
        "finding_has_documents": lambda: _(
            "A document issued for this finding names it: it cannot be deleted."
        ),
        "stale_finding": lambda: _(
            "Somebody else saved this finding while you were editing it. Reload the page and try again."
        ),
        # review of findings (cases/review/decisions.py)
        "case_not_under_review": lambda: _(
            "The findings of this case cannot be reviewed in its current state."
        ),
        "fine_outside_range": lambda: _(
            "The fine is outside the catalog range (%(min)s – %(max)s VND) for this offender type; "
            "give the reason for the override.",
            min=_vnd(p.get("min")),
            max=_vnd(p.get("max")),
        ),
        "fine_outside_verified_range": lambda: _(
            "The fine is outside the band of %(min)s – %(max)s VND for this offender type, as the legal "
            "text sets it: a fine outside it cannot be decided.",
            min=_vnd(p.get("min")),
            max=_vnd(p.get("max")),
        ),
        "deadline_before_decision": lambda: _("The deadline cannot be before the decision date."),
        "referral_ecommerce_only": lambda: _("Only an e-commerce finding can be referred to another agency."),
        "finding_not_sanctioned": lambda: _(
            "Payment and remedy dates need a confirmed finding with a decision."
        ),
        "no_fine_to_pay": lambda: _("No fine was decided on this finding."),
        "before_decision": lambda: _("The date cannot be before the decision date."),
        "close_unsettled": lambda: _(
            "A fine is unpaid or a remedy not done (%(codes)s): say why the case is closed all the same.",
            codes=", ".join(p.get("codes", [])),
        ),
        "findings_undecided": lambda: _(
            "Confirm or dismiss every finding before approving; still undecided: %(codes)s.",
            codes=", ".join(p.get("codes", [])),
        ),
        "approval_needs_another_manager": lambda: _(
            "You wrote this case or are in its team: another manager must approve it."
        ),
        # activities and targets of the plan (cases/plan/activities.py, cases/plan/targets.py)
        "unknown_task": lambda: _("Unknown task of the plan."),
        "task_from_cases": lambda: _(
            "The results of task %(code)s come from the recorded cases; choose another task.",
            code=p.get("task"),
        ),
        "task_is_objective": lambda: _(
            "Objective %(code)s counts the conferences and training classes of every task; "
            "link the activity to its own task.",
            code=p.get("task"),
        ),
        "unknown_activity_type": lambda: _("Unknown type of activity."),
        "before_plan": lambda: _("The plan runs from 2025; the date cannot be before 01/01/2025."),
        "above_maximum": lambda: _("Enter at most %(max)s.", max=_vnd(p.get("max"))),
        "stale_activity": lambda: _(
            "Somebody else saved this activity while you were editing it. Reload the page and try again."
        ),
        "target_value_required": lambda: _("Give the numeric target (0 or more) for this kind of target."),
        "year_out_of_range": lambda: _(
            "Enter a year between %(min)s and %(max)s.", min=p.get("min"), max=p.get("max")
        ),
        "years_reversed": lambda: _("The last year cannot be before the first year."),
        # review workflow (cases/review/workflow.py)
        "missing_for_submission": lambda: _(
            "The case cannot be submitted yet; fill in: %(fields)s.",
            fields=", ".join(submission_field_label(f) for f in p.get("fields", [])),
        ),
        # the annual report (cases/reporting/annual_report.py)
        "report_year_out_of_range": lambda: _(
            "Choose a year from %(first)s to %(last)s.", first=p.get("first"), last=p.get("last")
        ),
        "text_too_long": lambda: _("This text is too long (at most %(max)s characters).", max=p.get("max")),
        "report_changed_meanwhile": lambda: _(
            "Somebody else saved this report meanwhile. Reload the page and write your changes again."
        ),
        "report_not_draft": lambda: _(
            "This report is finalised and can no longer be changed; start a new revision to supersede it."
        ),
        "report_already_finalised": lambda: _(
            "The report of %(year)s is finalised; start a new revision to supersede it.", year=p.get("year")
        ),
        "report_number_symbol_invalid": lambda: _(
            "Write the number and symbol as in Decree 30/2020, e.g. 05/BC-SKHCN "
            "(or …/BC-SKHCN before it is numbered)."
        ),
        "report_date_out_of_range": lambda: _(
            "The report's date must be in %(year)s or the year after.", year=p.get("year")
        ),
        "report_incomplete": lambda: _(
            "Before finalising, fill in: %(fields)s.",
            fields=", ".join(report_field_label(f) for f in p.get("missing", [])),
        ),
        "report_section_required": lambda: _(
            "This section cannot be marked as having nothing to report: the report must always say it."
        ),
        "report_section_written_and_empty": lambda: _(
            "This section has text: delete the text, or untick “nothing to report”."
        ),
        "report_draft_exists": lambda: _("A new revision is already being written for this year."),
        "report_not_finalised": lambda: _("Only a finalised report can be superseded."),
        # the register of official documents (cases/documents/register.py)
        "document_type_unknown": lambda: _("Unknown type of document."),
        "document_finding_required": lambda: _(
            "A violation record or a sanction decision is made for one finding: choose the finding."
        ),
        "document_finding_not_on_case": lambda: _("This finding belongs to another case."),
        "document_finding_not_expected": lambda: _("This type of document is not made for a single finding."),
        "document_finding_dismissed": lambda: _("This finding was dismissed: no document is made for it."),
        "document_finding_not_confirmed": lambda: _(
            "A sanction decision is made only for a finding the review has confirmed."
        ),
        "document_not_draft": lambda: _(
            "This document is issued and can no longer be changed; void it or make a correction."
        ),
        "document_not_issued": lambda: _("Only an issued document can be voided or corrected."),
        "document_changed_meanwhile": lambda: _(
            "Somebody else saved this draft meanwhile. Reload the page and write your changes again."
        ),
        "document_text_unknown": lambda: _("This part of the document cannot be edited on the draft."),
        "document_copies_invalid": lambda: _(
            "The number of copies must be a whole number from 1 to %(max)s.", max=p.get("max")
        ),
        "document_copies_too_few": lambda: _(
            "This document is made in at least %(min)s copies.", min=p.get("min")
        ),
        "document_no_template": lambda: _(
            "No version of this document is in force on that date: an administrator must add it first."
        ),
        "document_replaced_not_issued": lambda: _(
            "The document this correction replaces is no longer issued (it was voided or replaced)."
        ),
        "document_void_reason_required": lambda: _("Give the reason for voiding the document."),
        "document_correction_exists": lambda: _("A correction of this document is already being drafted."),
        # the agency and its signers (cases/documents/agency.py)
        "agency_symbol_invalid": lambda: _(
            "Write the symbol with letters, digits, “-” or “.” only, e.g. SKHCN."
        ),
        "signer_authority_unknown": lambda: _("Choose a sanctioning authority from the list."),
        "document_signer_unknown": lambda: _("Choose one of the agency's signers."),
        "document_signer_no_authority": lambda: _(
            "%(name)s holds no sanctioning authority in force on that date: choose another signer.",
            name=p.get("name"),
        ),
        "document_fine_above_authority": lambda: _(
            "The fine (%(fine)s ₫) is above this signer's ceiling (%(ceiling)s ₫): the competent authority "
            "is %(authority)s. Transfer the file to it instead.",
            fine=_vnd(p.get("fine")),
            ceiling=_vnd(p.get("ceiling")),
            authority=p.get("authority"),
        ),
        "document_fine_above_every_authority": lambda: _(
            "The fine (%(fine)s ₫) is above the ceiling of every sanctioning authority on record.",
            fine=_vnd(p.get("fine")),
        ),
        "transfer_authority_unknown": lambda: _("Choose the authority the file is transferred to."),
        "case_has_documents": lambda: _(
            "This case has documents in the register: it can no longer be deleted; cancel it instead."
        ),
    }
    factory = messages.get(exc.code)
    return factory() if factory else _("The value is not valid.")


def _number(value: Any) -> str:
    """A number as the page's language writes it (what the forms read back)."""
    from forms.numbers import format_number_input

    return "…" if value is None else format_number_input(value)


def _vnd(amount: int | None) -> str:
    return "…" if amount is None else f"{amount:,}".replace(",", ".")
