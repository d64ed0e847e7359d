"""Bad input to the organisation and people: refused with a Ukrainian message, nothing changes."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hromada.accounts import services
from hromada.accounts.factories import StaffFactory
from hromada.accounts.importing import import_units
from hromada.accounts.models import OrgUnit, Substitution, User
from hromada.core.exceptions import ApplicationError
from hromada.core.models import AuditEvent

pytestmark = pytest.mark.django_db

TEN_MB = 10 * 1024 * 1024


def test_a_ten_megabyte_unit_name_is_refused_by_the_service(city_admin):
    with pytest.raises(ApplicationError) as exc:
        services.orgunit_create(actor=city_admin, code="X", name="ю" * TEN_MB, kind="other")
    assert exc.value.field == "name"
    assert "300" in exc.value.message
    assert not OrgUnit.objects.filter(code="X").exists()
    assert not AuditEvent.objects.filter(action="orgunit.created").exists()


def test_a_ten_megabyte_surname_is_refused_by_the_service(city_admin):
    with pytest.raises(ApplicationError, match="Не більше 100 знаків"):
        services.user_create_staff(
            actor=city_admin, email="x@rada.example", surname="Я" * TEN_MB, given_name="Ія"
        )
    assert not User.objects.filter(email="x@rada.example").exists()


def test_a_ten_megabyte_unit_name_in_the_form_is_not_echoed(login, city_admin):
    response = login(city_admin).post(
        reverse("accounts:unit_create"),
        {"code": "X", "name": "ю" * 4_000_000, "kind": "other", "order": 0},
    )
    assert response.status_code == 400
    assert len(response.content) < 200_000
    assert "Не більше 300 знаків." in response.content.decode()


def test_a_person_name_with_markup_is_refused_by_the_service(city_admin):
    with pytest.raises(ApplicationError) as exc:
        services.user_create_staff(
            actor=city_admin,
            email="x@rada.example",
            surname='"><img src=x onerror=alert(1)>',
            given_name="Ія",
        )
    assert exc.value.field == "surname"


def test_a_unit_name_with_markup_is_escaped_in_the_people_list(login, city_admin, city):
    services.orgunit_update(actor=city_admin, unit=city.a1, name="<b>жирний</b>")
    html = login(city_admin).get(reverse("accounts:people_list")).content.decode()
    assert "<b>жирний</b>" not in html
    assert "&lt;b&gt;жирний&lt;/b&gt;" in html


def test_markup_from_an_imported_file_is_escaped_in_the_error_table(login, city_admin):
    upload = SimpleUploadedFile(
        "org.csv", 'code,kind,name\nX,"<script>alert(1)</script>",Назва\n'.encode()
    )
    response = login(city_admin).post(
        reverse("accounts:org_import"), {"kind": "units", "file": upload}
    )
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_duplicate_email_differing_only_in_case_is_refused(city_admin):
    StaffFactory(email="olena@rada.example")
    with pytest.raises(ApplicationError, match="вже існує"):
        services.user_create_staff(
            actor=city_admin, email="OLENA@rada.example", surname="Коваль", given_name="Олена"
        )
    assert User.objects.filter(email__iexact="olena@rada.example").count() == 1


def test_changing_an_email_to_a_taken_one_is_refused(city_admin, city):
    with pytest.raises(ApplicationError, match="вже існує"):
        services.person_update(actor=city_admin, person=city.in_a, email=city.in_b.email)
    city.in_a.refresh_from_db()
    assert city.in_a.email == "worker-a@example.org"


def test_an_invalid_email_is_refused(city_admin):
    with pytest.raises(ApplicationError, match="правильну адресу") as exc:
        services.user_create_staff(
            actor=city_admin, email="not an email", surname="Коваль", given_name="Олена"
        )
    assert exc.value.field == "email"


def test_a_substitution_ending_before_it_starts_is_refused(city_admin, city):
    with pytest.raises(ApplicationError):
        services.substitution_create(
            actor=city_admin,
            absent=city.in_a,
            substitute=city.in_b,
            start=date(2099, 5, 10),
            end=date(2099, 5, 1),
        )
    assert not Substitution.objects.exists()


def test_a_substitution_longer_than_a_year_is_refused(city_admin, city):
    with pytest.raises(ApplicationError, match="довше за рік"):
        services.substitution_create(
            actor=city_admin,
            absent=city.in_a,
            substitute=city.in_b,
            start=date(2099, 1, 1),
            end=date(2101, 1, 1),
        )


def test_an_impossible_calendar_date_in_the_substitution_form_is_refused(login, city_admin, city):
    response = login(city_admin).post(
        reverse("accounts:substitution_create", args=[city.in_a.pk]),
        {"substitute": city.in_b.pk, "start": "2099-13-01", "end": "2099-02-30"},
    )
    assert response.status_code == 400
    assert not Substitution.objects.exists()


def test_a_csv_in_a_wrong_encoding_is_refused_with_advice(city_admin):
    data = "code,kind,name\n01,council,Міська рада\n".encode("cp1251")
    result = import_units(actor=city_admin, data=data, filename="org.csv")
    assert "UTF-8" in result.errors[0].message
    assert not OrgUnit.objects.exists()


def test_a_csv_without_required_columns_is_refused(city_admin):
    result = import_units(actor=city_admin, data=b"code;name\n01;X\n", filename="org.csv")
    assert [str(e) for e in result.errors] == ["Рядок 1: бракує стовпців: kind."]


def test_a_binary_file_named_csv_is_refused(city_admin):
    result = import_units(actor=city_admin, data=b"\x00\x01\x02code", filename="org.csv")
    assert not result.ok
    assert not OrgUnit.objects.exists()


def test_a_csv_with_an_unclosed_quote_reports_the_line(city_admin):
    data = 'code,kind,name\n01,council,"Рада\n'.encode()
    result = import_units(actor=city_admin, data=data, filename="org.csv")
    assert [str(e) for e in result.errors] == [
        "Рядок 2: рядок CSV пошкоджений (незакрита або зайва лапка)."
    ]
    assert not OrgUnit.objects.exists()
