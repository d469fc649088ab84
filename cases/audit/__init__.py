"""The audit trail: append-only entries (``trail``), their hash chain (``chain``) and the integrity
check of the trail and of finalised reports (``integrity``).
"""
