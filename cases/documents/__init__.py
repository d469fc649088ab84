"""Official documents of a case (issue 17): the dated template versions in force (``templates``), the
register's numbering (``numbering``), the data a document shows (``snapshot``) and the operations on the
register (``register``: draft, edit the draft's texts, issue, void, correct)."""
