from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory, override_settings

from hromada.accounts.factories import staff_with_role
from hromada.accounts.roles import Role
from hromada.core.middleware import client_ip


def test_client_ip_is_the_connection_address_without_trusted_proxies() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.0.0.5"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_client_ip_behind_one_proxy_takes_the_address_the_proxy_appended() -> None:
    # The left entry was sent by the client and may be forged; the proxy appended the right one.
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    assert client_ip(request) == "203.0.113.7"


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_client_ip_falls_back_when_the_header_is_shorter_or_garbage() -> None:
    short = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert client_ip(short) == "10.0.0.5"
    garbage = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="x, y")
    assert client_ip(garbage) == "10.0.0.5"


@pytest.mark.django_db
def test_views_get_the_signed_in_user_itself_not_a_lazy_wrapper(client: Client) -> None:
    user = staff_with_role(Role.OPERATOR)
    client.force_login(user)

    request = client.get("/cabinet/").wsgi_request

    assert type(request.user) is type(user)
    assert request.user.pk == user.pk


@pytest.mark.django_db
def test_an_anonymous_visitor_is_djangos_anonymous_user(client: Client) -> None:
    request = client.get("/").wsgi_request

    assert type(request.user) is AnonymousUser
