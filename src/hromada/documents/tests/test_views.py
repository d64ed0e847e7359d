from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hromada.control import services as control
from hromada.control.models import Assignment, Resolution
from hromada.core.models import AuditEvent
from hromada.documents import services
from hromada.documents.factories import pdf, register
from hromada.documents.models import Correspondent, Document, FileVersion, Journal

pytestmark = pytest.mark.django_db


def registration_post(office, **changes):
    today = timezone.localdate()
    data = {
        "journal": office.incoming.pk,
        "correspondent": f"{office.correspondent.name} [#{office.correspondent.pk}]",
        "correspondent_number": "15/3",
        "correspondent_date": (today - timedelta(days=1)).isoformat(),
        "received_date": today.isoformat(),
        "channel": "post",
        "doc_kind": "лист",
        "summary": "Про ремонт покрівлі",
        "pages": "2",
        "attachments_count": "0",
        "access": "public",
        "addressee": office.org.head_d.pk,
    }
    data.update(changes)
    return data


# --- registration -------------------------------------------------------------------------------
def test_the_registration_form_starts_on_the_journal_field(login, office):
    client = login(office.org.operator)
    html = client.get(reverse("documents:register")).content.decode()
    assert 'name="journal"' in html
    assert "autofocus" in html
    assert 'list="correspondent-options"' in html


def test_a_clerk_registers_a_letter_and_comes_back_to_an_empty_form(login, office):
    client = login(office.org.operator)
    response = client.post(reverse("documents:register"), registration_post(office))
    assert response.status_code == 302
    document = Document.objects.get()
    assert f"journal={office.incoming.pk}" in response["Location"]
    follow = client.get(response["Location"])
    assert f"№ {document.reg_index}" in follow.content.decode()


def test_registering_with_a_scan(login, office):
    client = login(office.org.operator)
    data = registration_post(office, files=pdf())
    client.post(reverse("documents:register"), data)
    assert FileVersion.objects.filter(file__document__isnull=False).count() == 1


def test_an_unknown_correspondent_is_refused_unless_added(login, office):
    client = login(office.org.operator)
    response = client.post(
        reverse("documents:register"), registration_post(office, correspondent="ПП «Нове»")
    )
    assert response.status_code == 400
    assert "немає в довіднику" in response.content.decode()
    assert not Document.objects.exists()
    response = client.post(
        reverse("documents:register"),
        registration_post(office, correspondent="ПП «Нове»", new_correspondent="organisation"),
    )
    assert response.status_code == 302
    assert Correspondent.objects.filter(name="ПП «Нове»").exists()


def test_an_unknown_correspondent_id_is_refused(login, office):
    client = login(office.org.operator)
    response = client.post(
        reverse("documents:register"), registration_post(office, correspondent="Хтось [#99999]")
    )
    assert response.status_code == 400
    assert not Document.objects.exists()


def test_a_future_received_date_shows_a_clear_error(login, office):
    client = login(office.org.operator)
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(
        reverse("documents:register"), registration_post(office, received_date=future)
    )
    assert response.status_code == 400
    assert "не може бути в майбутньому" in response.content.decode()
    assert not Document.objects.exists()


def test_an_executor_cannot_open_the_registration_form(login, office):
    client = login(office.org.spec_d)
    assert client.get(reverse("documents:register")).status_code == 403


def test_correspondents_are_suggested_as_you_type(login, office):
    client = login(office.org.operator)
    response = client.get(reverse("documents:correspondent_suggest"), {"correspondent": "ремонт"})
    assert f"[#{office.correspondent.pk}]" in response.content.decode()


# --- the card and access ------------------------------------------------------------------------
def test_viewing_a_document_is_audited(login, office):
    document = register(office)
    client = login(office.org.spec_d)
    assert client.get(reverse("documents:detail", args=[document.pk])).status_code == 200
    assert AuditEvent.objects.filter(
        action="documents.document.viewed", object_id=str(document.pk)
    ).exists()


def test_a_personal_data_document_is_hidden_from_uninvolved_staff(login, office):
    document = register(office, access=Document.Access.PERSONAL)
    client = login(office.org.outsider)
    assert client.get(reverse("documents:detail", args=[document.pk])).status_code == 404


def test_an_executor_sees_the_restricted_document_assigned_to_them(login, office):
    document = register(office, access=Document.Access.PERSONAL)
    control.resolution_create(
        item=document, actor=office.org.head_d, text="Розглянути", executors=[office.org.spec_d1]
    )
    client = login(office.org.spec_d1)
    assert client.get(reverse("documents:detail", args=[document.pk])).status_code == 200


def test_the_list_shows_only_what_the_user_may_see(login, office):
    register(office, summary="Відкритий лист")
    register(office, summary="Лист з персональними даними", access=Document.Access.PERSONAL)
    html = login(office.org.outsider).get(reverse("documents:list")).content.decode()
    assert "Відкритий лист" in html
    assert "персональними" not in html


def test_the_list_runs_a_fixed_number_of_queries(login, office):
    for n in range(3):
        register(office, summary=f"Лист {n}")
    client = login(office.org.operator)
    client.get(reverse("documents:list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("documents:list"))
    for n in range(3, 13):
        register(office, summary=f"Лист {n}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("documents:list"))
    assert len(many) == len(few)


def test_search_finds_other_word_forms(login, office):
    register(office, summary="Про виконання договору підряду")
    register(office, summary="Про прибирання території")
    client = login(office.org.operator)
    html = client.get(reverse("documents:list"), {"q": "договір"}).content.decode()
    assert "договору підряду" in html
    assert "прибирання" not in html


def test_search_finds_a_registration_index(login, office):
    document = register(office, summary="Перший")
    register(office, summary="Другий")
    html = (
        login(office.org.operator)
        .get(reverse("documents:list"), {"q": document.reg_index})
        .content.decode()
    )
    assert "Перший" in html


def test_the_file_is_served_inline_only_after_a_permission_check(login, office, client):
    document = register(office, access=Document.Access.PERSONAL, files=[pdf()])
    version = FileVersion.objects.get(file__document=document)
    url = reverse("documents:file_version", args=[version.pk])
    assert login(office.org.outsider).get(url).status_code == 404
    client.logout()
    response = login(office.org.operator).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_changing_the_id_in_the_url_does_not_open_someone_elses_file(login, office):
    mine = register(office, files=[pdf()])
    secret = register(office, access=Document.Access.OFFICIAL, files=[pdf("таємне.pdf")])
    client = login(office.org.outsider)
    mine_version = FileVersion.objects.get(file__document=mine)
    secret_version = FileVersion.objects.get(file__document=secret)
    assert client.get(reverse("documents:file_version", args=[mine_version.pk])).status_code == 200
    assert (
        client.get(reverse("documents:file_version", args=[secret_version.pk])).status_code == 404
    )


# --- resolution, my work, answer --------------------------------------------------------------
def test_a_head_gives_a_resolution_from_the_card(login, office):
    document = register(office)
    client = login(office.org.head_d)
    html = client.get(reverse("documents:detail", args=[document.pk])).content.decode()
    url = reverse("control:resolution_create", args=["documents.document", document.pk])
    assert url in html
    response = client.post(
        url,
        {
            "author": office.org.head_d.pk,
            "text": "Підготувати відповідь",
            "responsible": office.org.spec_d1.pk,
            "co_executors": [office.org.spec_d.pk],
            "term_kind": "calendar",
            "term_days": "10",
            "on_control": "on",
        },
    )
    assert response.status_code == 302
    resolution = Resolution.objects.get()
    assert [a.executor for a in resolution.assignments.order_by("order")] == [
        office.org.spec_d1,
        office.org.spec_d,
    ]


def test_the_resolution_form_refuses_an_executor_outside_authority(login, office):
    document = register(office)
    client = login(office.org.head_d)
    url = reverse("control:resolution_create", args=["documents.document", document.pk])
    response = client.post(
        url,
        {
            "author": office.org.head_d.pk,
            "text": "Підготувати відповідь",
            "responsible": office.org.outsider.pk,
            "term_kind": "calendar",
        },
    )
    assert response.status_code == 400
    assert not Resolution.objects.exists()


def test_my_work_lists_documents_waiting_for_my_resolution(login, office):
    document = register(office)
    html = login(office.org.head_d).get(reverse("control:my_work")).content.decode()
    assert "Чекають на мою резолюцію" in html
    assert document.get_absolute_url() in html


def test_accepting_from_my_work_with_htmx_returns_only_the_row(login, office):
    document = register(office)
    control.resolution_create(
        item=document, actor=office.org.head_d, text="Розглянути", executors=[office.org.spec_d1]
    )
    assignment = Assignment.objects.get()
    client = login(office.org.spec_d1)
    response = client.post(
        reverse("control:assignment_accept", args=[assignment.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<tr class="govuk-table__row" id="assignment-')
    assert "<html" not in html
    assignment.refresh_from_db()
    assert assignment.state == Assignment.State.ACCEPTED


def test_accepting_without_javascript_redirects_back(login, office):
    document = register(office)
    control.resolution_create(
        item=document, actor=office.org.head_d, text="Розглянути", executors=[office.org.spec_d1]
    )
    assignment = Assignment.objects.get()
    response = login(office.org.spec_d1).post(
        reverse("control:assignment_accept", args=[assignment.pk]),
        {"next": reverse("control:my_work")},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("control:my_work")


def test_an_executor_prepares_an_answer_from_the_card(login, office):
    document = register(office)
    control.resolution_create(
        item=document,
        actor=office.org.head_d,
        text="Підготувати відповідь",
        executors=[office.org.spec_d1],
    )
    client = login(office.org.spec_d1)
    response = client.post(
        reverse("documents:answer", args=[document.pk]),
        {
            "journal": office.outgoing.pk,
            "summary": "Про ремонт покрівлі",
            "body_text": "Ремонт заплановано.",
            "signer": office.org.head_d.pk,
        },
    )
    assert response.status_code == 302
    answer = Document.objects.get(direction="outgoing")
    assert answer.state == Document.State.DRAFT


def test_the_nomenclature_page_lists_cases(login, office):
    html = login(office.org.operator).get(reverse("documents:cases")).content.decode()
    assert "Листування з підприємствами" in html


def test_a_destruction_act_is_approved_by_the_head_on_its_page(login, office, client):
    from hromada.documents.models import CaseFile

    CaseFile.objects.create(
        body=office.org.d,
        year=timezone.localdate().year - 6,
        index="03-01",
        title="Старе",
        storage="temporary",
        storage_years=3,
        state="closed",
    )
    act = services.destruction_act_propose(body=office.org.d, actor=office.org.operator)
    response = login(office.org.head_d).post(reverse("documents:act_approve", args=[act.pk]))
    assert response.status_code == 302
    act.refresh_from_db()
    assert act.state == "approved"


def test_a_citywide_controller_lists_restricted_documents(login, office):
    from hromada.control.factories import person

    register(office, summary="Лист з персональними даними", access=Document.Access.PERSONAL)
    citywide = person(office.org.x, email="city-controller@example.org")
    from hromada.accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=citywide, role="controller", unit=None)
    html = login(citywide).get(reverse("documents:list")).content.decode()
    assert "персональними" in html


# --- correcting a registered card -------------------------------------------------------------
def card_post(document, **changes):
    data = {
        "correspondent": f"{document.correspondent.name} [#{document.correspondent_id}]",
        "correspondent_number": document.correspondent_number,
        "correspondent_date": document.correspondent_date.isoformat(),
        "received_date": document.received_date.isoformat(),
        "channel": document.channel,
        "doc_kind": document.doc_kind,
        "summary": document.summary,
        "pages": str(document.pages),
        "attachments_count": str(document.attachments_count),
        "access": document.access,
        "addressee": document.addressee_id or "",
        "case_file": document.case_file_id or "",
    }
    data.update(changes)
    return data


def test_the_card_edit_screen_is_filled_with_the_card(login, office):
    document = register(office)
    client = login(office.org.operator)
    html = client.get(reverse("documents:edit_card", args=[document.pk])).content.decode()
    assert document.summary in html
    assert f"[#{office.correspondent.pk}]" in html
    assert 'name="journal"' not in html


def test_the_registering_office_corrects_a_card_on_its_screen(login, office):
    document = register(office)
    client = login(office.org.operator)
    response = client.post(
        reverse("documents:edit_card", args=[document.pk]),
        card_post(document, summary="Про ремонт даху", pages="5"),
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.summary, document.pages, document.reg_index) == ("Про ремонт даху", 5, "1")
    event = AuditEvent.objects.get(action="documents.document.changed")
    assert set(event.data["changed"]) == {"summary", "pages"}


def test_a_bad_card_correction_shows_the_error_and_changes_nothing(login, office):
    document = register(office)
    client = login(office.org.operator)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(
        reverse("documents:edit_card", args=[document.pk]),
        card_post(document, received_date=tomorrow),
    )
    assert response.status_code == 400
    assert "майбутньому" in response.content.decode()
    document.refresh_from_db()
    assert document.received_date == timezone.localdate()


def test_the_card_edit_screen_of_another_offices_document_is_not_found(login, office):
    from hromada.accounts.roles import Role
    from hromada.control.factories import person

    stranger = person(office.org.x, Role.OPERATOR, email="operator-x@example.org")
    document = register(office)
    client = login(stranger)
    url = reverse("documents:edit_card", args=[document.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, card_post(document, summary="Інше")).status_code == 404
    document.refresh_from_db()
    assert document.summary != "Інше"


def test_the_card_shows_the_correction_link_to_the_registering_office_only(login, office):
    document = register(office)
    url = reverse("documents:detail", args=[document.pk])
    edit = reverse("documents:edit_card", args=[document.pk])
    assert edit in login(office.org.operator).get(url).content.decode()
    assert edit not in login(office.org.head_d).get(url).content.decode()


# --- journals ----------------------------------------------------------------------------------
def journal_post(office, **changes):
    data = {
        "body": office.org.d.pk,
        "kind": "internal",
        "code": "D-MEMO",
        "name": "Доповідні записки D",
        "index_template": "{seq}/{unit}",
        "doc_kind": "доповідна записка",
        "order": "5",
        "is_active": "on",
    }
    data.update(changes)
    return data


def test_the_registering_office_sees_its_journals(login, office):
    html = login(office.org.operator).get(reverse("documents:journals")).content.decode()
    assert "D-IN" in html
    assert "01-15/{seq}" in html


def test_a_journal_is_created_on_the_staff_screen(login, office):
    client = login(office.org.operator)
    response = client.post(reverse("documents:journal_create"), journal_post(office))
    assert response.status_code == 302
    journal = Journal.objects.get(code="D-MEMO")
    assert (journal.kind, journal.body_id, journal.index_template) == (
        "internal",
        office.org.d.pk,
        "{seq}/{unit}",
    )
    assert AuditEvent.objects.filter(action="documents.journal.created").exists()


def test_a_bad_template_is_shown_in_ukrainian_and_nothing_is_created(login, office):
    client = login(office.org.operator)
    response = client.post(
        reverse("documents:journal_create"), journal_post(office, index_template="{nomer}/{seq}")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Невідоме поле «{nomer}»" in html
    # Only what a document journal fills is offered, not the appeals' {letter}.
    assert "{letter}" not in html
    assert not Journal.objects.filter(code="D-MEMO").exists()


def test_a_journal_is_closed_on_the_staff_screen(login, office):
    client = login(office.org.operator)
    data = journal_post(office, kind="incoming", name="Вхідні D", index_template="{seq}")
    del data["is_active"]
    response = client.post(reverse("documents:journal_edit", args=[office.incoming.pk]), data)
    assert response.status_code == 302
    office.incoming.refresh_from_db()
    assert (office.incoming.is_active, office.incoming.code) == (False, "D-IN")


def test_another_bodys_journal_is_not_found(login, office):
    from hromada.accounts.roles import Role
    from hromada.control.factories import person

    stranger = person(office.org.x, Role.OPERATOR, email="operator-x@example.org")
    client = login(stranger)
    assert (
        client.get(reverse("documents:journal_edit", args=[office.incoming.pk])).status_code == 404
    )


def test_an_executor_may_not_open_the_journals(login, office):
    assert login(office.org.spec_d).get(reverse("documents:journals")).status_code == 403
