from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from docx import Document as Docx

from hromada.control import services as control
from hromada.control.models import Resolution
from hromada.core.exceptions import ApplicationError
from hromada.core.models import AuditEvent, Counter, Notification
from hromada.documents import services
from hromada.documents.factories import PDF_BYTES, card, make_office, pdf, register
from hromada.documents.models import (
    Approval,
    CaseFile,
    DestructionAct,
    Document,
    DocumentLink,
    FileVersion,
    Journal,
)

pytestmark = pytest.mark.django_db


# --- registration ------------------------------------------------------------------------------
def test_registration_gives_consecutive_numbers_per_journal(office):
    first, second = register(office), register(office)
    assert (first.seq, second.seq) == (1, 2)
    assert (first.reg_index, second.reg_index) == ("1", "2")
    assert first.reg_date == timezone.localdate()
    assert first.state == Document.State.REGISTERED


def test_the_index_follows_the_journal_template(office):
    office.incoming.index_template = "{case}/{seq}"
    office.incoming.save()
    document = register(office, case_file=office.case)
    assert document.reg_index == "01-15/1"


def test_a_journal_indexed_by_case_needs_a_case_and_costs_no_number(office):
    office.incoming.index_template = "{case}/{seq}"
    office.incoming.save()
    with pytest.raises(ApplicationError) as exc:
        register(office)
    assert exc.value.field == "case_file"
    assert not Counter.objects.exists()


def test_registration_notifies_the_addressee(office):
    document = register(office)
    notice = Notification.objects.get(recipient=office.org.head_d)
    assert document.reg_index in notice.title


def test_a_restricted_documents_notice_hides_its_summary(office):
    register(office, access=Document.Access.PERSONAL)
    notice = Notification.objects.get(recipient=office.org.head_d)
    assert "покрівлі" not in notice.body


def test_registration_is_audited(office):
    document = register(office)
    event = AuditEvent.objects.get(action="documents.document.registered")
    assert event.object_id == str(document.pk)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"summary": "  "}, "summary"),
        ({"correspondent": None}, "correspondent"),
        ({"received_date": None}, "received_date"),
        ({"channel": "pigeon"}, "channel"),
        ({"access": "secret"}, "access"),
    ],
)
def test_a_card_missing_a_required_field_is_refused_and_nothing_is_written(office, changes, field):
    with pytest.raises(ApplicationError) as exc:
        register(office, **changes)
    assert exc.value.field == field
    assert not Document.objects.exists()
    assert not Counter.objects.exists()


def test_a_received_date_in_the_future_is_refused(office):
    with pytest.raises(ApplicationError) as exc:
        register(office, received_date=timezone.localdate() + timedelta(days=1))
    assert exc.value.field == "received_date"
    assert not Document.objects.exists()


def test_a_letter_written_after_it_arrived_is_refused(office):
    today = timezone.localdate()
    with pytest.raises(ApplicationError) as exc:
        register(
            office,
            received_date=today - timedelta(days=3),
            correspondent_date=today - timedelta(days=1),
        )
    assert exc.value.field == "correspondent_date"


def test_only_the_registering_office_registers(office):
    with pytest.raises(ApplicationError) as exc:
        register(office, actor=office.org.spec_d)
    assert exc.value.code == "permission_denied"


def test_an_operator_of_another_body_cannot_register_here(office):
    from hromada.control.factories import person

    stranger = person(office.org.x, "operator", email="op-x@example.org")
    with pytest.raises(ApplicationError):
        register(office, actor=stranger)


def test_outgoing_documents_are_not_registered_directly(office):
    with pytest.raises(ApplicationError):
        services.document_register(
            journal=office.outgoing, actor=office.org.operator, card=card(office)
        )


def test_an_internal_document_needs_no_correspondent(office):
    document = services.document_register(
        journal=office.internal,
        actor=office.org.operator,
        card=services.Card(summary="Про відпустки", doc_kind="розпорядження"),
    )
    assert document.direction == Journal.Kind.INTERNAL
    assert document.reg_index == "1"


def test_the_addressee_must_be_a_head(office):
    with pytest.raises(ApplicationError) as exc:
        register(office, addressee=office.org.spec_d)
    assert exc.value.field == "addressee"


def test_a_closed_case_is_refused(office):
    office.case.state = CaseFile.State.CLOSED
    office.case.save()
    with pytest.raises(ApplicationError) as exc:
        register(office, case_file=office.case)
    assert exc.value.field == "case_file"


def test_a_follow_up_is_linked_to_the_earlier_document(office):
    earlier = register(office)
    later = register(office, follow_up_of=earlier)
    assert DocumentLink.objects.filter(
        from_document=later, to_document=earlier, kind=DocumentLink.Kind.FOLLOW_UP
    ).exists()


# --- files -------------------------------------------------------------------------------------
def test_a_scan_is_stored_with_its_hash_and_queued_for_ocr(office):
    document = register(office, files=[pdf()])
    version = FileVersion.objects.get(file__document=document)
    assert (version.number, version.mime, version.name) == (1, "application/pdf", "скан.pdf")
    assert len(version.sha256) == 64
    assert version.ocr_state == FileVersion.Ocr.PENDING
    assert default_storage.exists(version.blob.name)


def test_an_executable_disguised_as_pdf_is_refused_and_nothing_is_registered(office):
    program = SimpleUploadedFile("лист.pdf", b"MZ\x90\x00" + b"\x00" * 300)
    with pytest.raises(ApplicationError) as exc:
        register(office, files=[program])
    assert exc.value.field == "files"
    assert not Document.objects.exists()
    assert not Counter.objects.exists()


@override_settings(HROMADA_UPLOAD_MAX_BYTES=2000)
def test_an_oversize_file_is_refused(office):
    with pytest.raises(ApplicationError):
        register(office, files=[pdf(content=PDF_BYTES + b"0" * 5000)])
    assert not Document.objects.exists()


def test_a_new_version_keeps_the_earlier_one(office):
    document = register(office, files=[pdf()])
    doc_file = document.files.get()
    services.document_file_new_version(
        file_id=doc_file.pk, actor=office.org.operator, upload=pdf("скан-2.pdf")
    )
    assert list(doc_file.versions.values_list("number", flat=True)) == [2, 1]


def test_ocr_without_tesseract_marks_the_version_unavailable(office, monkeypatch):
    from hromada.documents import tasks

    monkeypatch.setattr(tasks.shutil, "which", lambda name: None)
    document = register(office, files=[pdf()])
    version = FileVersion.objects.get(file__document=document)
    assert tasks.recognise_text.call(version_id=version.pk) == "unavailable"
    version.refresh_from_db()
    assert version.ocr_state == FileVersion.Ocr.UNAVAILABLE


# --- resolutions on documents ---------------------------------------------------------------------
def resolve(office, document, **kwargs):
    return control.resolution_create(
        item=document,
        actor=office.org.head_d,
        text="Розглянути, підготувати відповідь",
        executors=kwargs.pop("executors", [office.org.spec_d1]),
        **kwargs,
    )


def test_a_resolution_puts_the_document_into_execution(office):
    document = register(office)
    resolve(office, document)
    document.refresh_from_db()
    assert document.state == Document.State.IN_EXECUTION


def test_when_the_controller_accepts_the_report_the_document_is_executed(office):
    document = register(office)
    resolution = resolve(office, document, controller=office.org.controller)
    assignment = resolution.assignments.get()
    control.assignment_accept(assignment_id=assignment.pk, actor=office.org.spec_d1)
    control.assignment_report(assignment_id=assignment.pk, actor=office.org.spec_d1, text="Так")
    control.assignment_review(assignment_id=assignment.pk, actor=office.org.controller, accept=True)
    document.refresh_from_db()
    resolution.refresh_from_db()
    assert resolution.control_state == Resolution.ControlState.REMOVED
    assert document.state == Document.State.EXECUTED


# --- answers -------------------------------------------------------------------------------------
def prepare_answer(office, incoming, approvers=()):
    return services.answer_create(
        incoming=incoming,
        actor=office.org.spec_d1,
        journal=office.outgoing,
        summary="Про ремонт покрівлі",
        body_text="Повідомляємо, що ремонт заплановано на травень.",
        signer=office.org.head_d,
        approvers=list(approvers),
    )


def test_an_executor_prepares_an_answer_as_a_docx_draft(office):
    incoming = register(office)
    resolve(office, incoming)
    answer = prepare_answer(office, incoming)
    assert answer.state == Document.State.DRAFT
    draft = FileVersion.objects.get(file__document=answer)
    text = "\n".join(p.text for p in Docx(draft.blob.open("rb")).paragraphs)
    assert "ТОВ «Ремонтбуд»" in text
    assert "Повідомляємо, що ремонт заплановано на травень." in text
    assert f"вх. № {incoming.reg_index}" in text


def test_someone_without_an_assignment_cannot_prepare_the_answer(office):
    incoming = register(office)
    with pytest.raises(ApplicationError):
        prepare_answer(office, incoming)


def test_approvals_go_in_the_listed_order(office):
    incoming = register(office)
    resolve(office, incoming)
    answer = prepare_answer(office, incoming, [office.org.head_d1, office.org.controller])
    services.answer_submit(document_id=answer.pk, actor=office.org.spec_d1)
    second = answer.approvals.get(official=office.org.controller)
    with pytest.raises(ApplicationError):
        services.approval_decide(approval_id=second.pk, actor=office.org.controller, approve=True)
    first = answer.approvals.get(official=office.org.head_d1)
    services.approval_decide(approval_id=first.pk, actor=office.org.head_d1, approve=True)
    services.approval_decide(approval_id=second.pk, actor=office.org.controller, approve=True)
    answer.refresh_from_db()
    assert answer.state == Document.State.APPROVED


def test_a_rejected_draft_returns_to_its_author_and_goes_round_again(office):
    incoming = register(office)
    resolve(office, incoming)
    answer = prepare_answer(office, incoming, [office.org.head_d1])
    services.answer_submit(document_id=answer.pk, actor=office.org.spec_d1)
    approval = answer.approvals.get()
    services.approval_decide(
        approval_id=approval.pk, actor=office.org.head_d1, approve=False, comment="Уточніть дати"
    )
    answer.refresh_from_db()
    assert answer.state == Document.State.DRAFT
    services.answer_submit(document_id=answer.pk, actor=office.org.spec_d1)
    assert answer.approvals.filter(round=2, state=Approval.State.PENDING).count() == 1


def test_the_full_answer_path_marks_the_incoming_executed(office):
    incoming = register(office)
    resolve(office, incoming)
    answer = prepare_answer(office, incoming)
    services.answer_submit(document_id=answer.pk, actor=office.org.spec_d1)
    services.document_sign(document_id=answer.pk, actor=office.org.head_d)
    services.document_register_outgoing(document_id=answer.pk, actor=office.org.operator)
    services.document_dispatch(
        document_id=answer.pk, actor=office.org.operator, channel=Document.Channel.EMAIL
    )
    answer.refresh_from_db()
    incoming.refresh_from_db()
    assert answer.reg_index == "01-15/1"
    assert (answer.signer, answer.signature_kind) == (office.org.head_d, "manual")
    assert answer.signed_at is not None
    assert incoming.state == Document.State.EXECUTED
    assert answer.reg_index in incoming.executed_note


def test_only_the_signer_signs(office):
    incoming = register(office)
    resolve(office, incoming)
    answer = prepare_answer(office, incoming)
    services.answer_submit(document_id=answer.pk, actor=office.org.spec_d1)
    with pytest.raises(ApplicationError):
        services.document_sign(document_id=answer.pk, actor=office.org.head_d1)


def test_an_unsigned_answer_cannot_be_registered(office):
    incoming = register(office)
    resolve(office, incoming)
    answer = prepare_answer(office, incoming)
    with pytest.raises(ApplicationError) as exc:
        services.document_register_outgoing(document_id=answer.pk, actor=office.org.operator)
    assert exc.value.code == "invalid_state"


# --- cases and destruction -----------------------------------------------------------------------
def old_closed_case(office, years_back=5, storage_years=3):
    return CaseFile.objects.create(
        body=office.org.d,
        year=timezone.localdate().year - years_back,
        index="02-01",
        title="Старе листування",
        storage=CaseFile.Storage.TEMPORARY,
        storage_years=storage_years,
        state=CaseFile.State.CLOSED,
    )


def test_a_document_is_filed_into_an_open_case(office):
    document = register(office)
    services.document_file_to_case(
        document_id=document.pk, actor=office.org.operator, case_file=office.case
    )
    document.refresh_from_db()
    assert document.case_file == office.case


def test_closing_the_year_closes_its_open_cases(office):
    closed = services.cases_close_year(
        body=office.org.d, year=office.case.year, actor=office.org.operator
    )
    office.case.refresh_from_db()
    assert closed == 1
    assert office.case.state == CaseFile.State.CLOSED


def test_a_temporary_case_period_counts_from_the_next_january(office):
    case = old_closed_case(office, years_back=3, storage_years=3)
    assert case.retention_until.year == timezone.localdate().year + 1
    assert services.destruction_candidates(body=office.org.d) == []


def test_expired_cases_are_proposed_in_a_numbered_act(office):
    case = old_closed_case(office)
    act = services.destruction_act_propose(body=office.org.d, actor=office.org.operator)
    assert act.number == 1
    assert list(act.proposed.all()) == [case]
    assert services.destruction_candidates(body=office.org.d) == []


def test_nothing_is_destroyed_without_an_approved_act(office):
    old_closed_case(office)
    act = services.destruction_act_propose(body=office.org.d, actor=office.org.operator)
    with pytest.raises(ApplicationError):
        services.destruction_act_execute(act_id=act.pk, actor=office.org.operator)
    act.refresh_from_db()
    assert act.state == DestructionAct.State.DRAFT


def test_an_operator_cannot_approve_the_act(office):
    old_closed_case(office)
    act = services.destruction_act_propose(body=office.org.d, actor=office.org.operator)
    with pytest.raises(ApplicationError):
        services.destruction_act_approve(act_id=act.pk, actor=office.org.operator)


def test_an_approved_act_destroys_the_files_and_keeps_the_cards(
    office, django_capture_on_commit_callbacks
):
    document = register(office, files=[pdf()])
    case = old_closed_case(office)
    Document.objects.filter(pk=document.pk).update(case_file=case)
    version = FileVersion.objects.get(file__document=document)
    name = version.blob.name
    act = services.destruction_act_propose(body=office.org.d, actor=office.org.operator)
    services.destruction_act_approve(act_id=act.pk, actor=office.org.head_d)
    with django_capture_on_commit_callbacks(execute=True):
        destroyed = services.destruction_act_execute(act_id=act.pk, actor=office.org.operator)
    version.refresh_from_db()
    case.refresh_from_db()
    assert destroyed == 1
    assert version.destroyed_at is not None
    assert not default_storage.exists(name)
    assert case.state == CaseFile.State.DESTROYED
    assert Document.objects.filter(pk=document.pk).exists()


def test_a_case_index_is_unique_in_a_years_nomenclature(office):
    with pytest.raises(ApplicationError) as exc:
        services.case_create(
            actor=office.org.operator,
            body=office.org.d,
            year=office.case.year,
            index="01-15",
            title="Дубль",
            storage="permanent",
        )
    assert exc.value.field == "index"


def test_a_temporary_case_needs_up_to_ten_years(office):
    with pytest.raises(ApplicationError):
        services.case_create(
            actor=office.org.operator,
            body=office.org.d,
            year=2025,
            index="09-09",
            title="x",
            storage="temporary",
            storage_years=12,
        )


# --- concurrency ---------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_two_clerks_registering_at_once_get_distinct_gapless_numbers():
    office = make_office()
    from hromada.control.factories import person

    clerks = [office.org.operator, person(office.org.d, "operator", email="op2@example.org")]
    taken: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(clerks))

    def work(clerk):
        try:
            barrier.wait(timeout=10)
            for _ in range(5):
                document = register(office, actor=clerk)
                with lock:
                    taken.append(document.seq)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(c,)) for c in clerks]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert sorted(taken) == list(range(1, 11))
    assert Document.objects.count() == 10


# --- journals ----------------------------------------------------------------------------------
def test_an_administrator_creates_a_journal_with_a_valid_template(office):
    from hromada.control.factories import person

    admin = person(office.org.d, "admin", email="admin-d@example.org")
    journal = services.journal_create(
        actor=admin,
        body=office.org.d,
        kind="incoming",
        code="D-IN2",
        name="Вхідні 2",
        index_template="{seq}/{unit}",
    )
    document = services.document_register(
        journal=journal, actor=office.org.operator, card=card(office)
    )
    assert document.reg_index == "1/D"


def test_a_journal_template_without_seq_is_refused(office):
    from hromada.control.factories import person

    admin = person(office.org.d, "admin", email="admin-d@example.org")
    with pytest.raises(ApplicationError):
        services.journal_create(
            actor=admin,
            body=office.org.d,
            kind="incoming",
            code="BAD",
            name="x",
            index_template="{case}",
        )
    assert not Journal.objects.filter(code="BAD").exists()


def test_closing_a_journal_stops_registration_and_is_audited(office):
    from hromada.control.factories import person

    admin = person(office.org.d, "admin", email="admin-d@example.org")
    services.journal_update(
        journal_id=office.incoming.pk,
        actor=admin,
        name="Вхідні D",
        index_template="{seq}",
        is_active=False,
    )
    assert AuditEvent.objects.filter(action="documents.journal.changed").exists()
    with pytest.raises(ApplicationError):
        register(office)


def test_notices_about_a_personal_data_document_leave_its_summary_out(office):
    document = register(office, access=Document.Access.PERSONAL)
    resolve(office, document)
    notice = Notification.objects.get(recipient=office.org.spec_d1)
    assert "покрівлі" not in notice.title + notice.body
    assert document.reg_index in notice.title


# --- correcting a registered card -------------------------------------------------------------
def test_correcting_a_card_changes_only_the_given_fields_and_keeps_the_index(office):
    document = register(office)
    services.document_update_card(
        document_id=document.pk, actor=office.org.operator, summary="Про ремонт даху", pages=3
    )
    document.refresh_from_db()
    assert (document.summary, document.pages) == ("Про ремонт даху", 3)
    assert (document.reg_index, document.seq, document.correspondent_number) == ("1", 1, "15/3")


def test_a_card_correction_is_audited_with_the_changed_fields_only(office):
    document = register(office)
    services.document_update_card(
        document_id=document.pk,
        actor=office.org.operator,
        summary="Про ремонт даху",
        doc_kind="лист",
    )
    event = AuditEvent.objects.get(action="documents.document.changed")
    assert event.data == {"changed": {"summary": [document.summary, "Про ремонт даху"]}}
    assert event.actor_id == office.org.operator.pk


def test_a_correction_that_changes_nothing_records_nothing(office):
    document = register(office)
    services.document_update_card(
        document_id=document.pk, actor=office.org.operator, summary=document.summary
    )
    assert not AuditEvent.objects.filter(action="documents.document.changed").exists()


def test_a_corrected_summary_is_searchable(office):
    document = register(office)
    services.document_update_card(
        document_id=document.pk, actor=office.org.operator, summary="Щодо водопостачання"
    )
    document.refresh_from_db()
    assert " водопостачання " in document.search_text


def test_the_index_and_journal_cannot_be_corrected(office):
    document = register(office)
    with pytest.raises(ApplicationError):
        services.document_update_card(
            document_id=document.pk, actor=office.org.operator, reg_index="999"
        )
    document.refresh_from_db()
    assert document.reg_index == "1"


def test_another_office_may_not_correct_a_card(office):
    from hromada.accounts.roles import Role
    from hromada.control.factories import person

    stranger = person(office.org.x, Role.OPERATOR, email="operator-x@example.org")
    document = register(office)
    with pytest.raises(ApplicationError):
        services.document_update_card(document_id=document.pk, actor=stranger, summary="Інше")
    document.refresh_from_db()
    assert document.summary != "Інше"


def test_a_bad_correction_is_refused_and_changes_nothing(office):
    document = register(office)
    tomorrow = timezone.localdate() + timedelta(days=1)
    for bad in ({"summary": "  "}, {"received_date": tomorrow}, {"access": "secret"}):
        with pytest.raises(ApplicationError):
            services.document_update_card(document_id=document.pk, actor=office.org.operator, **bad)
    fresh = Document.objects.get(pk=document.pk)
    assert (fresh.summary, fresh.received_date, fresh.access) == (
        document.summary,
        document.received_date,
        document.access,
    )
    assert not AuditEvent.objects.filter(action="documents.document.changed").exists()


def test_a_card_keeps_a_correspondent_struck_off_the_directory_since(office):
    document = register(office)
    Correspondent = type(office.correspondent)
    Correspondent.objects.filter(pk=office.correspondent.pk).update(is_active=False)
    services.document_update_card(document_id=document.pk, actor=office.org.operator, pages=4)
    document.refresh_from_db()
    assert document.pages == 4


def test_a_journal_template_with_an_appeals_placeholder_is_refused_in_ukrainian(office):
    with pytest.raises(ApplicationError) as exc:
        services.journal_create(
            actor=office.org.operator,
            body=office.org.d,
            kind="incoming",
            code="D-LET",
            name="x",
            index_template="{letter}-{seq}",
        )
    assert exc.value.field == "index_template"
    assert "{letter}" in exc.value.message
    assert "журналах документів" in exc.value.message
    assert not Journal.objects.filter(code="D-LET").exists()


def test_a_journal_template_with_an_unknown_placeholder_names_it(office):
    with pytest.raises(ApplicationError) as exc:
        services.journal_update(
            journal_id=office.incoming.pk,
            actor=office.org.operator,
            name="Вхідні D",
            index_template="{nomer}",
        )
    assert "{nomer}" in exc.value.message
    office.incoming.refresh_from_db()
    assert office.incoming.index_template == "{seq}"


def test_the_registering_office_manages_its_bodys_journals(office):
    journal = services.journal_update(
        journal_id=office.incoming.pk,
        actor=office.org.operator,
        name="Вхідна кореспонденція",
        index_template="{seq}/{unit}",
    )
    assert (journal.name, journal.index_template) == ("Вхідна кореспонденція", "{seq}/{unit}")
    event = AuditEvent.objects.get(action="documents.journal.changed")
    assert set(event.data["changed"]) == {"name", "index_template"}


def test_another_bodys_operator_may_not_change_a_journal(office):
    from hromada.accounts.roles import Role
    from hromada.control.factories import person

    stranger = person(office.org.x, Role.OPERATOR, email="operator-x@example.org")
    with pytest.raises(ApplicationError):
        services.journal_update(
            journal_id=office.incoming.pk, actor=stranger, name="x", index_template="{seq}"
        )


def test_a_journal_with_documents_keeps_its_kind(office):
    register(office)
    with pytest.raises(ApplicationError):
        services.journal_update(
            journal_id=office.incoming.pk,
            actor=office.org.operator,
            name="Вхідні D",
            index_template="{seq}",
            kind="internal",
        )
    office.incoming.refresh_from_db()
    assert office.incoming.kind == "incoming"
