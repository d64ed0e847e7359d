"""The demo website: the seed's sections, materials spread over them, banners; idempotent."""

from __future__ import annotations

import pytest

from hromada.accounts.demo import load_demo
from hromada.content.demo import load_demo_content
from hromada.content.models import Banner, MaterialPage, SectionPage
from hromada.content.selectors import materials_search

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(site):
    load_demo(officials=40)


def test_demo_creates_the_seed_sections_materials_and_banners(city) -> None:
    assert load_demo_content(materials=300) is not None
    titles = set(SectionPage.objects.values_list("title", flat=True))
    assert {
        "Розробка Стратегічного плану розвитку міста",
        "Молодіжний виконком",
        "Сервіс електронних петицій",
        "Регуляторна політика",
        "Законодавство",
        "Публічні закупівлі",
        "Події в місті",
        "Місцеве самоврядування",
    } <= titles
    assert MaterialPage.objects.live().count() == 300
    assert MaterialPage.objects.values("unit").distinct().count() > 10
    assert set(Banner.objects.values_list("title", flat=True)) >= {
        "Інформація для переміщених осіб",
        "Захисникам Батьківщини",
    }


def test_demo_pages_are_a_valid_tree_served_by_wagtail(city) -> None:
    from django.test import Client
    from wagtail.models import Page

    load_demo_content(materials=120)
    assert not Page.find_problems()[0:4] or all(not p for p in Page.find_problems())
    item = MaterialPage.objects.live().order_by("-date").first()
    assert Client().get(item.url).status_code == 200
    assert item.specific.title in Client().get(item.get_parent().url).content.decode()


def test_demo_is_deterministic_and_loads_once(city) -> None:
    load_demo_content(materials=120)
    first = list(MaterialPage.objects.order_by("path").values_list("title", "slug"))
    assert load_demo_content(materials=120) is None
    assert MaterialPage.objects.count() == 120
    MaterialPage.objects.all().delete()
    load_demo_content(materials=120)
    assert list(MaterialPage.objects.order_by("path").values_list("title", "slug")) == first


def test_demo_materials_are_searchable(city) -> None:
    load_demo_content(materials=600)
    assert materials_search("будинку")[0] > 0


def test_demo_section_editor_writes_in_education_but_only_the_press_office_publishes(
    city,
) -> None:
    from hromada.accounts.models import User
    from hromada.content.services import editor_groups_sync

    load_demo_content(materials=40)
    department = User.objects.get(email="section-editor@demo.hromada.local")
    press = User.objects.get(email="editor@demo.hromada.local")
    editor_groups_sync(user=department)
    editor_groups_sync(user=press)
    education = SectionPage.objects.get(slug="osvita")
    other = SectionPage.objects.get(slug="zdorovia")
    assert education.permissions_for_user(department).can_add_subpage()
    assert not education.permissions_for_user(department).can_publish()
    assert not other.permissions_for_user(department).can_edit()
    assert education.permissions_for_user(press).can_publish()
