"""The lean reading of the API's card: the serializer's result, or no answer at all."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework import serializers

from hromada.appeals.api_parse import LeanParser
from hromada.appeals.serializers import AppealRegisterSerializer

PARSER = LeanParser(AppealRegisterSerializer)

WELL_FORMED: dict[str, Any] = {
    "body": "VK",
    "channel": "hotline",
    "surname": "  Мельник ",
    "given_name": "Петро",
    "address": "вул. Центральна, 5",
    "phone": "+380 50 765 43 21",
    "text": "<script>x</script> Немає води",
    "topics": ["109", " 110 "],
    "needs_study": False,
    "signatories": 3,
    "written_date": None,
    "consent": True,
    "unknown": {"ignored": 1},
}


def _serializer_result(data: Any) -> dict[str, Any] | None:
    serializer = AppealRegisterSerializer(data=data)
    return dict(serializer.validated_data) if serializer.is_valid() else None


def test_a_well_formed_card_is_read_as_the_serializer_reads_it():
    lean = PARSER.parse(WELL_FORMED)

    assert lean is not None
    assert lean == _serializer_result(WELL_FORMED)
    assert lean["surname"] == "Мельник"
    assert lean["topics"] == ["109", "110"]
    assert lean["kind"] == AppealRegisterSerializer().fields["kind"].default


def test_an_input_with_an_error_gets_no_answer_so_the_serializer_reports_it():
    for changes in (
        {"text": "   "},
        {"topics": "109"},
        {"topics": ["x" * 31]},
        {"topics": ["1"] * 21},
        {"district": "1234"},
        {"channel": "web"},
        {"signatories": 0},
        {"surname": "a\x00b"},
        {"consent": None},
    ):
        data = {**WELL_FORMED, **changes}
        assert PARSER.parse(data) is None, changes
        assert _serializer_result(data) is None, changes
    assert PARSER.parse({k: v for k, v in WELL_FORMED.items() if k != "text"}) is None
    assert PARSER.parse(["not", "an", "object"]) is None


def test_an_unusual_but_valid_value_is_left_to_the_serializer():
    # DRF accepts a number for a string and "true" for a boolean: the serializer decides.
    for changes in ({"phone": 380507654321}, {"needs_study": "true"}, {"signatories": "3"}):
        data = {**WELL_FORMED, **changes}
        assert PARSER.parse(data) is None
        assert _serializer_result(data) is not None


def test_a_serializer_with_its_own_validation_is_never_read_lean():
    class Checked(serializers.Serializer[Any]):
        name = serializers.CharField()

        def validate_name(self, value: str) -> str:
            raise serializers.ValidationError("ні")

    assert LeanParser(Checked).parse({"name": "x"}) is None


_strings = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", " ", "  109 ", "\t\n", "a\x00", "\ud800", "api", "hotline", "VK"]),
    st.integers(min_value=0, max_value=20_050).map(lambda n: " " + "я" * n),
)
_values = st.one_of(
    _strings,
    st.none(),
    st.booleans(),
    st.integers(min_value=-2, max_value=100_002),
    st.floats(allow_nan=False, allow_infinity=False),
    st.lists(_strings, max_size=22),
    st.sampled_from(["2026-01-31", "2026-02-30", "individual", "application", "true", "1"]),
)
_cards = st.dictionaries(
    st.sampled_from([*AppealRegisterSerializer().fields, "extra"]), _values, max_size=24
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(card=_cards, base=st.booleans())
def test_whenever_the_lean_reading_answers_it_equals_the_serializers(card, base) -> None:  # type: ignore[no-untyped-def]
    data = {**WELL_FORMED, **card} if base else card

    lean = PARSER.parse(data)

    if lean is not None:
        assert lean == _serializer_result(data)
