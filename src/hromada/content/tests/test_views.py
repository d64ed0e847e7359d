"""Public pages: sections with filters and pages, materials with their own fields, bad input."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from hromada.content.factories import make_material, make_section
from hromada.content.models import (
    AnnouncementPage,
    NewsPage,
    ProcurementPage,
    RegulatoryActPage,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def section(site):
    return make_section("Законодавство", slug="zakonodavstvo")


def test_section_lists_materials_twenty_a_page(section) -> None:
    for i in range(25):
        make_material(section, f"Новина {i}", day=date(2026, 1, 1) + timedelta(days=i))
    first = Client().get(section.url).content.decode()
    assert first.count('class="content-item"') == 20
    assert "Новина 24" in first
    assert "Новина 4<" not in first
    second = Client().get(section.url, {"page": 2}).content.decode()
    assert second.count('class="content-item"') == 5


def test_section_filters_by_kind(section) -> None:
    make_material(section, "Новина про ліцей")
    make_material(section, "Оголошення про конкурс", model=AnnouncementPage)
    html = Client().get(section.url, {"kind": "announcement"}).content.decode()
    assert "Оголошення про конкурс" in html
    assert "Новина про ліцей" not in html


def test_section_filters_acts_by_status(section) -> None:
    make_material(section, "Проєкт рішення", model=RegulatoryActPage, act_kind="council_decision")
    make_material(
        section, "Прийняте рішення", model=RegulatoryActPage, act_kind="council_decision",
        status="adopted", act_number="123", act_date=date(2026, 3, 1),
    )  # fmt: skip
    html = Client().get(section.url, {"kind": "act", "status": "adopted"}).content.decode()
    assert "Прийняте рішення" in html
    assert "Проєкт рішення" not in html


def test_section_filters_open_procurements(section) -> None:
    now = timezone.now()
    common = {"model": ProcurementPage, "procedure": "open", "expected_value": Decimal("1000")}
    make_material(section, "Закупівля відкрита", deadline=now + timedelta(days=3), **common)
    make_material(section, "Закупівля завершена", deadline=now - timedelta(days=3), **common)
    html = Client().get(section.url, {"kind": "procurement", "open": "1"}).content.decode()
    assert "Закупівля відкрита" in html
    assert "Закупівля завершена" not in html


def test_bad_filter_values_are_ignored(section) -> None:
    make_material(section, "Новина")
    for params in ({"year": "abc"}, {"kind": "<x>"}, {"page": "-1"}, {"month": "99"}):
        response = Client().get(section.url, params)
        assert response.status_code == 200
        assert "Новина" in response.content.decode()


def test_regulatory_act_page_shows_number_date_kind_and_status(section) -> None:
    act = make_material(
        section, "Про встановлення ставок єдиного податку", model=RegulatoryActPage,
        act_kind="council_decision", status="adopted", act_number="45/12",
        act_date=date(2026, 2, 3),
    )  # fmt: skip
    html = Client().get(act.url).content.decode()
    assert "№ 45/12" in html
    assert "03.02.2026" in html
    assert "Рішення міської ради" in html
    assert "Прийнятий" in html


def test_procurement_page_links_to_prozorro(section) -> None:
    item = make_material(
        section, "Закупівля ліків", model=ProcurementPage, procedure="open",
        expected_value=Decimal("250000.00"), prozorro_id="UA-2026-01-31-000123-a",
        deadline=timezone.make_aware(datetime(2026, 2, 15, 18, 0)),
    )  # fmt: skip
    html = Client().get(item.url).content.decode()
    assert "https://prozorro.gov.ua/tender/UA-2026-01-31-000123-a" in html
    assert "250000,00" in html


def test_adopted_act_needs_a_number_and_date(section) -> None:
    page = RegulatoryActPage(title="Акт", slug="akt", act_kind="mayor_order", status="adopted")
    with pytest.raises(ValidationError):
        section.add_child(instance=page)


def test_prozorro_id_must_have_its_format(section) -> None:
    page = ProcurementPage(
        title="Закупівля", slug="z", procedure="open", expected_value=Decimal("1"),
        prozorro_id="<script>",
    )  # fmt: skip
    with pytest.raises(ValidationError) as info:
        section.add_child(instance=page)
    assert "prozorro_id" in info.value.message_dict


def test_script_in_rich_text_is_removed_and_title_escaped(section) -> None:
    item = make_material(
        section,
        '<script>alert("t")</script>Новина',
        body=(
            '<p onclick="x()">Текст<script>alert(1)</script>'
            '<a href="javascript:alert(2)">лінк</a></p>'
        ),
    )
    item.refresh_from_db()
    assert "<script" not in item.body
    assert "onclick" not in item.body
    assert "javascript:" not in item.body
    html = Client().get(item.url).content.decode()
    assert '<script>alert("t")' not in html
    assert "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;Новина" in html
    assert "<p>Текст<a>лінк</a></p>" in html


def test_material_shows_its_tags_and_related_materials(section) -> None:
    first = make_material(section, "Перша новина")
    second = make_material(section, "Друга новина")
    second.tags.add("ремонт")
    second.related_links.create(material=first)
    second.save_revision().publish()
    html = Client().get(second.url).content.decode()
    assert "ремонт" in html
    assert "Перша новина" in html


def test_sections_index_lists_sections_with_counts(section) -> None:
    make_material(section, "Новина")
    html = Client().get("/sections/").content.decode()
    assert "Законодавство" in html
    assert "(1)" in html


def test_news_item_appears_on_the_home_after_publishing(
    section, django_capture_on_commit_callbacks
) -> None:
    client = Client()
    assert "Свіжа новина" not in client.get("/").content.decode()
    page = make_material(section, "Свіжа новина", publish=False)
    assert "Свіжа новина" not in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert "Свіжа новина" in client.get("/").content.decode()


def test_unpublished_news_item_leaves_the_home(section, django_capture_on_commit_callbacks) -> None:
    client = Client()
    page = make_material(section, "Знята новина", model=NewsPage)
    assert "Знята новина" in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert "Знята новина" not in client.get("/").content.decode()
