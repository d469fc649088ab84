"""WTForms classes and the validators they share.

Every form derives from :class:`BaseForm`, whose WTForms messages go through the app's translations,
so that WTForms' built-in messages ("This field is required.") are shown in Vietnamese.
"""

from __future__ import annotations

from typing import Any

from flask_babel import get_translations
from flask_wtf import FlaskForm


class _BabelTranslations:
    """The translations object WTForms expects: it translates, WTForms formats.

    WTForms formats the translated text itself (``"... %(max)d ..." % {"max": 300}``). flask_babel's own
    ``gettext``/``ngettext`` format too — ``ngettext`` always, with ``{"num": n}`` — so a message with
    ``%(max)d`` or ``%(value)s`` raised ``KeyError`` before WTForms could fill it in (a 500 for any text
    longer than a field's maximum and any value outside a multi-select's choices). Hence the catalog's
    ``ugettext``/``ungettext``, which translate and never format.

    Our catalog holds WTForms' singular and plural messages as two plain entries
    (``forms/wtforms_messages.py``), not as one plural entry: when ``ungettext`` finds no plural entry, the
    form chosen by ``n`` is looked up on its own.
    """

    def gettext(self, string: str) -> str:
        return get_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        translations = get_translations()
        translated = translations.ungettext(singular, plural, n)
        if translated in (singular, plural):
            translated = translations.ugettext(singular if n == 1 else plural)
        return translated


class BaseForm(FlaskForm):
    class Meta:
        def get_translations(self, form: Any) -> _BabelTranslations:
            return _BabelTranslations()
