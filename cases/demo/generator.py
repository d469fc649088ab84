"""Realistic demo data in bulk: users of every role, establishments, cases with their items, findings,
sanctions, evidence records and audit entries, survey campaigns and the plan's activities.

Used by ``flask --app inspect_app demo-data`` (a living system for a newcomer, ``make demo``) and by
``make bench`` (10,000 and 100,000 cases). Rows are written with SQLAlchemy Core ``INSERT`` of lists of
dicts, in chunks, with ids given here, so 100,000 cases take well under two minutes on SQLite.

The data follow the app's rules: case numbers per kind and year from 1 in the order cases were opened, and
the counters of ``cases/recording/numbering.py`` set to the last number given; ``search_key`` filled by
``case_service.fold_search_key``; cases opened before 1 July 2025 carry the former ward (and its district)
their commune was formed from; findings of approved and closed cases are all decided, those of drafts and
returned cases still proposed; a sanction only on a confirmed finding. The same seed and ``today`` give the
same data. Flushes and executes, never commits.

Every establishment has a trade (``demo_vocab.TRADES``: fuel station, gold shop, food producer, grocery…),
and everything checked there comes from it: the fields of inspection, the products, the instruments, the
prepackaged lots, the goods and samples, what it sells online and the survey campaigns it is sampled in.

Evidence has real files (``cases/demo/files.py``: photos, screenshots of listings, scanned records) in the
app's evidence storage when ``upload_folder`` is given, and no evidence rows without it. A small pool of
files is reused: each row has its own stored name, a hard link to the pooled content; and evidence goes
on a fraction of the cases of a large data set (about :data:`EVIDENCE_CASES` cases' worth in all), so that
100,000 cases write a few thousand links, not 100,000 files.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, func, insert, select, text, update
from werkzeug.security import generate_password_hash

from cases.audit.integrity import audit_entry_hash
from cases.audit.trail import _locked_chain_head
from cases.db import db
from cases.demo import files as demo_files
from cases.demo import vocabulary as vocab
from cases.enums import (
    CASE_FIELDS,
    BusinessType,
    CaseKind,
    CaseStatus,
    EcommerceAction,
    FindingStatus,
    InspectionMode,
    ItemResult,
    OffenderType,
    Role,
    SanctionForm,
    SealCondition,
    SuspectedIssue,
)
from cases.inspection.prepackaged import judge_lot
from cases.models import (
    Activity,
    AuditEvent,
    Case,
    CaseField,
    CaseNumberCounter,
    Commune,
    Establishment,
    EvidenceFile,
    Finding,
    FormerWard,
    FormerWardCommune,
    GoodsItem,
    InstrumentCheck,
    PlanTask,
    PrepackagedLot,
    Sample,
    SurveyCampaign,
    User,
    Violation,
    case_team_member,
    user_commune,
)
from cases.models import user as user_model
from cases.models.geo import REFORM_DATE
from cases.recording import evidence
from cases.recording.rules import normalise_url, seller_key
from cases.recording.service import fold_search_key
from cases.recording.taxcode import check_digit
from cases.text import fold

FIRST_DAY = dt.date(2024, 1, 1)
CHUNK = 5000
#: Up to this many cases, evidence goes on the share of cases a real office would have; above, on a
#: share that keeps the expected number of cases with evidence at this figure.
EVIDENCE_CASES = 3000
#: Fields whose checks send samples to a laboratory now and then (surveys always take samples).
SAMPLED_FIELDS = ("fuel", "quality", "gold")

#: The demo accounts: (user name, full name, role). Their passwords are in :data:`DEMO_PASSWORDS`.
DEMO_USERS = (
    ("quantri", "Quản trị Hệ thống", Role.ADMIN),
    ("lanhdao1", "Trần Quốc Bảo", Role.MANAGER),
    ("lanhdao2", "Lê Thị Ngọc Hân", Role.MANAGER),
    *((f"thanhtra{i:02d}", None, Role.INSPECTOR) for i in range(1, 11)),
    *((f"lienlac{i:02d}", None, Role.LIAISON) for i in range(1, 5)),
)
DEMO_PASSWORDS = {
    Role.ADMIN: "QuanTri-2026",
    Role.MANAGER: "LanhDao-2026",
    Role.INSPECTOR: "ThanhTra-2026",
    Role.LIAISON: "LienLac-2026",
}

KIND_WEIGHTS = ((CaseKind.INSPECTION, 55), (CaseKind.ECOMMERCE, 25), (CaseKind.SURVEY, 20))
FIELD_WEIGHTS = (
    ("instruments", 24),
    ("prepackaged", 14),
    ("quality", 18),
    ("label", 14),
    ("barcode", 6),
    ("fuel", 12),
    ("gold", 8),
    ("standards", 4),
)
#: Status mix by the age of a case in days: mostly closed in past years, a mix in recent months.
STATUS_BY_AGE = (
    (
        180,
        (
            (CaseStatus.CLOSED, 84),
            (CaseStatus.APPROVED, 9),
            (CaseStatus.CANCELLED, 4),
            (CaseStatus.SUBMITTED, 1),
            (CaseStatus.RETURNED, 1),
            (CaseStatus.DRAFT, 1),
        ),
    ),
    (
        60,
        (
            (CaseStatus.CLOSED, 50),
            (CaseStatus.APPROVED, 20),
            (CaseStatus.SUBMITTED, 12),
            (CaseStatus.RETURNED, 5),
            (CaseStatus.DRAFT, 8),
            (CaseStatus.CANCELLED, 5),
        ),
    ),
    (
        0,
        (
            (CaseStatus.DRAFT, 30),
            (CaseStatus.SUBMITTED, 25),
            (CaseStatus.RETURNED, 8),
            (CaseStatus.APPROVED, 15),
            (CaseStatus.CLOSED, 20),
            (CaseStatus.CANCELLED, 2),
        ),
    ),
)
DECIDED_CASE_STATUSES = (CaseStatus.APPROVED.value, CaseStatus.CLOSED.value)


@dataclass
class DemoResult:
    """What was written: rows per table, the accounts with their passwords, the first case numbers."""

    counts: Counter[str] = field(default_factory=Counter)
    accounts: list[tuple[str, str, str]] = field(default_factory=list)  # (username, role, password)
    first_numbers: list[str] = field(default_factory=list)


class DemoDataRefused(Exception):
    """The database already holds cases and neither appending nor forcing was asked for."""


def _weighted(rng: random.Random, pairs: Any) -> Any:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def _status_for(rng: random.Random, age_days: int) -> str:
    for min_age, mix in STATUS_BY_AGE:
        if age_days >= min_age:
            return _weighted(rng, mix)
    return CaseStatus.DRAFT


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    """A working-hours moment of ``day`` (UTC, like the app's timestamps)."""
    return dt.datetime(day.year, day.month, day.day, 1, 0, tzinfo=dt.UTC) + dt.timedelta(
        minutes=rng.randrange(0, 9 * 60)
    )


def _person(rng: random.Random) -> str:
    return f"{rng.choice(vocab.SURNAMES)} {rng.choice(vocab.MIDDLE_NAMES)} {rng.choice(vocab.GIVEN_NAMES)}"


class _Ids:
    """The next free id of each table (ids are given here so rows can point at each other before insert)."""

    def __init__(self) -> None:
        self._next: dict[str, int] = {}

    def take(self, model: Any) -> int:
        name = model.__tablename__
        if name not in self._next:
            self._next[name] = (db.session.scalar(select(func.max(model.id))) or 0) + 1
        value = self._next[name]
        self._next[name] = value + 1
        return value


class _Writer:
    """Rows collected per table and inserted in chunks."""

    def __init__(self, result: DemoResult) -> None:
        self.rows: dict[Table, list[dict[str, Any]]] = defaultdict(list)
        self.result = result

    def add(self, table: Any, row: dict[str, Any]) -> None:
        table = getattr(table, "__table__", table)
        self.rows[table].append(row)

    def flush(self) -> None:
        for table in db.metadata.sorted_tables:  # parents before children
            rows = self.rows.pop(table, None)
            if rows:
                for start in range(0, len(rows), CHUNK):
                    db.session.execute(insert(table), rows[start : start + CHUNK])
                self.result.counts[table.name] += len(rows)
        self.rows.clear()


class _Generator:
    def __init__(self, *, seed: int, today: dt.date, writer: _Writer, ids: _Ids) -> None:
        self.rng = random.Random(seed)
        self.chain_hash = ""  # the audit chain's last hash (set by generate from the locked chain head)
        self.chain_id: int | None = None
        self.today = today
        self.w = writer
        self.ids = ids
        communes = db.session.execute(
            select(
                Commune.code, Commune.name, Commune.short_name, Commune.latitude, Commune.longitude
            ).order_by(Commune.code)
        ).all()
        if not communes:
            raise DemoDataRefused("no_reference_data")
        self.communes = communes
        self.commune_by_code = {c.code: c for c in communes}
        wards: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for commune_code, ward_code, district_code in db.session.execute(
            select(FormerWardCommune.commune_code, FormerWard.code, FormerWard.district_code)
            .join(FormerWard, FormerWard.code == FormerWardCommune.former_ward_code)
            .order_by(FormerWardCommune.commune_code, FormerWard.code)
        ):
            wards[commune_code].append((ward_code, district_code))
        self.wards = wards
        self.trade_of: dict[int, vocab.Trade] = {}  # establishment id → its trade
        self.inspected: set[tuple[int, int]] = (
            set()
        )  # (establishment id, year) inspected: the once-a-year rule
        self.second_inspection = False  # the case being made is a second inspection of the year
        self.evidence_pool: tuple[demo_files.PoolFile, ...] = ()
        self.evidence_rate = 1.0
        self.evidence_names: dict[int, list[str]] = defaultdict(list)  # pool index → stored names
        self.violations: dict[str, list[Any]] = defaultdict(list)
        for v in db.session.execute(
            select(
                Violation.id,
                Violation.field,
                Violation.fine_individual_min,
                Violation.fine_individual_max,
                Violation.remedies,
            )
            .where(Violation.retired.is_(False))
            .order_by(Violation.id)
        ):
            self.violations[v.field].append(v)

    # --- accounts ---------------------------------------------------------------------------------

    def users(self) -> dict[str, list[int]]:
        """The demo accounts (existing ones kept), their ids by role."""
        existing = {u.username: u for u in db.session.scalars(select(User))}
        hashes = {
            role: generate_password_hash(pw, method=user_model.PASSWORD_HASH_METHOD)
            for role, pw in DEMO_PASSWORDS.items()
        }
        by_role: dict[str, list[int]] = defaultdict(list)
        liaison_number = 0
        for username, full_name, role in DEMO_USERS:
            self.w.result.accounts.append((username, role.value, DEMO_PASSWORDS[role]))
            name = full_name or _person(self.rng)
            if username in existing:
                by_role[existing[username].role].append(existing[username].id)
                continue
            user_id = self.ids.take(User)
            self.w.add(
                User,
                {
                    "id": user_id,
                    "username": username,
                    "full_name": name,
                    "full_name_key": fold(name),
                    "email": f"{username}@sokhcn.angiang.gov.vn",
                    "role": role.value,
                    "password_hash": hashes[role],
                    "active": True,
                },
            )
            by_role[role.value].append(user_id)
            if role == Role.LIAISON:
                start = liaison_number * 5
                liaison_number += 1
                for c in self.communes[start : start + 4]:
                    self.w.add(user_commune, {"user_id": user_id, "commune_code": c.code})
        return by_role

    # --- establishments ---------------------------------------------------------------------------

    def establishments(self, count: int, creator_ids: list[int]) -> list[dict[str, Any]]:
        taken = set(
            db.session.scalars(select(Establishment.tax_code).where(Establishment.tax_code.is_not(None)))
        )
        out = []
        sequence = self.rng.randrange(1_000_000, 2_000_000)
        trades = vocab.TRADES
        weights = [t.weight for t in trades]
        for _ in range(count):
            trade = self.rng.choices(trades, weights)[0]
            business_type, pattern = self.rng.choice(trade.patterns)
            commune = self.rng.choice(self.communes)
            name = pattern.format(
                w=self.rng.choice(vocab.TRADE_WORDS), p=_person(self.rng), c=commune.short_name
            )
            tax_code = None
            if business_type != "individual" and self.rng.random() < 0.9:
                while tax_code is None or tax_code in taken:
                    sequence += self.rng.randrange(1, 40)
                    first_nine = f"{self.rng.choice(('16', '17'))}{sequence:07d}"
                    digit = check_digit(first_nine)
                    if digit is not None:
                        tax_code = f"{first_nine}{digit}"
                        if business_type == "branch":
                            tax_code += f"-{self.rng.randrange(1, 20):03d}"
                taken.add(tax_code)
            street = self.rng.choice(vocab.STREETS)
            row = {
                "id": self.ids.take(Establishment),
                "name": name,
                "name_key": fold(name),
                "tax_code": tax_code,
                "business_type": business_type,
                "address": f"Số {self.rng.randrange(1, 400)} {street}, {commune.name}",
                "commune_code": commune.code,
                "latitude": round(commune.latitude + self.rng.uniform(-0.02, 0.02), 6),
                "longitude": round(commune.longitude + self.rng.uniform(-0.02, 0.02), 6),
                "representative": _person(self.rng),
                "phone": f"0{self.rng.choice((90, 91, 93, 94, 97))}{self.rng.randrange(10**6, 10**7)}",
                "created_by_id": self.rng.choice(creator_ids),
                "created_at": _at(FIRST_DAY - dt.timedelta(days=self.rng.randrange(1, 400)), self.rng),
            }
            self.w.add(Establishment, row)
            self.trade_of[row["id"]] = trade
            out.append(row)
        return out

    # --- survey campaigns -------------------------------------------------------------------------

    def campaigns(self) -> dict[tuple[int, str], int]:
        existing = {c.name: c.id for c in db.session.scalars(select(SurveyCampaign))}
        out = {}
        for year in range(FIRST_DAY.year, self.today.year + 1):
            for field_name, pattern in vocab.CAMPAIGNS.items():
                name = pattern.format(year=year)
                if name in existing:
                    out[(year, field_name)] = existing[name]
                    continue
                campaign_id = self.ids.take(SurveyCampaign)
                self.w.add(
                    SurveyCampaign,
                    {
                        "id": campaign_id,
                        "name": name,
                        "year": year,
                        "field": field_name,
                        "description": f"Khảo sát định kỳ năm {year} theo Kế hoạch 345/KH-UBND",
                    },
                )
                out[(year, field_name)] = campaign_id
        return out

    # --- activities -------------------------------------------------------------------------------

    def activities(self, creator_ids: list[int]) -> None:
        tasks = db.session.scalars(
            select(PlanTask).where(PlanTask.actual_source == "activities").order_by(PlanTask.sort_order)
        ).all()
        for task in tasks:
            activity_type, title = vocab.TASK_ACTIVITIES.get(task.code, ("other", task.content[:120]))
            for year in range(FIRST_DAY.year, self.today.year + 1):
                last = min(self.today, dt.date(year, 12, 31))
                span = (last - dt.date(year, 1, 1)).days
                for n in range(self.rng.randrange(1, 5)):
                    held_on = dt.date(year, 1, 1) + dt.timedelta(days=self.rng.randrange(0, span + 1))
                    quantity = self.rng.randrange(2, 6) if task.code == "2.2" else 1
                    commune = self.rng.choice(self.communes)
                    text_title = f"{title} ({n + 1}/{year})"
                    unit = task.target_unit
                    description = f"Thực hiện nhiệm vụ {task.code} của Kế hoạch 345/KH-UBND"
                    self.w.add(
                        Activity,
                        {
                            "id": self.ids.take(Activity),
                            "task_code": task.code,
                            "activity_type": activity_type,
                            "held_on": held_on,
                            "title": text_title,
                            "quantity": quantity,
                            "unit": unit,
                            "participants": self.rng.randrange(20, 150)
                            if activity_type in ("conference", "training")
                            else None,
                            "responsible_unit": "Chi cục Tiêu chuẩn Đo lường Chất lượng",
                            "commune_code": commune.code,
                            "location": commune.name,
                            "description": description,
                            "search_key": " | ".join(fold(p) for p in (text_title, unit, description) if p),
                            "created_by_id": self.rng.choice(creator_ids),
                            "created_at": _at(held_on, self.rng),
                            "updated_at": _at(held_on, self.rng),
                            "version": 1,
                        },
                    )

    # --- cases ------------------------------------------------------------------------------------

    def plan_cases(self, count: int) -> list[tuple[dt.date, str]]:
        """(opened_on, kind) of every case, in the order they were opened."""
        days = (self.today - FIRST_DAY).days + 1
        plans = [
            (FIRST_DAY + dt.timedelta(days=self.rng.randrange(days)), _weighted(self.rng, KIND_WEIGHTS).value)
            for _ in range(count)
        ]
        plans.sort()
        return plans

    def number(self, kind: str, year: int, counters: dict[tuple[str, int], int]) -> str:
        prefix = CaseKind(kind).number_prefix
        counters[(prefix, year)] = counters.get((prefix, year), 0) + 1
        return f"{prefix}-{year}-{counters[(prefix, year)]:04d}"

    def case(
        self,
        opened_on: dt.date,
        kind: str,
        number: str,
        *,
        users: dict[str, list[int]],
        establishments: list[dict[str, Any]],
        campaigns: dict[tuple[int, str], int],
        audit_counter: list[int],
    ) -> str:
        rng = self.rng
        today = self.today
        status = _status_for(rng, (today - opened_on).days)
        inspectors = users[Role.INSPECTOR.value]
        managers = users[Role.MANAGER.value]
        case_id = self.ids.take(Case)
        establishment = self._establishment(kind, establishments, opened_on.year)
        trade = self.trade_of[establishment["id"]] if establishment else None
        if establishment:
            commune = self.commune_by_code[establishment["commune_code"]]
        else:
            commune = rng.choice(self.communes)
        fields = self._fields(kind, trade)
        creator = rng.choice(inspectors)
        row: dict[str, Any] = dict.fromkeys(_CASE_COLUMNS)
        row.update(
            id=case_id,
            number=number,
            kind=kind,
            status=status,
            opened_on=opened_on,
            clear_signs=False,
            commune_code=commune.code,
            establishment_id=establishment["id"] if establishment else None,
            address=establishment["address"] if establishment else None,
            created_by_id=creator,
            created_at=_at(opened_on, rng),
            version=1,
        )
        if establishment and rng.random() < 0.6:
            row["latitude"], row["longitude"] = establishment["latitude"], establishment["longitude"]
        if opened_on < REFORM_DATE and self.wards.get(commune.code) and rng.random() < 0.9:
            row["former_ward_code"], row["former_district_code"] = rng.choice(self.wards[commune.code])
        last = opened_on  # the latest date recorded so far; every later date follows it, none after today
        if kind == CaseKind.INSPECTION:
            assert trade is not None
            row["product"] = rng.choice(trade.products[fields[0]])
            row["mode"] = InspectionMode.PLANNED if rng.random() < 0.7 else InspectionMode.UNSCHEDULED
            if self.second_inspection:  # the once-a-year rule: a second inspection needs clear signs
                row["mode"] = InspectionMode.UNSCHEDULED
                row["clear_signs"] = True
                row["clear_signs_text"] = rng.choice(vocab.CLEAR_SIGNS)
            row["decision_number"] = f"{rng.randrange(1, 900)}/QĐ-CCTĐC"
            row["decision_date"] = opened_on
            row["decision_signer"] = "Chi cục trưởng"
            row["start_date"] = last = min(today, opened_on + dt.timedelta(days=rng.randrange(0, 15)))
            row["end_date"] = last = min(today, last + dt.timedelta(days=rng.randrange(0, 4)))
            if status != CaseStatus.DRAFT:
                row["conclusion"] = "Cơ sở chấp hành cơ bản các quy định; một số tồn tại đã được chỉ ra."
            for user_id in sorted({creator, *rng.sample(inspectors, k=min(2, len(inspectors)))}):
                self.w.add(case_team_member, {"case_id": case_id, "user_id": user_id})
        elif kind == CaseKind.SURVEY:
            assert trade is not None
            row["product"] = rng.choice(trade.products[fields[0]])
            row["campaign_id"] = campaigns.get((opened_on.year, fields[0]))
        else:
            self._ecommerce(row, opened_on, status, trade)
            last = max(last, row["action_on"] or last, row["taken_down_on"] or last)
        for f in fields:
            self.w.add(CaseField, {"case_id": case_id, "field": f})

        any_fail = self._items(row, kind, fields, status, establishment, trade)
        events: list[tuple[str, dt.datetime, str | None, str | None, int]] = []
        if status != CaseStatus.DRAFT:
            submitted = _at(min(today, last + dt.timedelta(days=rng.randrange(0, 4))), rng)
            submitted = max(submitted, row["created_at"] + dt.timedelta(minutes=20))  # after it was recorded
            row["submitted_at"] = submitted
            events.append(("submit", submitted, CaseStatus.DRAFT, CaseStatus.SUBMITTED, creator))
        reviewer = rng.choice(managers)
        sent = row["submitted_at"] or row["created_at"]
        reviewed = max(sent + dt.timedelta(hours=1), _at(min(today, sent.date() + dt.timedelta(days=3)), rng))
        if status == CaseStatus.RETURNED:
            row["return_note"] = "Bổ sung biên bản kiểm tra và ảnh hiện trường."
            row["returned_at"] = reviewed
            events.append(("return", reviewed, CaseStatus.SUBMITTED, CaseStatus.RETURNED, reviewer))
        if status in DECIDED_CASE_STATUSES:
            events.append(("approve", reviewed, CaseStatus.SUBMITTED, CaseStatus.APPROVED, reviewer))
        if status == CaseStatus.CLOSED:
            # closed after the approval (a few weeks later: the sanction carried out), never after today
            row["closed_on"] = min(today, reviewed.date() + dt.timedelta(days=rng.randrange(5, 45)))
            closed_at = max(reviewed + dt.timedelta(minutes=30), _at(row["closed_on"], rng))
            events.append(("close", closed_at, CaseStatus.APPROVED, CaseStatus.CLOSED, reviewer))
        if status == CaseStatus.CANCELLED:
            row["cancel_reason"] = "Cơ sở đã ngừng kinh doanh trước khi kiểm tra."
            events.append(("cancel", reviewed, CaseStatus.SUBMITTED, CaseStatus.CANCELLED, reviewer))
        if kind in (CaseKind.INSPECTION, CaseKind.ECOMMERCE):
            self._findings(row, fields, status, establishment, any_fail, reviewer, reviewed, creator)
        if (
            status != CaseStatus.DRAFT
            and rng.random() < (0.7 if kind == CaseKind.ECOMMERCE else 0.4) * self.evidence_rate
        ):
            self._evidence(row, creator)
        row["updated_at"] = events[-1][1] if events else row["created_at"]
        row["search_key"] = fold_search_key(
            {
                **row,
                "establishment_name": establishment["name"] if establishment else None,
                "tax_code": establishment["tax_code"] if establishment else None,
                "commune_name": commune.name,
            }
        )
        self.w.add(Case, row)
        self._audit(row, creator, events, audit_counter)
        return number

    def _establishment(
        self, kind: str, establishments: list[dict[str, Any]], year: int
    ) -> dict[str, Any] | None:
        """Where the case happens: any establishment for an inspection; one of a trade a campaign surveys
        for a survey; for an e-commerce check, a seller not yet identified mostly, else an establishment
        that sells online."""
        rng = self.rng
        self.second_inspection = False
        if kind == CaseKind.INSPECTION:
            # at most one inspection an establishment a year (Resolution 198/2025/QH15): another establishment
            # not yet inspected this year, else (rarely) a second inspection on clear signs of a violation
            for _attempt in range(12):
                chosen = rng.choice(establishments)
                if (chosen["id"], year) not in self.inspected:
                    break
            else:
                self.second_inspection = True
            self.inspected.add((chosen["id"], year))
            return chosen
        if kind == CaseKind.SURVEY:
            return rng.choice(self._with(establishments, "campaigns"))
        if rng.random() < 0.3:
            return rng.choice(self._with(establishments, "online"))
        return None

    def _with(self, establishments: list[dict[str, Any]], what: str) -> list[dict[str, Any]]:
        key = f"_with_{what}"
        if key not in self.__dict__:
            found = [e for e in establishments if getattr(self.trade_of[e["id"]], what)]
            self.__dict__[key] = found or establishments[:1]
        return self.__dict__[key]

    def _fields(self, kind: str, trade: vocab.Trade | None) -> list[str]:
        """The fields checked, from the trade: one or two for an inspection, one a campaign of the trade
        surveys for a survey, none for an e-commerce check."""
        if kind == CaseKind.ECOMMERCE or trade is None:
            return []
        if kind == CaseKind.SURVEY:
            return [self.rng.choice(trade.campaigns)]
        first = _weighted(self.rng, trade.fields)
        if len(trade.fields) > 1 and self.rng.random() < 0.35:
            second = _weighted(self.rng, trade.fields)
            return sorted({first, second})
        return [first]

    def _ecommerce(
        self, row: dict[str, Any], opened_on: dt.date, status: str, trade: vocab.Trade | None
    ) -> None:
        rng = self.rng
        platform = rng.choice(tuple(vocab.PLATFORM_HOSTS))
        seller = f"{rng.choice(vocab.TRADE_WORDS)} Shop {rng.randrange(1, 5000)}"
        url = f"https://{vocab.PLATFORM_HOSTS[platform]}/p/{rng.randrange(10**6, 10**8)}"
        row.update(
            product=rng.choice(trade.online if trade else vocab.ECOMMERCE_PRODUCTS),
            platform=platform,
            listing_url=url,
            listing_url_key=normalise_url(url),
            seller_name=seller,
            seller_platform_id=f"{fold(seller).replace(' ', '')}",
            price_vnd=rng.randrange(5, 500) * 10_000,
            suspected_issue=rng.choice(tuple(SuspectedIssue)),
        )
        row["seller_key"] = seller_key(platform, row["seller_platform_id"], seller)
        if status == CaseStatus.DRAFT and rng.random() < 0.5:
            return
        action = _weighted(
            rng,
            (
                (EcommerceAction.TAKEDOWN_REQUEST, 50),
                (EcommerceAction.WARNING, 20),
                (EcommerceAction.REFERRAL_QLTT, 15),
                (EcommerceAction.REFERRAL_POLICE, 5),
                (EcommerceAction.NONE, 10),
            ),
        )
        row["action"] = action
        row["action_on"] = min(self.today, opened_on + dt.timedelta(days=rng.randrange(0, 5)))
        if action == EcommerceAction.TAKEDOWN_REQUEST and rng.random() < 0.7:
            row["taken_down_on"] = min(self.today, row["action_on"] + dt.timedelta(days=rng.randrange(1, 10)))
            row["platform_response"] = "Sàn đã gỡ bỏ tin đăng."
        if action.startswith("referral"):
            row["referral_reference"] = f"{rng.randrange(1, 500)}/CV-CCTĐC"

    def _items(
        self,
        row: dict[str, Any],
        kind: str,
        fields: list[str],
        status: str,
        establishment: Any,
        trade: vocab.Trade | None,
    ) -> bool:
        """Instruments, lots, goods and samples of an inspection or a survey, from the establishment's
        trade; whether any failed."""
        if kind == CaseKind.ECOMMERCE or trade is None:
            return False
        rng = self.rng
        case_id = row["id"]
        opened_on = row["opened_on"]
        any_fail = False

        def result(p_fail: float) -> str:
            nonlocal any_fail
            if rng.random() < p_fail:
                any_fail = True
                return ItemResult.FAIL
            return ItemResult.PASS

        for f in fields:
            if f in ("instruments", "fuel", "gold") and trade.instruments and kind == CaseKind.INSPECTION:
                for _ in range(rng.randrange(1, 4)):
                    res = result(0.12)
                    self.w.add(
                        InstrumentCheck,
                        {
                            "id": self.ids.take(InstrumentCheck),
                            "case_id": case_id,
                            "instrument_type": rng.choice(trade.instruments),
                            "serial_number": f"SN{rng.randrange(10**5, 10**7)}",
                            "certificate_number": f"KĐ-{rng.randrange(1000, 99999)}",
                            "certificate_expiry": opened_on
                            + dt.timedelta(
                                days=rng.randrange(-60, 365)
                                if res == ItemResult.FAIL
                                else rng.randrange(30, 365)
                            ),
                            "seal_condition": SealCondition.BROKEN
                            if res == ItemResult.FAIL and rng.random() < 0.5
                            else SealCondition.INTACT,
                            "measured_error": round(
                                rng.uniform(0.55, 0.9) if res == ItemResult.FAIL else rng.uniform(0, 0.5), 2
                            ),
                            "error_limit": 0.5,
                            "error_unit": "%",
                            "result": res,
                        },
                    )
            if f == "prepackaged" and trade.lots and kind == CaseKind.INSPECTION:
                for _ in range(rng.randrange(1, 3)):
                    product, qn, unit = rng.choice(trade.lots)
                    short = rng.random() < 0.15
                    mean = round(qn * (rng.uniform(0.97, 0.995) if short else rng.uniform(1.0, 1.01)), 3)
                    over_t = rng.randrange(3, 9) if short else rng.randrange(0, 2)
                    over_2t = rng.randrange(0, 2) if short else 0
                    verdict = judge_lot(
                        nominal_quantity=qn,
                        unit=unit,
                        sample_size=50,
                        mean_measured=mean,
                        count_short_over_t=over_t,
                        count_short_over_2t=over_2t,
                    )
                    any_fail = any_fail or not verdict.passed
                    self.w.add(
                        PrepackagedLot,
                        {
                            "id": self.ids.take(PrepackagedLot),
                            "case_id": case_id,
                            "product": product,
                            "nominal_quantity": float(qn),
                            "unit": unit,
                            "sample_size": 50,
                            "mean_measured": mean,
                            "count_short_over_t": over_t,
                            "count_short_over_2t": over_2t,
                            "result": verdict.result,
                        },
                    )
            if f in ("quality", "label", "barcode", "standards") and kind == CaseKind.INSPECTION:
                for _ in range(rng.randrange(1, 4)):
                    res = result(0.15)
                    observation = _GOODS_FAULTS[f] if res == ItemResult.FAIL else None
                    self.w.add(
                        GoodsItem,
                        {
                            "id": self.ids.take(GoodsItem),
                            "case_id": case_id,
                            "name": rng.choice(trade.products[f]),
                            "product_group": trade.product_group,
                            "origin": rng.choice(("Việt Nam", "Việt Nam", "Trung Quốc", "Thái Lan")),
                            "quantity": float(rng.randrange(5, 500)),
                            "unit": vocab.GOODS_UNITS.get(trade.product_group, "cái"),
                            "value_vnd": rng.randrange(1, 200) * 100_000,
                            "label_observation": observation if f == "label" else None,
                            "barcode_observation": observation if f == "barcode" else None,
                            "result": res,
                        },
                    )
            wants_samples = kind == CaseKind.SURVEY or (f in SAMPLED_FIELDS and rng.random() < 0.5)
            if wants_samples:
                for _ in range(rng.randrange(1, 4)):
                    pending = status == CaseStatus.DRAFT and rng.random() < 0.5
                    res = (
                        ItemResult.PENDING
                        if pending
                        else result(0.1 if kind == CaseKind.INSPECTION else 0.08)
                    )
                    sent_on = min(self.today, opened_on + dt.timedelta(days=rng.randrange(0, 3)))
                    self.w.add(
                        Sample,
                        {
                            "id": self.ids.take(Sample),
                            "case_id": case_id,
                            "establishment_id": establishment["id"] if establishment else None,
                            "name": rng.choice(trade.products[f]),
                            "code": f"M{rng.randrange(10**4, 10**6)}",
                            "standard": rng.choice(trade.standards),
                            "lab": rng.choice(vocab.LABS),
                            "sent_on": sent_on,
                            "tested_on": None if pending else min(self.today, sent_on + dt.timedelta(days=7)),
                            "result": res,
                        },
                    )
        return any_fail

    def _findings(
        self,
        row: dict[str, Any],
        fields: list[str],
        status: str,
        establishment: Any,
        any_fail: bool,
        reviewer: int,
        reviewed: dt.datetime,
        creator: int,
    ) -> None:
        rng = self.rng
        kind = row["kind"]
        if rng.random() >= (0.75 if any_fail else 0.15 if kind == CaseKind.INSPECTION else 0.35):
            return
        pool = [v for f in (fields or ["ecommerce"]) for v in self.violations.get(f, [])]
        if not pool:
            return
        organisation = bool(establishment) and establishment["business_type"] in (
            BusinessType.ENTERPRISE,
            BusinessType.BRANCH,
            BusinessType.COOPERATIVE,
        )
        decided = status in DECIDED_CASE_STATUSES or (status == CaseStatus.SUBMITTED and rng.random() < 0.4)
        for violation in rng.sample(pool, k=min(len(pool), rng.randrange(1, 3))):
            low, high = violation.fine_individual_min, violation.fine_individual_max
            factor = 2 if organisation else 1
            fine = None
            if low is not None and high is not None:
                fine = factor * (low + rng.randrange(0, (high - low) // 500_000 + 1) * 500_000)
            finding: dict[str, Any] = dict.fromkeys(_FINDING_COLUMNS)
            finding.update(
                id=self.ids.take(Finding),
                case_id=row["id"],
                violation_id=violation.id,
                offender_type=OffenderType.ORGANISATION if organisation else OffenderType.INDIVIDUAL,
                proposed_fine_vnd=fine,
                proposed_remedies=violation.remedies,
                status=FindingStatus.PROPOSED,
                created_by_id=creator,
                created_at=row["created_at"],
                version=1,
            )
            if decided:
                self._decide(finding, row, violation, reviewer, reviewed)
            self.w.add(Finding, finding)

    def _decide(
        self, finding: dict[str, Any], row: dict[str, Any], violation: Any, reviewer: int, at: dt.datetime
    ) -> None:
        rng = self.rng
        finding.update(reviewed_by_id=reviewer, reviewed_at=at)
        if rng.random() < 0.15:
            finding.update(status=FindingStatus.DISMISSED, review_reason="Không đủ căn cứ xác định vi phạm.")
            return
        finding["status"] = FindingStatus.CONFIRMED
        day = at.date()
        if row["kind"] == "ecommerce" and rng.random() < 0.5:
            finding.update(
                referral_agency="Chi cục Quản lý thị trường An Giang",
                referral_on=day,
                referral_reference=f"{rng.randrange(1, 500)}/CV-CCTĐC",
            )
            return
        form = (
            SanctionForm.WARNING
            if finding["proposed_fine_vnd"] is None or rng.random() < 0.12
            else SanctionForm.FINE
        )
        if form == SanctionForm.FINE and rng.random() < 0.05:
            form = SanctionForm.CONFISCATION
        finding.update(
            sanction_form=form,
            decided_fine_vnd=finding["proposed_fine_vnd"] if form != SanctionForm.WARNING else None,
            decision_number=f"{rng.randrange(1, 999)}/QĐ-XPHC",
            decision_date=day,
            deadline=day + dt.timedelta(days=10 if form != SanctionForm.WARNING else 30),
            remedies_decided=violation.remedies,
        )
        if form == SanctionForm.CONFISCATION:
            finding["seized_goods_value_vnd"] = rng.randrange(1, 100) * 1_000_000
        if finding["deadline"] < self.today and rng.random() < 0.9:
            if finding["decided_fine_vnd"]:
                finding["fine_paid_on"] = day + dt.timedelta(days=rng.randrange(1, 10))
            if violation.remedies:
                finding["remedy_done_on"] = day + dt.timedelta(days=rng.randrange(1, 30))

    def _evidence(self, row: dict[str, Any], uploader: int) -> None:
        """Files from the pool: for an e-commerce check the screenshot of the listing (its product), then
        the letter asking the platform to act; otherwise one or two photos of the site, then the signed
        record. Each row its own stored name; the files are written later (:meth:`write_evidence_files`)."""
        if not self.evidence_pool:
            return
        rng = self.rng
        pool = self.evidence_pool
        kind = row["kind"]
        record = next(i for i, f in enumerate(pool) if f.kind == demo_files.RECORD and f.subject == kind)
        if kind == CaseKind.ECOMMERCE:
            shots = [
                i
                for i, f in enumerate(pool)
                if f.kind == demo_files.SCREENSHOT and f.subject == row["product"]
            ]
            picked = shots[:1] + ([record] if rng.random() < 0.5 else [])
        else:
            photos = [i for i, f in enumerate(pool) if f.kind == demo_files.PHOTO]
            picked = rng.sample(photos, k=rng.randrange(1, 3)) + ([record] if rng.random() < 0.6 else [])
        for index in picked or [record]:
            pooled = pool[index]
            prepared = pooled.prepared
            # a name of its own, as the storage gives: random, so that a second demo into the same folder
            # never meets the first one's files (the rest of the data stays the seed's)
            stored = secrets.token_hex(16) + evidence.EXTENSIONS[prepared.content_type]
            self.evidence_names[index].append(stored)
            self.w.add(
                EvidenceFile,
                {
                    "id": self.ids.take(EvidenceFile),
                    "case_id": row["id"],
                    "original_name": pooled.name,
                    "stored_name": stored,
                    "content_type": prepared.content_type,
                    "size_bytes": len(prepared.data),
                    "sha256": prepared.sha256,
                    "captured_at": row["created_at"],
                    "has_thumbnail": prepared.thumbnail is not None,
                    "uploaded_by_id": uploader,
                    "uploaded_at": row["created_at"],
                },
            )

    def write_evidence_files(self, upload_folder: str) -> int:
        """Write the files of the evidence rows of this run (links to the pool's content); their number."""
        written: list[Any] = []
        try:
            for index, names in sorted(self.evidence_names.items()):
                evidence.write_copies(upload_folder, self.evidence_pool[index].prepared, names, written)
        except BaseException:
            evidence.remove_files(written)
            raise
        self.evidence_names.clear()
        return len(written)

    def _audit(
        self,
        row: dict[str, Any],
        creator: int,
        events: list[tuple[str, dt.datetime, str | None, str | None, int]],
        counter: list[int],
    ) -> None:
        created = [
            {"field": name, "from": None, "to": row[name].isoformat() if name == "opened_on" else row[name]}
            for name in ("commune_code", "kind", "number", "opened_on", "status")
        ]
        created[-1]["to"] = CaseStatus.DRAFT
        entries = [("create", row["created_at"], created, creator)]
        entries += [
            (action, at, [{"field": "status", "from": old, "to": new}], actor)
            for action, at, old, new, actor in events
        ]
        for action, at, changes, actor in entries:
            counter[0] += 1
            content = {
                "at": at,
                "actor_id": actor,
                "entity_type": "case",
                "entity_id": row["id"],
                "action": action,
                "changes": changes,
                "reason": row["cancel_reason"] if action == "cancel" else None,
            }
            # chained like cases.audit.trail.record: ids in the order the hashes are computed
            entry_hash = audit_entry_hash(**content, prev_hash=self.chain_hash)
            self.chain_id = self.ids.take(AuditEvent)
            self.w.add(
                AuditEvent,
                {
                    **content,
                    "id": self.chain_id,
                    "case_id": row["id"],
                    "prev_hash": self.chain_hash,
                    "entry_hash": entry_hash,
                },
            )
            self.chain_hash = entry_hash


#: What a failed goods item's observation says, by field.
_GOODS_FAULTS = {
    "label": "Nhãn thiếu nội dung bắt buộc (xuất xứ, hạn sử dụng)",
    "barcode": "Mã số mã vạch chưa được cấp hoặc đã hết hiệu lực",
    "quality": "Không phù hợp quy chuẩn kỹ thuật đã công bố",
    "standards": "Không có tiêu chuẩn công bố áp dụng",
}

# has_violation is the database's to keep (triggers on finding, migration 0010): left to its default here
_CASE_COLUMNS = tuple(c.key for c in Case.__table__.columns if c.key != "has_violation")
_FINDING_COLUMNS = tuple(c.key for c in Finding.__table__.columns)


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _save_counters(counters: dict[tuple[str, int], int]) -> None:
    existing = {(c.prefix, c.year) for c in db.session.scalars(select(CaseNumberCounter))}
    for (prefix, year), value in sorted(counters.items()):
        if (prefix, year) in existing:
            db.session.execute(
                update(CaseNumberCounter)
                .where(CaseNumberCounter.prefix == prefix, CaseNumberCounter.year == year)
                .values(last_value=value)
            )
        else:
            db.session.execute(insert(CaseNumberCounter).values(prefix=prefix, year=year, last_value=value))


def _reset_sequences() -> None:
    """After inserting explicit ids, PostgreSQL's sequences must move past them."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        if (
            "id" in table.columns
            and table.columns["id"].autoincrement is not False
            and table.columns["id"].primary_key
        ):
            db.session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                )
            )


def generate(
    *,
    cases: int,
    seed: int = 1,
    today: dt.date | None = None,
    append: bool = False,
    progress: Callable[[int, int], None] | None = None,
    upload_folder: str | None = None,
) -> DemoResult:
    """Write ``cases`` demo cases and what goes with them. Refuses a database with cases unless ``append``.

    With ``append`` the new cases continue the numbering and the demo accounts are reused.
    ``progress(done, total)`` is called after each chunk of cases. With ``upload_folder`` (the app's
    ``UPLOAD_FOLDER``) evidence is recorded with its files there; without it, none is recorded. The files
    are written before the rows are flushed; a caller that does not commit removes nothing (they are
    links to a few demo files).
    """
    today = today or dt.date.today()
    if not append and db.session.scalar(select(func.count()).select_from(Case)):
        raise DemoDataRefused("database_has_cases")
    result = DemoResult()
    writer = _Writer(result)
    ids = _Ids()
    gen = _Generator(seed=seed, today=today, writer=writer, ids=ids)
    if upload_folder is not None:
        gen.evidence_pool = demo_files.pool(vocab.LISTED_PRODUCTS)
        gen.evidence_rate = min(1.0, EVIDENCE_CASES / max(cases, 1))
    head = _locked_chain_head()  # the audit entries continue the hash chain (cases/audit/integrity.py)
    gen.chain_hash = head.last_hash
    users = gen.users()
    inspectors = users[Role.INSPECTOR.value]
    establishments = gen.establishments(max(40, cases // 5), inspectors)
    campaigns = gen.campaigns()
    gen.activities(users[Role.MANAGER.value] + inspectors)
    writer.flush()

    counters = {(c.prefix, c.year): c.last_value for c in db.session.scalars(select(CaseNumberCounter))}
    plans = gen.plan_cases(cases)
    audit_counter = [0]
    done = 0
    for chunk in _chunks(plans, CHUNK):
        for opened_on, kind in chunk:
            number = gen.number(kind, opened_on.year, counters)
            gen.case(
                opened_on,
                kind,
                number,
                users=users,
                establishments=establishments,
                campaigns=campaigns,
                audit_counter=audit_counter,
            )
            if len(result.first_numbers) < 5:
                result.first_numbers.append(number)
        if upload_folder is not None:
            result.counts["evidence files"] += gen.write_evidence_files(upload_folder)
        writer.flush()
        done += len(chunk)
        if progress:
            progress(done, cases)
    _save_counters(counters)
    if gen.chain_id is not None:
        head.last_id, head.last_hash = gen.chain_id, gen.chain_hash
    _reset_sequences()
    db.session.flush()
    # statistics for the query planner after a bulk load (the report's and dashboard's plans depend on them)
    db.session.execute(text("ANALYZE"))
    return result


__all__ = ["CASE_FIELDS", "DEMO_PASSWORDS", "DEMO_USERS", "DemoDataRefused", "DemoResult", "generate"]
