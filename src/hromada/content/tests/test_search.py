"""Materials in the portal search, with Ukrainian morphology."""

from __future__ import annotations

import pytest
from django.test import Client

from hromada.content import selectors
from hromada.content.factories import make_material, make_section
from hromada.content.search import search_materials
from hromada.content.selectors import materials_search

pytestmark = pytest.mark.django_db


@pytest.fixture
def section(site):
    return make_section("Благоустрій", slug="blahoustrii")


def test_another_grammatical_case_finds_the_news_item(section) -> None:
    item = make_material(section, "Відремонтували будинок на вулиці Шевченка")
    total, items, _more = materials_search("будинку")
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
    assert materials_search("будинок") == (0, [], False)


def test_material_body_words_are_found(section) -> None:
    make_material(section, "Новина", body="<p>Триває ремонт покрівлі</p>")
    assert materials_search("покрівлею")[0] == 1


def test_search_input_of_quotes_and_operators_is_safe(section) -> None:
    make_material(section, "Будинок")
    for q in ['"будинок" OR 1=1 --', "%_\\'", "будинок " * 2000, "<script>"]:
        response = Client().get("/search/", {"q": q})
        assert response.status_code == 200


def test_unpublishing_a_material_removes_it_from_search(section) -> None:
    item = make_material(section, "Відремонтували будинок")
    item.unpublish()
    assert materials_search("будинку").total == 0


def test_every_word_of_a_query_must_match(section) -> None:
    make_material(section, "Засідання виконкому")
    make_material(section, "Засідання сесії міської ради")
    assert materials_search("засіданні виконкому").total == 1


def test_a_typo_still_finds_the_word(section) -> None:
    make_material(section, "Ремонт покрівлі школи")
    assert materials_search("ремонтт").total == 1


def test_a_word_with_an_apostrophe_is_found(section) -> None:
    make_material(section, "Ярмарок м’ясних продуктів", body="<p>Сім'я і здоров'я.</p>")
    assert materials_search("м'ясних").total == 1
    assert materials_search("здоров’я").total == 1


@pytest.mark.parametrize(
    "q",
    [
        "будинок & !ремонт",
        "будинок | ремонт",
        "будинок:* <-> ремонт",
        "'будинок'",
        "''':*",
        "будинок\\",
        "(будинок",
        "будинок " * 1300,  # ≈ 10 KB
    ],
)
def test_full_text_operators_in_a_query_are_plain_words(section, q) -> None:
    make_material(section, "Ремонт будинку")
    assert materials_search(q).total in (0, 1)
    assert Client().get("/search/", {"q": q, "type": "materials"}).status_code == 200


def test_results_are_newest_first(section) -> None:
    from datetime import date

    make_material(section, "Старий будинок", day=date(2025, 1, 1))
    make_material(section, "Новий будинок", day=date(2026, 1, 1))
    items = materials_search("будинок").items
    assert [i.title for i in items] == ["Новий будинок", "Старий будинок"]


def test_beyond_the_cap_the_count_says_more(section, monkeypatch) -> None:
    for i in range(4):
        make_material(section, f"Будинок {i}", slug=f"b-{i}")
    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 2)
    result = materials_search("будинок", limit=2)
    assert (result.total, len(result.items), result.more) == (2, 2, True)
    hits = search_materials(None, "будинок", 2)
    assert hits.total == 2
    assert "Матеріали сайту (понад 2)" in hits.html


def test_the_count_is_exact_up_to_the_cap(section) -> None:
    for i in range(3):
        make_material(section, f"Будинок {i}", slug=f"b-{i}")
    result = materials_search("будинок", limit=2)
    assert (result.total, len(result.items), result.more) == (3, 2, False)


def test_search_queries_do_not_grow_with_the_results(
    section, django_assert_max_num_queries
) -> None:
    for i in range(25):
        make_material(section, f"Будинок {i}", slug=f"b-{i}")
    with django_assert_max_num_queries(2):  # the page of results, the capped count
        hits = materials_search("будинок")
    assert len(hits.items) == 20


def test_result_links_are_the_pages_own_urls(section) -> None:
    item = make_material(section, "Будинок культури")
    hits = search_materials(None, "будинку", 20)
    assert hits.items[0]["url"] == item.url
    assert f'href="{item.url}"' in hits.html
