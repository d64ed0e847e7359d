from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from hromada.accounts.factories import OrgUnitFactory, staff_with_role
from hromada.accounts.roles import Role
from hromada.portal.factories import (
    BuildingPassportFactory,
    ResourceFactory,
    ResourceObjectFactory,
    RubricFactory,
)
from hromada.portal.models import BuildingRepair, ResourceObject

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings: Any) -> None:
    """Staff here sign in without TOTP (the MFA flow is tested in accounts)."""
    settings.HROMADA_MFA_ENFORCED = False


def test_home_is_the_portal_and_keeps_the_url_name_home(client: Client) -> None:
    RubricFactory(name="Освіта")
    response = client.get(reverse("home"))
    assert reverse("home") == "/"
    assert response.status_code == 200
    assert "Освіта" in response.content.decode()
    assert 'action="/search/"' in response.content.decode()


def test_catalogue_lists_rubrics_and_resources_in_constant_queries(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    for _ in range(3):
        rubric = RubricFactory()
        for _ in range(3):
            ResourceObjectFactory(resource=ResourceFactory(rubric=rubric))
    # Computed and stored in the (database) cache, whatever the number of rows; the whole
    # page is cached too (portal/cache.py), so the second visit is the portal stamp and the
    # page read.
    with django_assert_max_num_queries(34):
        client.get(reverse("portal:catalogue"))
    with django_assert_max_num_queries(3):
        response = client.get(reverse("portal:catalogue"))
    assert response.content.decode().count('href="/resources/resource-') == 9


def test_catalogue_shows_a_new_count_after_a_write(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    from hromada.portal.services import resource_object_create

    resource = ResourceFactory()
    client.get(reverse("portal:catalogue"))
    data = {"name": "А", "address": "Б", "attributes": {"ownership": "приватна"}}
    # Cached pages are invalidated when the write commits.
    with django_capture_on_commit_callbacks(execute=True):
        resource_object_create(resource_id=resource.pk, data=data, actor=None)
    assert "(1)" in client.get(reverse("portal:catalogue")).content.decode()


def test_resource_page_lists_objects_in_constant_queries(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    resource = ResourceFactory()
    ResourceObjectFactory.create_batch(30, resource=resource)
    # Resource, count, rows, the fragment cache write, then the page cache's stamp and write
    # (each database-cache write is a few queries; none depends on the number of rows).
    with django_assert_max_num_queries(24):
        response = client.get(resource.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('href="/objects/') == 30
    with django_assert_max_num_queries(3):  # the portal stamp and the cached page
        again = client.get(resource.get_absolute_url())
    table = response.content.decode().split("<table")[1]
    assert again.content.decode().split("<table")[1] == table


def test_resource_page_filters_by_boolean_attribute_and_district(client: Client) -> None:
    resource = ResourceFactory()
    ResourceObjectFactory(resource=resource, name="Недільна", attributes={"open_sunday": True})
    ResourceObjectFactory(resource=resource, name="Будня", attributes={"open_sunday": False})
    ResourceObjectFactory(
        resource=resource, name="Інша", district="ING", attributes={"open_sunday": True}
    )
    body = client.get(
        resource.get_absolute_url(), {"a_open_sunday": "1", "district": "TSM"}
    ).content.decode()
    assert "Недільна" in body
    assert "Будня" not in body
    assert "Інша" not in body


def test_resource_page_with_unknown_filter_values_shows_everything(client: Client) -> None:
    resource = ResourceFactory()
    ResourceObjectFactory(resource=resource, name="Аптека")
    response = client.get(
        resource.get_absolute_url(), {"district": "XXX", "a_open_sunday": "maybe", "page": "x"}
    )
    assert response.status_code == 200
    assert "Аптека" in response.content.decode()


def test_points_json_holds_the_filtered_points(client: Client) -> None:
    resource = ResourceFactory()
    obj = ResourceObjectFactory(resource=resource, attributes={"open_sunday": True})
    ResourceObjectFactory(resource=resource, attributes={"open_sunday": False})
    ResourceObjectFactory(resource=resource, latitude=None, longitude=None)
    points = json.loads(
        client.get(
            reverse("portal:resource_points", kwargs={"slug": resource.slug}),
            {"a_open_sunday": "1"},
        ).content
    )
    assert points == [[obj.pk, 47.91, 33.39, obj.name]]


def test_points_are_recomputed_after_a_write(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    from hromada.portal.services import resource_object_delete

    resource = ResourceFactory()
    obj = ResourceObjectFactory(resource=resource)
    url = reverse("portal:resource_points", kwargs={"slug": resource.slug})
    assert len(json.loads(client.get(url).content)) == 1
    # The points are page-cached under the portal stamp, renewed when the write commits.
    with django_capture_on_commit_callbacks(execute=True):
        resource_object_delete(object_id=obj.pk, actor=None)
    assert json.loads(client.get(url).content) == []


def test_object_page_links_to_an_appeal_prefilled_with_the_address(client: Client) -> None:
    obj = ResourceObjectFactory(address="вул. Шевченка, 7")
    body = client.get(obj.get_absolute_url()).content.decode()
    assert "/appeals/new/?address=%D0%B2%D1%83%D0%BB." in body
    assert "Повідомити про проблему тут" in body
    assert "Працює в неділю" in body


def test_html_in_object_fields_is_escaped(client: Client) -> None:
    obj = ResourceObjectFactory(name="<script>alert(1)</script>")
    body = client.get(obj.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_building_search_finds_a_building_by_address(client: Client) -> None:
    passport = BuildingPassportFactory(street="вул. Шевченка", number="12")
    body = client.get(reverse("portal:buildings"), {"q": "Шевченка 12"}).content.decode()
    assert passport.get_absolute_url() in body


def test_building_page_shows_manager_repairs_and_an_appeal_link(client: Client) -> None:
    passport = BuildingPassportFactory(manager_name="ОСББ «Затишок»")
    BuildingRepair.objects.create(passport=passport, year=2019, kind="покрівля", cost=100000)
    body = client.get(passport.get_absolute_url()).content.decode()
    assert "ОСББ «Затишок»" in body
    assert "покрівля" in body
    assert "/appeals/new/?address=" in body


def test_search_groups_results_by_type_and_highlights_words(client: Client) -> None:
    ResourceObjectFactory(name="Будинок культури")
    BuildingPassportFactory(street="вул. Будинкова", number="1")
    body = client.get(reverse("portal:search"), {"q": "будинку"}).content.decode()
    assert 'id="results-objects"' in body
    assert "<mark>Будинок</mark> культури" in body


def test_search_escapes_html_in_the_query_and_results(client: Client) -> None:
    ResourceObjectFactory(name="<b>аптека</b>")
    body = client.get(reverse("portal:search"), {"q": '<"аптека">'}).content.decode()
    assert '<"аптека">' not in body
    assert "<b>" not in body.split('id="results-objects"')[1]


def test_search_with_a_huge_query_answers(client: Client) -> None:
    response = client.get(reverse("portal:search"), {"q": "будинок " * 1300})
    assert response.status_code == 200


def test_search_json_returns_grouped_results(client: Client) -> None:
    obj = ResourceObjectFactory(name="Аптека № 1")
    data = client.get(reverse("portal:search_json"), {"q": "аптеки"}).json()
    assert data["objects"]["items"][0]["id"] == obj.pk


def test_search_facet_by_rubric_limits_the_objects(client: Client) -> None:
    one = ResourceObjectFactory(name="Аптека А")
    other = ResourceObjectFactory(name="Аптека Б")
    body = client.get(
        reverse("portal:search"), {"q": "аптека", "rubric": one.resource.rubric.slug}
    ).content.decode()
    results = body.split('id="results-objects"')[1]
    assert one.get_absolute_url() in results
    assert other.get_absolute_url() not in results


def test_search_says_more_than_the_cap_of_passports(client: Client, monkeypatch: Any) -> None:
    from hromada.portal import selectors

    BuildingPassportFactory.create_batch(25, street="вул. Миру")
    monkeypatch.setattr(selectors, "PASSPORT_COUNT_CAP", 21)
    body = client.get(reverse("portal:search"), {"q": "миру"}).content.decode()
    assert "Житлові будинки (понад 21)" in body
    assert "Знайдено понад 21 результатів" in body


def test_search_json_says_whether_passports_were_counted_to_the_cap(
    client: Client, monkeypatch: Any
) -> None:
    from hromada.portal import selectors

    BuildingPassportFactory.create_batch(25, street="вул. Миру")
    monkeypatch.setattr(selectors, "PASSPORT_COUNT_CAP", 21)
    data = client.get(reverse("portal:search_json"), {"q": "миру"}).json()
    assert (data["passports"]["total"], data["passports"]["more"]) == (21, True)
    assert len(data["passports"]["items"]) == 20


# --- Import --------------------------------------------------------------------------------


def _upload(text: str, name: str = "objects.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_staff_of_the_owner_unit_imports_a_csv(client: Client) -> None:
    unit = OrgUnitFactory()
    resource = ResourceFactory(unit=unit)
    client.force_login(staff_with_role(Role.EXECUTOR, unit))
    response = client.post(
        reverse("portal:resource_import", kwargs={"slug": resource.slug}),
        {"file": _upload("name,address,ownership\nАптека,вул. 1,приватна\n")},
    )
    assert response.status_code == 302
    assert ResourceObject.objects.filter(resource=resource).count() == 1


def test_import_with_errors_shows_the_lines_and_writes_nothing(client: Client) -> None:
    unit = OrgUnitFactory()
    resource = ResourceFactory(unit=unit)
    client.force_login(staff_with_role(Role.EXECUTOR, unit))
    response = client.post(
        reverse("portal:resource_import", kwargs={"slug": resource.slug}),
        {"file": _upload("name,address,ownership\nА,вул. 1,приватна\nБ,вул. 2,якась\n")},
    )
    assert response.status_code == 400
    assert "Рядок 3" in response.content.decode()
    assert not ResourceObject.objects.exists()


def test_import_of_a_wrong_file_type_is_refused(client: Client) -> None:
    unit = OrgUnitFactory()
    resource = ResourceFactory(unit=unit)
    client.force_login(staff_with_role(Role.EXECUTOR, unit))
    response = client.post(
        reverse("portal:resource_import", kwargs={"slug": resource.slug}),
        {"file": _upload("MZ", "virus.exe")},
    )
    assert response.status_code == 400
    assert "CSV і XLSX" in response.content.decode()


def test_staff_of_another_unit_may_not_import(client: Client) -> None:
    resource = ResourceFactory()
    client.force_login(staff_with_role(Role.EXECUTOR, OrgUnitFactory()))
    response = client.get(reverse("portal:resource_import", kwargs={"slug": resource.slug}))
    assert response.status_code == 403


def test_anonymous_visitor_is_sent_to_login_for_import(client: Client) -> None:
    resource = ResourceFactory()
    response = client.get(reverse("portal:resource_import", kwargs={"slug": resource.slug}))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_resource_list_near_a_point_is_ordered_by_distance(client: Client) -> None:
    resource = ResourceFactory()
    ResourceObjectFactory(resource=resource, name="Далека", latitude=48.0, longitude=33.4)
    ResourceObjectFactory(resource=resource, name="Близька", latitude=47.911, longitude=33.39)
    body = client.get(resource.get_absolute_url(), {"near": "47.91,33.39"}).content.decode()
    assert body.index("Близька") < body.index("Далека")
    assert "Відстань, м" in body
    assert ">111<" in body  # 0.001° of latitude


def test_a_point_outside_the_city_or_garbage_is_ignored(client: Client) -> None:
    resource = ResourceFactory()
    ResourceObjectFactory(resource=resource, name="Аптека")
    for near in ("50.45,30.52", "abc", "1,2,3", ""):
        response = client.get(resource.get_absolute_url(), {"near": near})
        assert response.status_code == 200
        assert "Відстань, м" not in response.content.decode()


# --- Staff: add and edit objects ----------------------------------------------------------


def test_staff_of_the_owner_unit_edits_an_object_and_its_attributes(client: Client) -> None:
    unit = OrgUnitFactory()
    obj = ResourceObjectFactory(resource=ResourceFactory(unit=unit))
    client.force_login(staff_with_role(Role.EDITOR, unit))
    url = reverse("portal:object_edit", kwargs={"pk": obj.pk})
    form = client.get(url)
    assert form.status_code == 200
    data = dict(form.context["form"].initial)
    data.update({"phone": "(056) 123-45-67", "attr_open_sunday": "ні", "attr_staff": "7"})
    response = client.post(url, data)
    assert response.status_code == 302
    obj.refresh_from_db()
    assert obj.phone == "(056) 123-45-67"
    assert obj.attributes == {"open_sunday": False, "staff": 7, "ownership": "комунальна"}


def test_editing_with_coordinates_outside_the_city_shows_the_error(client: Client) -> None:
    unit = OrgUnitFactory()
    obj = ResourceObjectFactory(resource=ResourceFactory(unit=unit))
    client.force_login(staff_with_role(Role.EDITOR, unit))
    url = reverse("portal:object_edit", kwargs={"pk": obj.pk})
    data = dict(client.get(url).context["form"].initial)
    data.update({"latitude": "50.45", "longitude": "30.52"})
    response = client.post(url, data)
    assert response.status_code == 400
    assert "поза межами міста" in response.content.decode()
    obj.refresh_from_db()
    assert obj.latitude == 47.91


def test_staff_adds_an_object_to_a_resource(client: Client) -> None:
    unit = OrgUnitFactory()
    resource = ResourceFactory(unit=unit)
    client.force_login(staff_with_role(Role.EDITOR, unit))
    response = client.post(
        reverse("portal:object_add", kwargs={"slug": resource.slug}),
        {"name": "Нова аптека", "address": "вул. Миру, 1", "attr_ownership": "приватна"},
    )
    assert response.status_code == 302
    assert ResourceObject.objects.get(resource=resource).name == "Нова аптека"


def test_staff_of_another_unit_may_not_edit(client: Client) -> None:
    obj = ResourceObjectFactory()
    client.force_login(staff_with_role(Role.EDITOR, OrgUnitFactory()))
    response = client.get(reverse("portal:object_edit", kwargs={"pk": obj.pk}))
    assert response.status_code == 403
