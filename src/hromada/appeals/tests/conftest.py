"""Fixtures of appeals tests: the control factories' organisation, logged-in clients."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client

from hromada.accounts.models import User
from hromada.control.factories import Org, make_org


@pytest.fixture
def org(db: None) -> Org:
    ensure_classifiers()
    return make_org()


@pytest.fixture(autouse=True)
def classifiers_after_flush(request: pytest.FixtureRequest) -> None:
    """Browser tests run on a flushed database (transactional): give them classifier 858."""
    if {"live_server", "transactional_db"} & set(request.fixturenames):
        request.getfixturevalue("transactional_db")
        ensure_classifiers()


def ensure_classifiers() -> None:
    """Load classifier 858 if a transactional test (browser tests) flushed the migration's data."""
    from hromada.core.classifiers import load_builtin_classifiers
    from hromada.core.models import ClassifierItem

    if not ClassifierItem.objects.filter(classifier="858").exists():
        load_builtin_classifiers()


@pytest.fixture
def login(client: Client) -> Callable[[User], Client]:
    """Log a user in with TOTP set up, so that the MFA middleware lets them by."""

    def do_login(user: User) -> Client:
        TOTP.activate(user, generate_totp_secret())
        client.force_login(user)
        return client

    return do_login
