"""Tests of the admin screens for the calendar and classifiers: permission, services, audit."""

from __future__ import annotations

from datetime import date

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client

from hromada.accounts.factories import staff_with_role
from hromada.accounts.roles import Role
from hromada.core.models import AuditEvent, ClassifierItem, HolidaysWorkingPeriod

pytestmark = pytest.mark.django_db


def _client_for(client: Client, role: str) -> Client:
    user = staff_with_role(role)
    TOTP.activate(user, generate_totp_secret())
    client.force_login(user)
    return client


def test_a_city_administrator_records_a_holidays_working_period_through_the_admin(client):
    admin = _client_for(client, Role.ADMIN)
    response = admin.post(
        "/admin/core/holidaysworkingperiod/add/",
        {"start": "2022-02-24", "end": "", "note": "Закон № 2136-IX"},
    )
    assert response.status_code == 302
    assert HolidaysWorkingPeriod.objects.get().start == date(2022, 2, 24)
    assert AuditEvent.objects.filter(action="calendar.holidays_working_period_created").exists()


def test_an_overlapping_period_is_refused_in_the_admin_form(client):
    HolidaysWorkingPeriod.objects.create(start=date(2022, 2, 24))
    admin = _client_for(client, Role.ADMIN)
    response = admin.post(
        "/admin/core/holidaysworkingperiod/add/", {"start": "2024-01-01", "end": "", "note": ""}
    )
    assert response.status_code == 200
    assert "перетинається" in response.text
    assert HolidaysWorkingPeriod.objects.count() == 1


def test_staff_without_the_calendar_permission_cannot_open_it(client):
    executor = _client_for(client, Role.EXECUTOR)
    assert executor.get("/admin/core/calendaroverride/").status_code == 403


def test_an_override_added_in_the_admin_is_audited(client):
    admin = _client_for(client, Role.ADMIN)
    admin.post(
        "/admin/core/calendaroverride/add/",
        {"date": "2025-01-04", "is_working": "on", "note": "перенесення"},
    )
    assert AuditEvent.objects.filter(action="calendar.override_set").count() == 1


def test_a_subtopic_added_in_the_admin_is_audited(client):
    admin = _client_for(client, Role.ADMIN)
    topic = ClassifierItem.objects.get(classifier="858", code="109")
    response = admin.post(
        "/admin/core/classifieritem/add/",
        {
            "classifier": "858",
            "code": "109.1",
            "label": "теплопостачання",
            "section": "topics",
            "parent": str(topic.pk),
            "valid_from": "2008-09-24",
            "valid_to": "",
            "confirmed": "on",
            "order": "0",
            "note": "",
        },
    )
    assert response.status_code == 302, response.text[:2000]
    assert ClassifierItem.objects.get(code="109.1").parent == topic
    assert AuditEvent.objects.filter(action="classifier.item_added").exists()
