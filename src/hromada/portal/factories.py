"""Factories of the portal's models for tests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import factory
from factory.django import DjangoModelFactory

from hromada.accounts.factories import OrgUnitFactory
from hromada.portal.models import (
    BuildingPassport,
    ManagerKind,
    Resource,
    ResourceObject,
    Rubric,
    Supply,
    WallMaterial,
)
from hromada.portal.search import normalise
from hromada.portal.search_counts import counts_change, object_row, objects_counted
from hromada.portal.sorting import natural_key

PHARMACY_SCHEMA: list[dict[str, Any]] = [
    {"name": "open_sunday", "label": "Працює в неділю", "type": "boolean", "required": False},
    {"name": "staff", "label": "Працівників", "type": "integer", "required": False},
    {
        "name": "ownership",
        "label": "Форма власності",
        "type": "choice",
        "required": True,
        "choices": ["комунальна", "приватна"],
    },
]


class RubricFactory(DjangoModelFactory[Rubric]):
    class Meta:
        model = Rubric

    name = factory.Sequence(lambda n: f"Рубрика {n}")
    slug = factory.Sequence(lambda n: f"rubric-{n}")


class ResourceFactory(DjangoModelFactory[Resource]):
    class Meta:
        model = Resource

    rubric = factory.SubFactory(RubricFactory)
    name = factory.Sequence(lambda n: f"Аптеки {n}")
    slug = factory.Sequence(lambda n: f"resource-{n}")
    unit = factory.SubFactory(OrgUnitFactory)
    attribute_schema = factory.LazyFunction(lambda: [dict(a) for a in PHARMACY_SCHEMA])


class ResourceObjectFactory(DjangoModelFactory[ResourceObject]):
    class Meta:
        model = ResourceObject

    resource = factory.SubFactory(ResourceFactory)
    name = factory.Sequence(lambda n: f"Аптека № {n}")
    address = factory.Sequence(lambda n: f"вул. Шевченка, {n}")
    district = "TSM"
    latitude = 47.91
    longitude = 33.39
    attributes = factory.LazyFunction(lambda: {"open_sunday": True, "ownership": "комунальна"})
    search_text = factory.LazyAttribute(lambda o: normalise(o.name, o.address))
    sort_key = factory.LazyAttribute(lambda o: natural_key(o.name))

    @classmethod
    def _create(cls, model_class: type[ResourceObject], *args: Any, **kwargs: Any) -> Any:
        # As the services do: the search's word counts change with the object.
        obj = super()._create(model_class, *args, **kwargs)
        counts_change(objects_counted([object_row(obj)]))
        return obj


class BuildingPassportFactory(DjangoModelFactory[BuildingPassport]):
    class Meta:
        model = BuildingPassport

    street = "вул. Шевченка"
    number = factory.Sequence(lambda n: str(n + 1))
    district = "TSM"
    latitude = 47.91
    longitude = 33.39
    year_built = 1972
    floors = 9
    entrances = 4
    apartments = 144
    total_area = Decimal("7800.5")
    living_area = Decimal("4900.0")
    wall_material = WallMaterial.PANEL
    elevators = 4
    heating = Supply.CENTRAL
    hot_water = Supply.CENTRAL
    manager_kind = ManagerKind.CONDOMINIUM
    manager_name = "ОСББ «Шевченка»"
    search_text = factory.LazyAttribute(lambda o: normalise(o.street, o.number, o.manager_name))
    sort_key = factory.LazyAttribute(lambda o: natural_key(o.street, o.number))
