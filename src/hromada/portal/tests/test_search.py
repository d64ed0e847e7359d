from __future__ import annotations

import pytest

from hromada.portal.factories import BuildingPassportFactory, ResourceObjectFactory
from hromada.portal.models import BuildingPassport, ResourceObject
from hromada.portal.search import matches, normalise, query_terms, word_filter

pytestmark = pytest.mark.django_db


def test_a_word_in_another_case_finds_its_dictionary_form() -> None:
    obj = ResourceObjectFactory(name="Будинок культури «Мир»")
    for query in ("будинку", "будинки", "Будинком"):
        assert list(ResourceObject.objects.filter(matches(query_terms(query)))) == [obj]


def test_all_query_words_must_match() -> None:
    ResourceObjectFactory(name="Аптека № 5", address="вул. Шевченка, 1")
    assert not ResourceObject.objects.filter(matches(query_terms("аптека Франка"))).exists()
    assert ResourceObject.objects.filter(matches(query_terms("аптеки Шевченка"))).exists()


def test_a_typo_in_a_long_word_still_finds_the_object() -> None:
    obj = ResourceObjectFactory(name="Поліклініка № 3")
    assert list(ResourceObject.objects.filter(matches(query_terms("поліклінікк")))) == [obj]


def test_passports_are_found_by_street_in_another_case_and_number() -> None:
    passport = BuildingPassportFactory(street="вул. Шевченка", number="12")
    BuildingPassportFactory(street="вул. Шевченка", number="14")
    found = BuildingPassport.objects.filter(matches(query_terms("Шевченку 12")))
    assert list(found) == [passport]


@pytest.mark.parametrize(
    "query", ['"; DROP TABLE x; --', "a OR b AND NOT c", "%_%", "(((", "ї" * 10_000, "", "  "]
)
def test_any_input_is_safe(query: str) -> None:
    ResourceObjectFactory()
    list(ResourceObject.objects.filter(matches(query_terms(query))))


def test_normalised_text_has_lemmas_between_spaces() -> None:
    assert normalise("Будинки", "вулиці") == " будинок вулиця "


@pytest.mark.parametrize(
    "query", ["a:* & !b | c", "''''", "пам''ятка'", "\\'", "<->", "'; SELECT 1; --", "ї" * 10_000]
)
def test_any_input_is_safe_in_the_database_search(query: str) -> None:
    ResourceObjectFactory()
    list(ResourceObject.objects.filter(word_filter(query_terms(query))))


def test_a_word_with_an_apostrophe_is_one_word() -> None:
    obj = ResourceObjectFactory(name="Пам'ятка архітектури")
    ResourceObjectFactory(name="Ятка на ринку")
    found = ResourceObject.objects.filter(word_filter(query_terms("пам’ятка")))
    assert list(found) == [obj]


def test_the_database_search_matches_word_prefixes_only() -> None:
    school = ResourceObjectFactory(name="Школа № 12", address="вул. Миру, 5")
    ResourceObjectFactory(name="Гімназія № 112", address="вул. Миру, 7")
    found = ResourceObject.objects.filter(word_filter(query_terms("школи 12")))
    assert list(found) == [school]


def test_the_database_search_tolerates_a_typo() -> None:
    obj = ResourceObjectFactory(name="Міська поліклініка")
    assert list(ResourceObject.objects.filter(word_filter(query_terms("поліклінікк")))) == [obj]
