from __future__ import annotations

import pytest

from hromada.accounts.factories import OrgUnitFactory
from hromada.portal.demo import load_demo_portal
from hromada.portal.models import BuildingPassport, Resource, ResourceObject, Rubric
from hromada.portal.search import matches, query_terms

pytestmark = pytest.mark.django_db


def test_demo_has_15_rubrics_167_resources_and_the_asked_objects() -> None:
    OrgUnitFactory(code="VK")
    message = load_demo_portal(objects=1000, passports=120)
    assert message is not None
    assert Rubric.objects.count() == 15
    assert Resource.objects.count() == 167
    assert ResourceObject.objects.count() == 1000
    assert BuildingPassport.objects.count() == 120


def test_demo_is_deterministic_and_searchable() -> None:
    OrgUnitFactory(code="VK")
    load_demo_portal(objects=400, passports=10)
    first = list(ResourceObject.objects.order_by("pk").values_list("name", "latitude")[:50])
    assert ResourceObject.objects.filter(matches(query_terms("аптеки"))).exists()
    ResourceObject.objects.all().delete()
    BuildingPassport.objects.all().delete()
    Resource.objects.all().delete()
    Rubric.objects.all().delete()
    load_demo_portal(objects=400, passports=10)
    again = list(ResourceObject.objects.order_by("pk").values_list("name", "latitude")[:50])
    assert first == again


def test_demo_loads_once() -> None:
    OrgUnitFactory(code="VK")
    assert load_demo_portal(objects=200, passports=5) is not None
    assert load_demo_portal(objects=200, passports=5) is None
    assert ResourceObject.objects.count() == 200


def test_demo_needs_the_demo_city() -> None:
    assert load_demo_portal(objects=10, passports=1) is None
    assert not Rubric.objects.exists()


def test_every_demo_point_lies_in_the_city() -> None:
    from hromada.portal.services import in_city

    OrgUnitFactory(code="VK")
    load_demo_portal(objects=500, passports=50)
    points = list(ResourceObject.objects.values_list("latitude", "longitude"))
    points += list(BuildingPassport.objects.values_list("latitude", "longitude"))
    assert all(in_city(lat, lon) for lat, lon in points)
