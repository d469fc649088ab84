"""Error pages, language switch, the layout and security basics of the pages."""

from __future__ import annotations


def test_404_page_is_vietnamese(client, make_user, login):
    login(make_user())
    resp = client.get("/khong-co-trang-nay")
    assert resp.status_code == 404
    assert "Không tìm thấy trang" in resp.get_data(as_text=True)


def test_405_page(client):
    resp = client.get("/logout")
    assert resp.status_code == 405
    assert "Không được phép" in resp.get_data(as_text=True)


def test_500_page_shows_no_trace_and_rolls_back(database_url, make_app):
    app = make_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": database_url})

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internal detail SELECT * FROM user_account")

    resp = app.test_client().get("/boom")
    assert resp.status_code == 500
    html = resp.get_data(as_text=True)
    assert "Đã xảy ra lỗi" in html
    assert "secret internal detail" not in html and "Traceback" not in html and "SELECT" not in html


def test_database_down_gives_a_clean_page_even_for_a_signed_in_user(
    app, client, make_app, make_user, login, tmp_path
):
    """The error page itself needs the database (the user's language, the navigation): when it is down, a
    plain Vietnamese page still answers, with no trace or SQL."""
    login(make_user())
    cookie = client.get_cookie("session")
    assert cookie is not None
    down = make_app(
        {
            "TESTING": True,
            "SECRET_KEY": app.config["SECRET_KEY"],
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'missing' / 'gone.db'}",
            "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        }
    )
    other = down.test_client()
    other.set_cookie("session", cookie.value)
    resp = other.get("/cases/")
    assert resp.status_code in {500, 503}
    html = resp.get_data(as_text=True)
    # it says what is true: what was sent may not be saved (it used to claim nothing was lost, issue 15)
    assert "Đã xảy ra lỗi" in html and "Những gì bạn vừa gửi có thể chưa được lưu" in html
    assert "không bị mất" not in html
    assert "Traceback" not in html and "sqlite" not in html.lower() and "SELECT" not in html


def test_switch_to_english_and_back(client, make_user, login):
    login(make_user())
    resp = client.post("/language/en", data={"next": "/"}, follow_redirects=True)
    html = resp.get_data(as_text=True)
    assert 'lang="en"' in html and "Sign out" in html
    resp = client.post("/language/vi", data={"next": "https://evil.example/"})
    assert resp.headers["Location"] == "/"
    assert "Đăng xuất" in client.get("/").get_data(as_text=True)


def test_home_shows_role_and_dashboard(client, make_user, login):
    login(make_user("lanhdao", "manager", full_name="Phạm Lãnh Đạo"))
    html = client.get("/").get_data(as_text=True)
    assert "Lãnh đạo" in html and 'data-testid="dashboard-figures"' in html
    assert 'data-testid="count-communes"' not in html  # reference data counts are the administrator's
    assert "Người dùng" not in html  # the admin menu is for administrators only


def test_admin_home_shows_reference_counts(client, make_user, login):
    login(make_user("quantri", "admin"))
    assert 'data-testid="count-communes">102<' in client.get("/").get_data(as_text=True)


def test_admin_sees_user_menu(client, make_user, login):
    login(make_user("quantri", "admin"))
    assert 'href="/admin/users"' in client.get("/").get_data(as_text=True)


def test_liaison_home_lists_their_communes(client, make_user, login):
    login(make_user("daumoi", "liaison", communes=("30307",)))
    assert "Phường Long Xuyên" in client.get("/").get_data(as_text=True)


def test_assets_are_served_locally(client):
    html = client.get("/login").get_data(as_text=True)
    assert "cdn" not in html.lower() and "https://" not in html
    for asset in (
        "vendor/bootstrap/bootstrap.min.css",
        "vendor/bootstrap/bootstrap.bundle.min.js",
        "js/app.js",
    ):
        resp = client.get(f"/static/{asset}")
        assert resp.status_code == 200 and len(resp.data) > 100
        resp.close()


def test_login_form_requires_csrf_token(database_url, make_app):
    app = make_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": database_url})
    client = app.test_client()
    resp = client.post("/login", data={"username": "a", "password": "b"})
    assert resp.status_code == 400
    assert "Biểu mẫu đã hết hạn" in resp.get_data(as_text=True)
