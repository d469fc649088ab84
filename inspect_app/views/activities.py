"""Activities of the plan: list with totals per task, record, edit, delete, and their evidence files.

Liaisons do not see activities (``permissions.can_view_activities``). Files are stored, served and deleted
as a case's evidence are (``views/files.py``): sniffed type, ``nosniff``, always as a download; thumbnails
inline.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from cases.accounts import permissions
from cases.errors import ValidationFailed
from cases.geography import places as geography
from cases.models import Activity, ActivityFile
from cases.plan import activities
from cases.plan.activities import ActivityInvalid
from cases.plan.activity_tasks import defaults_map, task_label
from cases.recording import evidence
from cases.recording.rules import Problem
from cases.rendering.formatting import LOCAL_TZ
from forms.activities import (
    ActivityForm,
    activity_type_choices,
    filters_from_args,
    grouped_task_choices,
)
from inspect_app.extensions import db
from inspect_app.pagination import requested_page
from inspect_app.views import files
from inspect_app.views.support import add_rule_problems, load, require, save_form, show_beside_field

bp = Blueprint("activities", __name__, url_prefix="/activities")


def _today() -> dt.date:
    return dt.datetime.now(LOCAL_TZ).date()


def _get(activity_id: int) -> Activity:
    require(permissions.can_view_activities(current_user))
    return load(Activity, activity_id)


def _get_file(file_id: int) -> ActivityFile:
    require(permissions.can_view_activities(current_user))
    return load(ActivityFile, file_id)


def _form(**kwargs: Any) -> ActivityForm:
    return ActivityForm(
        task_choices=grouped_task_choices(activities.task_choices()),
        commune_choices=geography.commune_choices(),
        **kwargs,
    )


def _show_problems(form: ActivityForm, problems: list[Problem]) -> None:
    # not beside a field where WTForms already said what is wrong there
    add_rule_problems(form, [p.as_error() for p in problems])


def _render_form(form: ActivityForm, activity: Activity | None) -> tuple[str, int]:
    status = 400 if form.is_submitted() else 200
    if form.is_submitted() and form.chosen_files() and not form.files.errors:
        # a browser never fills a file input back in: say so beside it
        form.files.errors = [_("Nothing was saved: choose the files again.")]
    page = render_template("activities/form.html", form=form, activity=activity, task_defaults=defaults_map())
    return page, status


def _store_files(activity: Activity, chosen: files.Uploads) -> list[ActivityFile]:
    return activities.store_files(
        activity=activity,
        actor=current_user._get_current_object(),
        files=chosen,
        upload_folder=files.upload_folder(),
        **files.limits(),
    )


def _to_show(activity: Activity) -> Response:
    return redirect(url_for("activities.show", activity_id=activity.id))


@bp.get("/")
@login_required
def index():
    require(permissions.can_view_activities(current_user))
    filters, shown = filters_from_args(request.args, default_year=_today().year)
    page = db.paginate(
        activities.activity_list_query(filters),
        page=requested_page(),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    years = sorted({*activities.activity_years(), _today().year}, reverse=True)
    return render_template(
        "activities/list.html",
        page=page,
        filters=shown,
        filtered=any(v for k, v in shown.items() if k != "year"),
        year=filters.year,
        years=years,
        totals=activities.task_totals(filters),
        any_recorded=bool(page.items) or activities.any_recorded(),
        task_choices=grouped_task_choices(activities.task_choices()),
        type_choices=activity_type_choices(),
        commune_choices=geography.commune_choices(),
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    require(permissions.can_record_activity(current_user))
    form = _form()
    if request.method == "GET":
        form.fill(activities.new_input(request.args.get("task"), today=_today()))
        return _render_form(form, None)
    if not form.validate_on_submit():
        _show_problems(form, activities.problems_of(form.values(), today=_today()))
        return _render_form(form, None)
    stored: list[ActivityFile] = []
    try:
        activity = activities.create_activity(
            actor=current_user._get_current_object(), data=form.values(), today=_today()
        )
        chosen = files.chosen_files(form.chosen_files())
        if chosen:
            stored = _store_files(activity, chosen)
    except ActivityInvalid as exc:
        db.session.rollback()
        _show_problems(form, exc.problems)
        return _render_form(form, None)
    except ValidationFailed as exc:  # a file refused: nothing is saved
        db.session.rollback()
        show_beside_field(form, exc)
        return _render_form(form, None)
    files.commit_stored(stored)
    flash(_("Activity recorded: %(title)s.", title=activity.title), "success")
    return _to_show(activity)


@bp.get("/<int:activity_id>")
@login_required
def show(activity_id: int):
    activity = _get(activity_id)
    return render_template(
        "activities/show.html",
        activity=activity,
        task_label=task_label(activity.task_code, activity.task.content),
        can_edit=permissions.can_edit_activity(current_user, activity),
    )


@bp.route("/<int:activity_id>/edit", methods=["GET", "POST"])
@login_required
def edit(activity_id: int):
    activity = _get(activity_id)
    require(permissions.can_edit_activity(current_user, activity))
    form = _form()
    if request.method == "GET":
        form.fill(activities.activity_to_input(activity))
        form.version.data = str(activity.version)
        return _render_form(form, activity)

    def done(_result: Any) -> Response:
        flash(_("Activity saved: %(title)s.", title=activity.title), "success")
        return _to_show(activity)

    return save_form(
        form,
        lambda: activities.update_activity(
            activity=activity,
            actor=current_user._get_current_object(),
            data=form.values(),
            expected_version=form.expected_version(),
            today=_today(),
        ),
        done=done,
        again=lambda status: _render_form(form, activity),
        problems=lambda: [p.as_error() for p in activities.problems_of(form.values(), today=_today())],
    )


@bp.route("/<int:activity_id>/delete", methods=["GET", "POST"])
@login_required
def delete(activity_id: int):
    activity = _get(activity_id)
    require(permissions.can_delete_activity(current_user, activity))
    if request.method == "GET":
        return render_template("activities/delete.html", activity=activity)
    title = activity.title
    paths = activities.delete_activity(
        activity=activity, actor=current_user._get_current_object(), upload_folder=files.upload_folder()
    )
    db.session.commit()
    evidence.remove_files(paths)
    flash(_("Activity deleted: %(title)s.", title=title), "success")
    return redirect(url_for("activities.index"))


@bp.post("/<int:activity_id>/files")
@login_required
def upload(activity_id: int):
    activity = _get(activity_id)
    require(permissions.can_edit_activity(current_user, activity))
    chosen = files.chosen_files(request.files.getlist("files"))
    return files.upload(lambda c: _store_files(activity, c), chosen, lambda: _to_show(activity))


@bp.get("/files/<int:file_id>")
@login_required
def download(file_id: int) -> Response:
    return files.send_stored(_get_file(file_id), images_inline=False)


@bp.get("/files/<int:file_id>/thumbnail")
@login_required
def thumbnail(file_id: int) -> Response:
    return files.send_thumbnail(_get_file(file_id))


@bp.post("/files/<int:file_id>/delete")
@login_required
def delete_file(file_id: int):
    f = _get_file(file_id)
    activity = f.activity
    require(permissions.can_edit_activity(current_user, activity))
    return files.delete(
        f,
        lambda: activities.delete_file(f, files.upload_folder(), actor=current_user._get_current_object()),
        lambda: _to_show(activity),
    )
