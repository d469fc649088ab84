"""Where things are: communes of today and former districts and wards, commune suggestions from
addresses and GPS points (``places``), and loading the reference data (``reference``).
"""
