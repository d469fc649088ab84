"""Figures as plain data: the report's figures (aggregated in SQL), the annual report, the
dashboard and a commune's page.
"""
