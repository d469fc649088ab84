"""The import page, the export downloads and the import-cases / export-cases commands."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from cases.db import db
from cases.models import Case
from cases.rendering.formatting import LOCAL_TZ
from cases.transfer.importer import COLUMNS
from tests.transfer_helpers import csv_bytes, sample_as_xlsx, sample_bytes, xlsx_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cases(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Case.id))) or 0


def _upload(client, data: bytes, filename: str = "ho-so.csv", valid_only: bool = False):
    form = {"file": (io.BytesIO(data), filename)}
    if valid_only:
        form["valid_only"] = "y"
    return client.post("/cases/import", data=form, content_type="multipart/form-data")


def _error_cells(html: str) -> set[tuple[int, str]]:
    return {(int(r), c) for r, c in re.findall(r'<tr data-row="(\d+)" data-column="([^"]*)"', html)}


BAD = [
    {"ref": "OK-1", "case_type": "inspection", "field": "gold", "mode": "planned", "opened_on": "2026-01-05",
     "status": "draft", "establishment": "Tiệm vàng Kim Hoa", "commune_code": "30341"},
    {"ref": "KO-1", "case_type": "inspection", "field": "gold", "mode": "planned", "opened_on": "31/02/2026",
     "status": "draft", "establishment": "Tiệm vàng Kim Hoa", "commune_code": "30341"},
    {"ref": "KO-2", "case_type": "ecommerce", "opened_on": "2026-01-05", "status": "draft",
     "platform": "shopee", "listing_url": "shopee.vn/x", "seller": "s", "commune_code": "30341",
     "tax_code": "123"},
]  # fmt: skip


@pytest.fixture
def manager(make_user, login):
    user = make_user("lanhdao1", "manager")
    login(user)
    return user


# --- the import page --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["inspector", "liaison"])
def test_the_import_page_is_for_managers_and_admins_only(client, make_user, login, role):
    login(make_user(f"u{role}", role, communes=("30341",) if role == "liaison" else ()))
    assert client.get("/cases/import").status_code == 403
    assert _upload(client, sample_bytes()).status_code == 403
    assert client.get("/cases/import/template.csv").status_code == 403


def test_anonymous_users_are_sent_to_login(client):
    resp = client.get("/cases/import")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    assert client.get("/cases/export.csv").status_code == 302


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_the_import_page_shows_the_form(client, make_user, login, role):
    login(make_user(f"u{role}", role))
    resp = client.get("/cases/import")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "Nhập hồ sơ" in html and 'type="file"' in html and 'name="valid_only"' in html
    assert "js/import.js" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "no inline scripts"


def test_uploading_the_sample_imports_it(app, client, manager):
    resp = _upload(client, sample_bytes())
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert 'data-testid="import-created"' in html and "12" in html
    assert _cases(app) == 12

    again = _upload(client, sample_bytes()).get_data(as_text=True)
    assert _cases(app) == 12
    assert 'data-testid="import-already"' in again and "AG-42-00011" in again


def test_an_xlsx_upload_imports_the_same(app, client, manager):
    assert _upload(client, sample_as_xlsx(), "ho-so.xlsx").status_code == 200
    assert _cases(app) == 12


def test_errors_are_listed_and_nothing_is_imported(app, client, manager):
    resp = _upload(client, csv_bytes(BAD))
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert _cases(app) == 0
    assert 'data-testid="import-refused"' in html
    assert _error_cells(html) == {(3, "opened_on"), (4, "listing_url"), (4, "tax_code")}
    assert "không phải là ngày hợp lệ" in html  # Vietnamese words, not codes


def test_values_in_messages_are_escaped(client, manager):
    row = {**BAD[0], "ref": "XSS", "case_type": "<script>alert(1)</script>"}
    html = _upload(client, csv_bytes([row])).get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html


def test_valid_only_imports_the_good_rows(app, client, manager):
    html = _upload(client, csv_bytes(BAD), valid_only=True).get_data(as_text=True)
    assert _cases(app) == 1
    assert 'data-testid="import-created"' in html
    assert _error_cells(html) == {(3, "opened_on"), (4, "listing_url"), (4, "tax_code")}


def test_a_file_over_10_mb_is_refused_with_a_clear_message(app, client, manager):
    big = csv_bytes([]) + b"x" * (10 * 1024 * 1024)
    # the multipart body built by hand: the test client would spool it to a file it never closes
    boundary = "----ranh-gioi"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="lon.csv"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        + big
        + f"\r\n--{boundary}--\r\n".encode()
    )
    resp = client.post("/cases/import", data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert resp.status_code == 400
    assert "giới hạn là 10 MB" in resp.get_data(as_text=True)
    assert _cases(app) == 0


def test_other_file_types_and_an_empty_upload(client, manager):
    resp = _upload(client, b"ref\n", "ho-so.xls")
    assert resp.status_code == 400 and "Chỉ nhập được tệp .csv và .xlsx" in resp.get_data(as_text=True)
    resp = client.post("/cases/import", data={}, content_type="multipart/form-data")
    assert resp.status_code == 400


@pytest.mark.parametrize("filename", ["rac.csv", "rac.xlsx"])
def test_garbage_bytes_give_a_clear_error(client, manager, filename):
    resp = _upload(client, bytes(range(256)) * 20, filename)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and 'data-testid="import-refused"' in html


def test_the_template_is_an_empty_file_with_the_header(client, manager):
    resp = client.get("/cases/import/template.csv")
    assert resp.status_code == 200
    assert resp.data == ("\ufeff" + ",".join(COLUMNS) + "\r\n").encode()


# --- export -------------------------------------------------------------------------------------------


def _today() -> str:
    return dt.datetime.now(LOCAL_TZ).date().isoformat()


def test_csv_export_downloads_the_filtered_list(client, manager):
    _upload(client, sample_bytes())
    resp = client.get("/cases/export.csv?kind=survey")
    assert resp.status_code == 200
    assert resp.mimetype == "text/csv"
    assert f'filename="ho-so-{_today()}.csv"' in resp.headers["Content-Disposition"]
    assert resp.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(resp.data.decode("utf-8-sig"))))
    assert sorted(r["ref"] for r in rows) == ["AG-42-00002", "AG-42-00003"]


def test_xlsx_export_downloads_a_workbook(client, manager):
    _upload(client, sample_bytes())
    resp = client.get("/cases/export.xlsx?status=closed")
    assert resp.status_code == 200
    assert f"ho-so-{_today()}.xlsx" in resp.headers["Content-Disposition"]
    rows = list(
        load_workbook(io.BytesIO(resp.data), read_only=True).worksheets[0].iter_rows(values_only=True)
    )
    assert rows[0] == COLUMNS and len(rows) == 1 + 5


def test_a_liaison_exports_only_their_communes(client, make_user, login, manager):
    _upload(client, sample_bytes())
    client.post("/logout")
    login(make_user("xa1", "liaison", communes=("30341",)))
    resp = client.get("/cases/export.csv")
    rows = list(csv.DictReader(io.StringIO(resp.data.decode("utf-8-sig"))))
    assert [(r["ref"], r["commune_code"]) for r in rows] == [("AG-42-00007", "30341")]
    # a filter on another commune does not widen the scope
    resp = client.get("/cases/export.csv?commune_code=30292")
    assert resp.data.decode("utf-8-sig").strip() == ",".join(COLUMNS)
    assert client.get("/cases/export.pdf").status_code == 404


def test_inspectors_export_the_whole_province(client, make_user, login, manager):
    _upload(client, sample_bytes())
    client.post("/logout")
    login(make_user("thanhtra1", "inspector"))
    resp = client.get("/cases/export.csv")
    assert resp.status_code == 200 and resp.data.count(b"\r\n") == 13


def _sheet_rows(data: bytes, title: str = "Hồ sơ") -> list[dict[str, object]]:
    sheet = load_workbook(io.BytesIO(data))[title]
    header = [c.value for c in sheet[1]]
    return [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_the_list_offers_both_exports_with_its_filters(client, manager):
    """Issue 14, item 5: the export menu names what each file is for, and every link keeps the filters."""
    page = client.get("/cases/?kind=survey&q=gao").get_data(as_text=True)
    menu = page[page.index('data-testid="export-menu"') :]
    menu = menu[: menu.index("</ul>")]
    assert "Bảng tính dễ đọc (Excel)" in menu and "Định dạng nhập lại (Excel)" in menu
    assert "Định dạng nhập lại (CSV)" in menu and "kèm hàng hóa, mẫu và vi phạm" in menu
    links = re.findall(r'href="([^"]+)"', menu)
    assert len(links) == 4
    for link in links:
        assert "kind=survey" in link and "q=gao" in link, link
    assert any("/cases/export-readable.xlsx" in link and "details=1" in link for link in links)


def test_the_readable_export_downloads_the_filtered_list_in_words(client, manager):
    _upload(client, sample_bytes())
    resp = client.get("/cases/export-readable.xlsx?kind=survey")
    assert resp.status_code == 200 and resp.mimetype == XLSX
    assert f'filename="bang-tinh-ho-so-{_today()}.xlsx"' in resp.headers["Content-Disposition"]
    rows = _sheet_rows(resp.data)
    assert sorted(r["Mã tham chiếu khi nhập"] for r in rows) == ["AG-42-00002", "AG-42-00003"]
    assert {r["Loại hồ sơ"] for r in rows} == {"Khảo sát"}
    assert all(isinstance(r["Ngày mở hồ sơ"], dt.datetime) for r in rows)
    assert all(
        isinstance(r["Xã, phường, đặc khu"], str) and not r["Xã, phường, đặc khu"].isdigit() for r in rows
    )
    detailed = client.get("/cases/export-readable.xlsx?kind=survey&details=1")
    assert f'filename="bang-tinh-ho-so-chi-tiet-{_today()}.xlsx"' in detailed.headers["Content-Disposition"]
    assert load_workbook(io.BytesIO(detailed.data)).sheetnames[-1] == "Vi phạm"


def test_the_readable_export_keeps_a_liaison_to_their_communes(client, make_user, login, manager):
    _upload(client, sample_bytes())
    client.post("/logout")
    login(make_user("xa1", "liaison", communes=("30341",)))
    rows = _sheet_rows(client.get("/cases/export-readable.xlsx?commune_code=30292").data)
    assert rows == []
    rows = _sheet_rows(client.get("/cases/export-readable.xlsx").data)
    assert [r["Mã tham chiếu khi nhập"] for r in rows] == ["AG-42-00007"]


def test_the_readable_export_speaks_english_to_an_english_user(client, manager):
    _upload(client, sample_bytes())
    client.post("/language/en")
    rows = _sheet_rows(client.get("/cases/export-readable.xlsx?kind=survey").data, "Cases")
    assert {r["Kind of case"] for r in rows} == {"Survey"}


# --- command line --------------------------------------------------------------------------------------


def test_cli_import_and_export(app, runner, make_user, tmp_path):
    make_user("quantri", "admin")
    sample = tmp_path / "mau.csv"
    sample.write_bytes(sample_bytes())

    result = runner.invoke(args=["import-cases", str(sample)])
    assert result.exit_code == 0, result.output
    assert "created: 12" in result.output
    assert _cases(app) == 12

    result = runner.invoke(args=["import-cases", str(sample)])
    assert result.exit_code == 0 and "created: 0" in result.output and "AG-42-00000" in result.output

    out_csv = tmp_path / "ho-so.csv"
    result = runner.invoke(args=["export-cases", "--output", str(out_csv), "--kind", "inspection",
                                 "--from", "2026-01-01", "--to", "2026-06-30"])  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out_csv.read_text(encoding="utf-8-sig"))))
    assert sorted(r["ref"] for r in rows) == ["AG-42-00005", "AG-42-00006", "AG-42-00007", "AG-42-00008",
                                              "AG-42-00011"]  # fmt: skip
    assert "Exported 5 cases" in result.output

    out_xlsx = tmp_path / "ho-so.xlsx"
    result = runner.invoke(args=["export-cases", "-o", str(out_xlsx), "--q", "thốt nốt"])
    assert result.exit_code == 0, result.output
    workbook = load_workbook(out_xlsx, read_only=True)
    try:
        assert len(list(workbook.worksheets[0].iter_rows())) == 1 + 3
    finally:
        workbook.close()  # read-only workbooks keep their file open until closed

    result = runner.invoke(args=["export-cases", "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code != 0


def test_cli_exports_the_readable_spreadsheet(app, runner, make_user, tmp_path):
    make_user("quantri", "admin")
    source = tmp_path / "in.csv"
    source.write_bytes(sample_bytes())
    assert runner.invoke(args=["import-cases", str(source)]).exit_code == 0
    out = tmp_path / "doc.xlsx"
    result = runner.invoke(
        args=["export-cases", "--output", str(out), "--readable", "--details", "--kind", "survey"]
    )
    assert result.exit_code == 0, result.output
    assert "Exported 2 cases" in result.output and "readable" in result.output
    book = load_workbook(out)
    assert book.sheetnames[0] == "Hồ sơ" and len(_sheet_rows(out.read_bytes())) == 2
    bad = runner.invoke(args=["export-cases", "--output", str(tmp_path / "x.csv"), "--readable"])
    assert bad.exit_code != 0 and ".xlsx" in bad.output
    bad = runner.invoke(args=["export-cases", "--output", str(tmp_path / "x.xlsx"), "--details"])
    assert bad.exit_code != 0 and "--readable" in bad.output


def test_cli_import_with_errors_exits_1_and_names_rows_and_columns(app, runner, make_user, tmp_path):
    make_user("lanhdao1", "manager")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(BAD))

    result = runner.invoke(args=["import-cases", str(bad), "--as", "lanhdao1"])
    assert result.exit_code == 1
    assert "row 3, column opened_on: “31/02/2026” không phải là ngày hợp lệ" in result.output
    assert "row 4, column listing_url:" in result.output and "row 4, column tax_code:" in result.output
    assert _cases(app) == 0

    result = runner.invoke(args=["import-cases", str(bad), "--as", "lanhdao1", "--valid-only"])
    assert result.exit_code == 0 and "created: 1" in result.output
    assert _cases(app) == 1


def test_cli_import_refuses_accounts_that_may_not_import(runner, make_user, tmp_path):
    make_user("thanhtra1", "inspector")
    sample = tmp_path / "mau.csv"
    sample.write_bytes(sample_bytes())
    result = runner.invoke(args=["import-cases", str(sample), "--as", "thanhtra1"])
    assert result.exit_code != 0 and "may not import" in result.output
    result = runner.invoke(args=["import-cases", str(sample)])  # no administrator at all
    assert result.exit_code != 0 and "No active administrator" in result.output


# --- bounds (issue 15, item 3; the hostile files and the memory: tests/unit/test_import_bounds.py) ---------


def test_the_page_states_the_limits_and_a_file_over_them_gets_a_clear_message_at_once(app, client, manager):
    from tests import hostile_files

    page = client.get("/cases/import").get_data(as_text=True)
    assert "Mỗi tệp tối đa 10.000 dòng hồ sơ và 10 MB" in page
    # (fewer empty rows than the attack's million, past the limit all the same: the test client spools a
    # larger body to a temporary file it leaves open)
    resp = _upload(client, hostile_files.a_million_empty_rows(25_000), "trong.xlsx")
    html = resp.get_data(as_text=True)
    assert "Tệp có hơn 10.000 dòng hồ sơ (hoặc hơn 20.001 dòng kể cả dòng trống)" in html
    resp = _upload(client, hostile_files.huge_shared_strings(), "bom.xlsx")
    assert "Tệp Excel chứa nhiều dữ liệu hơn mức một lần nhập cho phép" in resp.get_data(as_text=True)
    assert _cases(app) == 0


def test_the_limit_is_a_setting(app, make_app, make_user, tmp_path):
    from tests.conftest import TEST_PASSWORD

    small = make_app({**app.config, "IMPORT_MAX_ROWS": 2, "SQLALCHEMY_ENGINE_OPTIONS": {}})
    make_user("lanhdao.nho", "manager")
    client = small.test_client()
    client.post("/login", data={"username": "lanhdao.nho", "password": TEST_PASSWORD})
    assert "Mỗi tệp tối đa 2 dòng hồ sơ" in client.get("/cases/import").get_data(as_text=True)
    resp = _upload(client, csv_bytes([dict(BAD[0], ref=f"R{n}") for n in range(3)]))
    assert "Tệp có hơn 2 dòng hồ sơ" in resp.get_data(as_text=True)


def test_a_long_error_report_lists_the_first_errors_and_counts_the_others(app, client, manager):
    from tests import hostile_files

    resp = _upload(client, hostile_files.error_rows_csv(500), "loi.csv")
    html = resp.get_data(as_text=True)
    assert len(_error_cells(html)) == 200
    assert re.search(r"\d\.\d{3} lỗi; dưới đây liệt kê 200 lỗi đầu tiên", html)
    assert len(html) < 100_000


# --- values as offices type them (issue 21 item 2) ---------------------------------------------------

OFFICE = {
    "ref": "VP-1", "case_type": "Kiểm tra", "field": "Kinh doanh xăng dầu", "mode": "Đột xuất",
    "opened_on": "2/3/26", "status": "Nháp", "establishment": "Cửa hàng xăng dầu Số 9",
    "tax_code": "100109106", "commune_code": "30341",
}  # fmt: skip


def test_the_import_page_reads_an_office_sheet(app, client, manager):
    """Vietnamese words for the choices, a day-first date with a two-digit year, the tax code as Excel left
    it: imported as the codes would be."""
    resp = _upload(client, csv_bytes([OFFICE]), "so-theo-doi.csv")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and 'data-testid="import-created"' in html, html[-2000:]
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.import_ref == "VP-1"))
        assert (case.kind, case.mode, case.status, case.fields) == (
            "inspection",
            "unscheduled",
            "draft",
            ["fuel"],
        )
        assert case.opened_on == dt.date(2026, 3, 2)
        assert case.establishment.tax_code == "0100109106"


def test_the_import_page_names_a_word_that_is_no_choice(app, client, manager):
    html = _upload(client, csv_bytes([{**OFFICE, "mode": "Thỉnh thoảng"}])).get_data(as_text=True)
    assert (2, "mode") in _error_cells(html)
    assert "Thỉnh thoảng" in html
    assert _cases(app) == 0


def test_the_cli_reads_an_office_sheet(app, runner, make_user, tmp_path):
    make_user("quantri", "admin")
    sheet = tmp_path / "so-theo-doi.csv"
    sheet.write_bytes(csv_bytes([{**OFFICE, "mode": "dot xuat"}]))  # without diacritics
    result = runner.invoke(args=["import-cases", str(sheet)])
    assert result.exit_code == 0, result.output
    assert "created: 1" in result.output
    with app.app_context():
        assert db.session.scalar(select(Case.mode).where(Case.import_ref == "VP-1")) == "unscheduled"


def test_the_cli_reads_a_sheet_in_its_own_shape(app, runner, make_user, tmp_path):
    """Title rows, Vietnamese headers in their own order, an STT column, constants for what it lacks."""
    make_user("quantri", "admin")
    sheet = tmp_path / "so-theo-doi-2024.xlsx"
    sheet.write_bytes(
        xlsx_bytes([
            ["SỔ THEO DÕI KIỂM TRA NĂM 2024", None, None, None, None],
            ["STT", "Tên cơ sở", "Ngày kiểm tra", "Lĩnh vực", "Mã hồ sơ", "Mã xã"],
            [1, "Tiệm vàng Kim Hoa", "8/5/2024", "gold", "KH-1", 30341],
        ])
    )  # fmt: skip
    refused = runner.invoke(args=["import-cases", str(sheet), "--recognise-headers"])
    assert refused.exit_code == 1
    assert "row 2, column case_type" in refused.output and "row 2, column status" in refused.output
    result = runner.invoke(
        args=["import-cases", str(sheet), "--set", "case_type=inspection", "--set", "status=draft",
              "--set", "mode=planned"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "created: 1" in result.output
    assert "'Tên cơ sở' -> establishment" in result.output and "ignored: 'STT'" in result.output
    bad = runner.invoke(args=["import-cases", str(sheet), "--set", "colour=red"])
    assert bad.exit_code == 2 and "COLUMN=VALUE" in bad.output


def test_the_page_refuses_a_kind_that_is_no_choice_beside_its_field(app, client, manager):
    form = {"file": (io.BytesIO(csv_bytes([OFFICE])), "s.csv"), "case_type": "spaceship", "own_headers": "y"}
    resp = client.post("/cases/import", data=form, content_type="multipart/form-data")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "Lựa chọn không hợp lệ." in html
    ticked = re.search(r'<input[^>]*name="own_headers"[^>]*>', html)
    assert ticked and " checked " in ticked.group(0)  # what was ticked is still ticked
    assert _cases(app) == 0
