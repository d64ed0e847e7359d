"""Fixtures for accounts tests: a small city, staff clients with the second factor set up."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client, override_settings

from hromada.accounts.factories import (
    EmploymentFactory,
    OrgUnitFactory,
    PositionFactory,
    StaffFactory,
    staff_with_role,
)
from hromada.accounts.models import OrgUnit, User
from hromada.accounts.roles import Role


@dataclass
class City:
    """Unit A with subunit A1, and an unrelated unit B; one employee in each."""

    a: OrgUnit
    a1: OrgUnit
    b: OrgUnit
    in_a: User
    in_a1: User
    in_b: User


@pytest.fixture
def city(db: None) -> City:
    a = OrgUnitFactory(code="A", name="Департамент A", kind=OrgUnit.Kind.DEPARTMENT)
    a1 = OrgUnitFactory(code="A1", name="Відділ A1", parent=a)
    b = OrgUnitFactory(code="B", name="Департамент B", kind=OrgUnit.Kind.DEPARTMENT)
    people = {}
    for key, unit in (("a", a), ("a1", a1), ("b", b)):
        person = StaffFactory(email=f"worker-{key}@example.org")
        EmploymentFactory(user=person, position=PositionFactory(unit=unit))
        people[key] = person
    return City(a=a, a1=a1, b=b, in_a=people["a"], in_a1=people["a1"], in_b=people["b"])


@pytest.fixture
def city_admin(db: None) -> User:
    return staff_with_role(Role.ADMIN, None, email="admin@example.org")


@pytest.fixture
def login(client: Client) -> Callable[[User], Client]:
    """Return a function that logs a user in with TOTP set up (the MFA middleware lets them by)."""

    def do_login(user: User) -> Client:
        TOTP.activate(user, generate_totp_secret())
        client.force_login(user)
        return client

    return do_login


@pytest.fixture
def immediate_tasks() -> Iterator[None]:
    """Run background tasks at once (e-mails land in mail.outbox)."""
    with override_settings(
        TASKS={
            "default": {
                "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                "QUEUES": ["default", "mail"],
            }
        }
    ):
        yield
