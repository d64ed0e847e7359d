from __future__ import annotations

import pytest
from django.urls import reverse
from drf_spectacular.validation import validate_schema
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hromada.accounts.factories import StaffFactory, staff_with_role
from hromada.accounts.models import OrgUnit, Position, RoleAssignment, User
from hromada.accounts.roles import Role
from hromada.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    def as_user(user: User) -> APIClient:
        client = APIClient()
        token = Token.objects.create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return as_user


def viewed(person: User) -> int:
    return AuditEvent.objects.filter(
        action="accounts.user.viewed", object_id=str(person.pk)
    ).count()


# --- schema ------------------------------------------------------------------------------------
def test_openapi_schema_is_valid(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    assert "/api/v1/org-units/tree/" in schema["paths"]
    assert "/api/v1/people/{id}/" in schema["paths"]


# --- units ---------------------------------------------------------------------------------------
def test_units_need_authentication():
    response = APIClient().get("/api/v1/org-units/")
    assert response.status_code in (401, 403)
    assert "detail" in response.json()


def test_units_list_filters_by_parent(api, city):
    client = api(staff_with_role(Role.EXECUTOR, city.b))
    response = client.get("/api/v1/org-units/", {"parent": city.a.pk})
    assert response.status_code == 200
    assert [u["code"] for u in response.json()["results"]] == ["A1"]
    roots = client.get("/api/v1/org-units/", {"parent": "root"}).json()["results"]
    assert {u["code"] for u in roots} >= {"A", "B"}


def test_units_list_refuses_a_non_numeric_parent(api, city):
    client = api(staff_with_role(Role.EXECUTOR, city.b))
    response = client.get("/api/v1/org-units/", {"parent": "x"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"parent": ["Очікується ціле число."]}


def test_units_tree_nests_children(api, city):
    client = api(staff_with_role(Role.EXECUTOR, city.b))
    tree = client.get("/api/v1/org-units/tree/").json()
    a = next(node for node in tree if node["code"] == "A")
    assert [child["code"] for child in a["children"]] == ["A1"]


def test_units_are_closed_to_citizens(api):
    client = api(StaffFactory(is_staff=False))
    assert client.get("/api/v1/org-units/").status_code == 403


def test_unit_create_by_an_administrator(api, city_admin, city):
    client = api(city_admin)
    response = client.post(
        "/api/v1/org-units/",
        {"code": "A7", "name": "Сектор 7", "kind": "sector", "parent": city.a.pk},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["path"].startswith(city.a.path)
    assert AuditEvent.objects.filter(action="orgunit.created").exists()


def test_unit_create_errors_are_ukrainian_field_messages(api, city_admin):
    client = api(city_admin)
    response = client.post(
        "/api/v1/org-units/", {"code": "X" * 31, "kind": "castle"}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Перевірте введені дані."
    assert body["errors"]["kind"] == ["Невідомий вид підрозділу «castle»."]
    assert body["errors"]["code"] == ["Не більше 30 знаків."]
    assert body["errors"]["name"] == ["Це поле обов'язкове."]


def test_unit_create_with_a_taken_code_names_the_field(api, city_admin, city):
    response = api(city_admin).post(
        "/api/v1/org-units/", {"code": "A", "name": "X", "kind": "sector"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"code": ["Підрозділ з кодом «A» вже існує."]}


def test_unit_create_is_refused_to_staff_without_the_admin_role(api, city):
    client = api(staff_with_role(Role.HEAD, city.a))
    response = client.post(
        "/api/v1/org-units/", {"code": "Z", "name": "X", "kind": "sector"}, format="json"
    )
    assert response.status_code == 403
    assert not OrgUnit.objects.filter(code="Z").exists()


def test_unit_create_under_another_unit_is_refused_to_a_unit_administrator(api, city):
    client = api(staff_with_role(Role.ADMIN, city.a))
    response = client.post(
        "/api/v1/org-units/",
        {"code": "Z", "name": "X", "kind": "sector", "parent": city.b.pk},
        format="json",
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "Недостатньо прав для цієї дії."


def test_unit_update_is_refused_outside_the_administrators_unit(api, city):
    client = api(staff_with_role(Role.ADMIN, city.a))
    response = client.patch(f"/api/v1/org-units/{city.b.pk}/", {"name": "Y"}, format="json")
    assert response.status_code == 403
    city.b.refresh_from_db()
    assert city.b.name == "Департамент B"


def test_unit_partial_update_changes_only_given_fields(api, city_admin, city):
    response = api(city_admin).patch(
        f"/api/v1/org-units/{city.b.pk}/", {"short_name": "ДБ"}, format="json"
    )
    assert response.status_code == 200
    city.b.refresh_from_db()
    assert (city.b.short_name, city.b.name) == ("ДБ", "Департамент B")


def test_unit_move_under_its_own_subunit_is_refused(api, city_admin, city):
    response = api(city_admin).post(
        f"/api/v1/org-units/{city.a.pk}/move/", {"parent": city.a1.pk}, format="json"
    )
    assert response.status_code == 400
    assert "підпорядкованого" in response.json()["errors"]["parent"][0]


def test_unit_name_with_markup_comes_back_as_text(api, city_admin):
    name = '<img src=x onerror="alert(1)">'
    response = api(city_admin).post(
        "/api/v1/org-units/", {"code": "H", "name": name, "kind": "other"}, format="json"
    )
    assert response.json()["name"] == name
    assert response["Content-Type"] == "application/json"


# --- positions ---------------------------------------------------------------------------------
def test_positions_filter_by_unit(api, city):
    client = api(staff_with_role(Role.EXECUTOR, city.b))
    rows = client.get("/api/v1/positions/", {"unit": city.a1.pk}).json()["results"]
    assert [r["id"] for r in rows] == list(
        Position.objects.filter(unit=city.a1).values_list("pk", flat=True)
    )


# --- people --------------------------------------------------------------------------------------
def test_people_list_shows_contacts_only_where_permitted(api, city):
    head = staff_with_role(Role.HEAD, city.a)
    rows = {r["id"]: r for r in api(head).get("/api/v1/people/").json()["results"]}
    assert rows[city.in_a1.pk]["email"] == city.in_a1.email
    assert "email" not in rows[city.in_b.pk]
    assert "phone" not in rows[city.in_b.pk]
    assert rows[city.in_b.pk]["positions"][0]["unit_code"] == "B"


def test_people_list_records_whose_contacts_were_shown(api, city):
    head = staff_with_role(Role.HEAD, city.a)
    api(head).get("/api/v1/people/")
    event = AuditEvent.objects.get(action="accounts.user.listed")
    assert city.in_a1.pk in event.data["ids"]
    assert city.in_b.pk not in event.data["ids"]


def test_people_list_for_an_executor_shows_no_contacts_and_records_nothing(api, city):
    executor = staff_with_role(Role.EXECUTOR, city.a)
    rows = api(executor).get("/api/v1/people/").json()["results"]
    assert all("email" not in r for r in rows if r["id"] != executor.pk)
    assert not AuditEvent.objects.filter(action="accounts.user.listed").exists()


def test_person_detail_is_audited(api, city):
    head = staff_with_role(Role.HEAD, city.a)
    response = api(head).get(f"/api/v1/people/{city.in_a1.pk}/")
    assert response.status_code == 200
    assert response.json()["email"] == city.in_a1.email
    assert viewed(city.in_a1) == 1


def test_person_detail_of_someone_in_another_unit_is_not_found_and_not_audited(api, city):
    head = staff_with_role(Role.HEAD, city.a)
    response = api(head).get(f"/api/v1/people/{city.in_b.pk}/")
    assert response.status_code == 404
    assert viewed(city.in_b) == 0


def test_person_detail_of_a_missing_id_is_not_found(api, city):
    response = api(staff_with_role(Role.HEAD, city.a)).get("/api/v1/people/999999/")
    assert response.status_code == 404


def test_staff_create_by_an_administrator(api, city_admin, city):
    position = Position.objects.filter(unit=city.b).first()
    response = api(city_admin).post(
        "/api/v1/people/",
        {
            "email": "new@rada.example",
            "surname": "Олійник",
            "given_name": "Марта",
            "position": position.pk,
            "roles": [{"role": "executor", "unit": city.b.pk}, {"role": "editor"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    person = User.objects.get(email="new@rada.example")
    assert response.json()["id"] == person.pk
    assert set(RoleAssignment.objects.filter(user=person).values_list("role", "unit")) == {
        ("executor", city.b.pk),
        ("editor", None),
    }


def test_staff_create_with_a_duplicate_email_changes_nothing(api, city_admin, city):
    response = api(city_admin).post(
        "/api/v1/people/",
        {"email": city.in_a.email, "surname": "Олійник", "given_name": "Марта"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "email": [f"Користувач з e-mail «{city.in_a.email}» вже існує."]
    }
    assert not User.objects.filter(surname="Олійник").exists()


def test_staff_create_rejects_markup_in_names(api, city_admin):
    response = api(city_admin).post(
        "/api/v1/people/",
        {"email": "x@rada.example", "surname": "<script>", "given_name": "Марта"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["surname"] == [
        "Ім'я може містити лише літери, апостроф, дефіс і пробіл."
    ]


def test_staff_create_rejects_a_ten_megabyte_name(api, city_admin):
    response = api(city_admin).post(
        "/api/v1/people/",
        {"email": "x@rada.example", "surname": "Я" * 10_000_000, "given_name": "Марта"},
        format="json",
    )
    assert response.status_code in (400, 413)
    assert "detail" in response.json()
    assert len(response.content) < 10_000
    assert not User.objects.filter(email="x@rada.example").exists()


def test_staff_create_rejects_a_long_name_under_the_body_limit(api, city_admin):
    response = api(city_admin).post(
        "/api/v1/people/",
        {"email": "x@rada.example", "surname": "Я" * 101, "given_name": "Марта"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["surname"] == ["Не більше 100 знаків."]


def test_staff_create_is_forbidden_to_a_head(api, city):
    response = api(staff_with_role(Role.HEAD, city.a)).post(
        "/api/v1/people/",
        {"email": "x@rada.example", "surname": "Олійник", "given_name": "Марта"},
        format="json",
    )
    assert response.status_code == 403


def test_people_list_query_count_is_bounded(api, city_admin, django_assert_max_num_queries):
    for _ in range(30):
        StaffFactory()
    client = api(city_admin)
    client.get(reverse("person-list"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("person-list"))
    assert response.json()["count"] >= 31
