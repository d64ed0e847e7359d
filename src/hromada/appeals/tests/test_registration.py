"""Registration of appeals: numbering, terms, codes, anonymous, repeated and duplicate ones."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from hromada.appeals import services, terms
from hromada.appeals.factories import card, register
from hromada.appeals.models import Appeal, AppealLink, Channel
from hromada.control.factories import Org
from hromada.core.exceptions import ApplicationError

pytestmark = pytest.mark.django_db


def test_registration_numbers_gaplessly_and_computes_one_month(org: Org) -> None:
    first = register(org).appeal
    second = register(org, surname="Шевченко", phone="0501112233").appeal
    assert (first.seq, second.seq) == (1, 2)
    assert first.reg_index == "1"
    assert first.state == Appeal.State.REGISTERED
    today = timezone.localdate()
    assert first.due_date is not None
    assert today + timedelta(days=28) <= first.due_date <= terms.latest_due_date(today)


def test_no_additional_study_gives_fifteen_days_at_most(org: Org) -> None:
    appeal = register(org, needs_study=False).appeal
    today = timezone.localdate()
    assert appeal.due_date is not None
    assert today + timedelta(days=15) <= appeal.due_date <= today + timedelta(days=19)


def test_channel_sets_how_received_and_type_codes(org: Org) -> None:
    appeal = register(org, channel=Channel.HOTLINE).appeal
    assert (appeal.how_received, appeal.appeal_type) == ("1.1.1", "6.3")
    by_post = register(org, channel=Channel.POST, surname="Бондар", phone="").appeal
    assert (by_post.how_received, by_post.appeal_type) == ("1.1", "6.2")


def test_letter_index_template_uses_first_letter_of_surname(org: Org, settings) -> None:  # type: ignore[no-untyped-def]
    settings.HROMADA_APPEALS_INDEX_TEMPLATE = "{letter}-{seq}"
    appeal = register(org, surname="Ящук").appeal
    assert appeal.reg_index == "Я-1"


def test_missing_address_needs_confirmation_then_is_not_considered(org: Org) -> None:
    with pytest.raises(ApplicationError, match="анонімне"):
        register(org, address="")
    assert not Appeal.objects.exists()
    appeal = register(org, address="", confirm_anonymous=True).appeal
    assert appeal.state == Appeal.State.NOT_CONSIDERED
    assert appeal.subject == Appeal.Subject.ANONYMOUS
    assert "ст. 8" in appeal.not_considered_reason
    assert appeal.seq == 1  # registered all the same


def test_unknown_topic_code_is_refused_and_nothing_written(org: Org) -> None:
    with pytest.raises(ApplicationError, match="Невідомий код питання"):
        register(org, topics=["999"])
    assert not Appeal.objects.exists()


def test_invalid_email_is_refused(org: Org) -> None:
    with pytest.raises(ApplicationError, match="електронної пошти"):
        register(org, email="not-an-email")


def test_benefit_holder_gets_priority(org: Org) -> None:
    assert register(org, category="7.5").appeal.priority is True
    assert register(org, category="7.21", surname="Інший", phone="").appeal.priority is False


def test_collective_appeal_needs_signatory_count(org: Org) -> None:
    with pytest.raises(ApplicationError, match="підписантів"):
        register(org, subject=Appeal.Subject.COLLECTIVE, signatories=1)
    appeal = register(org, subject=Appeal.Subject.COLLECTIVE, signatories=37).appeal
    assert appeal.signatories == 37


def test_same_person_same_open_question_warns_of_duplicate(org: Org) -> None:
    original = register(org).appeal
    with pytest.raises(ApplicationError) as caught:
        register(org, channel=Channel.EMAIL)
    assert caught.value.code == "possible_duplicate"
    assert original.reg_index in caught.value.message
    duplicate = register(org, channel=Channel.EMAIL, duplicate_of=original).appeal
    assert duplicate.sign == Appeal.Sign.DUPLICATE
    assert duplicate.state == Appeal.State.NOT_CONSIDERED
    assert AppealLink.objects.filter(
        from_appeal=duplicate, to_appeal=original, kind=AppealLink.Kind.DUPLICATE
    ).exists()
    other = register(org, channel=Channel.EMAIL, confirm_not_duplicate=True).appeal
    assert other.state == Appeal.State.REGISTERED


def test_same_question_decided_on_merits_is_marked_repeated(org: Org) -> None:
    earlier = register(org).appeal
    Appeal.objects.filter(pk=earlier.pk).update(
        state=Appeal.State.CLOSED, result="9.3", reg_date=date.today() - timedelta(days=60)
    )
    result = register(org, phone="+380671234567")
    assert result.appeal.sign == Appeal.Sign.REPEATED
    assert [a.pk for a in result.related.repeated] == [earlier.pk]
    assert AppealLink.objects.filter(
        from_appeal=result.appeal, to_appeal=earlier, kind=AppealLink.Kind.REPEATED
    ).exists()


def test_only_the_registering_office_registers(org: Org) -> None:
    with pytest.raises(ApplicationError, match="Недостатньо прав"):
        register(org, actor=org.spec_d)
    assert not Appeal.objects.exists()


def test_tracking_code_is_stored_only_as_hash(org: Org) -> None:
    result = register(org)
    assert len(result.tracking_code) == 8
    appeal = Appeal.objects.get(pk=result.appeal.pk)
    assert result.tracking_code not in appeal.tracking_hash
    assert appeal.tracking_hash == services.tracking_hash(appeal.pk, result.tracking_code)


def test_html_in_text_is_stored_as_text(org: Org) -> None:
    appeal = register(org, text="<script>alert(1)</script> Прошу").appeal
    assert appeal.text.startswith("<script>")


def test_card_refuses_future_written_date(org: Org) -> None:
    with pytest.raises(ApplicationError, match="майбутньому"):
        services.check_card(
            card(written_date=timezone.localdate() + timedelta(days=2)),
            on=timezone.localdate(),
        )


def test_a_body_is_read_with_its_journal_in_one_query(org: Org, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    from hromada.appeals import selectors
    from hromada.appeals.models import AppealsJournal

    journal = services.journal_for(org.d)
    with django_assert_num_queries(1):
        body = selectors.body_with_journal(org.d.code)
        assert body == org.d
        assert services.journal_for(body) == journal
    assert not AppealsJournal.objects.filter(body=org.x).exists()
    with django_assert_num_queries(1):
        without = selectors.body_with_journal(org.x.code)
        assert without == org.x
        with pytest.raises(AppealsJournal.DoesNotExist):
            without.appeals_journal  # known missing: no query  # noqa: B018
    assert services.journal_for(without).body == org.x  # made on first use
    assert selectors.body_with_journal("NO-SUCH-BODY") is None
