"""Banners: shown in their period and place; bad links and dates refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from hromada.content.factories import make_section
from hromada.content.models import Banner
from hromada.content.selectors import banners_shown

pytestmark = pytest.mark.django_db


def _banner(**kwargs) -> Banner:
    today = timezone.localdate()
    fields = {"title": "Захисникам Батьківщини", "link": "/sections/", "start": today}
    fields.update(kwargs)
    banner = Banner(**fields)
    banner.full_clean()
    banner.save()
    return banner


def test_home_banner_is_shown_only_within_its_period(site) -> None:
    today = timezone.localdate()
    current = _banner(title="Зараз", start=today - timedelta(days=3), end=today)
    _banner(title="Минулий", start=today - timedelta(days=10), end=today - timedelta(days=1))
    _banner(title="Майбутній", start=today + timedelta(days=1))
    endless = _banner(title="Безстроковий", start=today - timedelta(days=400), end=None, order=5)
    assert banners_shown(day=today) == [current, endless]


def test_banners_are_ordered_by_their_order(site) -> None:
    second = _banner(title="Другий", order=2)
    first = _banner(title="Перший", order=1)
    assert banners_shown(day=timezone.localdate()) == [first, second]


def test_section_banner_shows_in_its_section_and_not_on_the_home(site) -> None:
    section = make_section("Молодіжний виконком", slug="molod")
    other = make_section("Інший", slug="inshyi")
    banner = _banner(title="Конкурс", placement=Banner.Placement.SECTION, section=section)
    today = timezone.localdate()
    assert banners_shown(day=today, section=section) == [banner]
    assert banners_shown(day=today, section=other) == []
    assert banners_shown(day=today) == []
    assert "Конкурс" in Client().get(section.url).content.decode()


def test_home_page_shows_the_home_banners(site) -> None:
    _banner(title="Інформація для переміщених осіб")
    assert "Інформація для переміщених осіб" in Client().get("/").content.decode()


@pytest.mark.parametrize("link", ["javascript:alert(1)", "//evil.example/", "data:text/html,x", ""])
def test_banner_link_must_be_on_the_site_or_https(site, link: str) -> None:
    with pytest.raises(ValidationError) as info:
        _banner(link=link)
    assert "link" in info.value.message_dict


def test_banner_cannot_end_before_it_starts(site) -> None:
    today = timezone.localdate()
    with pytest.raises(ValidationError) as info:
        _banner(start=today, end=today - timedelta(days=1))
    assert "end" in info.value.message_dict


def test_section_banner_needs_a_section(site) -> None:
    with pytest.raises(ValidationError) as info:
        _banner(placement=Banner.Placement.SECTION)
    assert "section" in info.value.message_dict


def test_banner_title_with_markup_is_escaped_on_the_home(site) -> None:
    _banner(title="<img src=x onerror=alert(1)>Банер")
    html = Client().get("/").content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;Банер" in html
