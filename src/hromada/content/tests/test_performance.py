"""Query counts of the site's pages and the two-level page cache (hits, invalidation)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.test import Client

from hromada.content.factories import make_material, make_section
from hromada.content.models import AnnouncementPage, NewsPage, RelatedMaterial, SectionPage
from hromada.content.selectors import section_facets
from hromada.portal.cache import STAMP_KEY, current_stamp, portal_changed

pytestmark = pytest.mark.django_db


@pytest.fixture
def section(site):
    return make_section("Події в місті", slug="podii")


def _queries(django_assert_max_num_queries, url: str) -> int:
    """Return the queries of an uncached anonymous request for a URL (warm process caches)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    Client().get(url)
    portal_changed()
    with CaptureQueriesContext(connection) as ctx:
        assert Client().get(url).status_code == 200
    return len(ctx.captured_queries)


def _materials(section: SectionPage, n: int, start: int = 0) -> list[NewsPage]:
    return [
        make_material(section, f"Новина {i}", slug=f"n-{i}", day=date(2025, 1, 1) + timedelta(i))
        for i in range(start, start + n)
    ]


def test_section_listing_queries_do_not_grow_with_its_materials(
    section, django_assert_max_num_queries
) -> None:
    _materials(section, 2)
    few = _queries(django_assert_max_num_queries, section.url)
    _materials(section, 30, start=2)
    assert _queries(django_assert_max_num_queries, section.url) == few


def test_sections_index_queries_do_not_grow_with_sections_or_materials(
    section, django_assert_max_num_queries
) -> None:
    _materials(section, 2)
    few = _queries(django_assert_max_num_queries, "/sections/")
    other = make_section("Закупівлі", slug="zakupivli")
    _materials(other, 5, start=10)
    assert _queries(django_assert_max_num_queries, "/sections/") == few


def test_material_page_queries_do_not_grow_with_related_materials(
    section, django_assert_max_num_queries
) -> None:
    item, *others = _materials(section, 6)
    RelatedMaterial.objects.create(page=item, material=others[0], sort_order=0)
    one = _queries(django_assert_max_num_queries, item.url)
    for i, other in enumerate(others[1:], start=1):
        RelatedMaterial.objects.create(page=item, material=other, sort_order=i)
    portal_changed()
    html = Client().get(item.url).content.decode()
    assert all(other.title in html for other in others)
    assert _queries(django_assert_max_num_queries, item.url) == one


def test_material_page_lists_only_live_related_materials(section) -> None:
    item, live, draft = _materials(section, 3)
    draft.unpublish()
    RelatedMaterial.objects.create(page=item, material=live, sort_order=0)
    RelatedMaterial.objects.create(page=item, material=draft, sort_order=1)
    portal_changed()
    html = Client().get(item.url).content.decode()
    assert f">{live.title}<" in html
    assert f">{draft.title}<" not in html


def test_section_facets_count_kinds_and_years_in_one_query(
    section, django_assert_num_queries
) -> None:
    make_material(section, "Новина", day=date(2025, 5, 1))
    make_material(section, "Оголошення", model=AnnouncementPage, day=date(2026, 2, 1))
    sub = make_section("Підрозділ", parent=section, slug="pidrozdil")
    make_material(sub, "Новина підрозділу", day=date(2024, 3, 1))
    section.refresh_from_db()
    section_facets(section)  # content types are cached after the first call
    with django_assert_num_queries(1):
        facets = section_facets(section)
    assert facets.total == 3
    assert facets.years == [2026, 2025, 2024]
    assert [k for k, _label in facets.kinds] == ["news", "announcement"]


def test_a_cached_page_costs_no_query(section, django_assert_num_queries) -> None:
    item = _materials(section, 1)[0]
    client = Client()
    for url in ("/sections/", section.url, item.url):
        assert client.get(url)["X-Portal-Cache"] == "miss"
        with django_assert_num_queries(0):
            assert client.get(url)["X-Portal-Cache"] == "hit"


def test_another_workers_cached_page_is_used(section) -> None:
    from django.core.cache import caches

    Client().get(section.url)
    caches["local"].clear()  # as in a worker that has not served the page yet
    assert Client().get(section.url)["X-Portal-Cache"] == "hit"


def test_publishing_shows_the_new_material_at_once(
    section, django_capture_on_commit_callbacks
) -> None:
    client = Client()
    assert "Свіжа новина" not in client.get(section.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        make_material(section, "Свіжа новина")
    response = client.get(section.url)
    assert response["X-Portal-Cache"] == "miss"
    assert "Свіжа новина" in response.content.decode()


def test_another_workers_change_shows_within_the_stamp_memo(section, settings) -> None:
    client = Client()
    client.get(section.url)
    cache.set(STAMP_KEY, "another-worker", None)  # a write committed in another process
    assert client.get(section.url)["X-Portal-Cache"] == "hit"  # this one still has the memo
    settings.HROMADA_PORTAL_STAMP_SECONDS = 0  # no memo: the shared stamp on every request
    assert client.get(section.url)["X-Portal-Cache"] == "miss"


def test_without_the_memo_a_lost_shared_stamp_is_a_change(section, settings) -> None:
    settings.HROMADA_PORTAL_STAMP_SECONDS = 0
    first = current_stamp()
    cache.clear()
    assert current_stamp() != first


def test_signed_in_visitors_are_not_served_from_the_cache(section, django_user_model) -> None:
    user = django_user_model.objects.create_user(email="reader@example.com", password="x" * 12)
    client = Client()
    client.force_login(user)
    client.get(section.url)
    assert "X-Portal-Cache" not in client.get(section.url)
