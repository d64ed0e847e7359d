from __future__ import annotations

import io
import sys

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

from hromada.accounts.factories import StaffFactory
from hromada.accounts.models import OrgUnit, RoleAssignment, User
from hromada.accounts.roles import Role
from hromada.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def run(*args: str, stdin: str | None = None, monkeypatch: pytest.MonkeyPatch | None = None) -> str:
    out = io.StringIO()
    if stdin is not None and monkeypatch is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_createstaff_creates_a_staff_member_with_roles(city):
    output = run(
        "createstaff",
        "--email",
        "Op@Example.org",
        "--surname",
        "Литвин",
        "--given-name",
        "Оксана",
        "--role",
        "operator:A",
        "--role",
        "controller",
    )
    user = User.objects.get(email="op@example.org")
    assert user.is_staff
    assert "op@example.org" in output
    assert set(RoleAssignment.objects.filter(user=user).values_list("role", "unit")) == {
        (Role.OPERATOR, city.a.pk),
        (Role.CONTROLLER, None),
    }


def test_createstaff_reads_the_password_from_stdin(monkeypatch):
    run(
        "createstaff",
        "--email",
        "a@example.org",
        "--surname",
        "Литвин",
        "--given-name",
        "Оксана",
        "--password-from-stdin",
        stdin="дуже-надійний-пароль-1\n",
        monkeypatch=monkeypatch,
    )
    assert User.objects.get(email="a@example.org").check_password("дуже-надійний-пароль-1")


def test_createstaff_refuses_a_duplicate_email_in_ukrainian():
    StaffFactory(email="a@example.org")
    with pytest.raises(CommandError, match="вже існує"):
        run("createstaff", "--email", "a@example.org", "--surname", "Б", "--given-name", "В")


def test_createstaff_refuses_an_unknown_role():
    with pytest.raises(CommandError, match="Unknown role"):
        run(
            "createstaff",
            "--email",
            "a@example.org",
            "--surname",
            "Б",
            "--given-name",
            "В",
            "--role",
            "king",
        )
    assert not User.objects.exists()


def test_token_create_prints_a_token_that_authenticates(client):
    user = StaffFactory(email="api@example.org")
    key = run("token", "create", "--user", "API@example.org").strip()
    assert Token.objects.get(user=user).key == key
    response = client.get("/api/v1/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="token.created", object_id=str(user.pk)).exists()


def test_token_revoke_deletes_the_token():
    user = StaffFactory(email="api@example.org")
    run("token", "create", "--user", "api@example.org")
    run("token", "revoke", "--user", "api@example.org")
    assert not Token.objects.filter(user=user).exists()


def test_token_for_an_unknown_user_fails():
    with pytest.raises(CommandError, match="No user"):
        run("token", "create", "--user", "nobody@example.org")


def test_import_org_imports_a_csv_file(tmp_path):
    path = tmp_path / "org.csv"
    path.write_text("code,kind,name\n01,council,Міська рада\n", encoding="utf-8")
    output = run("import_org", str(path))
    assert "1 created" in output
    assert OrgUnit.objects.filter(code="01").exists()


def test_import_org_lists_errors_and_fails(tmp_path):
    path = tmp_path / "org.csv"
    path.write_text("code,kind,name\n01,castle,Замок\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_org", str(path), stdout=io.StringIO(), stderr=err)
    assert "Рядок 2: невідомий вид підрозділу «castle»." in err.getvalue()
    assert not OrgUnit.objects.exists()


def test_import_org_staff_imports_people(tmp_path, city):
    path = tmp_path / "staff.csv"
    path.write_text(
        "email,surname,given_name,unit_code,position\nx@example.org,Бойко,Ірина,A,юрист\n",
        encoding="utf-8",
    )
    run("import_org", str(path), "--staff", "--no-invite")
    assert User.objects.get(email="x@example.org").employments.get().position.unit == city.a
