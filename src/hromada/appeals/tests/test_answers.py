"""Answers: drafting from templates, signing, PDF, sending, interim answers, closing via control."""

from __future__ import annotations

import io
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from docx import Document as DocxDocument

from hromada.appeals import answers, terms
from hromada.appeals.factories import register
from hromada.appeals.models import Answer, Appeal, AppealEvent
from hromada.control import services as control
from hromada.control.factories import Org
from hromada.control.models import Resolution
from hromada.core.audit import AuditEvent
from hromada.core.exceptions import ApplicationError

pytestmark = pytest.mark.django_db


def in_work(org: Org, **overrides: object) -> tuple[Appeal, Resolution]:
    """Register an appeal in D and give head D's resolution to specialist D, on control."""
    appeal = register(org, **overrides).appeal
    resolution = control.resolution_create(
        item=appeal,
        actor=org.head_d,
        text="Розглянути, підготувати відповідь",
        executors=[org.spec_d],
        controller=org.controller,
    )
    appeal.refresh_from_db()
    return appeal, resolution


def final(org: Org, appeal: Appeal, **kwargs: object) -> Answer:
    values: dict[str, object] = {
        "actor": org.spec_d,
        "appeal_id": appeal.pk,
        "kind": Answer.Kind.FINAL,
        "text": answers.template_text(appeal=appeal, template="positive"),
        "result": "9.1",
        "template": "positive",
    }
    values.update(kwargs)
    return answers.answer_prepare(**values)  # type: ignore[arg-type]


def pdf_text(answer: Answer) -> str:
    assert answer.pdf is not None
    path = Path(answer.pdf.blob.path)
    return subprocess.run(  # noqa: S603
        ["pdftotext", "-layout", str(path), "-"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_template_fills_placeholders_from_the_appeal(org: Org) -> None:
    appeal, _ = in_work(org)
    text = answers.template_text(appeal=appeal, template="positive")
    assert "Олена Петрівна" in text
    assert f"№ {appeal.reg_index}" in text
    assert "Не працює освітлення у дворі" in text
    assert "{{" not in text


def test_unknown_template_is_refused(org: Org) -> None:
    appeal, _ = in_work(org)
    with pytest.raises(ApplicationError, match="шаблон"):
        answers.template_text(appeal=appeal, template="nonsense")


def test_executor_prepares_a_final_draft_with_result(org: Org) -> None:
    appeal, _ = in_work(org)
    answer = final(org, appeal)
    assert (answer.state, answer.result, answer.prepared_by) == (
        Answer.State.DRAFT,
        "9.1",
        org.spec_d,
    )
    assert AuditEvent.objects.filter(action="appeals.answer.prepared").exists()


def test_final_answer_without_result_is_refused_and_nothing_written(org: Org) -> None:
    appeal, _ = in_work(org)
    with pytest.raises(ApplicationError, match="результат") as exc:
        final(org, appeal, result="")
    assert exc.value.field == "result"
    assert not Answer.objects.exists()


def test_result_outside_final_results_is_refused(org: Org) -> None:
    appeal, _ = in_work(org)
    with pytest.raises(ApplicationError, match="результат"):
        final(org, appeal, result="9.6")


def test_refusal_without_grounds_is_refused(org: Org) -> None:
    appeal, _ = in_work(org)
    with pytest.raises(ApplicationError, match="підстави") as exc:
        final(org, appeal, result="9.2", grounds="   ")
    assert exc.value.field == "grounds"
    assert not Answer.objects.exists()


def test_refusal_with_grounds_keeps_them(org: Org) -> None:
    appeal, _ = in_work(org)
    answer = final(org, appeal, result="9.2", grounds="Будинок не на балансі міста.")
    assert answer.grounds == "Будинок не на балансі міста."


def test_empty_text_is_refused(org: Org) -> None:
    appeal, _ = in_work(org)
    with pytest.raises(ApplicationError, match="Текст відповіді"):
        final(org, appeal, text="  ")


def test_outsider_may_not_prepare_an_answer(org: Org) -> None:
    appeal, _ = in_work(org)
    with pytest.raises(ApplicationError) as exc:
        final(org, appeal, actor=org.outsider)
    assert exc.value.code == "permission_denied"


def test_head_signs_and_the_pdf_carries_the_letter(org: Org) -> None:
    appeal, _ = in_work(org)
    answer = answers.answer_sign(actor=org.head_d, answer_id=final(org, appeal).pk)
    assert answer.state == Answer.State.SIGNED
    assert answer.signer == org.head_d
    assert answer.signed_at is not None
    assert answer.signature_kind == "manual"
    text = pdf_text(answer)
    assert "Коваленко Олена Петрівна" in text
    assert f"№ {appeal.reg_index}" in text
    assert "вирішено позитивно" in text
    assert org.head_d.short_name in text
    assert "ПРОЄКТ" not in text


def test_signing_by_a_non_head_is_refused(org: Org) -> None:
    appeal, _ = in_work(org)
    answer = final(org, appeal)
    for who in (org.spec_d, org.operator, org.controller, org.head_x):
        with pytest.raises(ApplicationError) as exc:
            answers.answer_sign(actor=who, answer_id=answer.pk)
        assert exc.value.code == "permission_denied"
    answer.refresh_from_db()
    assert answer.state == Answer.State.DRAFT
    assert answer.pdf is None


def test_signing_twice_is_refused(org: Org) -> None:
    appeal, _ = in_work(org)
    answer = answers.answer_sign(actor=org.head_d, answer_id=final(org, appeal).pk)
    with pytest.raises(ApplicationError, match="уже підписано"):
        answers.answer_sign(actor=org.head_d, answer_id=answer.pk)


def test_qualified_signature_is_recorded_as_integration_point(org: Org) -> None:
    appeal, _ = in_work(org)
    answer = answers.answer_sign(
        actor=org.head_d,
        answer_id=final(org, appeal).pk,
        signature_kind="qes",
        signature_data="MIIB...p7s",
    )
    assert (answer.signature_kind, answer.signature_data) == ("qes", "MIIB...p7s")
    assert "кваліфікованим електронним підписом" in pdf_text(answer)


def test_signed_answer_may_not_be_changed(org: Org) -> None:
    appeal, _ = in_work(org)
    answer = answers.answer_sign(actor=org.head_d, answer_id=final(org, appeal).pk)
    with pytest.raises(ApplicationError, match="Підписану"):
        final(org, appeal, answer_id=answer.pk, text="Інший текст")


def test_unsigned_answer_may_not_be_sent(org: Org) -> None:
    appeal, _ = in_work(org)
    answer = final(org, appeal)
    with pytest.raises(ApplicationError, match="не підписано"):
        answers.answer_send(actor=org.operator, answer_id=answer.pk, delivery="email")


def test_sending_by_email_answers_the_appeal_and_mails_the_pdf(
    org: Org,
    django_capture_on_commit_callbacks,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "mail"],
        }
    }
    appeal, _ = in_work(org)
    answer = answers.answer_sign(actor=org.head_d, answer_id=final(org, appeal).pk)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answers.answer_send(actor=org.operator, answer_id=answer.pk, delivery="email")
    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.ANSWERED
    assert appeal.result == "9.1"
    assert appeal.answered_at is not None
    assert AppealEvent.objects.filter(appeal=appeal, kind=AppealEvent.Kind.ANSWERED).exists()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["olena@example.org"]
    (_name, content, mime) = message.attachments[0]
    assert mime == "application/pdf"
    assert content[:4] == b"%PDF"


def test_email_delivery_without_an_address_is_refused(org: Org) -> None:
    appeal, _ = in_work(org, email="", phone="0671234567")
    answer = answers.answer_sign(actor=org.head_d, answer_id=final(org, appeal).pk)
    with pytest.raises(ApplicationError, match="e-mail"):
        answers.answer_send(actor=org.operator, answer_id=answer.pk, delivery="email")
    answers.answer_send(actor=org.operator, answer_id=answer.pk, delivery="post")
    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.ANSWERED


def test_executor_may_not_send(org: Org) -> None:
    appeal, _ = in_work(org)
    answer = answers.answer_sign(actor=org.head_d, answer_id=final(org, appeal).pk)
    with pytest.raises(ApplicationError) as exc:
        answers.answer_send(actor=org.spec_d, answer_id=answer.pk, delivery="post")
    assert exc.value.code == "permission_denied"


def test_closing_before_the_answer_is_refused_then_controller_closes(org: Org) -> None:
    appeal, resolution = in_work(org)
    assignment = resolution.assignments.get()
    control.assignment_accept(assignment_id=assignment.pk, actor=org.spec_d)
    control.assignment_report(assignment_id=assignment.pk, actor=org.spec_d, text="Відновлено")
    with pytest.raises(ApplicationError, match="остаточну відповідь"):
        control.assignment_review(assignment_id=assignment.pk, actor=org.controller, accept=True)
    answer = answers.answer_sign(actor=org.head_d, answer_id=final(org, appeal).pk)
    answers.answer_send(actor=org.operator, answer_id=answer.pk, delivery="in_person")
    control.assignment_review(assignment_id=assignment.pk, actor=org.controller, accept=True)
    appeal.refresh_from_db()
    resolution.refresh_from_db()
    assert appeal.state == Appeal.State.CLOSED
    assert resolution.control_state == Resolution.ControlState.REMOVED


def test_second_final_answer_after_sending_is_refused(org: Org) -> None:
    appeal, _ = in_work(org)
    answer = answers.answer_sign(actor=org.head_d, answer_id=final(org, appeal).pk)
    answers.answer_send(actor=org.operator, answer_id=answer.pk, delivery="post")
    with pytest.raises(ApplicationError):
        final(org, appeal)


def test_interim_answer_keeps_the_appeal_on_control_with_new_date(org: Org) -> None:
    appeal, resolution = in_work(org)
    assert appeal.due_date is not None
    new_date = appeal.due_date - timedelta(days=3)
    answer = answers.answer_prepare(
        actor=org.spec_d,
        appeal_id=appeal.pk,
        kind=Answer.Kind.INTERIM,
        text=answers.template_text(appeal=appeal, template="interim", next_date=new_date),
        next_date=new_date,
        template="interim",
    )
    answers.answer_sign(actor=org.head_d, answer_id=answer.pk)
    answers.answer_send(actor=org.operator, answer_id=answer.pk, delivery="post")
    appeal.refresh_from_db()
    resolution.refresh_from_db()
    assert appeal.state == Appeal.State.IN_WORK
    assert appeal.due_date == new_date
    assert resolution.control_state == Resolution.ControlState.ON_CONTROL
    event = AppealEvent.objects.get(appeal=appeal, kind=AppealEvent.Kind.INTERIM)
    assert new_date.strftime("%d.%m.%Y") in event.public_note


def test_interim_date_beyond_the_45_day_limit_is_refused(org: Org) -> None:
    appeal, _ = in_work(org)
    assert appeal.reg_date is not None
    too_late = terms.latest_due_date(appeal.reg_date) + timedelta(days=1)
    with pytest.raises(ApplicationError, match="45 днів") as exc:
        answers.answer_prepare(
            actor=org.spec_d,
            appeal_id=appeal.pk,
            kind=Answer.Kind.INTERIM,
            text="Роботи заплановано на травень.",
            next_date=too_late,
        )
    assert exc.value.field == "next_date"
    assert not Answer.objects.exists()


def test_interim_date_beyond_the_current_term_needs_an_extension(org: Org) -> None:
    appeal, _ = in_work(org, needs_study=False)
    assert appeal.due_date is not None
    assert appeal.reg_date is not None
    later = appeal.due_date + timedelta(days=2)
    assert later <= terms.latest_due_date(appeal.reg_date)
    with pytest.raises(ApplicationError, match="продовжити"):
        answers.answer_prepare(
            actor=org.spec_d,
            appeal_id=appeal.pk,
            kind=Answer.Kind.INTERIM,
            text="Роботи заплановано.",
            next_date=later,
        )


def test_interim_without_date_or_in_the_past_is_refused(org: Org) -> None:
    appeal, _ = in_work(org)
    for bad in (None, timezone.localdate()):
        with pytest.raises(ApplicationError, match="строк"):
            answers.answer_prepare(
                actor=org.spec_d,
                appeal_id=appeal.pk,
                kind=Answer.Kind.INTERIM,
                text="Роботи заплановано.",
                next_date=bad,
            )


def test_docx_draft_holds_the_text_and_addressee(org: Org) -> None:
    appeal, _ = in_work(org)
    answer = final(org, appeal, result="9.2", grounds="Не належить до повноважень.")
    doc = DocxDocument(io.BytesIO(answers.render_answer_docx(answer)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Коваленко Олена Петрівна" in text
    assert "Не належить до повноважень." in text
    assert "Шановний(а) Олена Петрівна" in text


def test_html_in_the_answer_is_text_in_the_pdf(org: Org) -> None:
    appeal, _ = in_work(org)
    answer = final(org, appeal, text="<script>alert(1)</script> <b>жирний</b>")
    answer = answers.answer_sign(actor=org.head_d, answer_id=answer.pk)
    assert "<script>alert(1)</script>" in pdf_text(answer)


def test_signing_queue_lists_drafts_of_the_heads_body_only(org: Org) -> None:
    appeal, _ = in_work(org)
    answer = final(org, appeal)
    assert list(answers.answers_to_sign(org.head_d)) == [answer]
    assert list(answers.answers_to_sign(org.head_x)) == []
    assert list(answers.answers_to_sign(org.spec_d)) == []
    answers.answer_sign(actor=org.head_d, answer_id=answer.pk)
    assert list(answers.answers_to_sign(org.head_d)) == []


def test_closed_appeal_cannot_get_an_answer(org: Org) -> None:
    appeal = register(org, address="", confirm_anonymous=True).appeal
    with pytest.raises(ApplicationError, match="не готують"):
        answers.answer_prepare(
            actor=org.operator,
            appeal_id=appeal.pk,
            kind=Answer.Kind.FINAL,
            text="Текст",
            result="9.3",
        )
