"""Who may do what: user accounts and the password policy (``users``), the permission rules
(``permissions``, the one place of them), revocable sign-in sessions (``sessions``) and the security log
(``security_log``).
"""
