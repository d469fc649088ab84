"""WTForms classes and the validators they share.

Every form derives from :class:`BaseForm`, whose WTForms messages go through the app's translations,
so that WTForms' built-in messages ("This field is required.") are shown in Vietnamese.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext, ngettext
from flask_wtf import FlaskForm


class _BabelTranslations:
    def gettext(self, string: str) -> str:
        return gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return ngettext(singular, plural, n)


class BaseForm(FlaskForm):
    class Meta:
        def get_translations(self, form: Any) -> _BabelTranslations:
            return _BabelTranslations()
