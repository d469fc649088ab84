"""What an inspection checks: the items of a case (instruments, prepackaged lots, goods,
samples), the prepackaged-quantity rule (TT 21/2014, OIML R 87) and GS1 barcodes.
"""
