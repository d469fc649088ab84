"""All models, imported here so that Alembic and ``db.create_all`` see every table."""

from cases.db import db
from cases.models import checks
from cases.models.activity import Activity, ActivityFile
from cases.models.agency import AgencySetting, AgencySigner, FieldFineMaximum, FileTransfer, SanctionAuthority
from cases.models.audit import AuditChainHead, AuditEvent, AuditLogIsAppendOnly
from cases.models.case import Case, CaseField, CaseNumberCounter, SurveyCampaign, case_team_member
from cases.models.catalog import Violation
from cases.models.document import DocumentFile, DocumentNumberCounter, DocumentTemplate, OfficialDocument
from cases.models.establishment import Establishment
from cases.models.evidence import EvidenceFile
from cases.models.files import StoredFile
from cases.models.finding import Finding
from cases.models.geo import Commune, FormerDistrict, FormerWard, FormerWardCommune
from cases.models.import_mapping import ImportMapping
from cases.models.items import GoodsItem, InstrumentCheck, PrepackagedLot, Sample
from cases.models.plan import PlanTask
from cases.models.planning import AgencyCheck, RiskWeight, RiskWeightVersion, Tip
from cases.models.report import AnnualReport
from cases.models.session import SecurityEvent, UserSession
from cases.models.user import User, user_commune

checks.attach(db.metadata)  # the database's rules beside its keys (enum values, nothing negative)

__all__ = [
    "Activity",
    "ActivityFile",
    "AgencySetting",
    "AgencySigner",
    "AgencyCheck",
    "AnnualReport",
    "AuditChainHead",
    "AuditEvent",
    "AuditLogIsAppendOnly",
    "Case",
    "CaseField",
    "CaseNumberCounter",
    "Commune",
    "DocumentFile",
    "DocumentNumberCounter",
    "DocumentTemplate",
    "Establishment",
    "EvidenceFile",
    "FieldFineMaximum",
    "FileTransfer",
    "Finding",
    "GoodsItem",
    "ImportMapping",
    "InstrumentCheck",
    "OfficialDocument",
    "PrepackagedLot",
    "Sample",
    "SanctionAuthority",
    "SecurityEvent",
    "StoredFile",
    "SurveyCampaign",
    "case_team_member",
    "FormerDistrict",
    "FormerWard",
    "FormerWardCommune",
    "PlanTask",
    "RiskWeight",
    "RiskWeightVersion",
    "Tip",
    "User",
    "UserSession",
    "Violation",
    "user_commune",
]
