"""Demonstration data: the generator, its Vietnamese vocabulary and the small evidence files it
attaches. Only the CLI imports it.
"""
