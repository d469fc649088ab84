"""Recording cases: the case service (create, edit, delete), the rules a case must meet, the case
list's queries, numbering, survey campaigns, establishments and their tax codes, evidence files and the
takedown lifecycle of an e-commerce check.
"""
