"""Registration's one read (selectors.intake_reads) and the API's answer without a second read.

What the read returns must be what the ORM queries it replaces return: the classifier's
codes of the edition valid on the day, the calendar's term, the person's earlier appeals.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection, transaction
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hromada.appeals import selectors, services, terms
from hromada.appeals.factories import card, register
from hromada.appeals.models import Appeal, AppealEvent, AppealLink
from hromada.appeals.serializers import AppealSerializer
from hromada.appeals.tests.test_api import URL, payload
from hromada.control.factories import Org
from hromada.core.models import (
    AuditEvent,
    CalendarOverride,
    ClassifierItem,
    Counter,
    HolidaysWorkingPeriod,
)

pytestmark = pytest.mark.django_db


def _reads(**overrides: Any) -> selectors.IntakeReads:
    values: dict[str, Any] = {
        "idempotency_key": "",
        "codes": {("topics", "109")},
        "classifier": services.CLASSIFIER,
        "on": date(2026, 11, 26),
        "window": (date(2026, 12, 11), date(2027, 2, 10)),
        "new_id": False,
    }
    values.update(overrides)
    with transaction.atomic():
        return selectors.intake_reads(**values)


def _api(org: Org) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=org.operator)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _payload(org: Org, **changes: Any) -> dict[str, Any]:
    # The API tests' card, its topics repeated and padded (the card's check tidies them).
    return payload(org, **{"topics": ["109", " 110 ", "109"], **changes})


def test_read_codes_are_those_of_the_edition_valid_on_the_day(org: Org) -> None:
    day = date(2026, 11, 26)
    ClassifierItem.objects.create(
        classifier="858", section="topics", code="T-OLD", label="old", valid_to=day - timedelta(1)
    )
    ClassifierItem.objects.create(
        classifier="858", section="topics", code="T-NEW", label="new", valid_from=day + timedelta(1)
    )
    ClassifierItem.objects.create(
        classifier="858", section="topics", code="T-NOW", label="now", valid_from=day
    )
    asked = {
        ("topics", "109"),
        ("topics", "T-OLD"),
        ("topics", "T-NEW"),
        ("topics", "T-NOW"),
        ("4", "4.2"),
        ("7", "4.2"),  # a real code in another section is not a category
        ("topics", "nope"),
    }
    reads = _reads(codes=asked, on=day)
    assert reads.valid_codes == {("topics", "109"), ("topics", "T-NOW"), ("4", "4.2")}
    assert reads.valid_codes == services.valid_codes(asked, day)


def test_unknown_code_from_the_read_gets_the_card_message(org: Org) -> None:
    with pytest.raises(services.ApplicationError) as error:
        register(org, sex="4.9", topics=["109"])
    assert error.value.field == "sex"
    assert "4.9" in str(error.value)
    assert not Appeal.objects.exists()


@pytest.mark.parametrize("needs_study", [False, True])
def test_term_from_the_read_calendar_equals_the_calendar_modules(
    org: Org, needs_study: bool
) -> None:
    # A weekday made a day off, a Saturday made a working day, martial-law style period.
    CalendarOverride.objects.create(date=date(2026, 12, 14), is_working=False, note="x")
    CalendarOverride.objects.create(date=date(2027, 1, 9), is_working=True, note="y")
    CalendarOverride.objects.create(date=date(2027, 1, 11), is_working=False, note="z")
    HolidaysWorkingPeriod.objects.create(start=date(2027, 3, 1), end=date(2027, 3, 31))
    day = date(2026, 11, 20)
    while day < date(2027, 3, 20):
        window = terms.term_window(day, needs_study=needs_study)
        reads = _reads(on=day, window=window)
        assert terms.initial_due_date(
            day, needs_study=needs_study, rules=reads.calendar
        ) == terms.initial_due_date(day, needs_study=needs_study), day
        day += timedelta(days=1)


def test_read_finds_the_same_earlier_appeals_as_the_lookup(org: Org) -> None:
    register(org, phone="+380 67 111 22 33")
    register(org, topics=["110"], confirm_not_duplicate=True, phone="")
    register(
        org,
        surname="Інша",
        given_name="Особа",
        phone="067 111 22 33",
        topics=["111"],
    )
    register(org, surname="Зовсім", given_name="Чужа", phone="0509999999", topics=["112"])
    for surname, given, phone in (
        ("Коваленко", "Олена", ""),
        ("", "", "+380671112233"),
        (" коваленко ", "ОЛЕНА", "0671112233"),
        ("Ніхто", "Ніде", "12"),
    ):
        key = selectors.person_key(surname, given, "Петрівна" if surname.strip() else "")
        reads = _reads(person=(key, selectors.phone_digits(phone)))
        expected = selectors.earlier_appeals(
            surname=surname,
            given_name=given,
            patronymic="Петрівна" if surname.strip() else "",
            phone=phone,
        )
        assert sorted(reads.earlier_ids) == sorted(a.pk for a in expected)
        assert [a.pk for a in selectors.earlier_by_ids(reads.earlier_ids)] == [
            a.pk for a in expected
        ]


def test_duplicate_is_still_found_through_the_read(org: Org) -> None:
    first = register(org).appeal
    with pytest.raises(services.ApplicationError) as error:
        register(org, phone="")
    assert error.value.code == "possible_duplicate"
    assert first.reg_index in str(error.value)
    assert Appeal.objects.count() == 1


def test_api_answer_is_what_the_appeal_serializer_shows(org: Org) -> None:
    response = _api(org).post(URL, _payload(org), format="json", HTTP_IDEMPOTENCY_KEY="c-1")
    assert response.status_code == 201, response.json()
    appeal = (
        Appeal.objects.select_related("unit")
        .prefetch_related("topics")
        .get(pk=response.json()["appeal"]["id"])
    )
    assert response.json()["appeal"] == AppealSerializer(appeal).data
    assert response.json()["appeal"]["topics"] == ["109", "110"]
    assert appeal.idempotency_hash  # written with the row, for the 422 on a reused key


def test_a_new_appeal_is_written_whole_with_its_history_and_audit(org: Org) -> None:
    registered = register(org)
    appeal = Appeal.objects.get()
    assert appeal.pk == registered.appeal.pk
    assert (appeal.year, appeal.seq, appeal.reg_index) == (appeal.reg_date.year, 1, "1")
    assert appeal.tracking_hash == services.tracking_hash(appeal.pk, registered.tracking_code)
    assert list(appeal.topics.values_list("code", "is_main")) == [("109", True)]
    event = AppealEvent.objects.get(appeal=appeal)
    assert event.kind == AppealEvent.Kind.REGISTERED
    assert "№ 1 " in event.public_note
    audit = AuditEvent.objects.get(action="appeals.appeal.registered")
    assert audit.object_id == str(appeal.pk)
    assert audit.data["index"] == "1"


def test_repeated_appeal_is_linked_when_written_after_its_number(org: Org) -> None:
    earlier = register(org).appeal
    Appeal.objects.filter(pk=earlier.pk).update(state=Appeal.State.CLOSED, result="9.1")
    again = register(org).appeal
    assert again.sign == Appeal.Sign.REPEATED
    assert AppealLink.objects.filter(
        from_appeal=again, to_appeal=earlier, kind=AppealLink.Kind.REPEATED
    ).exists()


def test_a_refused_registration_leaves_no_number_and_no_rows(org: Org) -> None:
    register(org)
    with pytest.raises(services.ApplicationError):
        # Anonymous without the operator's confirmation: refused after the read.
        services.appeal_register(
            actor=org.operator, body=org.d, channel="hotline", card=card(address="")
        )
    register(org, surname="Друга", given_name="Особа", phone="0501112233", topics=["110"])
    assert sorted(Appeal.objects.values_list("seq", flat=True)) == [1, 2]
    assert Counter.objects.get(journal__startswith="appeals:").value == 2


def test_api_registration_costs_seven_queries(
    org: Org,
    django_assert_max_num_queries: Any,
) -> None:
    client = _api(org)
    client.post(URL, _payload(org), format="json", HTTP_IDEMPOTENCY_KEY="warm")
    # On PostgreSQL: the token with its user and grants, the body with its journal, one read,
    # the audit head's lock with the number, then every write in one statement (topics, the
    # row, its history, the audit event and head). On SQLite each write is its own, the row
    # is written before its number and updated after it (no sequence to take its id from)
    # and the audit event's number is read. The transaction's BEGIN and COMMIT count too
    # (here a savepoint's).
    limit = 7 if connection.vendor == "postgresql" else 16
    with django_assert_max_num_queries(limit):
        response = client.post(
            URL,
            _payload(org, surname="Ще", given_name="Одна", phone="0503334455"),
            format="json",
            HTTP_IDEMPOTENCY_KEY="measured",
        )
    assert response.status_code == 201
