from __future__ import annotations

from typing import Any

import pytest

from hromada.portal import selectors
from hromada.portal.cache import current_stamp
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


def test_search_counts_passports_up_to_the_cap_then_says_more(monkeypatch: Any) -> None:
    BuildingPassportFactory.create_batch(4, street="вул. Миру")
    monkeypatch.setattr(selectors, "PASSPORT_COUNT_CAP", 2)
    results = portal_search("миру", limit=2)
    assert (len(results.passports), results.passports_total) == (2, 2)
    assert results.passports_more
    assert results.total_more


def test_search_counts_passports_exactly_up_to_the_cap(monkeypatch: Any) -> None:
    BuildingPassportFactory.create_batch(3, street="вул. Миру")
    monkeypatch.setattr(selectors, "PASSPORT_COUNT_CAP", 3)
    results = portal_search("миру", limit=2)
    assert (results.passports_total, results.passports_more) == (3, False)


def test_search_objects_carry_their_resource_without_more_queries(
    django_assert_max_num_queries: Any,
) -> None:
    shelters = ResourceFactory(name="Укриття", slug="ukryttia")
    for i in range(5):
        ResourceObjectFactory(resource=shelters, name=f"Укриття № {i + 1}")
    current_stamp()  # the portal stamp is made once, not by every search
    # Resources, objects' facets and page, objects, passports, matched resources (SQLite: the
    # facets and the page are two queries).
    with django_assert_max_num_queries(6):
        results = portal_search("укриття")
        assert [(o.resource.name, o.resource.slug) for o in results.objects] == [
            ("Укриття", "ukryttia")
        ] * 5
        assert [r.slug for r in results.resources] == ["ukryttia"]
        assert results.resources[0].rubric.name == shelters.rubric.name


def test_search_passports_are_listed_by_address() -> None:
    BuildingPassportFactory(street="вул. Миру", number="2")
    BuildingPassportFactory(street="вул. Миру", number="10")
    results = portal_search("миру")
    assert [p.address for p in results.passports] == [
        "вул. Миру, 2",
        "вул. Миру, 10",
    ]


def test_search_by_several_words_counts_facets_and_lists_in_name_order() -> None:
    pharmacies = ResourceFactory()
    ResourceObjectFactory(resource=pharmacies, name="Аптека № 10", address="вул. Миру, 1")
    ResourceObjectFactory(resource=pharmacies, name="Аптека № 2", address="вул. Миру, 3")
    ResourceObjectFactory(resource=pharmacies, name="Аптека № 1", address="вул. Лісова, 1")
    ResourceObjectFactory(
        resource=pharmacies, name="Аптека № 3", address="вул. Миру, 5", district="ING"
    )
    results = portal_search("аптеки Миру", limit=2)
    assert results.objects_total == 3
    assert [o.name for o in results.objects] == ["Аптека № 2", "Аптека № 3"]
    assert {f["district"]: f["n"] for f in results.facets_district} == {"TSM": 2, "ING": 1}
