"""Fixtures of execution-control tests: a small organisation, a controlled test item, dates."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django.utils import timezone

from hromada.accounts.models import User
from hromada.control.factories import Hooks, Org, make_org, positions_controlled


@pytest.fixture
def org(db: None) -> Org:
    return make_org()


@pytest.fixture
def today() -> date:
    return timezone.localdate()


@pytest.fixture
def hooks(today: date) -> Iterator[Hooks]:
    with positions_controlled(today) as h:
        yield h


@pytest.fixture
def login(client: Client) -> Callable[[User], Client]:
    """Log a user in with TOTP set up, so that the MFA middleware lets them by."""

    def do_login(user: User) -> Client:
        TOTP.activate(user, generate_totp_secret())
        client.force_login(user)
        return client

    return do_login
