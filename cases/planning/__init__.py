"""Planning (issue 18): the risk score of an establishment (``score``), its dated, versioned weights
(``weights``), tips and complaints (``tips``) and other agencies' checks (``agency_checks``). The room reads
``recording``, ``inspection`` and ``review`` and the rooms under them; nothing below reads it."""
