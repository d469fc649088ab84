"""The plan's targets (admin only): the 14 tasks and objective II.1.a, and an edit form per task."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cases.enums import Role
from cases.models import PlanTask
from cases.plan import targets as plan_targets
from cases.plan.activity_tasks import short_name
from forms.activities import TargetForm
from inspect_app.auth import role_required
from inspect_app.views.support import load, save_form

bp = Blueprint("targets", __name__, url_prefix="/admin/plan-tasks")


@bp.get("/")
@role_required(Role.ADMIN)
def index():
    tasks = plan_targets.list_tasks()
    return render_template(
        "targets/list.html", tasks=tasks, short_names={t.code: short_name(t.code, t.content) for t in tasks}
    )


@bp.route("/<code>/edit", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit(code: str):
    task = load(PlanTask, code)
    form = TargetForm()
    if request.method == "GET":
        form.fill(plan_targets.target_to_input(task))

    def done(_result: Any):
        flash(_("The target of task %(code)s was saved.", code=task.code), "success")
        return redirect(url_for("targets.index"))

    return save_form(
        form,
        lambda: plan_targets.update_target(
            task=task, actor=current_user._get_current_object(), data=form.values(), reason=form.reason.data
        ),
        done=done,
        again=lambda status: (
            render_template(
                "targets/form.html", form=form, task=task, short_name=short_name(task.code, task.content)
            ),
            status,
        ),
        # every error at once: the target's rules too, on what the form could read
        problems=lambda: [p.as_error() for p in plan_targets.check_target(form.values())],
    )
