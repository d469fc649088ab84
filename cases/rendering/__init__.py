"""Turning data into text and pictures without Flask: house formats (dates, money, numbers),
SVG charts, the commune map and its projection.
"""
