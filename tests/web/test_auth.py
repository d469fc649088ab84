from __future__ import annotations


def test_login_page_is_in_vietnamese(client):
    resp = client.get("/login")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "Đăng nhập" in html
    assert 'lang="vi"' in html


def test_anonymous_is_sent_to_login(client):
    resp = client.get("/")
    assert resp.status_code == 302
    assert "/login" in resp.headers["Location"]


def test_login_and_logout(client, make_user, login):
    user = make_user("nguyenvana", "inspector", full_name="Nguyễn Văn A")
    resp = login(user, follow=True)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "Nguyễn Văn A" in html
    assert "Thanh tra viên" in html or "Kiểm tra viên" in html
    resp = client.post("/logout", follow_redirects=True)
    assert "Bạn đã đăng xuất" in resp.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_wrong_password_is_refused_with_a_message(client, make_user, login):
    make_user("nguyenvanb")
    resp = login("nguyenvanb", password="sai-mat-khau-1")
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert "Sai tên đăng nhập hoặc mật khẩu" in html
    assert 'value="nguyenvanb"' in html  # what the user typed is kept
    assert client.get("/").status_code == 302


def test_deactivated_user_cannot_sign_in(client, make_user, login):
    make_user("daxoa", active=False)
    resp = login("daxoa")
    assert resp.status_code == 400
    assert "đã bị vô hiệu hóa" in resp.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_next_redirect_only_to_local_paths(client, make_user, login):
    user = make_user("nguyenvanc")
    resp = client.post(
        "/login?next=https://evil.example/steal",
        data={"username": user.username, "password": "Matkhau-2026"},
    )
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/"
    client.post("/logout")
    resp = client.post(
        "/login?next=/admin/users", data={"username": user.username, "password": "Matkhau-2026"}
    )
    assert resp.headers["Location"] == "/admin/users"


def test_user_changes_own_password(client, make_user, login):
    user = make_user("doimatkhau")
    login(user)
    page = client.get("/account")  # the form first, empty
    assert page.status_code == 200
    assert "Mật khẩu hiện tại" in page.get_data(as_text=True)
    resp = client.post(
        "/account",
        data={"current_password": "sai", "new_password": "Moi-2026-abc", "confirm": "Moi-2026-abc"},
    )
    assert resp.status_code == 400
    assert "Mật khẩu hiện tại không đúng" in resp.get_data(as_text=True)
    resp = client.post(
        "/account",
        data={"current_password": "Matkhau-2026", "new_password": "Moi-2026-abc", "confirm": "Moi-2026-xyz"},
    )
    assert resp.status_code == 400
    assert "Hai mật khẩu không khớp nhau" in resp.get_data(as_text=True)
    resp = client.post(
        "/account",
        data={"current_password": "Matkhau-2026", "new_password": "Moi-2026-abc", "confirm": "Moi-2026-abc"},
        follow_redirects=True,
    )
    assert "Đã đổi mật khẩu của bạn" in resp.get_data(as_text=True)
    client.post("/logout")
    assert login(user).status_code == 400
    assert login(user, password="Moi-2026-abc").status_code == 302
