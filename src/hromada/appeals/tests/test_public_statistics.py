"""Public statistics: counts by topic, district, channel, result, month; no personal data."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from hromada.appeals import citizen
from hromada.appeals.factories import register
from hromada.appeals.models import Appeal, Channel
from hromada.control.factories import Org

pytestmark = pytest.mark.django_db

URL = "/appeals/statistics/"


def test_counts_by_every_dimension(org: Org) -> None:
    register(org)
    register(org, surname="Бондар", phone="", topics=["110"], district="MET")
    register(org, surname="Мельник", phone="", channel=Channel.POST, district="MET")
    Appeal.objects.filter(surname="Мельник").update(result="9.1")
    stats = citizen.public_statistics(timezone.localdate().year)
    assert stats.total == 3
    assert {r.key: r.count for r in stats.by_topic} == {"109": 2, "110": 1}
    assert {r.key: r.count for r in stats.by_district} == {"MET": 2, "TSM": 1}
    assert {r.key: r.count for r in stats.by_channel} == {"hotline": 2, "post": 1}
    assert {r.key: r.count for r in stats.by_result} == {"9.1": 1, "": 2}
    assert sum(r.count for r in stats.by_month) == 3


def test_drafts_and_discarded_are_not_counted(org: Org) -> None:
    register(org)
    Appeal.objects.create(
        journal=Appeal.objects.get().journal, unit=org.d, channel="web", text="чернетка"
    )
    assert citizen.public_statistics(timezone.localdate().year).total == 1


def test_page_shows_tables_and_chart_data_without_personal_data(client: Client, org: Org) -> None:
    register(org)
    response = client.get(URL)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="stats-total">1<' in body
    assert "Комунальні послуги" in body
    assert "Центрально-Міський" in body
    assert 'id="appeals-stats-data"' in body
    assert "chart.umd.min.js" in body
    for secret in ("Коваленко", "Олена", "Свободи", "olena@example.org", "Не працює", "Прошу"):
        assert secret not in body


def test_counts_are_cached(client: Client, org: Org, django_assert_max_num_queries: Any) -> None:
    register(org)
    year = timezone.localdate().year
    citizen.public_statistics(year)
    register(org, surname="Бондар", phone="")
    assert citizen.public_statistics(year).total == 1  # from the cache
    cache.clear()
    assert citizen.public_statistics(year).total == 2


def test_unknown_year_falls_back_to_this_year(client: Client, org: Org) -> None:
    response = client.get(URL, {"year": "abc"})
    assert response.status_code == 200
    assert str(timezone.localdate().year) in response.content.decode()
