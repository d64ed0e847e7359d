from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from hromada.portal.factories import BuildingPassportFactory, ResourceObjectFactory

pytestmark = pytest.mark.django_db


def test_start_screen_has_rubrics_keyboard_and_idle_timeout(
    client: Client, settings: object
) -> None:
    settings.HROMADA_KIOSK_IDLE_SECONDS = 42  # type: ignore[attr-defined]
    obj = ResourceObjectFactory()
    response = client.get(reverse("portal:kiosk"))
    body = response.content.decode()
    assert obj.resource.rubric.name in body
    assert 'data-idle-seconds="42"' in body
    assert 'data-key="й"' in body
    assert response["Cache-Control"] == "no-store"


def test_kiosk_has_no_login_links_and_sets_no_session(client: Client) -> None:
    response = client.get(reverse("portal:kiosk"))
    assert "/accounts/login/" not in response.content.decode()
    assert "sessionid" not in response.cookies


def test_kiosk_search_lists_objects_and_buildings(client: Client) -> None:
    obj = ResourceObjectFactory(name="Аптека № 9", address="вул. Миру, 3")
    passport = BuildingPassportFactory(street="вул. Миру", number="3")
    body = client.get(reverse("portal:kiosk_search"), {"q": "миру"}).content.decode()
    assert reverse("portal:kiosk_object", kwargs={"pk": obj.pk}) in body
    assert reverse("portal:kiosk_building", kwargs={"pk": passport.pk}) in body


def test_kiosk_resource_pages_through_objects(client: Client) -> None:
    obj = ResourceObjectFactory()
    ResourceObjectFactory.create_batch(10, resource=obj.resource)
    body = client.get(
        reverse("portal:kiosk_resource", kwargs={"slug": obj.resource.slug})
    ).content.decode()
    assert 'rel="next"' in body
    assert body.count("/kiosk/object/") == 8


def test_kiosk_object_and_building_pages_render(client: Client) -> None:
    obj = ResourceObjectFactory()
    passport = BuildingPassportFactory()
    assert client.get(reverse("portal:kiosk_object", kwargs={"pk": obj.pk})).status_code == 200
    response = client.get(reverse("portal:kiosk_building", kwargs={"pk": passport.pk}))
    assert passport.manager_name in response.content.decode()
