"""What each task of Plan 345 usually records: a short name, the task group's heading, the default
activity type and unit.

The plan's own wording of a task (``PlanTask.content``) runs to three lines; a select needs a few words.
The names and headings below are the plan's (section III), shortened; they are reference data in
Vietnamese like the content itself, not interface strings. The defaults prefill the activity form (server
side on a new form, and by ``static/js/activity_form.js`` when the task changes); the user may change them.
"""

from __future__ import annotations

from dataclasses import dataclass

from cases.enums import ActivityType


@dataclass(frozen=True)
class TaskDefault:
    short_name: str
    activity_type: ActivityType
    unit: str


#: Task code → short name, usual activity type and unit (as the plan counts it).
TASK_DEFAULTS: dict[str, TaskDefault] = {
    "1.1": TaskDefault("Tuyên truyền trên phương tiện thông tin đại chúng", ActivityType.MEDIA, "lượt"),
    "1.2": TaskDefault("Hội nghị, hội thảo về TCĐLCL", ActivityType.CONFERENCE, "lượt"),
    "2.1": TaskDefault("Rà soát văn bản, tham mưu cơ chế, chính sách", ActivityType.POLICY_REVIEW, "văn bản"),
    "2.2": TaskDefault(
        "Hỗ trợ doanh nghiệp về TCĐLCL, mã số mã vạch", ActivityType.ENTERPRISE_SUPPORT, "doanh nghiệp"
    ),
    "2.3": TaskDefault("Mở rộng lĩnh vực cung cấp dịch vụ kỹ thuật", ActivityType.SERVICE_FIELD, "lĩnh vực"),
    "3.1": TaskDefault("Kiện toàn tổ chức quản lý nhà nước", ActivityType.ORGANISATION, "lượt"),
    "3.2": TaskDefault("Đào tạo, bồi dưỡng chuyên môn", ActivityType.TRAINING, "lớp"),
    "3.3": TaskDefault("Xây dựng đội ngũ chuyên gia", ActivityType.ORGANISATION, "người"),
    "4.1": TaskDefault("Đầu tư trang thiết bị", ActivityType.EQUIPMENT, "thiết bị"),
    "4.2": TaskDefault("Kinh phí hỗ trợ năng suất, chất lượng", ActivityType.PROJECT, "dự án"),
    "5.1": TaskDefault("Hội nghị, văn bản hướng dẫn pháp luật mới", ActivityType.CONFERENCE, "hội nghị"),
    "5.2": TaskDefault("Thanh tra, kiểm tra, khảo sát, kiểm soát TMĐT", ActivityType.OTHER, "vụ việc"),
    "6.1": TaskDefault("Điểm hỏi đáp TBT", ActivityType.TBT_ANSWER, "lượt"),
    "6.2": TaskDefault("Trao đổi thông tin, hợp tác đào tạo", ActivityType.EXCHANGE, "lượt"),
    "II.1.a": TaskDefault(
        "Ít nhất 05 hội nghị, tập huấn đến 2030", ActivityType.CONFERENCE, "hội nghị/tập huấn"
    ),
}

#: Task group → the plan's heading (section III), shortened.
GROUP_NAMES: dict[str, str] = {
    "1": "Nâng cao nhận thức về tiêu chuẩn, đo lường, chất lượng",
    "2": "Rà soát, hoàn thiện cơ chế, chính sách",
    "3": "Kiện toàn tổ chức, đào tạo nguồn nhân lực",
    "4": "Tăng cường đầu tư ngân sách nhà nước",
    "5": "Tăng cường thanh tra, kiểm tra, giám sát",
    "6": "Đẩy mạnh hội nhập quốc tế",
    "objective": "Mục tiêu đến năm 2030",
}

#: Tasks whose actual comes from the recorded cases, never from activities.
CASE_TASKS = frozenset({"5.2"})


def short_name(code: str, content: str | None = None) -> str:
    """A few words for a task: the curated name, else the start of the plan's wording."""
    default = TASK_DEFAULTS.get(code)
    if default is not None:
        return default.short_name
    text = " ".join((content or "").split())
    return text if len(text) <= 60 else text[:57].rstrip(" ,;") + "…"


def task_label(code: str, content: str | None = None) -> str:
    """``"1.1 — Tuyên truyền trên phương tiện thông tin đại chúng"``."""
    return f"{code} — {short_name(code, content)}"


def group_label(group: str) -> str:
    name = GROUP_NAMES.get(group)
    if group == "objective":
        return f"II.1 — {name}"
    return f"{group}. {name}" if name else group


def defaults_for(code: str | None) -> TaskDefault | None:
    return TASK_DEFAULTS.get(code or "")


def defaults_map() -> dict[str, dict[str, str]]:
    """``{task code: {"type": ..., "unit": ...}}`` for the form's script (JSON-friendly)."""
    return {
        code: {"type": d.activity_type.value, "unit": d.unit}
        for code, d in TASK_DEFAULTS.items()
        if code not in CASE_TASKS
    }
