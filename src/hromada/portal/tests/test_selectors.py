from __future__ import annotations

import pytest

from hromada.portal.factories import (
    BuildingPassportFactory,
    ResourceFactory,
    ResourceObjectFactory,
    RubricFactory,
)
from hromada.portal.selectors import ObjectFilter, portal_search, resource_objects

pytestmark = pytest.mark.django_db


def test_search_facets_count_by_rubric_and_district() -> None:
    pharmacies = ResourceFactory(rubric=RubricFactory(name="Аптеки"))
    ResourceObjectFactory.create_batch(2, resource=pharmacies, name="Аптека", district="TSM")
    ResourceObjectFactory(resource=pharmacies, name="Аптека", district="ING")
    results = portal_search("аптеки")
    assert results.objects_total == 3
    assert [f["n"] for f in results.facets_rubric] == [3]
    assert {f["district"]: f["n"] for f in results.facets_district} == {"TSM": 2, "ING": 1}


def test_search_filtered_by_district_keeps_every_district_in_its_facet() -> None:
    ResourceObjectFactory(name="Аптека", district="TSM")
    ResourceObjectFactory(name="Аптека", district="ING")
    results = portal_search("аптека", district="ING")
    assert results.objects_total == 1
    assert [o.district for o in results.objects] == ["ING"]
    assert len(results.facets_district) == 2


def test_search_counts_passports_beyond_the_page() -> None:
    BuildingPassportFactory.create_batch(3, street="вул. Миру")
    results = portal_search("миру", limit=2)
    assert len(results.passports) == 2
    assert results.passports_total == 3


def test_search_by_type_shows_only_that_type() -> None:
    ResourceObjectFactory(name="Миру аптека")
    BuildingPassportFactory(street="вул. Миру")
    results = portal_search("миру", kind="passports")
    assert results.objects == []
    assert len(results.passports) == 1


def test_empty_filter_lists_a_resource_by_name() -> None:
    resource = ResourceFactory()
    ResourceObjectFactory(resource=resource, name="Б")
    ResourceObjectFactory(resource=resource, name="А")
    names = [o.name for o in resource_objects(resource, ObjectFilter())]
    assert names == ["А", "Б"]
