"""The domain: models, workflow rules, geography, reporting and import/export.

Nothing in this package depends on Flask's request machinery, so every function can be
called from a view, a CLI command or a test alike.
"""
