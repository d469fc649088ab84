"""The violation catalog (Decree 119/2017 as amended by Decree 126/2021, and referral practice)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cases.db import Model
from cases.enums import Confidence


class Violation(Model):
    """One kind of violation. Fines are for an individual; an organisation pays double.

    Unknown amounts stay empty (never invented); an administrator sets them when known.
    A retired entry stays in the table so that findings that used it keep their meaning.
    """

    __tablename__ = "violation"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    group_name: Mapped[str] = mapped_column(String(200), index=True)
    field: Mapped[str] = mapped_column(String(20), index=True)  # enums.InspectionField
    description: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[str] = mapped_column(String(300))
    fine_individual_min: Mapped[int | None] = mapped_column(BigInteger)
    fine_individual_max: Mapped[int | None] = mapped_column(BigInteger)
    tiered_by: Mapped[str | None] = mapped_column(Text)
    tiers: Mapped[str | None] = mapped_column(Text)  # the amounts per tier, as the catalog words them
    remedies: Mapped[str | None] = mapped_column(Text)
    confidence: Mapped[str] = mapped_column(String(20))  # enums.Confidence
    confidence_note: Mapped[str | None] = mapped_column(Text)
    search_key: Mapped[str] = mapped_column(Text)  # code + description without diacritics
    retired: Mapped[bool] = mapped_column(Boolean, default=False)

    @property
    def fine_verified(self) -> bool:
        """The fine band was read in the legal text (``confidence`` ``legal-text``: "amount and clause seen
        in the legal text"), so a fine outside it is refused outright; a band from secondary sources may be
        overridden by a manager with a reason. An administrator who checks a band against the legal text
        corrects ``confidence`` (the catalog file and ``seed-reference --update``)."""
        known = self.fine_individual_min is not None or self.fine_individual_max is not None
        return known and self.confidence == Confidence.LEGAL_TEXT

    @property
    def fine_organisation_min(self) -> int | None:
        return None if self.fine_individual_min is None else 2 * self.fine_individual_min

    @property
    def fine_organisation_max(self) -> int | None:
        return None if self.fine_individual_max is None else 2 * self.fine_individual_max
