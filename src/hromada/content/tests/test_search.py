"""Materials in the portal search, with Ukrainian morphology."""

from __future__ import annotations

import pytest
from django.test import Client

from hromada.content.factories import make_material, make_section
from hromada.content.selectors import materials_search

pytestmark = pytest.mark.django_db


@pytest.fixture
def section(site):
    return make_section("Благоустрій", slug="blahoustrii")


def test_another_grammatical_case_finds_the_news_item(section) -> None:
    item = make_material(section, "Відремонтували будинок на вулиці Шевченка")
    total, items = materials_search("будинку")
    assert total == 1
    assert items[0].pk == item.pk


def test_portal_search_page_lists_materials(section) -> None:
    make_material(section, "Відремонтували будинок на вулиці Шевченка")
    html = Client().get("/search/", {"q": "будинку"}).content.decode()
    assert 'id="results-materials"' in html
    assert "<mark>будинок</mark>" in html


def test_search_json_lists_materials(section) -> None:
    item = make_material(section, "Утеплення фасадів", summary="Будинки стануть теплішими")
    data = Client().get("/search.json", {"q": "будинок"}).json()
    assert data["materials"]["total"] == 1
    assert data["materials"]["items"][0]["url"] == item.url


def test_unpublished_materials_are_not_found(section) -> None:
    make_material(section, "Чернетка про будинок", publish=False)
    assert materials_search("будинок") == (0, [])


def test_material_body_words_are_found(section) -> None:
    make_material(section, "Новина", body="<p>Триває ремонт покрівлі</p>")
    assert materials_search("покрівлею")[0] == 1


def test_search_input_of_quotes_and_operators_is_safe(section) -> None:
    make_material(section, "Будинок")
    for q in ['"будинок" OR 1=1 --', "%_\\'", "будинок " * 2000, "<script>"]:
        response = Client().get("/search/", {"q": q})
        assert response.status_code == 200
