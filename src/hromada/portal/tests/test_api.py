from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from hromada.accounts.factories import OrgUnitFactory, staff_with_role
from hromada.accounts.roles import Role
from hromada.core.models import AuditEvent
from hromada.portal.factories import BuildingPassportFactory, ResourceFactory, ResourceObjectFactory
from hromada.portal.models import ResourceObject

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings: Any) -> None:
    settings.HROMADA_MFA_ENFORCED = False


def test_anyone_reads_rubrics_resources_objects_and_passports() -> None:
    obj = ResourceObjectFactory()
    BuildingPassportFactory()
    api = APIClient()
    assert api.get("/api/v1/portal/rubrics/").json()["count"] == 1
    resource = api.get(f"/api/v1/portal/resources/{obj.resource.slug}/").json()
    assert resource["attribute_schema"][0]["name"] == "open_sunday"
    objects = api.get("/api/v1/portal/objects/", {"resource": obj.resource.slug}).json()
    assert objects["results"][0]["attributes"]["open_sunday"] is True
    passports = api.get("/api/v1/portal/passports/", {"q": "шевченка"}).json()
    assert passports["count"] == 1


def test_object_list_takes_constant_queries(django_assert_max_num_queries: Any) -> None:
    resource = ResourceFactory()
    ResourceObjectFactory.create_batch(20, resource=resource)
    # Two for the page (count, rows); the rest is the anonymous rate limit in the cache.
    with django_assert_max_num_queries(8):
        APIClient().get("/api/v1/portal/objects/")


def test_search_endpoint_finds_a_word_in_another_case() -> None:
    obj = ResourceObjectFactory(name="Бібліотека-філія № 4")
    data = APIClient().get("/api/v1/portal/search/", {"q": "бібліотеці"}).json()
    assert data["objects"]["items"][0]["id"] == obj.pk


def test_search_endpoint_serialises_objects_with_their_resource() -> None:
    obj = ResourceObjectFactory(name="Бібліотека-філія № 4")
    item = APIClient().get("/api/v1/portal/search/", {"q": "бібліотека"}).json()["objects"]
    assert item["items"][0]["resource"] == obj.resource.slug
    assert item["items"][0]["attributes"]["open_sunday"] is True


def test_search_endpoint_says_whether_passports_were_counted_to_the_cap(monkeypatch: Any) -> None:
    from hromada.portal import selectors

    BuildingPassportFactory.create_batch(22, street="вул. Миру")
    monkeypatch.setattr(selectors, "PASSPORT_COUNT_CAP", 21)
    data = APIClient().get("/api/v1/portal/search/", {"q": "миру"}).json()
    assert (data["passports"]["total"], data["passports"]["more"]) == (21, True)


def test_staff_of_the_owner_unit_creates_an_object() -> None:
    unit = OrgUnitFactory()
    resource = ResourceFactory(unit=unit)
    api = APIClient()
    api.force_authenticate(staff_with_role(Role.EDITOR, unit))
    response = api.post(
        "/api/v1/portal/objects/",
        {
            "resource": resource.slug,
            "name": "Аптека",
            "address": "вул. Миру, 1",
            "latitude": 47.9,
            "longitude": 33.4,
            "attributes": {"ownership": "приватна"},
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert AuditEvent.objects.filter(action="portal.object.created").exists()


def test_bad_attribute_through_the_api_is_a_400_with_a_ukrainian_message() -> None:
    unit = OrgUnitFactory()
    obj = ResourceObjectFactory(resource=ResourceFactory(unit=unit))
    api = APIClient()
    api.force_authenticate(staff_with_role(Role.EDITOR, unit))
    response = api.patch(
        f"/api/v1/portal/objects/{obj.pk}/",
        {"attributes": {"ownership": "невідома"}},
        format="json",
    )
    assert response.status_code == 400
    assert "Форма власності" in str(response.json())


def test_staff_of_another_unit_may_not_change_an_object() -> None:
    obj = ResourceObjectFactory()
    api = APIClient()
    api.force_authenticate(staff_with_role(Role.EDITOR, OrgUnitFactory()))
    response = api.patch(f"/api/v1/portal/objects/{obj.pk}/", {"phone": "1"}, format="json")
    assert response.status_code == 403
    assert api.delete(f"/api/v1/portal/objects/{obj.pk}/").status_code == 403
    assert ResourceObject.objects.filter(pk=obj.pk, phone="").exists()


def test_anonymous_visitor_may_not_write() -> None:
    obj = ResourceObjectFactory()
    response = APIClient().delete(f"/api/v1/portal/objects/{obj.pk}/")
    assert response.status_code in (401, 403)
    assert ResourceObject.objects.filter(pk=obj.pk).exists()


def test_editor_changes_a_passport_and_adds_a_repair() -> None:
    passport = BuildingPassportFactory()
    api = APIClient()
    api.force_authenticate(staff_with_role(Role.EDITOR, OrgUnitFactory()))
    response = api.patch(
        f"/api/v1/portal/passports/{passport.pk}/",
        {"manager_name": "ОСББ «Нове»", "energy_class": "C"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["manager_name"] == "ОСББ «Нове»"
    repair = api.post(
        f"/api/v1/portal/passports/{passport.pk}/repairs/",
        {"year": 2021, "kind": "заміна ліфтів", "cost": "1500000.00"},
        format="json",
    )
    assert repair.status_code == 201, repair.json()
    assert passport.repairs.count() == 1
    assert AuditEvent.objects.filter(action="portal.passport.repair_added").exists()


def test_passport_with_a_clashing_address_is_a_400() -> None:
    one = BuildingPassportFactory()
    other = BuildingPassportFactory()
    api = APIClient()
    api.force_authenticate(staff_with_role(Role.EDITOR, OrgUnitFactory()))
    response = api.patch(
        f"/api/v1/portal/passports/{other.pk}/", {"number": one.number}, format="json"
    )
    assert response.status_code == 400
    assert "вже існує" in str(response.json())


def test_staff_without_the_editor_role_may_not_change_a_passport() -> None:
    passport = BuildingPassportFactory()
    api = APIClient()
    api.force_authenticate(staff_with_role(Role.EXECUTOR, OrgUnitFactory()))
    response = api.patch(
        f"/api/v1/portal/passports/{passport.pk}/", {"energy_class": "A"}, format="json"
    )
    assert response.status_code == 403
    passport.refresh_from_db()
    assert passport.energy_class == ""


def test_passport_with_an_unknown_heating_code_is_a_400() -> None:
    passport = BuildingPassportFactory()
    api = APIClient()
    api.force_authenticate(staff_with_role(Role.EDITOR, OrgUnitFactory()))
    response = api.patch(
        f"/api/v1/portal/passports/{passport.pk}/", {"heating": "вогнище"}, format="json"
    )
    assert response.status_code == 400
    passport.refresh_from_db()
    assert passport.heating == "central"
