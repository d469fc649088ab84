"""Numbers typed into a URL that no database column can hold (ids, years, pages, revisions) give a page or
a 404, never a 500: ``<int:…>`` routes and whole-number query arguments are bounded to an INTEGER column
(``inspect_app/params.py``), and a list's page number to a page that can exist."""

from __future__ import annotations

import pytest

BIG = "9223372036854775808"  # 2**63: beyond SQLite's integers, and PostgreSQL's INTEGER and BIGINT


@pytest.mark.parametrize(
    ("url", "status"),
    [
        (f"/cases/{BIG}", 404),
        (f"/cases/{2**31}", 404),  # just past an INTEGER column
        (f"/establishments/{BIG}", 404),
        (f"/reports/annual/{BIG}", 404),
        (f"/cases/new/inspection?follow_up_of={BIG}", 200),
        (f"/cases/new/inspection?establishment_id={BIG}", 200),
        (f"/api/v1/ecommerce/earlier?url=0&exclude={BIG}", 200),
        (f"/?year={BIG}", 200),
        (f"/reports/annual/2026?revision={BIG}", 200),
        (f"/cases/?page={BIG}", 200),
        (f"/cases/?page={2**31}", 200),
        (f"/establishments/?page={BIG}", 200),
        (f"/review/?page={BIG}", 200),
        (f"/review/overdue?page={BIG}", 200),
        (f"/activities/?page={BIG}", 200),
    ],
)
def test_numbers_too_big_for_the_database_are_not_a_server_error(client, make_user, login, url, status):
    login(make_user("lanhdao1", "manager"))
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)


def test_a_page_number_too_big_for_the_database_on_the_accounts_list(client, make_user, login):
    login(make_user("quantri1", "admin"))
    response = client.get(f"/admin/users?page={BIG}")
    assert response.status_code == 200
    assert "quantri1" in response.get_data(as_text=True)  # the first page, listed
