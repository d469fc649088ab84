"""``flask document draft``: a draft of each type as PDF or Word, one file per finding for the per-finding
types, nothing saved in the register, and clear errors (unknown case, wrong type, no finding) with a
non-zero exit and no traceback."""

from __future__ import annotations

import io
import re
import subprocess

import pytest
from sqlalchemy import func, select

from cases.db import db
from cases.models import Finding, OfficialDocument, User, Violation
from tests.document_support import confirmed_finding, realistic_case


@pytest.fixture
def setup(app, make_user):
    leader = make_user("truongdoan.cli", "inspector", full_name="Nguyễn Văn Kiểm")
    member = make_user("thanhvien.cli", "inspector", full_name="Trần Thị Đo")
    with app.app_context():
        case = realistic_case(db.session.get(User, leader.id), db.session.get(User, member.id))
        confirmed = confirmed_finding(case)
        violation = db.session.scalar(select(Violation).where(Violation.code == "CL-LT-01"))
        proposed = Finding(
            case_id=case.id, violation_id=violation.id, offender_type="organisation", status="proposed"
        )
        dismissed = Finding(
            case_id=case.id, violation_id=violation.id, offender_type="organisation", status="dismissed"
        )
        db.session.add_all([proposed, dismissed])
        db.session.commit()
        return {
            "number": case.number,
            "confirmed": confirmed.id,
            "proposed": proposed.id,
            "dismissed": dismissed.id,
        }


def _documents(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(OfficialDocument))


def _pdf_text(path) -> str:
    text = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))  # the lines the page breaks, joined


def test_draft_writes_a_pdf_and_a_word_file(app, runner, setup, tmp_path):
    pdf = tmp_path / "qd.pdf"
    result = runner.invoke(
        args=["document", "draft", setup["number"], "--type", "decision", "--output", str(pdf)]
    )
    assert result.exit_code == 0, result.output
    assert str(pdf) in result.output and "DRAFT decision" in result.output
    text = _pdf_text(pdf)
    assert "DỰ THẢO" in text and "QUYẾT ĐỊNH" in text and "Công ty TNHH Xăng dầu Kiên Lương" in text
    docx_path = tmp_path / "bb.docx"
    result = runner.invoke(
        args=["document", "draft", setup["number"], "--type", "inspection-record", "--output", str(docx_path)]
    )
    assert result.exit_code == 0, result.output
    from docx import Document

    document = Document(io.BytesIO(docx_path.read_bytes()))
    body = "\n".join(p.text for p in document.paragraphs)
    assert "BIÊN BẢN KIỂM TRA" in body
    assert "DỰ THẢO" in document.sections[0].header.paragraphs[0].text
    assert _documents(app) == 0  # nothing saved in the register


def test_per_finding_types_write_one_file_per_finding(app, runner, setup, tmp_path):
    out = tmp_path / "bb-vphc.pdf"
    result = runner.invoke(
        args=["document", "draft", setup["number"], "--type", "violation-record", "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in tmp_path.iterdir())
    expected = sorted(f"bb-vphc-{setup[key]}.pdf" for key in ("confirmed", "proposed"))  # not the dismissed
    assert written == expected
    for name in expected:
        assert str(tmp_path / name) in result.output
        assert "BIÊN BẢN VI PHẠM HÀNH CHÍNH" in _pdf_text(tmp_path / name)
    qd = tmp_path / "qd-xphc.docx"
    result = runner.invoke(
        args=["document", "draft", setup["number"], "--type", "sanction-decision", "--output", str(qd)]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / f"qd-xphc-{setup['confirmed']}.docx").exists()  # confirmed findings only
    assert not (tmp_path / f"qd-xphc-{setup['proposed']}.docx").exists()
    one = tmp_path / "one.pdf"
    result = runner.invoke(
        args=[
            "document", "draft", setup["number"], "--type", "sanction-decision",
            "--finding", str(setup["confirmed"]), "--output", str(one),
        ]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = _pdf_text(one)
    assert "7.500.000" in text and "Bảy triệu năm trăm nghìn đồng" in text
    assert _documents(app) == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["KT-9999/2026", "--type", "decision"], "No case numbered KT-9999/2026"),
        (["{number}", "--type", "warrant"], "Invalid value for '--type'"),
        (["{number}", "--type", "decision", "--finding", "{confirmed}"], "not made per finding"),
        (["{number}", "--type", "violation-record", "--finding", "999999"], "has no finding 999999"),
        (["{number}", "--type", "violation-record", "--finding", "{dismissed}"], "was dismissed"),
        (["{number}", "--type", "sanction-decision", "--finding", "{proposed}"], "is not confirmed"),
    ],
)
def test_errors_are_clear_and_exit_non_zero(runner, setup, tmp_path, args, message):
    args = [a.format(**setup) for a in args]
    result = runner.invoke(args=["document", "draft", *args, "--output", str(tmp_path / "x.pdf")])
    assert result.exit_code != 0
    assert message in result.output
    assert isinstance(result.exception, SystemExit)  # click's own exit, not an error escaping
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.pdf").exists()


def test_a_wrong_suffix_and_a_case_without_findings_are_refused(app, runner, setup, tmp_path, make_user):
    bad = runner.invoke(
        args=["document", "draft", setup["number"], "--type", "decision", "--output", str(tmp_path / "x.doc")]
    )
    assert bad.exit_code != 0 and ".pdf or .docx" in bad.output
    from tests import factories

    author = make_user("khong.vipham", "inspector")
    with app.app_context():
        bare = factories.case(db.session.get(User, author.id), "inspection")
        number = bare.number
        db.session.commit()
    result = runner.invoke(
        args=["document", "draft", number, "--type", "sanction-decision", "--output", str(tmp_path / "q.pdf")]
    )
    assert result.exit_code != 0 and "has no confirmed finding" in result.output
    assert "Traceback" not in result.output
