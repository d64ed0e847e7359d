"""RSS and Atom feeds of a section: valid XML, newest materials, escaped text."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from hromada.content.factories import make_material, make_section

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def section(site):
    section = make_section("Події в місті", slug="podii")
    make_material(section, "Відкрили сквер", summary="Сквер на вулиці Шевченка")
    make_material(section, "Ярмарок <script>alert(1)</script> & свято", summary="a < b")
    make_material(section, "Чернетка", publish=False)
    return section


def test_rss_feed_is_valid_xml_with_the_live_materials(section) -> None:
    response = Client().get(f"{section.url}rss/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed
    titles = [item.findtext("title") for item in root.iter("item")]
    assert sorted(titles) == sorted(["Відкрили сквер", "Ярмарок <script>alert(1)</script> & свято"])
    assert root.find("channel/title").text == "Події в місті"
    assert all(
        item.findtext("link").startswith("http://testserver/sections/podii/")
        for item in root.iter("item")
    )


def test_atom_feed_is_valid_xml_with_the_live_materials(section) -> None:
    response = Client().get(f"{section.url}atom/")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 2
    assert {e.findtext(f"{ATOM}summary") for e in entries} == {"Сквер на вулиці Шевченка", "a < b"}


def test_feed_escapes_markup_in_titles(section) -> None:
    body = Client().get(f"{section.url}rss/").content.decode()
    assert "<script>" not in body
    assert "&lt;script&gt;" in body
