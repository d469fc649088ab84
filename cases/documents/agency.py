"""Who issues the documents: the agency's names for the letterhead, the place written beside the date, the
symbol in the document numbers, the signers (name and title) and the treasury account fines are paid into.

``agency_settings()`` is what a document shows (and what issuing freezes into the snapshot). Until an
administrator has set them (a table and an admin page come next), the defaults below are An Giang's; the
treasury account has none: the document says it is to be filled in rather than invent one.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Signer:
    full_name: str
    title: str  # e.g. "GIÁM ĐỐC", "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC"


@dataclass(frozen=True)
class Agency:
    parent_name: str = "UBND TỈNH AN GIANG"
    name: str = "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    place_name: str = "An Giang"
    symbol: str = "SKHCN"
    treasury_account: str | None = None  # "Số tài khoản … tại Kho bạc Nhà nước …" (not known: left blank)
    treasury_name: str | None = None
    signers: tuple[Signer, ...] = field(default_factory=tuple)

    def as_data(self) -> dict[str, Any]:
        """Plain data (what a snapshot keeps)."""
        return asdict(self)


def agency_settings() -> Agency:
    """The agency as configured now."""
    return Agency()
