"""Open data: every registry and the building passports as CSV and JSON, and a DCAT catalogue."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from hromada.portal.models import BuildingPassport, BuildingRepair, Resource, ResourceObject

OBJECT_COLUMNS = [
    "id",
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
]
PASSPORT_COLUMNS = [
    "id",
    "address",
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
]
PASSPORTS_SLUG = "buildings"


def resource_columns(resource: Resource) -> list[str]:
    """Return the column names of a registry's dataset: fixed columns, then attributes."""
    return OBJECT_COLUMNS + [a["name"] for a in resource.attribute_schema]


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def resource_records(resource: Resource) -> Iterator[dict[str, Any]]:
    """Yield a registry's objects as flat records (attributes as their own keys)."""
    attribute_names = [a["name"] for a in resource.attribute_schema]
    rows = (
        ResourceObject.objects.filter(resource=resource)
        .order_by("pk")
        .values(*OBJECT_COLUMNS, "attributes")
    )
    for row in rows.iterator(chunk_size=2000):
        attributes = row.pop("attributes") or {}
        record = {k: _json_value(v) for k, v in row.items()}
        for name in attribute_names:
            record[name] = attributes.get(name)
        yield record


def passport_records() -> Iterator[dict[str, Any]]:
    """Yield the building passports as records, each with its repairs history."""
    repairs: dict[int, list[dict[str, Any]]] = {}
    for passport_id, year, kind, cost in BuildingRepair.objects.values_list(
        "passport_id", "year", "kind", "cost"
    ).order_by("passport_id", "year"):
        repairs.setdefault(passport_id, []).append({"year": year, "kind": kind, "cost": str(cost)})
    for row in BuildingPassport.objects.order_by("pk").values(*PASSPORT_COLUMNS).iterator(2000):
        record = {k: _json_value(v) for k, v in row.items()}
        record["repairs"] = repairs.get(row["id"], [])
        yield record


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(columns: list[str], records: Iterator[dict[str, Any]]) -> Iterator[str]:
    """Yield CSV lines (UTF-8 with BOM for spreadsheet programs) of the records."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(columns)
    for record in records:
        yield writer.writerow(
            [
                json.dumps(record[c], ensure_ascii=False)
                if isinstance(record.get(c), (list, dict))
                else _plain(record.get(c))
                for c in columns
            ]
        )


def json_stream(records: Iterator[dict[str, Any]]) -> Iterator[str]:
    """Yield a JSON array of the records, piece by piece."""
    yield "["
    first = True
    for record in records:
        yield ("" if first else ",\n") + json.dumps(record, ensure_ascii=False)
        first = False
    yield "]\n"


def passports_modified() -> datetime | None:
    latest: datetime | None = BuildingPassport.objects.aggregate(m=Max("updated_at"))["m"]
    return latest


def dcat_catalogue(base_url: str) -> dict[str, Any]:
    """Return the DCAT-AP catalogue (JSON-LD) of the portal's datasets."""
    licence = settings.HROMADA_OPENDATA_LICENSE
    city = settings.HROMADA_CITY_NAME
    modified = dict(
        ResourceObject.objects.values("resource")
        .annotate(m=Max("updated_at"))
        .values_list("resource", "m")
    )
    datasets = []
    for resource in Resource.objects.select_related("rubric", "unit").order_by("pk"):
        changed = modified.get(resource.pk) or resource.updated_at
        datasets.append(
            _dataset(
                base_url=base_url,
                slug=resource.slug,
                title=resource.name,
                description=resource.description or resource.name,
                keyword=[resource.rubric.name],
                publisher=resource.unit.name,
                modified=changed,
                licence=licence,
            )
        )
    datasets.append(
        _dataset(
            base_url=base_url,
            slug=PASSPORTS_SLUG,
            title="Електронні паспорти житлових будинків",
            description="Паспорти багатоквартирних житлових будинків міста: характеристики, "
            "управитель, історія капітальних ремонтів.",
            keyword=["житло", "будинки"],
            publisher=city,
            modified=passports_modified() or timezone.now(),
            licence=licence,
        )
    )
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
        },
        "@id": f"{base_url}{reverse('portal:dcat')}",
        "@type": "dcat:Catalog",
        "dct:title": f"Відкриті дані — {city}",
        "dct:language": "uk",
        "dct:publisher": {"@type": "foaf:Organization", "foaf:name": city},
        "dct:license": {"@id": licence},
        "dct:modified": timezone.now().date().isoformat(),
        "dcat:dataset": datasets,
    }


def _dataset(
    *,
    base_url: str,
    slug: str,
    title: str,
    description: str,
    keyword: list[str],
    publisher: str,
    modified: datetime,
    licence: str,
) -> dict[str, Any]:
    distributions = []
    for fmt, media in (("csv", "text/csv"), ("json", "application/json")):
        url = base_url + reverse("portal:opendata_file", kwargs={"slug": slug, "fmt": fmt})
        distributions.append(
            {
                "@type": "dcat:Distribution",
                "dct:format": fmt.upper(),
                "dcat:mediaType": media,
                "dcat:downloadURL": {"@id": url},
                "dct:license": {"@id": licence},
            }
        )
    return {
        "@id": base_url + reverse("portal:opendata") + f"#{slug}",
        "@type": "dcat:Dataset",
        "dct:identifier": slug,
        "dct:title": title,
        "dct:description": description,
        "dcat:keyword": keyword,
        "dct:publisher": {"@type": "foaf:Organization", "foaf:name": publisher},
        "dct:modified": timezone.localtime(modified).date().isoformat(),
        "dct:license": {"@id": licence},
        "dcat:distribution": distributions,
    }


def csv_text(columns: list[str], records: Iterator[dict[str, Any]]) -> str:
    """Return the whole CSV as one string (tests and small datasets)."""
    out = io.StringIO()
    for chunk in csv_stream(columns, records):
        out.write(chunk)
    return out.getvalue()
