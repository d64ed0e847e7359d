from __future__ import annotations

import pytest

from hromada.portal.schema import Attribute, clean_attributes, clean_value, parse_schema

SCHEMA = [
    {"name": "open_sunday", "label": "Неділя", "type": "boolean"},
    {"name": "staff", "label": "Працівників", "type": "integer", "required": True},
    {"name": "kind", "label": "Тип", "type": "choice", "choices": ["а", "б"]},
]


def test_schema_with_valid_attributes_is_parsed() -> None:
    attrs = parse_schema(SCHEMA)
    assert [a.name for a in attrs] == ["open_sunday", "staff", "kind"]
    assert attrs[1].required


@pytest.mark.parametrize(
    "bad",
    [
        "not a list",
        [{"name": "Bad Name", "type": "text"}],
        [{"name": "address", "type": "text"}],
        [{"name": "x", "type": "colour"}],
        [{"name": "x", "type": "choice"}],
        [{"name": "x", "type": "text"}, {"name": "x", "type": "text"}],
    ],
)
def test_bad_schema_is_refused_with_a_ukrainian_message(bad: object) -> None:
    with pytest.raises(ValueError, match=r"[а-яї]"):
        parse_schema(bad)


def test_attributes_are_converted_to_their_types() -> None:
    cleaned = clean_attributes(
        parse_schema(SCHEMA), {"open_sunday": "так", "staff": "12", "kind": "б"}
    )
    assert cleaned == {"open_sunday": True, "staff": 12, "kind": "б"}


def test_attribute_of_the_wrong_type_is_refused() -> None:
    with pytest.raises(ValueError, match="Працівників"):
        clean_attributes(parse_schema(SCHEMA), {"staff": "багато"})


def test_missing_required_attribute_is_refused() -> None:
    with pytest.raises(ValueError, match="обов'язкове"):
        clean_attributes(parse_schema(SCHEMA), {"open_sunday": True})


def test_unknown_attribute_is_refused() -> None:
    with pytest.raises(ValueError, match="Невідомі атрибути: colour"):
        clean_attributes(parse_schema(SCHEMA), {"staff": 1, "colour": "red"})


def test_choice_outside_the_list_is_refused() -> None:
    with pytest.raises(ValueError, match="Тип"):
        clean_value(Attribute("kind", "Тип", "choice", choices=("а",)), "в")


def test_number_accepts_a_decimal_comma_and_refuses_nan() -> None:
    attr = Attribute("area", "Площа", "number")
    assert clean_value(attr, "12,5") == 12.5
    with pytest.raises(ValueError, match="Площа"):
        clean_value(attr, "nan")
