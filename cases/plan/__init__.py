"""The annual plan: activities that are not cases and their tasks, the plan's targets and what was
achieved against them.
"""
