"""The whole-page cache of public portal pages: hits, invalidation, CSRF tokens, who is served."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from hromada.accounts.factories import OrgUnitFactory, UserFactory
from hromada.portal.cache import CACHE_HEADER
from hromada.portal.factories import ResourceFactory, ResourceObjectFactory, RubricFactory
from hromada.portal.services import resource_object_update

pytestmark = pytest.mark.django_db


def test_a_second_anonymous_visit_is_a_hit() -> None:
    RubricFactory(name="Освіта")
    assert Client().get("/")[CACHE_HEADER] == "miss"
    response = Client().get("/")
    assert response[CACHE_HEADER] == "hit"
    assert "Освіта" in response.content.decode()


def test_a_write_invalidates_the_cached_pages(django_capture_on_commit_callbacks: Any) -> None:
    obj = ResourceObjectFactory(name="Аптека № 5", resource=ResourceFactory(unit=OrgUnitFactory()))
    Client().get(obj.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        resource_object_update(object_id=obj.pk, data={"name": "Аптека № 6"}, actor=None)
    response = Client().get(obj.get_absolute_url())
    assert response[CACHE_HEADER] == "miss"
    assert "Аптека № 6" in response.content.decode()


def test_each_visitor_gets_their_own_csrf_token_from_a_cached_page() -> None:
    RubricFactory()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get("/")
    response = second.get("/")
    assert response[CACHE_HEADER] == "hit"
    token = re.search(
        r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"', response.content.decode()
    )
    assert token is not None
    # The token works with this visitor's own cookie (the language switch posts with it).
    posted = second.post(
        "/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": token.group(1)}
    )
    assert posted.status_code == 302


def test_signed_in_users_are_never_served_from_the_cache(client: Client) -> None:
    RubricFactory()
    Client().get("/")
    client.force_login(UserFactory())
    response = client.get("/")
    assert not response.has_header(CACHE_HEADER)
    assert "Мій кабінет" in response.content.decode()


def test_points_json_is_served_from_the_cache_with_an_etag() -> None:
    obj = ResourceObjectFactory(latitude=47.9, longitude=33.4)
    url = f"{obj.resource.get_absolute_url()}points.json"
    assert Client().get(url)[CACHE_HEADER] == "miss"
    response = Client().get(url)
    assert response[CACHE_HEADER] == "hit"
    assert response["ETag"].startswith('"')
    assert response["Cache-Control"] == "no-cache"
    assert response.json()[0][0] == obj.pk


def test_points_json_answers_not_modified_to_a_matching_etag() -> None:
    obj = ResourceObjectFactory(latitude=47.9, longitude=33.4)
    url = f"{obj.resource.get_absolute_url()}points.json"
    etag = Client().get(url)["ETag"]
    response = Client().get(url, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""


def test_points_json_gets_a_new_etag_after_a_write(
    django_capture_on_commit_callbacks: Any,
) -> None:
    obj = ResourceObjectFactory(latitude=47.9, longitude=33.4, resource=ResourceFactory())
    url = f"{obj.resource.get_absolute_url()}points.json"
    etag = Client().get(url)["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        resource_object_update(object_id=obj.pk, data={"name": "Нова назва"}, actor=None)
    response = Client().get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert "Нова назва" in response.content.decode()


def test_pages_with_a_csrf_token_carry_no_etag() -> None:
    RubricFactory()
    Client().get("/")
    assert not Client().get("/").has_header("ETag")


def test_kiosk_start_is_cached_on_the_server_but_not_in_the_browser(client: Client) -> None:
    RubricFactory(name="Медицина")
    assert client.get("/kiosk/")[CACHE_HEADER] == "miss"
    response = client.get("/kiosk/")
    assert response[CACHE_HEADER] == "hit"
    assert response["Cache-Control"] == "no-store"
    assert "Медицина" in response.content.decode()
    assert not response.cookies


def test_a_repeated_search_is_served_from_the_cache() -> None:
    ResourceObjectFactory(name="Аптека № 3")
    Client().get("/search/", {"q": "аптеки"})
    response = Client().get("/search/", {"q": "аптеки"})
    assert response[CACHE_HEADER] == "hit"
    assert "<mark>Аптека</mark> № 3" in response.content.decode()


def test_a_cached_hit_reads_nothing_from_the_database(
    django_assert_num_queries: Any,
) -> None:
    RubricFactory()
    Client().get("/resources/")
    with django_assert_num_queries(0):
        assert Client().get("/resources/")[CACHE_HEADER] == "hit"
