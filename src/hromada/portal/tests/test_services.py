from __future__ import annotations

from decimal import Decimal

import pytest

from hromada.accounts.factories import StaffFactory
from hromada.core.exceptions import ApplicationError
from hromada.core.models import AuditEvent
from hromada.portal.factories import BuildingPassportFactory, ResourceFactory, ResourceObjectFactory
from hromada.portal.models import BuildingPassport, ResourceObject
from hromada.portal.services import (
    ImportRejected,
    passport_repair_add,
    passport_save,
    resource_object_create,
    resource_object_delete,
    resource_object_update,
    resource_objects_import,
    resource_schema_set,
)

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Аптека № 1",
    "address": "вул. Шевченка, 1",
    "district": "TSM",
    "latitude": "47.91",
    "longitude": "33.39",
    "attributes": {"open_sunday": "так", "ownership": "комунальна"},
}


def test_creating_an_object_stores_typed_attributes_search_text_and_an_audit_event() -> None:
    resource = ResourceFactory()
    obj = resource_object_create(resource_id=resource.pk, data=VALID, actor=StaffFactory())
    assert obj.attributes == {"open_sunday": True, "ownership": "комунальна"}
    assert " аптека " in obj.search_text
    assert AuditEvent.objects.filter(action="portal.object.created", object_id=str(obj.pk)).exists()


def test_creating_an_object_bumps_the_resource_version() -> None:
    resource = ResourceFactory()
    resource_object_create(resource_id=resource.pk, data=VALID, actor=None)
    resource.refresh_from_db()
    assert resource.version == 2


def test_coordinates_outside_the_city_are_refused_and_nothing_is_written() -> None:
    resource = ResourceFactory()
    with pytest.raises(ApplicationError, match="поза межами міста"):
        resource_object_create(
            resource_id=resource.pk, data={**VALID, "latitude": "50.45"}, actor=None
        )
    assert not ResourceObject.objects.exists()


def test_attribute_of_the_wrong_type_is_refused() -> None:
    resource = ResourceFactory()
    data = {**VALID, "attributes": {"ownership": "комунальна", "staff": "п'ятеро"}}
    with pytest.raises(ApplicationError, match="Працівників"):
        resource_object_create(resource_id=resource.pk, data=data, actor=None)


def test_missing_name_and_unknown_district_are_both_reported() -> None:
    resource = ResourceFactory()
    with pytest.raises(ApplicationError) as exc:
        resource_object_create(
            resource_id=resource.pk, data={**VALID, "name": " ", "district": "Марс"}, actor=None
        )
    assert "обов'язкове" in exc.value.message
    assert "Невідомий район" in exc.value.message


def test_district_may_be_given_by_its_name() -> None:
    resource = ResourceFactory()
    obj = resource_object_create(
        resource_id=resource.pk, data={**VALID, "district": "Покровський район"}, actor=None
    )
    assert obj.district == "POK"


def test_html_in_a_name_is_stored_as_text() -> None:
    resource = ResourceFactory()
    obj = resource_object_create(
        resource_id=resource.pk, data={**VALID, "name": "<script>x</script>"}, actor=None
    )
    assert obj.name == "<script>x</script>"


def test_updating_keeps_fields_not_given_and_records_the_change() -> None:
    obj = ResourceObjectFactory()
    updated = resource_object_update(object_id=obj.pk, data={"phone": "123"}, actor=None)
    assert updated.phone == "123"
    assert updated.name == obj.name
    event = AuditEvent.objects.get(action="portal.object.changed")
    assert event.data["phone"] == ["", "123"]


def test_deleting_an_object_is_audited() -> None:
    obj = ResourceObjectFactory()
    resource_object_delete(object_id=obj.pk, actor=None)
    assert not ResourceObject.objects.exists()
    assert AuditEvent.objects.filter(action="portal.object.deleted").exists()


def test_import_writes_every_row_when_all_are_valid() -> None:
    resource = ResourceFactory()
    rows = [
        (2, {"name": "А", "address": "вул. 1", "ownership": "приватна", "open_sunday": "ні"}),
        (3, {"name": "Б", "address": "вул. 2", "ownership": "комунальна"}),
    ]
    assert (
        resource_objects_import(resource_id=resource.pk, rows=rows, replace=False, actor=None) == 2
    )
    assert ResourceObject.objects.get(name="А").attributes == {
        "open_sunday": False,
        "ownership": "приватна",
    }


def test_import_with_one_bad_row_writes_nothing_and_names_the_line() -> None:
    resource = ResourceFactory()
    existing = ResourceObjectFactory(resource=resource)
    rows = [
        (2, {"name": "А", "address": "вул. 1", "ownership": "приватна"}),
        (
            3,
            {
                "name": "Б",
                "address": "вул. 2",
                "ownership": "комунальна",
                "latitude": "10",
                "longitude": "10",
            },
        ),
        (4, {"name": "В", "address": "вул. 3", "ownership": "державна"}),
    ]
    with pytest.raises(ImportRejected) as exc:
        resource_objects_import(resource_id=resource.pk, rows=rows, replace=True, actor=None)
    assert [e.line for e in exc.value.errors] == [3, 4]
    assert "Рядок 3" in str(exc.value.errors[0])
    assert list(ResourceObject.objects.all()) == [existing]


def test_import_with_replace_removes_the_old_objects() -> None:
    resource = ResourceFactory()
    ResourceObjectFactory(resource=resource)
    rows = [(2, {"name": "Новий", "address": "вул. 1", "ownership": "приватна"})]
    resource_objects_import(resource_id=resource.pk, rows=rows, replace=True, actor=None)
    assert list(ResourceObject.objects.values_list("name", flat=True)) == ["Новий"]
    assert AuditEvent.objects.get(action="portal.resource.imported").data["removed"] == 1


def test_import_of_an_empty_file_is_refused() -> None:
    resource = ResourceFactory()
    with pytest.raises(ApplicationError, match="жодного рядка"):
        resource_objects_import(resource_id=resource.pk, rows=[], replace=False, actor=None)


def test_schema_change_is_validated() -> None:
    resource = ResourceFactory()
    with pytest.raises(ApplicationError):
        resource_schema_set(resource_id=resource.pk, schema=[{"name": "Ім'я"}], actor=None)
    resource_schema_set(
        resource_id=resource.pk, schema=[{"name": "beds", "type": "integer"}], actor=None
    )
    resource.refresh_from_db()
    assert resource.attribute_schema[0]["name"] == "beds"


def test_passport_is_created_with_its_address_and_search_text() -> None:
    passport = passport_save(
        passport_id=None,
        data={
            "street": "вул. Миру",
            "number": "5",
            "district": "SAK",
            "floors": 5,
            "entrances": 4,
            "apartments": 80,
            "total_area": Decimal("4000"),
            "living_area": Decimal("2500"),
            "wall_material": "brick",
            "heating": "central",
            "hot_water": "none",
            "manager_kind": "osbb",
        },
        actor=None,
    )
    assert passport.address == "вул. Миру, 5"
    assert " мир " in passport.search_text


def test_passport_with_living_area_above_total_is_refused() -> None:
    passport = BuildingPassportFactory()
    with pytest.raises(ApplicationError, match="Житлова площа"):
        passport_save(passport_id=passport.pk, data={"living_area": Decimal("99999")}, actor=None)
    passport.refresh_from_db()
    assert passport.living_area == Decimal("4900.0")


def test_second_passport_at_the_same_address_is_refused() -> None:
    passport = BuildingPassportFactory()
    other = BuildingPassportFactory()
    with pytest.raises(ApplicationError, match="вже існує"):
        passport_save(passport_id=other.pk, data={"number": passport.number}, actor=None)
    assert BuildingPassport.objects.get(pk=other.pk).number == other.number


def test_repair_before_the_building_was_built_is_refused() -> None:
    passport = BuildingPassportFactory(year_built=1980)
    with pytest.raises(ApplicationError):
        passport_repair_add(
            passport_id=passport.pk, year=1970, kind="дах", cost=Decimal(1), actor=None
        )
    repair = passport_repair_add(
        passport_id=passport.pk, year=2020, kind="дах", cost=Decimal(100), actor=None
    )
    assert list(passport.repairs.all()) == [repair]
