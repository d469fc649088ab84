"""The manager's review: the workflow of a case (``workflow``, the one place of its states),
proposed findings (``findings``) and the decisions on them: confirmation, dismissal, sanction, payment
(``decisions``).
"""
