"""API token authentication: token, user and grants in one statement, DRF's behaviour kept."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework import authentication as drf_authentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.test import APIClient

from hromada.accounts.authentication import TokenAuthentication
from hromada.accounts.factories import OrgUnitFactory, StaffFactory, staff_with_role
from hromada.accounts.models import RoleAssignment, Substitution, User
from hromada.accounts.permissions import grants_of
from hromada.accounts.roles import Role

pytestmark = pytest.mark.django_db


def _fresh_grants(user: User) -> set[object]:
    return set(grants_of(User.objects.get(pk=user.pk)))


def test_a_token_gives_its_user_and_grants_in_one_statement():
    unit = OrgUnitFactory()
    clerk = staff_with_role(Role.OPERATOR, unit)
    token = Token.objects.create(user=clerk)

    with CaptureQueriesContext(connection) as queries:
        user, got = TokenAuthentication().authenticate_credentials(token.key)
        grants = set(grants_of(user))
        same_user = got.user

    assert len(queries.captured_queries) == 1
    assert user == clerk
    assert same_user is user
    assert got.key == token.key
    assert got.created == token.created
    assert grants == _fresh_grants(clerk)
    assert grants  # the operator's role over the unit


def test_the_grants_include_those_of_a_colleague_the_user_acts_for():
    unit = OrgUnitFactory()
    head = staff_with_role(Role.HEAD, unit)
    deputy = StaffFactory()
    today = timezone.localdate()
    Substitution.objects.create(
        absent=head, substitute=deputy, start=today - timedelta(days=1), end=today
    )
    token = Token.objects.create(user=deputy)

    user, _token = TokenAuthentication().authenticate_credentials(token.key)

    assert set(grants_of(user)) == _fresh_grants(deputy)
    assert any(g.role == Role.HEAD for g in grants_of(user))


def test_an_unknown_token_is_refused_with_drfs_message():
    with pytest.raises(AuthenticationFailed) as ours:
        TokenAuthentication().authenticate_credentials("0" * 40)
    with pytest.raises(AuthenticationFailed) as drfs:
        drf_authentication.TokenAuthentication().authenticate_credentials("0" * 40)
    assert str(ours.value.detail) == str(drfs.value.detail)


def test_an_inactive_users_token_is_refused_with_drfs_message():
    token = Token.objects.create(user=StaffFactory(is_active=False))
    with pytest.raises(AuthenticationFailed) as ours:
        TokenAuthentication().authenticate_credentials(token.key)
    with pytest.raises(AuthenticationFailed) as drfs:
        drf_authentication.TokenAuthentication().authenticate_credentials(token.key)
    assert str(ours.value.detail) == str(drfs.value.detail)


def test_a_revoked_role_shows_on_the_next_request():
    unit = OrgUnitFactory()
    clerk = staff_with_role(Role.OPERATOR, unit)
    token = Token.objects.create(user=clerk)
    first, _ = TokenAuthentication().authenticate_credentials(token.key)

    RoleAssignment.objects.filter(user=clerk).delete()
    second, _ = TokenAuthentication().authenticate_credentials(token.key)

    assert grants_of(first)
    assert grants_of(second) == ()


def test_the_api_answers_a_valid_token_and_refuses_a_deleted_one():
    clerk = staff_with_role(Role.OPERATOR, OrgUnitFactory())
    token = Token.objects.create(user=clerk)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/v1/appeals/").status_code == 200

    token.delete()

    response = client.get("/api/v1/appeals/")
    assert response.status_code == 401
