"""Every write of the portal: objects of resources, their imports, schemas, building passports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from hromada.core.audit import audit_record
from hromada.core.exceptions import ApplicationError
from hromada.portal.models import (
    BuildingPassport,
    BuildingRepair,
    District,
    Resource,
    ResourceObject,
)
from hromada.portal.schema import clean_attributes, parse_schema
from hromada.portal.search import normalise

OBJECT_FIELDS = (
    "name",
    "address",
    "district",
    "latitude",
    "longitude",
    "phone",
    "email",
    "website",
    "opening_hours",
    "last_checked",
)
MAX_TEXT = {"name": 300, "address": 300, "phone": 100, "opening_hours": 300}


def in_city(latitude: float, longitude: float) -> bool:
    """Return whether a point lies inside the city's bounding box (HROMADA_CITY_BBOX)."""
    south, west, north, east = (float(x) for x in settings.HROMADA_CITY_BBOX)
    return south <= latitude <= north and west <= longitude <= east


@dataclass(frozen=True)
class ObjectData:
    """The checked fields of one object, ready to be written."""

    values: dict[str, Any]
    attributes: dict[str, Any]


def object_data_clean(*, resource: Resource, data: dict[str, Any]) -> ObjectData:
    """Return an object's fields checked; raise ApplicationError naming every problem."""
    errors: list[str] = []
    values: dict[str, Any] = {}
    for key in ("name", "address"):
        text = str(data.get(key) or "").strip()
        if not text:
            errors.append(_("«%(field)s»: обов'язкове поле.") % {"field": _field_label(key)})
        values[key] = text[: MAX_TEXT[key]]
    for key in ("phone", "opening_hours"):
        values[key] = str(data.get(key) or "").strip()[: MAX_TEXT[key]]
    for key in ("email", "website"):
        values[key] = str(data.get(key) or "").strip()[:200]
    if values["email"] and ("@" not in values["email"] or " " in values["email"]):
        errors.append(_("Неправильна адреса e-mail «%(v)s».") % {"v": values["email"][:50]})
    if values["website"] and not values["website"].startswith(("http://", "https://")):
        errors.append(_("Адреса вебсайту має починатися з http:// або https://."))
    district = str(data.get("district") or "").strip()
    if district and district not in District.values:
        by_label = {str(label).lower(): value for value, label in District.choices}
        district = by_label.get(district.lower().removesuffix(" район"), "?")
        if district == "?":
            errors.append(_("Невідомий район «%(v)s».") % {"v": str(data.get("district"))[:50]})
    values["district"] = district if district != "?" else ""
    lat, lon = data.get("latitude"), data.get("longitude")
    if lat in (None, "") and lon in (None, ""):
        values["latitude"] = values["longitude"] = None
    else:
        try:
            values["latitude"] = float(str(lat).replace(",", "."))
            values["longitude"] = float(str(lon).replace(",", "."))
        except (TypeError, ValueError):
            errors.append(_("Координати мають бути числами (широта і довгота)."))
        else:
            if not in_city(values["latitude"], values["longitude"]):
                errors.append(
                    _("Координати %(lat)s, %(lon)s лежать поза межами міста.")
                    % {"lat": values["latitude"], "lon": values["longitude"]}
                )
    checked = data.get("last_checked")
    if checked in (None, ""):
        values["last_checked"] = None
    elif isinstance(checked, date):
        values["last_checked"] = checked
    else:
        try:
            values["last_checked"] = date.fromisoformat(str(checked).strip()[:10])
        except ValueError:
            errors.append(_("Дата перевірки має бути у форматі РРРР-ММ-ДД."))
    raw_attributes = data.get("attributes") or {}
    attributes: dict[str, Any] = {}
    if not isinstance(raw_attributes, dict):
        errors.append(_("Атрибути мають бути об'єктом."))
    else:
        try:
            attributes = clean_attributes(parse_schema(resource.attribute_schema), raw_attributes)
        except ValueError as exc:
            errors.append(str(exc))
    if errors:
        raise ApplicationError(" ".join(errors))
    return ObjectData(values=values, attributes=attributes)


def _field_label(key: str) -> str:
    field = ResourceObject._meta.get_field(key)
    return str(getattr(field, "verbose_name", key))


def _search_text(values: dict[str, Any]) -> str:
    return normalise(values.get("name", ""), values.get("address", ""))


def _bump(resource_id: int) -> None:
    Resource.objects.filter(pk=resource_id).update(version=F("version") + 1)


@transaction.atomic
def resource_object_create(*, resource_id: int, data: dict[str, Any], actor: Any) -> ResourceObject:
    """Add an object to a resource's registry."""
    resource = Resource.objects.select_for_update().get(pk=resource_id)
    clean = object_data_clean(resource=resource, data=data)
    obj = ResourceObject.objects.create(
        resource=resource,
        attributes=clean.attributes,
        search_text=_search_text(clean.values),
        **clean.values,
    )
    _bump(resource.pk)
    audit_record(actor=actor, action="portal.object.created", target=obj, data={"name": obj.name})
    return obj


@transaction.atomic
def resource_object_update(*, object_id: int, data: dict[str, Any], actor: Any) -> ResourceObject:
    """Change an object's fields (those not given keep their values)."""
    obj = ResourceObject.objects.select_for_update().select_related("resource").get(pk=object_id)
    merged: dict[str, Any] = {key: getattr(obj, key) for key in OBJECT_FIELDS}
    merged["attributes"] = obj.attributes
    merged.update({k: v for k, v in data.items() if k in (*OBJECT_FIELDS, "attributes")})
    clean = object_data_clean(resource=obj.resource, data=merged)
    changed = {
        k: [str(getattr(obj, k)), str(v)] for k, v in clean.values.items() if getattr(obj, k) != v
    }
    for key, value in clean.values.items():
        setattr(obj, key, value)
    obj.attributes = clean.attributes
    obj.search_text = _search_text(clean.values)
    obj.save()
    _bump(obj.resource_id)
    audit_record(actor=actor, action="portal.object.changed", target=obj, data=changed)
    return obj


@transaction.atomic
def resource_object_delete(*, object_id: int, actor: Any) -> None:
    """Remove an object from its registry."""
    obj = ResourceObject.objects.select_for_update().get(pk=object_id)
    audit_record(actor=actor, action="portal.object.deleted", target=obj, data={"name": obj.name})
    resource_id = obj.resource_id
    obj.delete()
    _bump(resource_id)


@transaction.atomic
def resource_schema_set(*, resource_id: int, schema: Any, actor: Any) -> Resource:
    """Replace a resource's attribute schema (objects keep their stored attributes)."""
    resource = Resource.objects.select_for_update().get(pk=resource_id)
    try:
        attributes = parse_schema(schema)
    except ValueError as exc:
        raise ApplicationError(str(exc)) from exc
    resource.attribute_schema = [
        {
            "name": a.name,
            "label": a.label,
            "type": a.type,
            "required": a.required,
            "choices": list(a.choices),
        }
        for a in attributes
    ]
    resource.version += 1
    resource.save(update_fields=["attribute_schema", "version", "updated_at"])
    audit_record(
        actor=actor,
        action="portal.resource.schema_changed",
        target=resource,
        data={"attributes": [a.name for a in attributes]},
    )
    return resource


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return _("Рядок %(line)s: %(message)s") % {"line": self.line, "message": self.message}


class ImportRejected(ApplicationError):
    """An import refused as a whole; ``errors`` name the bad rows by line number."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(
            _("Файл не імпортовано: помилок — %(n)s. Жоден рядок не записано.") % {"n": len(errors)}
        )
        self.errors = errors


@transaction.atomic
def resource_objects_import(
    *, resource_id: int, rows: list[tuple[int, dict[str, Any]]], replace: bool, actor: Any
) -> int:
    """Import objects into a registry, all or nothing; return how many were written.

    ``rows`` are (line number, {column: value}); attribute columns are named as in the
    schema. With ``replace`` the registry's objects are replaced by the file's.
    """
    resource = Resource.objects.select_for_update().get(pk=resource_id)
    schema_names = {a["name"] for a in resource.attribute_schema}
    errors: list[RowError] = []
    new: list[ResourceObject] = []
    for line, row in rows:
        data = {k: v for k, v in row.items() if k in OBJECT_FIELDS}
        data["attributes"] = {
            k: v for k, v in row.items() if k in schema_names and v not in (None, "")
        }
        try:
            clean = object_data_clean(resource=resource, data=data)
        except ApplicationError as exc:
            errors.append(RowError(line, exc.message))
            if len(errors) >= 200:
                break
            continue
        new.append(
            ResourceObject(
                resource=resource,
                attributes=clean.attributes,
                search_text=_search_text(clean.values),
                **clean.values,
            )
        )
    if not rows:
        raise ApplicationError(_("Файл не містить жодного рядка з даними."))
    if errors:
        raise ImportRejected(errors)
    removed = 0
    if replace:
        removed, _details = ResourceObject.objects.filter(resource=resource).delete()
    ResourceObject.objects.bulk_create(new, batch_size=500)
    resource.version += 1
    resource.save(update_fields=["version", "updated_at"])
    audit_record(
        actor=actor,
        action="portal.resource.imported",
        target=resource,
        data={"created": len(new), "removed": removed, "replace": replace},
    )
    return len(new)


# --- Building passports -------------------------------------------------------------------

PASSPORT_FIELDS = (
    "street",
    "number",
    "district",
    "latitude",
    "longitude",
    "year_built",
    "floors",
    "entrances",
    "apartments",
    "total_area",
    "living_area",
    "wall_material",
    "elevators",
    "heating",
    "hot_water",
    "gas",
    "manager_kind",
    "manager_name",
    "manager_phone",
    "manager_email",
    "energy_class",
    "planned_works",
)


def _passport_check(passport: BuildingPassport) -> None:
    from django.core.exceptions import ValidationError

    try:
        passport.full_clean(exclude=["address", "search_text"], validate_unique=False)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages)) from exc
    has_point = passport.latitude is not None and passport.longitude is not None
    if has_point and not in_city(passport.latitude, passport.longitude):  # type: ignore[arg-type]
        raise ApplicationError(_("Координати будинку лежать поза межами міста."))
    if passport.living_area > passport.total_area:
        raise ApplicationError(_("Житлова площа не може перевищувати загальну."))
    clash = BuildingPassport.objects.filter(street=passport.street, number=passport.number)
    if clash.exclude(pk=passport.pk).exists():
        raise ApplicationError(_("Паспорт будинку за цією адресою вже існує."))


@transaction.atomic
def passport_save(*, passport_id: int | None, data: dict[str, Any], actor: Any) -> BuildingPassport:
    """Create a building passport (``passport_id`` None) or change the given fields of one."""
    if passport_id is None:
        passport = BuildingPassport()
    else:
        passport = BuildingPassport.objects.select_for_update().get(pk=passport_id)
    for key, value in data.items():
        if key in PASSPORT_FIELDS:
            setattr(passport, key, value.strip() if isinstance(value, str) else value)
    _passport_check(passport)
    passport.search_text = normalise(passport.street, passport.number, passport.manager_name)
    passport.save()
    audit_record(
        actor=actor,
        action="portal.passport.created" if passport_id is None else "portal.passport.changed",
        target=passport,
        data={k: str(v) for k, v in data.items() if k in PASSPORT_FIELDS},
    )
    return passport


@transaction.atomic
def passport_repair_add(
    *, passport_id: int, year: int, kind: str, cost: Decimal, actor: Any
) -> BuildingRepair:
    """Record a major repair in a building's history."""
    passport = BuildingPassport.objects.select_for_update().get(pk=passport_id)
    if passport.year_built and year < passport.year_built:
        raise ApplicationError(_("Рік ремонту раніший за рік побудови."))
    if cost < 0:
        raise ApplicationError(_("Вартість не може бути від'ємною."))
    if not kind.strip():
        raise ApplicationError(_("Вкажіть вид робіт."))
    repair = BuildingRepair.objects.create(
        passport=passport, year=year, kind=kind.strip()[:300], cost=cost
    )
    audit_record(
        actor=actor,
        action="portal.passport.repair_added",
        target=passport,
        data={"year": year, "kind": repair.kind, "cost": str(cost)},
    )
    return repair
