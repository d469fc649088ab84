"""The commune map's words in the user's language (the dashboard's map and the annual report's)."""

from __future__ import annotations

from flask_babel import gettext as _

from cases.rendering.commune_map import MapLabels


def map_labels() -> MapLabels:
    """The map's words in the user's language."""
    return MapLabels(
        title=_("Cases by commune"),
        hover=_("{name}: {cases} cases, {confirmed} with confirmed violations ({share})"),
        hover_empty=_("{name}: no case"),
        share_legend=_("Share of cases with confirmed violations"),
        size_legend=_("Number of cases (approved or closed)"),
        no_case=_("no case"),
        inset_title=_("Inset"),
        inset_note=_("{name}: about {km} km {direction} of {anchor}, drawn in the inset."),
        gps_legend=_("GPS points of cases ({count} places)"),
        north=_("N"),
        directions=(
            _("north"),
            _("north-east"),
            _("east"),
            _("south-east"),
            _("south"),
            _("south-west"),
            _("west"),
            _("north-west"),
        ),
    )
