from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from hromada.accounts.factories import OrgUnitFactory, StaffFactory
from hromada.core.models import AuditEvent
from hromada.portal.factories import BuildingPassportFactory, ResourceFactory, RubricFactory
from hromada.portal.models import Resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client, settings: Any) -> Client:
    settings.HROMADA_MFA_ENFORCED = False
    client.force_login(StaffFactory(is_superuser=True))
    return client


def _resource_form(**extra: Any) -> dict[str, Any]:
    return {
        "rubric": RubricFactory().pk,
        "name": "Аптеки",
        "slug": "apteky",
        "description": "",
        "unit": OrgUnitFactory().pk,
        "order": 0,
        **extra,
    }


def test_admin_refuses_a_broken_attribute_schema(admin_client: Client) -> None:
    response = admin_client.post(
        "/admin/portal/resource/add/",
        _resource_form(attribute_schema='[{"name": "Погана назва", "type": "text"}]'),
    )
    assert response.status_code == 200
    assert "неприпустима" in response.content.decode()
    assert not Resource.objects.exists()


def test_admin_saves_a_valid_schema_and_audits_it(admin_client: Client) -> None:
    response = admin_client.post(
        "/admin/portal/resource/add/",
        _resource_form(attribute_schema='[{"name": "beds", "type": "integer"}]'),
    )
    assert response.status_code == 302
    assert Resource.objects.get().version == 2
    assert AuditEvent.objects.filter(action="portal.resource.created").exists()


def test_admin_passport_change_goes_through_the_service(admin_client: Client) -> None:
    passport = BuildingPassportFactory()
    url = f"/admin/portal/buildingpassport/{passport.pk}/change/"
    page = admin_client.get(url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "street": "вул. Нова",
            "repairs-TOTAL_FORMS": "0",
            "repairs-INITIAL_FORMS": "0",
            "gas": "on",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    passport.refresh_from_db()
    assert passport.address.startswith("вул. Нова")
    assert " новий " in passport.search_text or " нова " in passport.search_text
    assert AuditEvent.objects.filter(action="portal.passport.changed").exists()


def test_a_broken_stored_schema_does_not_break_the_pages(client: Client) -> None:
    resource = ResourceFactory(attribute_schema=[{"name": "Bad"}])
    assert client.get(resource.get_absolute_url()).status_code == 200
