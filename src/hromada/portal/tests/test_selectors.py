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


def test_search_filtered_by_rubric_lists_that_rubrics_objects_in_name_order() -> None:
    shops = ResourceFactory(rubric=RubricFactory(slug="torgivlia"))
    clinics = ResourceFactory(rubric=RubricFactory(slug="medytsyna"))
    ResourceObjectFactory(resource=shops, name="Аптека № 10")
    ResourceObjectFactory(resource=shops, name="Аптека № 2")
    ResourceObjectFactory(resource=clinics, name="Аптека № 1")
    results = portal_search("аптека", rubric="torgivlia")
    assert results.objects_total == 2
    assert [o.name for o in results.objects] == ["Аптека № 2", "Аптека № 10"]
    assert results.passports == []


def test_search_page_is_the_first_objects_in_name_order_across_resources() -> None:
    for i in range(6):
        ResourceObjectFactory(resource=ResourceFactory(), name=f"Укриття № {i + 1}")
    results = portal_search("укриття", limit=3)
    assert results.objects_total == 6
    assert [o.name for o in results.objects] == ["Укриття № 1", "Укриття № 2", "Укриття № 3"]
