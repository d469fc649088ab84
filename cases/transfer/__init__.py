"""Import and export of cases: the importer (every error by row and column, nothing
half-imported), its writer, the import-format exporter and the readable spreadsheet.
"""
