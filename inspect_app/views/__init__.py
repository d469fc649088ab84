"""Blueprints. Views are thin: parse a form, call ``cases``, render."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from inspect_app.views import (
        activities,
        admin,
        agency,
        api,
        auth,
        case_items,
        cases,
        communes,
        documents,
        establishments,
        evidence,
        main,
        planning,
        reports,
        review,
        targets,
        tips,
        transfer,
    )

    app.register_blueprint(main.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(cases.bp)
    app.register_blueprint(case_items.bp)
    app.register_blueprint(establishments.bp)
    app.register_blueprint(evidence.bp)
    app.register_blueprint(transfer.bp)
    app.register_blueprint(review.bp)
    app.register_blueprint(communes.bp)
    app.register_blueprint(activities.bp)
    app.register_blueprint(targets.bp)
    app.register_blueprint(agency.bp)
    app.register_blueprint(reports.bp)
    app.register_blueprint(documents.bp)
    app.register_blueprint(tips.bp)
    app.register_blueprint(planning.bp)
