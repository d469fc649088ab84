"""Constants shared by models, forms and templates (cheap to import)."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    INSPECTOR = "inspector"
    LIAISON = "liaison"
    MANAGER = "manager"
    ADMIN = "admin"


class CommuneType(enum.StrEnum):
    """Commune-level unit types since 1 July 2025."""

    WARD = "phuong"  # phường
    COMMUNE = "xa"  # xã
    SPECIAL_ZONE = "dac_khu"  # đặc khu


class FormerDistrictType(enum.StrEnum):
    CITY = "thanh_pho"  # thành phố thuộc tỉnh
    TOWN = "thi_xa"  # thị xã
    DISTRICT = "huyen"  # huyện


class FormerWardType(enum.StrEnum):
    WARD = "phuong"
    TOWNSHIP = "thi_tran"
    COMMUNE = "xa"


class TargetMeasure(enum.StrEnum):
    PER_YEAR = "per_year"
    CUMULATIVE = "cumulative"
    NONE = "none"


class ActualSource(enum.StrEnum):
    CASES = "cases"
    ACTIVITIES = "activities"


class Confidence(enum.StrEnum):
    LEGAL_TEXT = "legal-text"
    SECONDARY = "secondary"
    UNCERTAIN = "uncertain"


class InspectionField(enum.StrEnum):
    """Fields of inspection (lĩnh vực kiểm tra), as used by the violation catalog."""

    INSTRUMENTS = "instruments"
    PREPACKAGED = "prepackaged"
    QUALITY = "quality"
    LABEL = "label"
    BARCODE = "barcode"
    FUEL = "fuel"
    GOLD = "gold"
    STANDARDS = "standards"
    ECOMMERCE = "ecommerce"


class CaseKind(enum.StrEnum):
    INSPECTION = "inspection"  # kiểm tra / thanh tra chuyên ngành
    ECOMMERCE = "ecommerce"  # kiểm soát thương mại điện tử
    SURVEY = "survey"  # khảo sát đo lường, chất lượng

    @property
    def number_prefix(self) -> str:
        return {"inspection": "KT", "ecommerce": "TMĐT", "survey": "KS"}[self.value]


class CaseStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    CLOSED = "closed"
    CANCELLED = "cancelled"


#: The states in which a case is counted in the figures (the report, the dashboard, the case list's
#: "counted" filter): approved or closed.
COUNTED_STATUSES = (CaseStatus.APPROVED.value, CaseStatus.CLOSED.value)


#: Fields of inspection a case can check (the catalog's ``ecommerce`` field is for e-commerce checks).
CASE_FIELDS = (
    InspectionField.INSTRUMENTS,
    InspectionField.PREPACKAGED,
    InspectionField.QUALITY,
    InspectionField.LABEL,
    InspectionField.BARCODE,
    InspectionField.FUEL,
    InspectionField.GOLD,
    InspectionField.STANDARDS,
)


class InspectionMode(enum.StrEnum):
    PLANNED = "planned"  # theo kế hoạch
    UNSCHEDULED = "unscheduled"  # đột xuất


class BusinessType(enum.StrEnum):
    ENTERPRISE = "enterprise"  # doanh nghiệp
    BRANCH = "branch"  # chi nhánh, đơn vị phụ thuộc
    COOPERATIVE = "cooperative"  # hợp tác xã
    HOUSEHOLD = "household"  # hộ kinh doanh
    INDIVIDUAL = "individual"  # cá nhân kinh doanh
    OTHER = "other"


class Platform(enum.StrEnum):
    SHOPEE = "shopee"
    LAZADA = "lazada"
    TIKTOK = "tiktok"
    FACEBOOK = "facebook"
    ZALO = "zalo"
    WEBSITE = "website"
    OTHER = "other"


class SuspectedIssue(enum.StrEnum):
    COUNTERFEIT = "counterfeit"  # hàng giả
    IMITATION = "imitation"  # hàng nhái
    SUBSTANDARD = "substandard"  # kém chất lượng
    UNLABELLED = "unlabelled"  # không nhãn
    UNKNOWN_ORIGIN = "unknown_origin"  # không rõ nguồn gốc


class EcommerceAction(enum.StrEnum):
    NONE = "none"
    TAKEDOWN_REQUEST = "takedown_request"  # yêu cầu gỡ bỏ
    WARNING = "warning"  # cảnh báo
    REFERRAL_QLTT = "referral_qltt"  # chuyển QLTT
    REFERRAL_POLICE = "referral_police"  # chuyển Công an


class ItemResult(enum.StrEnum):
    PASS = "pass"  # đạt
    FAIL = "fail"  # không đạt
    PENDING = "pending"  # chờ kết quả


class SealCondition(enum.StrEnum):
    INTACT = "intact"
    BROKEN = "broken"
    MISSING = "missing"


class InstrumentType(enum.StrEnum):
    """Group 2 measuring instruments met on the market (TT 23/2013 as amended)."""

    FUEL_PUMP = "fuel_pump"  # cột đo xăng dầu
    LPG_DISPENSER = "lpg_dispenser"  # cột đo khí dầu mỏ hóa lỏng
    FUEL_METER = "fuel_meter"  # đồng hồ đo xăng dầu
    TANK_GAUGE = "tank_gauge"  # phương tiện đo mức xăng dầu tự động
    TANKER = "tanker"  # xi téc ô tô
    SPRING_SCALE = "spring_scale"  # cân đồng hồ lò xo
    PLATFORM_SCALE = "platform_scale"  # cân bàn, cân đĩa, cân treo
    PRECISION_BALANCE = "precision_balance"  # cân phân tích, cân kỹ thuật (vàng)
    TRUCK_SCALE = "truck_scale"  # cân ô tô
    WEIGHT = "weight"  # quả cân
    WATER_METER = "water_meter"  # đồng hồ nước
    ELECTRICITY_METER = "electricity_meter"  # công tơ điện
    GAS_METER = "gas_meter"  # đồng hồ khí
    TAXIMETER = "taximeter"  # taximet
    MOISTURE_METER = "moisture_meter"  # đo độ ẩm hạt nông sản
    OTHER = "other"


class OffenderType(enum.StrEnum):
    INDIVIDUAL = "individual"  # cá nhân
    ORGANISATION = "organisation"  # tổ chức (fine × 2)


class FindingStatus(enum.StrEnum):
    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


class SanctionForm(enum.StrEnum):
    """The main sanction decided on a confirmed finding (STATISTICS.md §3, rows 12–21)."""

    WARNING = "warning"  # cảnh cáo
    FINE = "fine"  # phạt tiền
    REVOCATION = "revocation"  # tước quyền sử dụng giấy phép, đình chỉ hoạt động có thời hạn
    CONFISCATION = "confiscation"  # tịch thu tang vật (or destruction: the value of the goods is recorded)


class ActivityType(enum.StrEnum):
    """Work of the plan that is not a case (hoạt động), each linked to a task of the plan."""

    MEDIA = "media"  # tuyên truyền trên phương tiện thông tin đại chúng
    CONFERENCE = "conference"  # hội nghị, hội thảo
    TRAINING = "training"  # lớp đào tạo, tập huấn, bồi dưỡng
    ENTERPRISE_SUPPORT = "enterprise_support"  # hỗ trợ doanh nghiệp
    SERVICE_FIELD = "service_field"  # lĩnh vực dịch vụ được mở rộng
    GUIDANCE = "guidance"  # văn bản hướng dẫn ban hành
    POLICY_REVIEW = "policy_review"  # rà soát văn bản, tham mưu chính sách
    PROJECT = "project"  # dự án, đề án được cấp kinh phí
    EQUIPMENT = "equipment"  # đầu tư trang thiết bị
    ORGANISATION = "organisation"  # kiện toàn tổ chức, đội ngũ chuyên gia
    TBT_ANSWER = "tbt_answer"  # trả lời hỏi đáp TBT, thông báo TBT
    EXCHANGE = "exchange"  # trao đổi thông tin, học tập kinh nghiệm, hợp tác
    OTHER = "other"


class ReportStatus(enum.StrEnum):
    DRAFT = "draft"  # being written; figures are live
    FINAL = "final"  # finalised: figures and text frozen in the snapshot
    SUPERSEDED = "superseded"  # a later version was finalised in its place


class TargetStatus(enum.StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    IN_PROGRESS = "in_progress"  # a cumulative target not reached yet, before its last year
    NO_TARGET = "no_target"  # no numeric target


class SessionEndReason(enum.StrEnum):
    """Why a sign-in session was ended (``user_session.revoked_reason``, ``cases/accounts/sessions.py``)."""

    SIGN_OUT = "sign_out"
    SIGN_OUT_EVERYWHERE = "sign_out_everywhere"  # by an administrator
    PASSWORD_CHANGED = "password_changed"
    PASSWORD_RESET = "password_reset"
    ROLE_CHANGED = "role_changed"
    COMMUNES_CHANGED = "communes_changed"
    DEACTIVATED = "deactivated"
    IDLE = "idle"
    EXPIRED = "expired"  # a remembered session past its lifetime
    USER_AGENT = "user_agent_changed"  # the cookie came back from another browser
    CLIENT_CHANGED = "client_changed"  # a browser session's cookie came from another address or browser


class SecurityEventKind(enum.StrEnum):
    """What an entry of the security log records (``security_event.kind``,
    ``cases/accounts/security_log.py``)."""

    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    RATE_LIMITED = "rate_limited"
    SIGN_OUT = "sign_out"
    SIGN_OUT_EVERYWHERE = "sign_out_everywhere"
    PASSWORD_CHANGED = "password_changed"
    PASSWORD_RESET = "password_reset"
    SESSION_REFUSED = "session_refused"


class DocumentType(enum.StrEnum):
    """The official documents a case produces (issue 17; LEGAL-2025.md §1)."""

    DECISION = "decision"  # quyết định kiểm tra
    INSPECTION_RECORD = "inspection-record"  # biên bản kiểm tra
    SAMPLING_RECORD = "sampling-record"  # biên bản lấy mẫu
    VIOLATION_RECORD = "violation-record"  # biên bản vi phạm hành chính (MBB01), one per finding
    SANCTION_DECISION = "sanction-decision"  # quyết định xử phạt vi phạm hành chính (MQĐ02), one per finding

    @property
    def per_finding(self) -> bool:
        return self in (DocumentType.VIOLATION_RECORD, DocumentType.SANCTION_DECISION)


class TeamRole(enum.StrEnum):
    """A member's role in a case's inspection team (the decision to inspect lists the team with roles)."""

    LEADER = "leader"  # trưởng đoàn
    MEMBER = "member"  # thành viên
    TECHNICAL = "technical"  # cán bộ kỹ thuật


class DocumentStatus(enum.StrEnum):
    """Where an official document stands in the register (sổ theo dõi văn bản)."""

    DRAFT = "draft"  # being prepared; no number yet
    ISSUED = "issued"  # numbered, signed, its content frozen in the snapshot
    VOIDED = "voided"  # cancelled, with the reason
    REPLACED = "replaced"  # a correction naming it was issued


class DocumentSignature(enum.StrEnum):
    """What became of an issued document's paper copy (LEGAL-2025.md §1.7): signed (its scan or photo is
    kept, the document of record), or the establishment refused to sign (noted with the witness)."""

    SIGNED = "signed"
    REFUSED = "refused"


class TipSource(enum.StrEnum):
    """Where a tip or complaint (tin báo, phản ánh) came from."""

    HOTLINE = "hotline"  # đường dây nóng
    LETTER = "letter"  # đơn, thư
    EMAIL = "email"  # thư điện tử, cổng thông tin
    IN_PERSON = "in_person"  # trực tiếp
    MEDIA = "media"  # báo chí, mạng xã hội
    AGENCY = "agency"  # cơ quan khác chuyển đến
    OTHER = "other"


class TipStatus(enum.StrEnum):
    OPEN = "open"  # chưa xử lý
    USED = "used"  # đã dùng làm căn cứ kiểm tra
    CLOSED = "closed"  # đã đóng


class RiskBand(enum.StrEnum):
    """The risk score's bands, highest first (the UK FSA's categories A–E as the model)."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"
