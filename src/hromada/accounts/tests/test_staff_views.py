from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from hromada.accounts.factories import (
    EmploymentFactory,
    PositionFactory,
    StaffFactory,
    staff_with_role,
)
from hromada.accounts.models import OrgUnit, RoleAssignment, Substitution, User
from hromada.accounts.roles import Role
from hromada.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def viewed(person: User) -> int:
    return AuditEvent.objects.filter(
        action="accounts.user.viewed", object_id=str(person.pk)
    ).count()


# --- organisation ------------------------------------------------------------------------------
def test_org_tree_shows_units_in_collapsible_sections(login, city):
    client = login(staff_with_role(Role.EXECUTOR, city.a1))
    response = client.get(reverse("accounts:org_tree"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<details" in html
    assert "Відділ A1" in html
    assert "Департамент B" in html
    assert reverse("accounts:unit_create") not in html  # an executor creates nothing


def test_org_tree_is_closed_to_citizens(login):
    client = login(StaffFactory(is_staff=False))
    assert client.get(reverse("accounts:org_tree")).status_code == 403


def test_org_tree_sends_anonymous_visitors_to_login(client):
    response = client.get(reverse("accounts:org_tree"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_org_tree_query_count_does_not_grow_with_units(
    login, city_admin, city, django_assert_max_num_queries
):
    for branch in range(4):  # 40 more units: four branches ten levels deep
        parent = city.a1
        for level in range(10):
            parent = OrgUnit.objects.create(
                code=f"D{branch}-{level}", name="Рівень", kind="sector", parent=parent
            )
    client = login(city_admin)
    client.get(reverse("accounts:org_tree"))  # warm up: sessions, content types
    with django_assert_max_num_queries(8):
        response = client.get(reverse("accounts:org_tree"))
    assert response.status_code == 200


def test_staff_navigation_lists_organisation_and_people(login, city):
    client = login(staff_with_role(Role.EXECUTOR, city.a1))
    html = client.get(reverse("staff_home")).content.decode()
    assert reverse("accounts:org_tree") in html
    assert reverse("accounts:people_list") in html
    assert reverse("accounts:org_import") not in html


def test_unit_detail_shows_positions_and_current_staff(login, city):
    client = login(staff_with_role(Role.EXECUTOR, city.b))
    response = client.get(reverse("accounts:unit_detail", args=[city.a1.pk]))
    assert response.status_code == 200
    assert city.in_a1.full_name in response.content.decode()
    # An executor may not open cards: names are not links.
    assert reverse("accounts:person_detail", args=[city.in_a1.pk]) not in response.content.decode()


def test_unit_detail_links_staff_for_the_head_of_the_unit(login, city):
    client = login(staff_with_role(Role.HEAD, city.a))
    html = client.get(reverse("accounts:unit_detail", args=[city.a1.pk])).content.decode()
    assert reverse("accounts:person_detail", args=[city.in_a1.pk]) in html


def test_unit_create_under_a_parent(login, city_admin, city):
    client = login(city_admin)
    response = client.post(
        reverse("accounts:unit_create"),
        {"parent": city.a.pk, "code": "A9", "name": "Сектор 9", "kind": "sector", "order": 3},
    )
    unit = OrgUnit.objects.get(code="A9")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:unit_detail", args=[unit.pk])
    assert unit.parent == city.a


def test_unit_create_with_a_taken_code_shows_the_error_next_to_the_field(login, city_admin, city):
    client = login(city_admin)
    response = client.post(
        reverse("accounts:unit_create"), {"code": "a", "name": "X", "kind": "sector", "order": 0}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Підрозділ з кодом «a» вже існує." in html
    assert 'id="id_code-error"' in html
    assert 'aria-describedby="id_code-hint id_code-error"' in html


def test_unit_create_at_top_level_is_refused_to_a_unit_administrator(login, city):
    client = login(staff_with_role(Role.ADMIN, city.a))
    response = client.post(
        reverse("accounts:unit_create"), {"code": "T", "name": "X", "kind": "other", "order": 0}
    )
    assert response.status_code == 400
    assert "Недостатньо прав" in response.content.decode()
    assert not OrgUnit.objects.filter(code="T").exists()


def test_unit_edit_is_forbidden_outside_the_administrators_unit(login, city):
    client = login(staff_with_role(Role.ADMIN, city.a))
    assert client.get(reverse("accounts:unit_edit", args=[city.b.pk])).status_code == 403
    assert client.get(reverse("accounts:unit_edit", args=[city.a1.pk])).status_code == 200


def test_unit_edit_saves_changes(login, city_admin, city):
    client = login(city_admin)
    response = client.post(
        reverse("accounts:unit_edit", args=[city.b.pk]),
        {"code": "B", "name": "Департамент Б", "kind": "department", "order": 0},
    )
    assert response.status_code == 302
    city.b.refresh_from_db()
    assert city.b.name == "Департамент Б"


def test_unit_move_under_its_own_subunit_is_refused(login, city_admin, city):
    client = login(city_admin)
    response = client.post(reverse("accounts:unit_move", args=[city.a.pk]), {"parent": city.a1.pk})
    assert response.status_code == 400  # not even offered as a choice
    city.a.refresh_from_db()
    assert city.a.parent is None


def test_unit_move_puts_the_unit_under_a_new_parent(login, city_admin, city):
    client = login(city_admin)
    response = client.post(reverse("accounts:unit_move", args=[city.a1.pk]), {"parent": city.b.pk})
    assert response.status_code == 302
    city.a1.refresh_from_db()
    assert city.a1.path.startswith(city.b.path)


def test_unit_deactivate_with_staff_shows_why_not(login, city_admin, city):
    client = login(city_admin)
    response = client.post(reverse("accounts:unit_deactivate", args=[city.a1.pk]), follow=True)
    assert "працівники на посадах" in response.content.decode()
    city.a1.refresh_from_db()
    assert city.a1.is_active


def test_position_create_adds_a_post(login, city_admin, city):
    client = login(city_admin)
    client.post(
        reverse("accounts:position_create", args=[city.b.pk]),
        {"title": "заступник директора", "is_head": "on", "order": 1},
    )
    assert city.b.positions.filter(title="заступник директора", is_head=True).exists()


def test_unit_name_with_markup_is_escaped(login, city_admin):
    unit = OrgUnit.objects.create(code="X", name="<script>alert('x')</script>", kind="other")
    client = login(city_admin)
    for url in (reverse("accounts:org_tree"), reverse("accounts:unit_detail", args=[unit.pk])):
        html = client.get(url).content.decode()
        assert "<script>alert(" not in html
        assert "&lt;script&gt;alert(" in html


# --- import ------------------------------------------------------------------------------------
def test_import_screen_shows_the_error_table_and_imports_nothing(login, city_admin):
    client = login(city_admin)
    upload = SimpleUploadedFile(
        "org.csv",
        "code,parent_code,kind,name\n01,,council,Рада\n01-1,01-99,division,Відділ\n".encode(),
    )
    response = client.post(reverse("accounts:org_import"), {"kind": "units", "file": upload})
    assert response.status_code == 400
    html = response.content.decode()
    assert "невідомий батьківський підрозділ «01-99»" in html
    assert "Нічого не імпортовано" in html
    assert not OrgUnit.objects.filter(code="01").exists()


def test_import_screen_reports_the_result(login, city_admin):
    client = login(city_admin)
    upload = SimpleUploadedFile("org.csv", "code,kind,name\n01,council,Рада\n".encode())
    response = client.post(reverse("accounts:org_import"), {"kind": "units", "file": upload})
    assert response.status_code == 200
    assert "Створено: 1" in response.content.decode()


def test_import_screen_is_forbidden_to_a_unit_administrator(login, city):
    client = login(staff_with_role(Role.ADMIN, city.a))
    assert client.get(reverse("accounts:org_import")).status_code == 403


# --- people ------------------------------------------------------------------------------------
def test_people_list_finds_by_surname_in_any_case(login, city):
    person = StaffFactory(surname="Ґонта", given_name="Іван")
    client = login(staff_with_role(Role.EXECUTOR, city.a))
    html = client.get(reverse("accounts:people_list"), {"q": "ґонта"}).content.decode()
    assert person.full_name in html
    assert city.in_b.full_name not in html


def test_people_list_finds_by_phone_for_those_who_see_contacts(login, city, city_admin):
    person = StaffFactory(surname="Дзюба", phone="+380 (56) 123-45-67")
    client = login(city_admin)
    html = client.get(reverse("accounts:people_list"), {"q": "1234567"}).content.decode()
    assert person.full_name in html


def test_people_list_does_not_find_by_email_of_people_whose_contacts_are_hidden(login, city):
    client = login(staff_with_role(Role.EXECUTOR, city.a))
    html = client.get(reverse("accounts:people_list"), {"q": city.in_b.email}).content.decode()
    assert city.in_b.full_name not in html


def test_people_list_hides_contacts_outside_the_heads_units(login, city):
    client = login(staff_with_role(Role.HEAD, city.a))
    html = client.get(reverse("accounts:people_list")).content.decode()
    assert city.in_a1.email in html
    assert city.in_b.full_name in html
    assert city.in_b.email not in html


def test_people_list_query_count_does_not_grow_with_people(
    login, city_admin, django_assert_max_num_queries
):
    for _ in range(30):
        EmploymentFactory()
    client = login(city_admin)
    client.get(reverse("accounts:people_list"))  # warm up: sessions, content types
    with django_assert_max_num_queries(11):
        response = client.get(reverse("accounts:people_list"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 31


def test_people_list_paginates(login, city_admin):
    for _ in range(30):
        StaffFactory()
    client = login(city_admin)
    response = client.get(reverse("accounts:people_list"), {"page": 2})
    assert len(response.context["rows"]) == 31 - 25


def test_person_detail_is_audited(login, city):
    head = staff_with_role(Role.HEAD, city.a)
    client = login(head)
    response = client.get(reverse("accounts:person_detail", args=[city.in_a1.pk]))
    assert response.status_code == 200
    assert city.in_a1.email in response.content.decode()
    event = AuditEvent.objects.get(action="accounts.user.viewed", object_id=str(city.in_a1.pk))
    assert event.actor_id == head.pk


def test_person_detail_of_someone_in_another_unit_is_not_found_and_not_audited(login, city):
    client = login(staff_with_role(Role.HEAD, city.a))
    response = client.get(reverse("accounts:person_detail", args=[city.in_b.pk]))
    assert response.status_code == 404
    assert viewed(city.in_b) == 0


def test_person_detail_of_a_missing_id_is_not_found(login, city):
    client = login(staff_with_role(Role.HEAD, city.a))
    assert client.get(reverse("accounts:person_detail", args=[999999])).status_code == 404


def test_person_create_makes_a_staff_member_and_emails_a_link(
    login, city_admin, city, immediate_tasks, django_capture_on_commit_callbacks
):
    client = login(city_admin)
    position = PositionFactory(unit=city.b)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:person_create"),
            {
                "surname": "Кравець",
                "given_name": "Ярослав",
                "patronymic": "",
                "email": "kravets@rada.example",
                "phone": "",
                "position": position.pk,
            },
        )
    person = User.objects.get(email="kravets@rada.example")
    assert response["Location"] == reverse("accounts:person_detail", args=[person.pk])
    assert person.employments.get().position == position
    assert mail.outbox[0].to == ["kravets@rada.example"]
    assert "http://testserver/accounts/password/reset/key/" in mail.outbox[0].body


def test_person_create_with_a_duplicate_email_changes_nothing(login, city_admin, city):
    client = login(city_admin)
    response = client.post(
        reverse("accounts:person_create"),
        {"surname": "Кравець", "given_name": "Ярослав", "email": city.in_a.email.upper()},
    )
    assert response.status_code == 400
    assert "вже існує" in response.content.decode()
    assert User.objects.filter(surname="Кравець").count() == 0


def test_person_create_rejects_markup_in_a_name(login, city_admin):
    client = login(city_admin)
    response = client.post(
        reverse("accounts:person_create"),
        {"surname": "<script>x</script>", "given_name": "Ярослав", "email": "x@rada.example"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ім&#x27;я може містити лише літери" in html
    assert "<script>x</script>" not in html
    assert not User.objects.filter(email="x@rada.example").exists()


def test_person_create_rejects_a_ten_megabyte_name(login, city_admin):
    client = login(city_admin)
    response = client.post(
        reverse("accounts:person_create"),
        {"surname": "Я" * 5_000_000, "given_name": "Ярослав", "email": "x@rada.example"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Не більше 100 знаків." in html
    assert len(html) < 100_000
    assert not User.objects.filter(email="x@rada.example").exists()


def test_person_edit_updates_personal_data(login, city_admin, city):
    client = login(city_admin)
    response = client.post(
        reverse("accounts:person_edit", args=[city.in_a.pk]),
        {
            "surname": "Нове",
            "given_name": city.in_a.given_name,
            "patronymic": "",
            "email": city.in_a.email,
            "phone": "+380 67 111 22 33",
            "preferred_language": "en",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    city.in_a.refresh_from_db()
    assert (city.in_a.surname, city.in_a.phone) == ("Нове", "+380 67 111 22 33")


def test_role_assign_form_gives_a_role(login, city_admin, city):
    client = login(city_admin)
    client.post(
        reverse("accounts:role_assign", args=[city.in_a.pk]),
        {"role": "controller", "unit": city.a.pk, "include_subunits": "on"},
    )
    assert RoleAssignment.objects.filter(user=city.in_a, role="controller", unit=city.a).exists()


def test_role_assign_form_refuses_a_duplicate_citywide_role(login, city_admin, city):
    RoleAssignment.objects.create(user=city.in_a, role=Role.EDITOR)
    client = login(city_admin)
    response = client.post(reverse("accounts:role_assign", args=[city.in_a.pk]), {"role": "editor"})
    assert response.status_code == 400
    assert "вже надана" in response.content.decode()


def test_role_revoke_button_takes_the_role_away(login, city_admin, city):
    assignment = RoleAssignment.objects.create(user=city.in_a, role=Role.EDITOR)
    client = login(city_admin)
    client.post(reverse("accounts:role_revoke", args=[city.in_a.pk, assignment.pk]))
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_substitution_form_refuses_impossible_dates(login, city):
    head = staff_with_role(Role.HEAD, city.a)
    client = login(head)
    today = timezone.localdate()
    response = client.post(
        reverse("accounts:substitution_create", args=[city.in_a1.pk]),
        {
            "substitute": city.in_a.pk,
            "start": (today + timedelta(days=5)).isoformat(),
            "end": today.isoformat(),
        },
    )
    assert response.status_code == 400
    assert "раніше дати початку" in response.content.decode()
    assert not Substitution.objects.exists()


def test_substitution_form_refuses_a_nonexistent_date(login, city):
    client = login(staff_with_role(Role.HEAD, city.a))
    response = client.post(
        reverse("accounts:substitution_create", args=[city.in_a1.pk]),
        {"substitute": city.in_a.pk, "start": "2025-02-30", "end": "2025-03-01"},
    )
    assert response.status_code == 400
    assert not Substitution.objects.exists()


def test_substitution_form_creates_and_cancel_removes(login, city):
    client = login(staff_with_role(Role.HEAD, city.a))
    today = timezone.localdate()
    client.post(
        reverse("accounts:substitution_create", args=[city.in_a1.pk]),
        {
            "substitute": city.in_a.pk,
            "start": (today + timedelta(days=1)).isoformat(),
            "end": (today + timedelta(days=3)).isoformat(),
            "reason": "відпустка",
        },
    )
    substitution = Substitution.objects.get(absent=city.in_a1)
    client.post(reverse("accounts:substitution_cancel", args=[city.in_a1.pk, substitution.pk]))
    assert not Substitution.objects.exists()


def test_substitution_form_is_not_found_for_a_person_of_another_unit(login, city):
    client = login(staff_with_role(Role.HEAD, city.a))
    response = client.get(reverse("accounts:substitution_create", args=[city.in_b.pk]))
    assert response.status_code == 404


def test_employment_start_and_end_through_the_card(login, city_admin, city):
    client = login(city_admin)
    position = PositionFactory(unit=city.b)
    client.post(
        reverse("accounts:employment_start", args=[city.in_a.pk]),
        {"position": position.pk, "start": timezone.localdate().isoformat()},
    )
    employment = city.in_a.employments.get(position=position)
    client.post(reverse("accounts:employment_end", args=[city.in_a.pk, employment.pk]))
    employment.refresh_from_db()
    assert employment.end == timezone.localdate()
