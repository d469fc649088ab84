"""The mapping step of the web import (issue 21): a sheet in its own shape kept on the server under a
token, each column's proposal corrected, constants, a preview of the first rows, every fault of the mapping
beside its select, mappings saved under a name and reused for the next sheet of the same shape."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cases.db import db
from cases.models import AuditEvent, Case, ImportMapping
from cases.transfer import staging
from tests.transfer_helpers import xlsx_bytes

SHEET = [
    ["SỞ KHOA HỌC VÀ CÔNG NGHỆ AN GIANG", None, None, None, None, None, None, None],
    ["SỔ THEO DÕI KIỂM TRA NĂM 2024", None, None, None, None, None, None, None],
    ["STT", "Số biên bản", "Tên cơ sở", "MST", "Ngày kiểm tra", "Lĩnh vực", "Địa bàn", "Người ký"],
    [1, "TT-2024-01", "Cửa hàng xăng dầu Số 9", 100109106, dt.datetime(2024, 5, 7), "Kinh doanh xăng dầu",
     30341, "Nguyễn Văn A"],
    [2, "TT-2024-02", "Tiệm vàng Kim Hoa", None, "8/5/24", "Kinh doanh vàng trang sức, mỹ nghệ", "30341",
     "Trần B"],
]  # fmt: skip
# recognised: 1 ref, 2 establishment, 3 tax_code, 4 opened_on, 5 field; "Địa bàn" (6) is not: the commune


@pytest.fixture
def manager(make_user, login):
    user = make_user("lanhdao1", "manager")
    login(user)
    return user


def _start(client, data: bytes, filename: str = "so-2024.xlsx", **fields: str):
    form = {"file": (io.BytesIO(data), filename), "map_columns": "y", **fields}
    return client.post("/cases/import", data=form, content_type="multipart/form-data")


def _token(resp) -> str:
    assert resp.status_code == 302, resp.get_data(as_text=True)[-2000:]
    match = re.search(r"/cases/import/map/([A-Za-z0-9_-]+)$", resp.headers["Location"])
    assert match, resp.headers["Location"]
    return match.group(1)


def _selected(html: str, name: str) -> str:
    select_html = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select_html, name
    chosen = re.search(
        r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', select_html.group(1)
    )
    return next(g for g in chosen.groups() if g is not None) if chosen else ""


def _mapping(**overrides: str) -> dict[str, str]:
    chosen = {"header_row": "3", "col_1": "ref", "col_2": "establishment", "col_3": "tax_code",
              "col_4": "opened_on", "col_5": "field", "col_6": "commune_code",
              "c_case_type": "inspection", "c_status": "draft", "c_mode": "planned"}  # fmt: skip
    chosen.update(overrides)
    return {k: v for k, v in chosen.items() if v is not None}


def _cases(app) -> list[tuple]:
    with app.app_context():
        found = db.session.scalars(select(Case).order_by(Case.import_ref)).all()
        return [(c.import_ref, c.kind, c.status, c.mode, c.fields, c.commune_code,
                 c.establishment.tax_code) for c in found]  # fmt: skip


def test_the_mapping_page_shows_each_column_with_its_samples_and_proposal(app, client, manager):
    token = _token(_start(client, xlsx_bytes(SHEET)))
    resp = client.get(f"/cases/import/map/{token}")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "Cửa hàng xăng dầu Số 9" in html and "Tiệm vàng Kim Hoa" in html  # sample values
    assert _selected(html, "col_0") == ""  # STT: ignored
    assert _selected(html, "col_1") == "ref"
    assert _selected(html, "col_3") == "tax_code"
    assert _selected(html, "col_6") == ""  # "Địa bàn" is not recognised
    assert "bỏ qua cột này" in html
    # the preview at once: the rows lack a kind and a status, said beside the constants
    assert 'data-testid="mapping-errors"' in html
    assert "Loại hồ sơ" in html


def test_the_preview_shows_the_first_rows_as_read_and_their_errors(app, client, manager):
    token = _token(_start(client, xlsx_bytes(SHEET)))
    resp = client.post(f"/cases/import/map/{token}", data={**_mapping(col_6=""), "action": "preview"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200, html[-3000:]
    assert 'data-testid="mapping-preview"' in html
    assert 'data-preview-row="4"' in html and 'data-preview-row="5"' in html
    assert (
        "100109106" in html
    )  # the tax code as the sheet holds it (its leading zero comes back at the check)
    # without the commune, every row says it cannot be located
    assert html.count('data-testid="preview-row-errors"') == 2
    assert _cases(app) == []  # a preview imports nothing
    resp = client.post(f"/cases/import/map/{token}", data={**_mapping(), "action": "preview"})
    html = resp.get_data(as_text=True)
    assert 'data-testid="preview-row-errors"' not in html and "Sẵn sàng" in html
    # the valid rows as the cases will hold them: words, dates DD/MM/YYYY, the tax code's zero back
    assert "0100109106" in html and "07/05/2024" in html and "Kinh doanh xăng dầu" in html


def test_every_fault_of_the_mapping_is_beside_its_select_with_the_choices_kept(app, client, manager):
    token = _token(_start(client, xlsx_bytes(SHEET)))
    chosen = _mapping(col_6="establishment", c_case_type="", c_status="spaceship", c_opened_on="32/13/2024")
    resp = client.post(f"/cases/import/map/{token}", data={**chosen, "action": "import"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    # two columns on one field: both selects say so
    for field in ("col_2", "col_6"):
        assert re.search(rf'id="{field}-error">[^<]*một cột', html), field
    assert 'id="c_case_type-error"' in html and "bắt buộc" in html  # required, no column, no value
    assert 'id="c_status-error"' in html  # not one of the choices
    assert 'id="c_opened_on-error"' in html
    assert _selected(html, "col_6") == "establishment" and _selected(html, "col_1") == "ref"  # kept
    assert 'value="32/13/2024"' in html
    assert _cases(app) == []


def test_the_ref_unmapped_is_said_above_the_columns(app, client, manager):
    token = _token(_start(client, xlsx_bytes(SHEET)))
    resp = client.post(f"/cases/import/map/{token}", data={**_mapping(col_1=""), "action": "preview"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and 'data-testid="mapping-missing"' in html


def test_import_through_the_mapping_page_then_the_file_is_gone(app, client, manager):
    token = _token(_start(client, xlsx_bytes(SHEET)))
    resp = client.post(f"/cases/import/map/{token}", data={**_mapping(), "action": "import"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and 'data-testid="import-created"' in html, html[-3000:]
    assert '<tr data-header-position="6"><td>Địa bàn</td>' in html  # how the sheet was read
    assert _cases(app) == [
        ("TT-2024-01", "inspection", "draft", "planned", ["fuel"], "30341", "0100109106"),
        ("TT-2024-02", "inspection", "draft", "planned", ["gold"], "30341", None),
    ]
    folder = Path(app.config["IMPORT_STAGING_FOLDER"])
    assert not list(folder.glob(f"{token}.*"))
    gone = client.get(f"/cases/import/map/{token}")
    assert gone.status_code == 302 and gone.headers["Location"].endswith("/cases/import")
    # importing the same sheet again creates nothing
    token = _token(_start(client, xlsx_bytes(SHEET)))
    html = client.post(f"/cases/import/map/{token}", data={**_mapping(), "action": "import"}).get_data(
        as_text=True
    )
    assert "Đã nhập trước đây" in html or "import-already" in html
    assert len(_cases(app)) == 2


def test_a_sheet_with_bad_rows_imports_nothing_and_names_them(app, client, manager):
    sheet = [*SHEET, [3, "TT-2024-03", "Cơ sở C", "123", "31/2/24", "Lĩnh vực lạ", 30341, ""]]
    token = _token(_start(client, xlsx_bytes(sheet)))
    resp = client.post(f"/cases/import/map/{token}", data={**_mapping(), "action": "import"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    cells = set(re.findall(r'<tr data-row="(\d+)" data-column="([^"]*)"', html))
    assert cells == {("6", "tax_code"), ("6", "opened_on"), ("6", "field")}
    assert _cases(app) == []
    assert _selected(html, "col_6") == "commune_code"  # the mapping is still there, to correct
    # valid rows only
    resp = client.post(f"/cases/import/map/{token}", data={**_mapping(valid_only="y"), "action": "import"})
    assert 'data-testid="import-created"' in resp.get_data(as_text=True)
    assert len(_cases(app)) == 2


def test_another_user_cannot_use_the_token(app, client, manager, make_user, login):
    token = _token(_start(client, xlsx_bytes(SHEET)))
    other = make_user("lanhdao2", "manager")
    client.post("/logout")
    login(other)
    resp = client.post(f"/cases/import/map/{token}", data={**_mapping(), "action": "import"})
    assert resp.status_code == 302
    assert _cases(app) == []
    assert client.get("/cases/import/map/not-a-token").status_code == 302


def test_a_staged_file_expires(app, tmp_path):
    token = staging.stage(tmp_path, b"x", filename="a.csv", user_id=1, max_bytes=10)
    assert staging.load(tmp_path, token, user_id=1) is not None
    assert staging.load(tmp_path, token, user_id=2) is None
    later = dt.datetime.now(dt.UTC) + staging.MAX_AGE + dt.timedelta(minutes=1)
    assert staging.load(tmp_path, token, user_id=1, now=later) is None
    assert list(tmp_path.iterdir()) == []  # deleted once expired
    with pytest.raises(ValueError):
        staging.stage(tmp_path, b"x" * 11, filename="a.csv", user_id=1, max_bytes=10)


def test_a_user_keeps_a_few_staged_files_only(tmp_path):
    tokens = [staging.stage(tmp_path, b"x", filename="a.csv", user_id=1, max_bytes=10) for _ in range(5)]
    kept = {p.stem for p in tmp_path.glob("*.json")}
    assert kept == set(tokens[-staging.MAX_PER_USER :])


def test_a_mapping_saved_and_reused_for_the_next_sheet(app, client, manager):
    token = _token(_start(client, xlsx_bytes(SHEET)))
    resp = client.post(
        f"/cases/import/map/{token}", data={**_mapping(), "name": "Sổ đội 1", "action": "save"}
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200, html[-3000:]
    with app.app_context():
        saved = db.session.scalar(select(ImportMapping))
        assert saved.name == "Sổ đội 1"
        assert {p["header"]: p["column"] for p in saved.columns}["Địa bàn"] == "commune_code"
        assert saved.constants == {"case_type": "inspection", "status": "draft", "mode": "planned"}
        assert (
            db.session.scalar(
                select(func.count()).where(
                    AuditEvent.entity_type == "import_mapping", AuditEvent.action == "create"
                )
            )
            == 1
        )
        saved_id = saved.id
    # the same name again: refused beside the name
    resp = client.post(
        f"/cases/import/map/{token}", data={**_mapping(), "name": "sổ đội 1", "action": "save"}
    )
    assert resp.status_code == 400 and 'id="name-error"' in resp.get_data(as_text=True)
    # the next sheet, its columns in another order and one header gone, with the saved mapping
    upload = client.get("/cases/import").get_data(as_text=True)
    assert "Sổ đội 1" in upload
    second = [
        ["SỔ THEO DÕI KIỂM TRA NĂM 2025", None, None, None, None, None],
        ["Tên cơ sở", "Số biên bản", "Ngày kiểm tra", "Địa bàn", "Lĩnh vực", "STT"],
        ["Cửa hàng Minh Phát", "TT-2025-01", "3/2/25", 30341, "Kinh doanh xăng dầu", 1],
    ]
    token = _token(_start(client, xlsx_bytes(second), map_columns="", saved_mapping=str(saved_id)))
    html = client.get(f"/cases/import/map/{token}").get_data(as_text=True)
    assert _selected(html, "col_0") == "establishment" and _selected(html, "col_3") == "commune_code"
    assert _selected(html, "c_case_type") == "inspection"
    assert 'data-testid="missing-headers"' in html and "MST" in html  # the header not found, named
    data = {"header_row": "2", "col_0": "establishment", "col_1": "ref", "col_2": "opened_on",
            "col_3": "commune_code", "col_4": "field", "c_case_type": "inspection", "c_status": "draft",
            "c_mode": "planned", "action": "import"}  # fmt: skip
    resp = client.post(f"/cases/import/map/{token}", data=data)
    assert 'data-testid="import-created"' in resp.get_data(as_text=True)
    assert [c[0] for c in _cases(app)] == ["TT-2025-01"]


def test_a_saved_mapping_is_deleted_by_its_author_or_an_administrator(app, client, manager, make_user, login):
    token = _token(_start(client, xlsx_bytes(SHEET)))
    client.post(f"/cases/import/map/{token}", data={**_mapping(), "name": "Sổ A", "action": "save"})
    with app.app_context():
        saved_id = db.session.scalar(select(ImportMapping.id))
    other = make_user("lanhdao2", "manager")
    client.post("/logout")
    login(other)
    assert "Sổ A" in client.get("/cases/import").get_data(as_text=True)
    assert client.post(f"/cases/import/mappings/{saved_id}/delete").status_code == 403
    admin = make_user("quantri", "admin")
    client.post("/logout")
    login(admin)
    assert client.post(f"/cases/import/mappings/{saved_id}/delete").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(ImportMapping.id))) == 0
        assert (
            db.session.scalar(
                select(func.count()).where(
                    AuditEvent.entity_type == "import_mapping", AuditEvent.action == "delete"
                )
            )
            == 1
        )


def _save(app, name: str, **constants: str) -> None:
    from cases.models import User
    from cases.transfer.mapping import ColumnMapping
    from cases.transfer.saved_mappings import save_mapping

    headers = SHEET[2]
    columns = {1: "ref", 2: "establishment", 3: "tax_code", 4: "opened_on", 5: "field", 6: "commune_code"}
    with app.app_context():
        author = db.session.scalar(select(User).where(User.username == "quantri"))
        save_mapping(name, ColumnMapping(3, columns, constants), [str(h) for h in headers], actor=author)
        db.session.commit()


def test_the_cli_imports_with_a_saved_mapping(app, runner, make_user, tmp_path):
    make_user("quantri", "admin")
    _save(app, "Sổ đội 1", case_type="inspection", status="draft")
    sheet = tmp_path / "so-2024.xlsx"
    sheet.write_bytes(xlsx_bytes(SHEET))
    result = runner.invoke(
        args=["import-cases", str(sheet), "--mapping", "sổ đội 1", "--set", "mode=planned"]
    )
    assert result.exit_code == 0, result.output
    assert "created: 2" in result.output
    assert "'Địa bàn' -> commune_code" in result.output
    assert _cases(app) == [
        ("TT-2024-01", "inspection", "draft", "planned", ["fuel"], "30341", "0100109106"),
        ("TT-2024-02", "inspection", "draft", "planned", ["gold"], "30341", None),
    ]
    again = runner.invoke(args=["import-cases", str(sheet), "--mapping", "Sổ đội 1", "--set", "mode=planned"])
    assert "created: 0" in again.output and "already imported: 2" in again.output


def test_the_cli_names_an_unknown_mapping_and_headers_not_found(app, runner, make_user, tmp_path):
    make_user("quantri", "admin")
    _save(app, "Sổ đội 1", case_type="inspection", status="draft")
    sheet = tmp_path / "so-2024.xlsx"
    sheet.write_bytes(xlsx_bytes(SHEET))
    unknown = runner.invoke(args=["import-cases", str(sheet), "--mapping", "Sổ đội 9"])
    assert unknown.exit_code != 0
    assert "No saved mapping named 'Sổ đội 9'" in unknown.output and "Sổ đội 1" in unknown.output
    other = tmp_path / "other.xlsx"
    other.write_bytes(
        xlsx_bytes([["Số biên bản", "Tên cơ sở", "Ngày kiểm tra"], ["X-1", "Cơ sở X", "1/2/24"]])
    )
    result = runner.invoke(args=["import-cases", str(other), "--mapping", "Sổ đội 1"])
    assert result.exit_code == 1
    assert "not found in the sheet: 'MST'" in result.output
    assert "column commune_code" in result.output  # the row cannot be located without its column


def _full_cases(app) -> list[tuple]:
    with app.app_context():
        found = db.session.scalars(select(Case).order_by(Case.import_ref)).all()
        return [
            (c.import_ref, c.kind, c.status, c.mode, c.fields, c.opened_on, c.commune_code,
             c.establishment.name, c.establishment.tax_code, c.establishment.business_type)
            for c in found
        ]  # fmt: skip


def test_the_mapping_page_and_the_project_format_give_the_same_cases(app, client, manager):
    from cases.transfer.importer import COLUMNS
    from tests.transfer_helpers import csv_bytes, wipe_cases

    token = _token(_start(client, xlsx_bytes(SHEET)))
    client.post(f"/cases/import/map/{token}", data={**_mapping(), "action": "import"})
    through_mapping = _full_cases(app)
    assert len(through_mapping) == 2
    with app.app_context():
        wipe_cases()
    own = [
        {"ref": "TT-2024-01", "case_type": "inspection", "field": "fuel", "mode": "planned",
         "opened_on": "2024-05-07", "status": "draft", "establishment": "Cửa hàng xăng dầu Số 9",
         "tax_code": "0100109106", "commune_code": "30341"},
        {"ref": "TT-2024-02", "case_type": "inspection", "field": "gold", "mode": "planned",
         "opened_on": "2024-05-08", "status": "draft", "establishment": "Tiệm vàng Kim Hoa",
         "commune_code": "30341"},
    ]  # fmt: skip
    form = {"file": (io.BytesIO(csv_bytes(own, COLUMNS)), "own.csv")}
    resp = client.post("/cases/import", data=form, content_type="multipart/form-data")
    assert 'data-testid="import-created"' in resp.get_data(as_text=True)
    assert _full_cases(app) == through_mapping


def test_another_header_row_is_chosen_and_its_headers_proposed(app, client, manager):
    """A header row the proposal missed: the user chooses it, its columns are proposed afresh."""
    sheet = [
        ["Danh sách", "cơ sở", "đã kiểm tra", None],  # a title over several cells
        ["Mã hồ sơ", "Tên cơ sở", "Ngày kiểm tra", "Mã xã"],
        ["KT-1", "Cơ sở A", "3/2/25", 30341],
    ]
    token = _token(_start(client, xlsx_bytes(sheet)))
    html = client.get(f"/cases/import/map/{token}").get_data(as_text=True)
    assert _selected(html, "header_row") == "2"  # found below the title
    posted = {"header_row": "1", "shown_header_row": "2", "col_0": "ref", "col_1": "establishment",
              "c_case_type": "inspection", "action": "import"}  # fmt: skip
    resp = client.post(f"/cases/import/map/{token}", data=posted)
    html = resp.get_data(as_text=True)
    assert _cases(app) == []  # a new header row is looked at first, never imported at once
    assert _selected(html, "header_row") == "1" and _selected(html, "col_0") == ""
    assert _selected(html, "c_case_type") == "inspection"  # the constants kept
    back = {**posted, "header_row": "2", "shown_header_row": "1", "action": "preview"}
    html = client.post(f"/cases/import/map/{token}", data=back).get_data(as_text=True)
    assert _selected(html, "col_0") == "ref" and _selected(html, "col_3") == "commune_code"
