"""The staff dashboard: panels inline without JavaScript, loaded after the page with it."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django.urls import reverse

from hromada.accounts.factories import UserFactory, staff_with_role
from hromada.accounts.roles import Role
from hromada.core.notifications import notify
from hromada.core.views import JS_COOKIE

pytestmark = pytest.mark.django_db


@pytest.fixture
def executor():
    user = staff_with_role(Role.EXECUTOR)
    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def staff_client(client: Client, executor) -> Client:
    client.force_login(executor)
    notify(recipient=executor, key="t:1", title="Нове доручення №17", email=False)
    return client


def test_without_javascript_the_panels_are_rendered_into_the_page(staff_client):
    html = staff_client.get(reverse("staff_home")).content.decode()
    assert "Нове доручення №17" in html
    assert "hx-get" not in html


def test_with_javascript_the_page_comes_first_and_each_panel_loads_by_itself(staff_client):
    staff_client.cookies[JS_COOKIE] = "1"
    html = staff_client.get(reverse("staff_home")).content.decode()
    assert "Нове доручення №17" not in html
    panel_url = reverse("staff_panel", args=["notifications"])
    assert f'hx-get="{panel_url}"' in html
    assert "?panels=inline" in html  # a way to see everything at once

    panel = staff_client.get(panel_url)
    assert panel.status_code == 200
    assert "Нове доручення №17" in panel.content.decode()


def test_panels_inline_on_request_even_with_javascript(staff_client):
    staff_client.cookies[JS_COOKIE] = "1"
    html = staff_client.get(reverse("staff_home") + "?panels=inline").content.decode()
    assert "Нове доручення №17" in html


def test_the_lazy_dashboard_costs_a_few_queries_whatever_the_panels(
    staff_client, django_assert_max_num_queries
):
    staff_client.cookies[JS_COOKIE] = "1"
    staff_client.get(reverse("staff_home"))  # warm up: the session learns about TOTP
    # session, user, roles; no panel query
    with django_assert_max_num_queries(3):
        assert staff_client.get(reverse("staff_home")).status_code == 200


def test_an_unknown_panel_is_not_found(staff_client):
    assert staff_client.get(reverse("staff_panel", args=["no-such-panel"])).status_code == 404


def test_a_panel_is_not_found_for_who_may_not_see_it(client: Client):
    # The audit panel/nav belongs to security officers; an editor does not get it.
    editor = staff_with_role(Role.EDITOR)
    client.force_login(editor)
    from hromada.core.registry import registry

    hidden = [p.key for p in registry.panels.values() if not editor.has_perm(p.perm)]
    assert hidden, "some panel is restricted (e.g. overdue-by-unit to controllers)"
    for key in hidden:
        assert client.get(reverse("staff_panel", args=[key])).status_code == 404


def test_citizens_get_no_panels(client: Client):
    client.force_login(UserFactory())
    assert client.get(reverse("staff_panel", args=["notifications"])).status_code == 403
    assert client.get(reverse("staff_home")).status_code == 403
