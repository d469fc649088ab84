"""Accounts in the domain and on the command line."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cases.accounts import permissions
from cases.accounts import users as accounts
from cases.db import db
from cases.errors import ValidationFailed
from cases.models import User


def test_passwords_are_hashed(app_ctx):
    user, _ = accounts.create_user(username="a.b", full_name="A B", role="inspector", password="Matkhau-2026")
    assert user.password_hash != "Matkhau-2026" and "Matkhau" not in user.password_hash
    assert user.check_password("Matkhau-2026") and not user.check_password("matkhau-2026")


def test_generated_passwords_meet_the_policy():
    for _ in range(50):
        assert accounts.check_password_policy(accounts.generate_password()) is None


def test_user_names_are_unique_without_regard_to_case(app_ctx):
    accounts.create_user(username="Nam.Le", full_name="Nam", role="inspector")
    with pytest.raises(ValidationFailed) as exc:
        accounts.create_user(username="nam.le", full_name="Nam 2", role="inspector")
    assert exc.value.code == "username_taken"


def test_liaison_communes_must_exist(app_ctx):
    with pytest.raises(ValidationFailed) as exc:
        accounts.create_user(username="lien", full_name="L", role="liaison", commune_codes=["99999"])
    assert exc.value.code == "unknown_commune"


def test_the_last_admin_stays(app_ctx):
    admin, _ = accounts.create_user(username="admin", full_name="A", role="admin")
    with pytest.raises(ValidationFailed) as exc:
        accounts.set_active(admin, active=False)
    assert exc.value.code == "last_admin"
    other, _ = accounts.create_user(username="admin2", full_name="B", role="admin")
    accounts.set_active(admin, active=False, actor=other)
    assert admin.active is False


def test_permissions_by_role(app_ctx):
    liaison, _ = accounts.create_user(username="lien", full_name="L", role="liaison", commune_codes=["30307"])
    manager, _ = accounts.create_user(username="ld1", full_name="M", role="manager")
    admin, _ = accounts.create_user(username="qt1", full_name="Q", role="admin")
    inspector, _ = accounts.create_user(username="kt1", full_name="K", role="inspector")
    assert permissions.commune_scope(liaison) == {"30307"}
    assert permissions.can_see_commune(liaison, "30307") and not permissions.can_see_commune(liaison, "30742")
    for user in (manager, admin, inspector):
        assert permissions.commune_scope(user) is None
    assert permissions.can_manage_users(admin)
    assert not any(permissions.can_manage_users(u) for u in (liaison, manager, inspector, None))
    liaison.active = False
    assert not permissions.is_signed_in(liaison) and permissions.commune_scope(liaison) == set()


def test_cli_create_user_with_generated_password(app, runner):
    result = runner.invoke(args=["create-user", "lanhdao1", "--role", "manager", "--name", "Võ Lãnh Đạo"])
    assert result.exit_code == 0, result.output
    password = result.output.split("Password: ")[1].strip()
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "lanhdao1"))
        assert user.role == "manager" and user.full_name == "Võ Lãnh Đạo" and user.check_password(password)


def test_cli_create_liaison_with_communes(app, runner):
    result = runner.invoke(
        args=[
            "create-user",
            "daumoi",
            "--role",
            "liaison",
            "--password",
            "Xa-Phuong-2026",
            "--commune",
            "30307",
            "--commune",
            "30742",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Password" not in result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "daumoi"))
        assert sorted(c.code for c in user.communes) == ["30307", "30742"]


def test_cli_refuses_bad_input_cleanly(runner):
    result = runner.invoke(args=["create-user", "x", "--role", "inspector"])
    assert result.exit_code != 0 and "username_length" in result.output
    result = runner.invoke(args=["create-user", "lien2", "--role", "liaison"])
    assert result.exit_code != 0 and "liaison_needs_commune" in result.output
    result = runner.invoke(args=["create-user", "vai", "--role", "boss"])
    assert result.exit_code != 0


def test_ensure_admin_creates_the_first_admin_once(app, runner):
    result = runner.invoke(args=["ensure-admin"])
    assert result.exit_code == 0 and "user name: admin" in result.output
    password = result.output.split("password:")[1].split()[0]
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        assert admin.role == "admin" and admin.check_password(password)
    again = runner.invoke(args=["ensure-admin"])
    assert again.exit_code == 0 and "already exists" in again.output and "password" not in again.output


def test_production_hashes_with_scrypt(app_ctx, monkeypatch):
    from cases.models import user as user_model

    monkeypatch.setattr(user_model, "PASSWORD_HASH_METHOD", "scrypt")
    user, _ = accounts.create_user(
        username="scrypt.user", full_name="S", role="inspector", password="Matkhau-2026"
    )
    assert user.password_hash.startswith("scrypt:") and user.check_password("Matkhau-2026")
