"""Fixtures of document-workflow tests: an office with journals, logged-in clients."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client

from hromada.accounts.models import User
from hromada.documents.factories import Office, make_office


@pytest.fixture
def office(db: None) -> Office:
    return make_office()


@pytest.fixture
def login(client: Client) -> Callable[[User], Client]:
    """Log a user in with TOTP set up, so that the MFA middleware lets them by."""

    def do_login(user: User) -> Client:
        TOTP.activate(user, generate_totp_secret())
        client.force_login(user)
        return client

    return do_login
