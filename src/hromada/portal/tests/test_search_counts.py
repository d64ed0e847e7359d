"""The objects' word counts kept on write, and the one-word search that reads them."""

from __future__ import annotations

from typing import Any

import pytest

from hromada.accounts.factories import OrgUnitFactory
from hromada.portal.cache import portal_changed
from hromada.portal.demo import load_demo_portal
from hromada.portal.factories import ResourceFactory, ResourceObjectFactory, RubricFactory
from hromada.portal.models import ObjectWordCount, Resource, ResourceObject
from hromada.portal.search import query_terms, word_filter
from hromada.portal.search_counts import recounted, stored_counts
from hromada.portal.selectors import portal_search
from hromada.portal.services import (
    ImportRejected,
    resource_object_create,
    resource_object_delete,
    resource_object_update,
    resource_objects_import,
)
from hromada.portal.tests.test_services import VALID  # the services tests' valid object

pytestmark = pytest.mark.django_db


def _search(q: str, **kwargs: Any) -> Any:
    """Search as a visitor would after the writes (the portal stamp has changed)."""
    portal_changed()
    return portal_search(q, **kwargs)


def _expected(q: str, district: str = "", resource_ids: list[int] | None = None) -> list[str]:
    """The matching objects' names in page order, read from the objects themselves."""
    found = ResourceObject.objects.filter(word_filter(query_terms(q)))
    if district:
        found = found.filter(district=district)
    if resource_ids is not None:
        found = found.filter(resource_id__in=resource_ids)
    return list(found.order_by("sort_key", "pk").values_list("name", flat=True))


def test_creating_an_object_counts_each_of_its_words_once() -> None:
    resource = ResourceFactory()
    obj = resource_object_create(
        resource_id=resource.pk,
        data={**VALID, "name": "Аптека аптека № 7"},
        actor=None,
    )
    counts = stored_counts()
    assert counts[("аптека", resource.pk, "TSM")] == 1
    assert counts[("", resource.pk, "TSM")] == 1
    assert counts == recounted()
    assert _search("аптеки").objects == [obj]


def test_editing_an_object_moves_its_counts_to_the_new_words_and_district() -> None:
    resource = ResourceFactory()
    obj = resource_object_create(resource_id=resource.pk, data=VALID, actor=None)
    resource_object_create(resource_id=resource.pk, data=VALID, actor=None)
    resource_object_update(
        object_id=obj.pk, data={"name": "Поліклініка № 1", "district": "ING"}, actor=None
    )
    counts = stored_counts()
    assert counts == recounted()
    assert counts[("аптека", resource.pk, "TSM")] == 1
    assert counts[("поліклініка", resource.pk, "ING")] == 1
    results = _search("поліклініки")
    assert (results.objects_total, [f["district"] for f in results.facets_district]) == (
        1,
        ["ING"],
    )
    assert _search("аптека").objects_total == 1


def test_deleting_an_object_removes_counts_that_reach_zero() -> None:
    resource = ResourceFactory()
    obj = resource_object_create(resource_id=resource.pk, data=VALID, actor=None)
    resource_object_delete(object_id=obj.pk, actor=None)
    assert not ObjectWordCount.objects.exists()
    results = _search("аптека")
    assert (results.objects_total, results.objects, results.facets_rubric) == (0, [], [])


def test_importing_objects_counts_them() -> None:
    resource = ResourceFactory()
    ResourceObjectFactory(resource=resource, name="Аптека № 1")
    rows = [
        (2, {"name": "Аптека № 2", "address": "вул. Миру, 1", "ownership": "приватна"}),
        (3, {"name": "Аптека № 3", "address": "вул. Миру, 2", "ownership": "приватна"}),
    ]
    resource_objects_import(resource_id=resource.pk, rows=rows, replace=False, actor=None)
    assert stored_counts() == recounted()
    assert _search("аптеки").objects_total == 3


def test_importing_with_replace_counts_only_the_new_objects() -> None:
    resource = ResourceFactory()
    ResourceObjectFactory.create_batch(3, resource=resource, name="Укриття")
    rows = [(2, {"name": "Аптека № 2", "address": "вул. Миру, 1", "ownership": "приватна"})]
    resource_objects_import(resource_id=resource.pk, rows=rows, replace=True, actor=None)
    assert stored_counts() == recounted()
    assert _search("укриття").objects_total == 0
    assert _search("аптека").objects_total == 1


def test_a_refused_import_changes_no_count() -> None:
    resource = ResourceFactory()
    ResourceObjectFactory(resource=resource, name="Аптека № 1")
    before = stored_counts()
    rows = [(2, {"name": "Аптека № 2", "address": "вул. Миру, 1", "latitude": "10"})]
    with pytest.raises(ImportRejected):
        resource_objects_import(resource_id=resource.pk, rows=rows, replace=True, actor=None)
    assert stored_counts() == before == recounted()


def test_deleting_a_resource_deletes_its_counts() -> None:
    resource = ResourceFactory()
    ResourceObjectFactory(resource=resource)
    Resource.objects.filter(pk=resource.pk).delete()
    assert not ObjectWordCount.objects.exists()


def test_the_demo_loader_counts_its_objects() -> None:
    OrgUnitFactory(code="VK")
    load_demo_portal(objects=400, passports=5)
    assert stored_counts() == recounted()
    assert _search("укриття").objects_total == len(_expected("укриття"))


def test_a_term_starting_two_words_counts_an_object_having_both_once() -> None:
    # "аптека" starts "аптека" and "аптекарський": the counts would add the pharmacy twice
    # (3), so the matches are read instead.
    ResourceObjectFactory(name="Аптека № 1", address="вул. Аптекарська, 3")
    ResourceObjectFactory(name="Школа № 1", address="вул. Аптекарська, 5")
    results = _search("аптека")
    assert results.objects_total == 2
    assert [o.name for o in results.objects] == ["Аптека № 1", "Школа № 1"]
    assert _search("аптекарська").objects_total == 2


def test_one_word_search_gives_the_page_and_facets_of_the_matches() -> None:
    # A resource where every object has the word (read from its name index) and one where
    # only some have it (read by the word), in two districts and two rubrics.
    shelters = ResourceFactory(rubric=RubricFactory(slug="bezpeka"))
    schools = ResourceFactory(rubric=RubricFactory(slug="osvita"))
    for i in (12, 3, 7, 1):
        ResourceObjectFactory(resource=shelters, name=f"Укриття № {i}", district="TSM")
    ResourceObjectFactory(resource=shelters, name="Укриття № 5", district="ING")
    ResourceObjectFactory(resource=schools, name="Школа № 2 (укриття)", district="ING")
    ResourceObjectFactory(resource=schools, name="Школа № 4", district="ING")
    ResourceObjectFactory(resource=schools, name="Укриття школи № 9", district="TSM")
    results = _search("укриттям", limit=4)
    assert results.objects_total == 7
    assert [o.name for o in results.objects] == _expected("укриття")[:4]
    assert {f["district"]: f["n"] for f in results.facets_district} == {"TSM": 5, "ING": 2}
    assert {f["resource__rubric__slug"]: f["n"] for f in results.facets_rubric} == {
        "bezpeka": 5,
        "osvita": 2,
    }
    in_ing = _search("укриття", district="ING", limit=4)
    assert [o.name for o in in_ing.objects] == _expected("укриття", district="ING")
    in_schools = _search("укриття", rubric="osvita", limit=4)
    assert in_schools.objects_total == 2
    assert [o.name for o in in_schools.objects] == _expected("укриття", resource_ids=[schools.pk])


def test_a_resource_whose_word_is_only_in_one_district_is_not_read_whole() -> None:
    # Every object in TSM has the word, none in ING: the resource is not "fully matched".
    resource = ResourceFactory()
    ResourceObjectFactory(resource=resource, name="Укриття № 1", district="TSM")
    ResourceObjectFactory(resource=resource, name="Аптека № 1", district="ING")
    results = _search("укриття")
    assert (results.objects_total, [o.name for o in results.objects]) == (1, ["Укриття № 1"])
    in_tsm = _search("укриття", district="TSM")
    assert [o.name for o in in_tsm.objects] == ["Укриття № 1"]


def test_one_word_search_with_a_typo_uses_the_counts_of_the_stem() -> None:
    obj = ResourceObjectFactory(name="Поліклініка № 3")
    results = _search("поліклінікк")
    assert (results.objects_total, results.objects) == (1, [obj])


def test_one_word_search_without_any_match_finds_nothing() -> None:
    ResourceObjectFactory(name="Аптека № 1")
    results = _search("зоопарк")
    assert (results.objects_total, results.objects, results.facets_district) == (0, [], [])
