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
    # one statement: the session with its user and their grants; no panel query
    with django_assert_max_num_queries(1):
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


# --- permission changes take effect on the next request ------------------------------------
@pytest.fixture
def city_admin():
    return staff_with_role(Role.ADMIN)


def _with_totp(user):
    TOTP.activate(user, generate_totp_secret())
    return user


def _inline_dashboard(client: Client) -> str:
    return client.get(reverse("staff_home") + "?panels=inline").content.decode()


def test_revoking_a_role_hides_its_navigation_item_and_panel_on_the_next_page(
    client: Client, city_admin
):
    from hromada.accounts.models import RoleAssignment
    from hromada.accounts.services import role_assign, role_revoke

    user = _with_totp(staff_with_role(Role.EXECUTOR))
    controller = role_assign(actor=city_admin, user=user, role=Role.CONTROLLER)
    client.force_login(user)
    discipline = f'href="{reverse("control:discipline")}"'
    html = _inline_dashboard(client)
    assert discipline in html
    assert 'id="panel-overdue-by-unit"' in html

    role_revoke(actor=city_admin, assignment=RoleAssignment.objects.get(pk=controller.pk))

    html = _inline_dashboard(client)
    assert discipline not in html
    assert 'id="panel-overdue-by-unit"' not in html
    panel_url = reverse("staff_panel", args=["overdue-by-unit"])
    assert client.get(panel_url).status_code == 404


def test_a_new_role_shows_its_navigation_item_on_the_next_page(client: Client, city_admin):
    from hromada.accounts.services import role_assign

    user = _with_totp(staff_with_role(Role.EXECUTOR))
    client.force_login(user)
    audit = f'href="{reverse("audit_list")}"'
    assert audit not in _inline_dashboard(client)

    role_assign(actor=city_admin, user=user, role=Role.SECURITY_OFFICER)

    assert audit in _inline_dashboard(client)


def test_acting_for_a_controller_shows_their_navigation_only_while_the_substitution_runs(
    client: Client, city_admin
):
    from datetime import timedelta

    from django.utils import timezone

    from hromada.accounts.models import Substitution
    from hromada.accounts.services import substitution_create

    substitute = _with_totp(staff_with_role(Role.EXECUTOR))
    absent = staff_with_role(Role.CONTROLLER)
    client.force_login(substitute)
    discipline = f'href="{reverse("control:discipline")}"'
    assert discipline not in _inline_dashboard(client)

    today = timezone.localdate()
    substitution = substitution_create(
        actor=city_admin, absent=absent, substitute=substitute, start=today, end=today
    )
    assert discipline in _inline_dashboard(client)

    # The substitution is over (its last day was yesterday): the absent colleague's roles go.
    Substitution.objects.filter(pk=substitution.pk).update(
        start=today - timedelta(days=3), end=today - timedelta(days=1)
    )
    assert discipline not in _inline_dashboard(client)


def test_the_page_being_shown_is_marked_current_in_the_navigation(staff_client):
    url = reverse("notifications")
    html = staff_client.get(url).content.decode()
    assert f'href="{url}" aria-current="page"' in html
    assert html.count('aria-current="page"') == 1


# --- the lazy dashboard is kept rendered per process; what it shows still follows changes ---
def _lazy_dashboard(client: Client) -> str:
    client.cookies[JS_COOKIE] = "1"
    return client.get(reverse("staff_home")).content.decode()


def test_the_lazy_dashboard_follows_roles_granted_and_revoked(client: Client, city_admin):
    from hromada.accounts.models import RoleAssignment
    from hromada.accounts.services import role_assign, role_revoke

    user = _with_totp(staff_with_role(Role.EXECUTOR))
    client.force_login(user)
    audit = f'href="{reverse("audit_list")}"'
    assert audit not in _lazy_dashboard(client)

    granted = role_assign(actor=city_admin, user=user, role=Role.SECURITY_OFFICER)
    assert audit in _lazy_dashboard(client)

    role_revoke(actor=city_admin, assignment=RoleAssignment.objects.get(pk=granted.pk))
    assert audit not in _lazy_dashboard(client)


def test_the_lazy_dashboard_shows_a_changed_name_and_each_user_their_own(client: Client):
    first = _with_totp(staff_with_role(Role.EXECUTOR))
    client.force_login(first)
    assert first.full_name in _lazy_dashboard(client)

    first.surname = "Перейменована"
    first.save(update_fields=["surname"])
    first.refresh_from_db()
    assert first.full_name in _lazy_dashboard(client)

    second = _with_totp(staff_with_role(Role.EXECUTOR))
    other = Client()
    other.force_login(second)
    html = _lazy_dashboard(other)
    assert second.full_name in html
    assert first.full_name not in html


def test_every_lazy_dashboard_carries_a_csrf_token_that_works(executor):
    import re

    client = Client(enforce_csrf_checks=True)
    client.force_login(executor)
    tokens = []
    for _ in range(2):
        html = _lazy_dashboard(client)
        tokens.append(re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1))
        assert "hromada-csrf-" not in html
    assert tokens[0] != tokens[1]  # masked afresh for each request, as Django does

    response = client.post(reverse("account_logout"), {"csrfmiddlewaretoken": tokens[1]})
    assert response.status_code == 302
    assert client.get(reverse("staff_home")).status_code == 302  # signed out


def test_a_message_waiting_for_the_user_shows_on_the_lazy_dashboard(staff_client):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.test import RequestFactory

    _lazy_dashboard(staff_client)  # the shell is now kept for this user
    storage = CookieStorage(RequestFactory().get("/"))
    staff_client.cookies[storage.cookie_name] = storage._encode(
        [Message(constants.SUCCESS, "Доручення збережено")]
    )
    assert "Доручення збережено" in _lazy_dashboard(staff_client)
    assert "Доручення збережено" not in _lazy_dashboard(staff_client)  # shown once
