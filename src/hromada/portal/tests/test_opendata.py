from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client
from django.urls import reverse

from hromada.portal.factories import BuildingPassportFactory, ResourceFactory, ResourceObjectFactory
from hromada.portal.models import BuildingRepair

pytestmark = pytest.mark.django_db


def _body(response: object) -> str:
    return b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]


def test_registry_csv_has_fixed_and_attribute_columns(client: Client) -> None:
    obj = ResourceObjectFactory(name='Аптека "Здоров\'я", №1')
    response = client.get(
        reverse("portal:opendata_file", kwargs={"slug": obj.resource.slug, "fmt": "csv"})
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(_body(response).lstrip("\ufeff"))))
    assert rows[0]["name"] == 'Аптека "Здоров\'я", №1'
    assert rows[0]["open_sunday"] == "true"
    assert rows[0]["ownership"] == "комунальна"


def test_registry_json_is_valid_json_with_typed_values(client: Client) -> None:
    obj = ResourceObjectFactory()
    response = client.get(
        reverse("portal:opendata_file", kwargs={"slug": obj.resource.slug, "fmt": "json"})
    )
    data = json.loads(_body(response))
    assert data[0]["id"] == obj.pk
    assert data[0]["latitude"] == 47.91
    assert data[0]["open_sunday"] is True
    assert data[0]["staff"] is None


def test_passports_json_holds_the_repairs(client: Client) -> None:
    passport = BuildingPassportFactory()
    BuildingRepair.objects.create(passport=passport, year=2019, kind="покрівля", cost=5)
    response = client.get(
        reverse("portal:opendata_file", kwargs={"slug": "buildings", "fmt": "json"})
    )
    data = json.loads(_body(response))
    assert data[0]["address"] == passport.address
    assert data[0]["repairs"] == [{"year": 2019, "kind": "покрівля", "cost": "5.00"}]


def test_unknown_dataset_is_404(client: Client) -> None:
    response = client.get(reverse("portal:opendata_file", kwargs={"slug": "nope", "fmt": "csv"}))
    assert response.status_code == 404


def test_dcat_catalogue_lists_every_dataset_with_licence_and_downloads(client: Client) -> None:
    ResourceFactory.create_batch(2)
    response = client.get(reverse("portal:dcat"))
    assert response["Content-Type"].startswith("application/ld+json")
    catalogue = response.json()
    assert catalogue["@type"] == "dcat:Catalog"
    datasets = catalogue["dcat:dataset"]
    assert len(datasets) == 3
    for dataset in datasets:
        assert dataset["dct:license"]["@id"].startswith("https://")
        assert len(dataset["dct:modified"]) == 10
        formats = {d["dct:format"] for d in dataset["dcat:distribution"]}
        assert formats == {"CSV", "JSON"}
        url = dataset["dcat:distribution"][0]["dcat:downloadURL"]["@id"]
        assert client.get(url.removeprefix("http://testserver")).status_code == 200


def test_catalogue_page_links_each_dataset(client: Client) -> None:
    resource = ResourceFactory()
    body = client.get(reverse("portal:opendata")).content.decode()
    assert f"/opendata/{resource.slug}.csv" in body
    assert "/opendata/buildings.json" in body
