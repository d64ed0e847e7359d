"""Tests of the security officer's audit screens: search, event page, CSV export."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hromada.accounts.factories import StaffFactory, staff_with_role
from hromada.accounts.models import User
from hromada.accounts.roles import Role
from hromada.core.audit import audit_record, changed_fields, remove_append_only_guard
from hromada.core.models import AuditEvent

LIST = "/staff/audit/"
EXPORT = "/staff/audit/export.csv"


def _with_totp(user: User) -> User:
    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def officer(db: Any) -> User:
    return _with_totp(
        staff_with_role(
            Role.SECURITY_OFFICER, surname="Безпечна", given_name="Олена", email="sec@ex.org"
        )
    )


@pytest.fixture
def officer_client(client: Any, officer: User) -> Any:
    client.force_login(officer)
    return client


def _seqs(response: Any) -> list[int]:
    return [e.seq for e in response.context["events"]]


def _events(n: int, **kwargs: Any) -> list[AuditEvent]:
    return [audit_record(actor=None, action=kwargs.get("action", "test.done")) for _ in range(n)]


# --- access ---------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get(LIST)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_staff_without_the_security_role_is_refused(client, db):
    admin = _with_totp(staff_with_role(Role.ADMIN))
    client.force_login(admin)
    assert client.get(LIST).status_code == 403


def test_staff_without_the_security_role_cannot_export(client, db):
    admin = _with_totp(staff_with_role(Role.ADMIN))
    client.force_login(admin)
    assert client.get(EXPORT).status_code == 403


def test_staff_without_the_security_role_cannot_open_an_event(client, db):
    event = audit_record(actor=None, action="test.done")
    client.force_login(_with_totp(staff_with_role(Role.ADMIN)))
    assert client.get(f"/staff/audit/{event.seq}/").status_code == 403


def test_security_officer_sees_the_log_in_the_staff_navigation(officer_client):
    response = officer_client.get("/staff/")
    assert 'href="/staff/audit/"' in response.content.decode()


def test_other_staff_do_not_see_the_log_in_the_navigation(client, db):
    client.force_login(staff_with_role(Role.EDITOR))
    response = client.get("/staff/")
    assert 'href="/staff/audit/"' not in response.content.decode()


def test_security_officer_without_totp_is_sent_to_set_it_up(client, db):
    client.force_login(staff_with_role(Role.SECURITY_OFFICER))
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


# --- list and search ------------------------------------------------------------------


def test_list_shows_newest_events_first(officer_client):
    _events(3)
    response = officer_client.get(LIST)
    assert response.status_code == 200
    seqs = _seqs(response)
    assert seqs == sorted(seqs, reverse=True)


def test_viewing_the_log_is_itself_audited(officer_client, officer):
    officer_client.get(LIST, {"action": "auth."})
    event = AuditEvent.objects.filter(action="audit.viewed").get()
    assert event.actor_id == officer.pk
    assert event.data == {"action": "auth."}


def test_search_by_actor_name_ignores_case(officer_client):
    actor = StaffFactory(surname="Ковальчук", given_name="Ірина", email="ik@ex.org")
    mine = audit_record(actor=actor, action="test.done")
    audit_record(actor=StaffFactory(surname="Іваненко"), action="test.done")
    response = officer_client.get(LIST, {"actor": "ковальчук"})
    assert _seqs(response) == [mine.seq]


def test_search_by_actor_email(officer_client):
    actor = StaffFactory(email="needle@ex.org")
    mine = audit_record(actor=actor, action="test.done")
    audit_record(actor=StaffFactory(email="hay@ex.org"), action="test.done")
    response = officer_client.get(LIST, {"actor": "needle@"})
    assert _seqs(response) == [mine.seq]


def test_search_by_exact_action(officer_client):
    hit = audit_record(actor=None, action="appeal.forwarded")
    audit_record(actor=None, action="appeal.forwarded_back")
    response = officer_client.get(LIST, {"action": "appeal.forwarded"})
    assert _seqs(response) == [hit.seq]


def test_search_by_action_prefix(officer_client):
    a = audit_record(actor=None, action="appeal.forwarded")
    b = audit_record(actor=None, action="appeal.registered")
    audit_record(actor=None, action="petition.signed")
    response = officer_client.get(LIST, {"action": "appeal."})
    assert _seqs(response) == [b.seq, a.seq]


def test_search_by_object_type_and_id(officer_client):
    person = StaffFactory()
    hit = audit_record(actor=None, action="test.done", target=person)
    audit_record(actor=None, action="test.done", target=StaffFactory())
    response = officer_client.get(
        LIST, {"object_type": "accounts.user", "object_id": str(person.pk)}
    )
    assert _seqs(response) == [hit.seq]


def test_search_by_date_range(officer_client):
    events = _events(3)
    remove_append_only_guard(connection)
    with connection.cursor() as cursor:
        for event, day in zip(events, ("2025-03-01", "2025-03-05", "2025-03-09"), strict=True):
            cursor.execute(
                "UPDATE core_auditevent SET created_at = %s WHERE seq = %s",
                [f"{day} 10:00:00", event.seq],
            )
    response = officer_client.get(LIST, {"date_from": "2025-03-02", "date_to": "2025-03-09"})
    assert _seqs(response) == [events[2].seq, events[1].seq]


def test_search_accepts_ukrainian_date_format(officer_client):
    response = officer_client.get(LIST, {"date_from": "01.03.2025"})
    assert response.status_code == 200


def test_search_by_ip(officer_client):
    _events(1)
    officer_client.get(LIST, REMOTE_ADDR="192.0.2.44")  # records audit.viewed from that IP
    response = officer_client.get(LIST, {"ip": "192.0.2.44"})
    events = response.context["events"]
    assert events
    assert all(e.ip == "192.0.2.44" for e in events)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "2025-02-30"}, "date_from"),
        ({"date_from": "2025-03-10", "date_to": "2025-03-01"}, "date_to"),
        ({"ip": "999.1.1.1"}, "ip"),
        ({"action": "<script>"}, "action"),
        ({"actor": "x" * 1000}, "actor"),
    ],
)
def test_bad_search_input_is_refused_with_a_message(officer_client, params, field):
    response = officer_client.get(LIST, params)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert "govuk-error-summary" in response.content.decode()
    assert not AuditEvent.objects.filter(action="audit.viewed").exists()


def test_markup_in_events_is_escaped(officer_client):
    audit_record(
        actor=None, action="test.done", object_type="x.y", object_repr="<script>x</script>"
    )
    html = officer_client.get(LIST).content.decode()
    assert "<script>x</script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html


# --- pagination -----------------------------------------------------------------------


def test_pages_hold_fifty_events_and_link_to_older_ones(officer_client):
    _events(60)
    first = officer_client.get(LIST, {"action": "test.done"})
    assert len(first.context["events"]) == 50
    older = first.context["page"].older_before
    assert older is not None
    second = officer_client.get(LIST, {"action": "test.done", "before": older})
    assert len(second.context["events"]) == 10
    assert set(_seqs(first)).isdisjoint(_seqs(second))
    assert second.context["page"].older_before is None


def test_newer_link_returns_to_the_previous_page(officer_client):
    _events(60)
    first = officer_client.get(LIST, {"action": "test.done"})
    second = officer_client.get(
        LIST, {"action": "test.done", "before": first.context["page"].older_before}
    )
    back = officer_client.get(
        LIST, {"action": "test.done", "after": second.context["page"].newer_after}
    )
    assert _seqs(back) == _seqs(first)


def test_page_links_keep_the_search(officer_client):
    _events(60)
    html = officer_client.get(LIST, {"action": "test.done"}).content.decode()
    assert "action=test.done&amp;before=" in html


def _list_queries(client: Any) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(LIST)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_list_query_count_does_not_grow_with_the_log(officer_client):
    _events(5)
    officer_client.get(LIST)  # warm the session's activity stamp
    few = _list_queries(officer_client)
    _events(150)
    many = _list_queries(officer_client)
    assert few == many
    assert many <= 14


# --- event page -------------------------------------------------------------------------


def test_event_page_lists_changed_fields(officer_client):
    person = StaffFactory()
    event = audit_record(
        actor=None,
        action="accounts.person_changed",
        target=person,
        data={
            "changes": changed_fields(
                {"surname": "Стара", "phone": ""}, {"surname": "Нова", "phone": "+380"}
            ),
            "reason": "шлюб",
        },
    )
    response = officer_client.get(f"/staff/audit/{event.seq}/")
    assert response.status_code == 200
    assert response.context["change_rows"] == [("phone", "", "+380"), ("surname", "Стара", "Нова")]
    assert response.context["other_data"] == [("reason", "шлюб")]
    assert "Змінені поля" in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"fields": {"title": ["Стара", "Нова"]}, "unit": 7},
        {"title": ["Стара", "Нова"]},
    ],
)
def test_event_page_reads_changes_in_every_shape_services_store(officer_client, data):
    event = audit_record(actor=None, action="x.updated", data=data)
    response = officer_client.get(f"/staff/audit/{event.seq}/")
    assert response.context["change_rows"] == [("title", "Стара", "Нова")]


def test_opening_an_event_is_audited(officer_client, officer):
    event = audit_record(actor=None, action="test.done")
    officer_client.get(f"/staff/audit/{event.seq}/")
    viewed = AuditEvent.objects.get(action="core.auditevent.viewed")
    assert viewed.actor_id == officer.pk
    assert viewed.object_id == str(event.pk)


def test_event_page_shows_that_an_event_was_tampered_with(officer_client):
    event = audit_record(actor=None, action="test.done")
    remove_append_only_guard(connection)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET action = 'x' WHERE seq = %s", [event.seq])
    response = officer_client.get(f"/staff/audit/{event.seq}/")
    assert response.context["hash_ok"] is False
    assert "запис змінено" in response.content.decode()


def test_missing_event_is_not_found(officer_client):
    assert officer_client.get("/staff/audit/999999/").status_code == 404


# --- export -----------------------------------------------------------------------------


def _csv(response: Any) -> list[list[str]]:
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_export_streams_utf8_csv_with_bom_and_ukrainian_header(officer_client):
    audit_record(actor=None, action="test.done", object_type="x.y", object_repr="Заява «перша»")
    response = officer_client.get(EXPORT)
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = _csv(response)
    assert rows[0][:4] == ["Номер", "Час", "Хто (текст)", "Хто (ідентифікатор)"]
    assert any("Заява «перша»" in row for row in rows[1:])


def test_export_holds_only_the_filtered_events(officer_client):
    hit = audit_record(actor=None, action="appeal.registered")
    audit_record(actor=None, action="petition.signed")
    rows = _csv(officer_client.get(EXPORT, {"action": "appeal."}))
    assert [r[0] for r in rows[1:]] == [str(hit.seq)]


def test_export_is_audited_with_its_filter_and_size(officer_client, officer):
    audit_record(actor=None, action="appeal.registered")
    audit_record(actor=None, action="appeal.closed")
    _csv(officer_client.get(EXPORT, {"action": "appeal."}))
    event = AuditEvent.objects.get(action="audit.exported")
    assert event.actor_id == officer.pk
    assert event.data == {"action": "appeal.", "rows": 2, "via": "web"}


def test_export_refuses_bad_input_and_records_nothing(officer_client):
    response = officer_client.get(EXPORT, {"date_to": "вчора"})
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action="audit.exported").exists()
