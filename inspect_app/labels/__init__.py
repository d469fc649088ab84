"""Words for the codes the domain stores and raises, in the page's language (Flask-Babel).

- ``codes``: the values of the enums (kind, status, role, field, choices of the forms, items, sanctions,
  activities, the plan's measures, security events) and ``ENUM_LABELS``, the one table of them;
- ``errors``: ``domain_message`` — the words for every error code of ``cases.errors``;
- ``fields``: the field codes of what a case or a report still lacks;
- ``audit``: the audit trail's entities, actions, fields and values;
- ``transfer``: the import's row errors;
- ``map``: the words drawn on the commune map.

``tests/unit/test_every_code_has_words.py`` fails when an error code or an enum value has no words,
``tests/unit/test_audit_labels.py`` when an audited column has none.
"""
