"""A commune liaison's journey: she follows two communes (Phường Long Xuyên, Phường Mỹ Thới), records a case
in one of them, sees only her communes' cases and choices, and is refused anywhere else."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.journeys import case_steps as steps
from tests.browser.journeys import people
from tests.browser.journeys import support as s
from tests.report_support import RACH_GIA

HER_COMMUNES = {"Phường Long Xuyên", "Phường Mỹ Thới"}
ELSEWHERE_ADDRESS = "Số 45 Nguyễn Trung Trực, phường Vĩnh Thanh Vân, thành phố Rạch Giá, tỉnh Kiên Giang"


def _numbers_in(app, commune: str) -> list[tuple[int, str]]:
    from sqlalchemy import select

    from cases.db import db
    from cases.models import Case

    with app.app_context():
        return [
            tuple(r)
            for r in db.session.execute(select(Case.id, Case.number).where(Case.commune_code == commune))
        ]


def test_liaison(journey, app, make_user, artifacts):
    colleague = people.person(make_user, "kiemtra.tuan", "inspector", "Phạm Minh Tuấn")
    people.department_at_work(app, colleague)  # cases in Long Xuyên and in Rạch Giá
    make_user("daumoi.mai", "liaison", full_name="Nguyễn Thị Mai", communes=("30307", "30301"))
    elsewhere = _numbers_in(app, RACH_GIA)
    assert elsewhere
    elsewhere_id, elsewhere_number = elsewhere[0]

    liaison = journey.sign_in("liaison", "daumoi.mai")
    page = liaison.page
    expect(page.get_by_role("main")).to_contain_text("Địa bàn phụ trách: Phường Long Xuyên, Phường Mỹ Thới")

    # --- she records a tip about a grocery in her commune -------------------------------------------------
    liaison.tap(page.get_by_role("link", name="Kiểm tra mới"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ mới: Kiểm tra")
    liaison.see("new inspection")
    location = page.get_by_role("group", name="Địa điểm")
    communes = location.get_by_label(s.COMMUNE)
    offered = {t.strip() for t in communes.get_by_role("option").all_inner_texts()} - {"— chọn —"}
    assert offered == HER_COMMUNES
    # an address of another commune: she is told it is not hers, and her choice stays as it was
    s.choose(communes, "Phường Mỹ Thới")
    location.get_by_label("Địa chỉ", exact=True).fill(ELSEWHERE_ADDRESS)
    liaison.tap(location.get_by_role("button", name="Gợi ý xã/phường từ địa chỉ"))
    expect(location.get_by_text(re.compile("Phường Rạch Giá, không thuộc địa bàn phụ trách"))).to_be_visible()
    liaison.see("address of another commune")
    assert s.selected_text(communes) == "Phường Mỹ Thới"

    general = page.get_by_role("group", name="Thông tin chung")
    general.get_by_label("Đột xuất").check()
    general.get_by_label("Nhãn hàng hóa", exact=True).check()
    general.get_by_label("Số quyết định").fill("31/QĐ-SKHCN")
    general.get_by_label("Ngày quyết định").fill(s.vn_date(s.days_ago(3)))
    general.get_by_label("Kiểm tra từ ngày").fill(s.vn_date(s.days_ago(1)))
    general.get_by_label("đến ngày", exact=True).fill(s.vn_date(s.days_ago(1)))
    general.get_by_label("Sản phẩm, hàng hóa", exact=True).fill("Bánh kẹo, nước giải khát không nhãn phụ")
    s.pick_establishment(liaison, "minh anh", "Tạp hóa Minh Anh")
    location.get_by_label("Địa chỉ", exact=True).fill("Số 5 Lê Lợi, phường Long Xuyên, tỉnh An Giang")
    liaison.tap(location.get_by_role("button", name="Gợi ý xã/phường từ địa chỉ"))
    expect(communes).to_have_value("30307")
    page.get_by_label("Kết luận").fill(
        "Người dân phản ánh cửa hàng bán bánh kẹo nhập khẩu không có nhãn phụ."
    )
    # the grocery was inspected this year already (issue 18's once-a-year rule): refused beside the
    # establishment, everything typed kept; the complaint's clear signs let the second check through
    with liaison.answer_expected(400):
        liaison.tap(page.get_by_role("button", name=s.SAVE, exact=True))
        expect(page.get_by_text(re.compile(r"Cơ sở này đã được kiểm tra trong năm"))).to_be_visible()
    liaison.see("second inspection in the year refused")
    expect(general.get_by_label("Sản phẩm, hàng hóa", exact=True)).to_have_value(
        "Bánh kẹo, nước giải khát không nhãn phụ"
    )
    general.get_by_label("Có dấu hiệu vi phạm rõ ràng").check()
    general.get_by_label("Dấu hiệu vi phạm rõ ràng", exact=True).fill(
        "Phản ánh của người dân kèm ảnh bánh kẹo nhập khẩu không có nhãn phụ."
    )
    number = steps.save_case(liaison, "case saved")
    expect(page.get_by_text(s.LONG_XUYEN, exact=True)).to_be_visible()
    steps.submit(liaison, number, "submitted")

    # --- her lists hold her communes only -----------------------------------------------------------------
    liaison.nav("Hồ sơ")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ")
    liaison.see("case list")
    search = page.get_by_role("search", name="Lọc hồ sơ")
    filter_communes = search.get_by_label("Xã/phường/đặc khu", exact=True)
    offered = {t.strip() for t in filter_communes.get_by_role("option").all_inner_texts()} - {"Tất cả"}
    assert offered == HER_COMMUNES
    numbers = s.listed_numbers(page)
    total = s.whole_number(page.get_by_text(re.compile(r"^[\d.]+ kết quả$")).inner_text())
    assert number in numbers
    assert not {n for _, n in elsewhere} & set(numbers)
    # every case she is shown is in one of her communes: her communes' counts add up to the whole list
    per_commune = [
        s.filter_cases(liaison, f"her cases in {name}", {"Xã/phường/đặc khu": name})[0]
        for name in sorted(HER_COMMUNES)
    ]
    assert sum(per_commune) == total, (per_commune, total)
    count, found = s.filter_cases(
        liaison,
        "searched another commune's case",
        {"Xã/phường/đặc khu": "Tất cả", "Tìm kiếm": elsewhere_number},
    )
    assert (count, found) == (0, [])

    # --- elsewhere: the refusal page -----------------------------------------------------------------------
    with liaison.answer_expected(403):
        response = page.goto(f"/cases/{elsewhere_id}")
        assert response is not None and response.status == 403
        expect(page.get_by_role("heading", level=1)).to_have_text(s.REFUSED)
        liaison.see("another commune's case refused")
        response = page.goto(f"/cases/{elsewhere_id}/edit")
        assert response is not None and response.status == 403
        liaison.see("another commune's case edit refused")
        response = page.goto("/reports/annual")
        assert response is not None and response.status == 403
        liaison.see("annual report refused")
    # the navigation offers neither the review queue nor the report
    liaison.nav("Trang chủ")
    liaison.see("home again")
    navbar = page.get_by_role("navigation").first
    expect(navbar.get_by_role("link", name=re.compile(r"^Duyệt"))).to_have_count(0)
    expect(navbar.get_by_role("link", name="Báo cáo năm")).to_have_count(0)
