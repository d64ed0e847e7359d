"""Natural sort keys and the lists ordered by them."""

from __future__ import annotations

import pytest
from django.test import Client

from hromada.accounts.factories import OrgUnitFactory
from hromada.portal.factories import BuildingPassportFactory, ResourceFactory
from hromada.portal.models import BuildingPassport, ResourceObject
from hromada.portal.selectors import ObjectFilter, passports_search, resource_objects
from hromada.portal.services import resource_object_create
from hromada.portal.sorting import MAX_KEY, natural_key


def test_numbers_sort_by_value_not_by_digits() -> None:
    names = ["Аптека № 10", "Аптека № 2", "Аптека № 1", "аптека № 21"]
    assert sorted(names, key=natural_key) == [
        "Аптека № 1",
        "Аптека № 2",
        "Аптека № 10",
        "аптека № 21",
    ]


def test_ukrainian_letters_sort_in_alphabet_order() -> None:
    names = ["Яблуня", "Ґанок", "Їжак", "Гора", "Єва", "Іва", "Ива"]
    assert sorted(names, key=natural_key) == [
        "Гора",
        "Ґанок",
        "Єва",
        "Ива",
        "Іва",
        "Їжак",
        "Яблуня",
    ]


def test_case_punctuation_and_apostrophes_do_not_change_the_order() -> None:
    assert natural_key("Пам'ятка") == natural_key("памʼятка")
    assert natural_key("Школа №2") == natural_key("школа  № 2")
    assert natural_key("Школа 2") < natural_key("Школа 2а") < natural_key("Школа 10")


def test_the_key_is_ascii_and_bounded_for_any_input() -> None:
    for text in ["", "   ...", "x" * 10_000, "1" * 10_000, "'\";--<script>", "🙂 ٣ ß"]:
        key = natural_key(text)
        assert len(key) <= MAX_KEY
        assert key == "" or (key.isascii() and key.isalnum())


@pytest.mark.django_db
def test_resource_lists_put_number_2_before_number_10() -> None:
    resource = ResourceFactory(unit=OrgUnitFactory(), attribute_schema=[])
    for name in ["Аптека № 10", "Аптека № 2", "Аптека № 1"]:
        resource_object_create(
            resource_id=resource.pk, data={"name": name, "address": "вул. Миру, 1"}, actor=None
        )
    names = [o.name for o in resource_objects(resource, ObjectFilter())]
    assert names == ["Аптека № 1", "Аптека № 2", "Аптека № 10"]


@pytest.mark.django_db
def test_passports_sort_by_street_then_house_number() -> None:
    for number in ["10", "2", "2А", "1"]:
        BuildingPassportFactory(street="вул. Миру", number=number)
    found = [p.number for p in passports_search("Миру")]
    assert found == ["1", "2", "2А", "10"]


@pytest.mark.django_db
def test_the_resource_page_lists_objects_in_natural_order(client: Client) -> None:
    resource = ResourceFactory(unit=OrgUnitFactory(), attribute_schema=[])
    for name in ["Зупинка 12", "Зупинка 3"]:
        resource_object_create(
            resource_id=resource.pk, data={"name": name, "address": "просп. Миру"}, actor=None
        )
    page = client.get(resource.get_absolute_url()).content.decode()
    assert page.index("Зупинка 3") < page.index("Зупинка 12")


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_keys_of_existing_rows() -> None:
    from django.core.management import call_command

    resource = ResourceFactory(unit=OrgUnitFactory(), attribute_schema=[])
    ResourceObject.objects.create(resource=resource, name="Аптека № 7", address="вул. Миру")
    BuildingPassportFactory(street="вул. Миру", number="7", sort_key="")
    ResourceObject.objects.update(sort_key="")
    BuildingPassport.objects.update(sort_key="")
    call_command("migrate", "portal", "0002", verbosity=0)
    call_command("migrate", "portal", verbosity=0)
    assert ResourceObject.objects.get().sort_key == natural_key("Аптека № 7")
    assert BuildingPassport.objects.get().sort_key == natural_key("вул. Миру", "7")
