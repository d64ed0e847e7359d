"""PreparedQuery: an ORM query compiled once, run again with new values."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ImproperlyConfigured

from hromada.accounts.factories import StaffFactory
from hromada.accounts.models import User
from hromada.core.prepared import PreparedQuery

SINCE = datetime(2000, 1, 1, tzinfo=UTC)

pytestmark = pytest.mark.django_db


def _by_email_joined_since(email: str, since: datetime):
    return User.objects.filter(email=email, date_joined__gte=since).values_list("pk")


def test_a_prepared_query_returns_what_the_orm_returns_for_each_new_value():
    query = PreparedQuery(
        _by_email_joined_since,
        email="placeholder@example.invalid",
        since=datetime(1901, 2, 3, tzinfo=UTC),
    )
    first, second = StaffFactory(), StaffFactory()
    for user in (first, second):
        rows = query.rows(email=user.email, since=SINCE)
        assert [r[0] for r in rows] == list(
            _by_email_joined_since(user.email, SINCE).values_list("pk", flat=True)
        )
        assert [r[0] for r in rows] == [user.pk]
    assert query.rows(email=first.email, since=datetime(2999, 1, 1, tzinfo=UTC)) == []


def test_a_parameter_that_is_no_placeholder_is_refused():
    query = PreparedQuery(
        lambda email: User.objects.filter(email=email, pk__gt=7).values_list("pk"),
        email="placeholder@example.invalid",
    )
    with pytest.raises(ImproperlyConfigured):
        query.rows(email="x@example.com")


def test_prepared_model_instances_carry_the_same_typed_values_as_the_orms():
    query = PreparedQuery(lambda pk: User.objects.filter(pk=pk), pk=-730_001)
    user = StaffFactory()

    (prepared,) = query.instances(pk=user.pk)

    loaded = User.objects.get(pk=user.pk)
    assert prepared == loaded
    for field in User._meta.concrete_fields:
        assert getattr(prepared, field.attname) == getattr(loaded, field.attname), field.name
    assert prepared.is_active is True
    assert prepared.date_joined.tzinfo is not None
    assert query.instances(pk=user.pk + 1000) == []


def test_prepared_instances_bring_their_select_related_objects_as_the_orm_does(
    django_assert_num_queries,
):
    from rest_framework.authtoken.models import Token

    query = PreparedQuery(
        lambda key: Token.objects.filter(key=key).select_related("user"), key="placeholder-key"
    )
    token = Token.objects.create(user=StaffFactory())

    with django_assert_num_queries(1):
        (prepared,) = query.instances(key=token.key)
        user = prepared.user  # read with the token: no query of its own

    loaded = Token.objects.select_related("user").get(key=token.key)
    assert prepared == loaded
    assert prepared.created == loaded.created
    for field in User._meta.concrete_fields:
        assert getattr(user, field.attname) == getattr(loaded.user, field.attname), field.name
    assert query.instances(key="no-such-key") == []
