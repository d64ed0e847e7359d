"""Fixtures for programmes: a small programme with two units, the demo programme, staff clients."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client

from hromada.accounts.factories import OrgUnitFactory, staff_with_role
from hromada.accounts.models import OrgUnit, User
from hromada.accounts.roles import Role
from hromada.programs import services
from hromada.programs.demo import DEMO_FILE
from hromada.programs.importing import load_file, programme_import
from hromada.programs.models import Indicator, Measure, Programme


@dataclass
class Setup:
    """Programme P (2025) coordinated by unit C: measure 1 of unit A, measure 2 of unit B."""

    programme: Programme
    m1: Measure
    m2: Measure
    indicator: Indicator
    coord_unit: OrgUnit
    a: OrgUnit
    b: OrgUnit
    coordinator: User
    in_a: User
    in_b: User


@pytest.fixture
def setup(db: None) -> Setup:
    coord_unit = OrgUnitFactory(code="C", name="Управління економіки", kind=OrgUnit.Kind.DEPARTMENT)
    a = OrgUnitFactory(code="A", name="Відділ A")
    b = OrgUnitFactory(code="B", name="Відділ B")
    programme = services.programme_create(
        actor=None,
        code="p-2025",
        title="Програма розвитку на 2025 рік",
        title_genitive="Програми розвитку на 2025 рік",
        year_from=2025,
        year_to=2025,
        decision_number="100",
        decision_date=date(2024, 12, 20),
        coordinator_unit=coord_unit,
    )
    m1 = services.measure_create(
        actor=None, programme=programme, number=1, title="Інформування", responsible_units=[a]
    )
    m2 = services.measure_create(
        actor=None, programme=programme, number=2, title="Навчання", responsible_units=[b]
    )
    services.funding_set(actor=None, measure=m1, year=2025, source="city", amount="10000")
    indicator = services.indicator_create(
        actor=None,
        measure=m1,
        code="materials",
        name="Розміщені матеріали",
        unit_of_measure="од.",
        targets={2025: 100},
    )
    return Setup(
        programme=programme,
        m1=m1,
        m2=m2,
        indicator=indicator,
        coord_unit=coord_unit,
        a=a,
        b=b,
        coordinator=staff_with_role(Role.COORDINATOR, coord_unit, email="coord@example.org"),
        in_a=staff_with_role(Role.EXECUTOR, a, email="exec-a@example.org"),
        in_b=staff_with_role(Role.EXECUTOR, b, email="exec-b@example.org"),
    )


def demo_unit_codes() -> set[str]:
    """Return every unit code the demo programme file names."""
    data = yaml.safe_load(Path(DEMO_FILE).read_text(encoding="utf-8"))
    codes = {data["coordinator_unit"]}
    for measure in data["measures"]:
        codes.update(measure["responsible_units"])
        for key in ("activities", "spending"):
            codes.update(item["unit"] for item in measure.get(key, []) if "unit" in item)
    return codes


@pytest.fixture
def demo_units(db: None) -> dict[str, OrgUnit]:
    return {
        code: OrgUnitFactory(code=code, name=f"Підрозділ {code}")
        for code in sorted(demo_unit_codes())
    }


@pytest.fixture
def demo_programme(demo_units: dict[str, OrgUnit]) -> Programme:
    return programme_import(actor=None, data=load_file(DEMO_FILE)).programme


@pytest.fixture
def login(client: Client) -> Callable[[User], Client]:
    """Log a user in with TOTP set up (so the MFA middleware lets personal-data roles by)."""

    def do_login(user: User) -> Client:
        TOTP.activate(user, generate_totp_secret())
        client.force_login(user)
        return client

    return do_login


def programme_data(**overrides: Any) -> dict[str, Any]:
    """Return a small valid import document (units A and B must exist)."""
    data: dict[str, Any] = {
        "format": "hromada.programme/1",
        "code": "imp-2025",
        "title": "Програма імпорту на 2025 рік",
        "years": [2025, 2025],
        "decision": {"number": "7", "date": "2024-12-01"},
        "coordinator_unit": "A",
        "measures": [
            {
                "number": 1,
                "title": "Захід перший",
                "responsible_units": ["A"],
                "funding": [{"year": 2025, "source": "city", "amount": 5000}],
                "indicators": [
                    {
                        "code": "events",
                        "name": "Проведено подій",
                        "unit": "од.",
                        "targets": {2025: 10},
                        "values": [{"period": 2025, "actual": 12}],
                    }
                ],
                "activities": [
                    {"type": "seminar", "date": "2025-03-01", "title": "Семінар"},
                    {
                        "type": "press_conference",
                        "count": 3,
                        "from": "2025-01-01",
                        "to": "2025-12-31",
                        "title": "Прес-конференція",
                        "by_mayor": True,
                    },
                ],
                "spending": [
                    {"date": "2025-04-01", "amount": "1940.00", "source": "city", "purpose": "Друк"}
                ],
                "narratives": [
                    {
                        "period": 2025,
                        "text": "Проведено {activities:press_conference} прес-конференції.",
                    }
                ],
            },
            {"number": 2, "title": "Захід другий", "responsible_units": ["B"]},
        ],
    }
    data.update(overrides)
    return data
