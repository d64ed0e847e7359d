"""Tests of the audit chain: appending, hashing, verification, append-only guards."""

from __future__ import annotations

import itertools
import threading
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from hromada.accounts.factories import StaffFactory
from hromada.core.audit import (
    AUDIT_STREAMS,
    GENESIS_HASH,
    REDACTED,
    SYSTEM_STREAM,
    AuditAppender,
    audit_record,
    audit_stream,
    chain_head,
    changed_fields,
    compute_hash,
    event_hash,
    install_append_only_guard,
    remove_append_only_guard,
    snapshot,
    verify_chain,
    verify_streams,
)
from hromada.core.middleware import RequestContext, _current
from hromada.core.models import AuditChainHead, AuditEvent

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="database triggers are installed on PostgreSQL only"
)


def _append(n: int, action: str = "test.done") -> list[AuditEvent]:
    return [audit_record(actor=None, action=action, data={"i": i}) for i in range(n)]


def _tamper(sql: str, params: list[Any] | None = None) -> None:
    """Change rows behind the application's back, as an intruder with SQL access would."""
    remove_append_only_guard(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def _set_data_sql() -> str:
    if connection.vendor == "postgresql":
        return "UPDATE core_auditevent SET data = CAST(%s AS jsonb) WHERE stream_seq = %s"
    return "UPDATE core_auditevent SET data = %s WHERE stream_seq = %s"


# --- appending ------------------------------------------------------------------------


@pytest.mark.django_db
def test_first_event_links_to_the_genesis_hash():
    event = audit_record(actor=None, action="test.done")
    assert event.stream_seq == 1
    assert event.prev_hash == GENESIS_HASH


@pytest.mark.django_db
def test_each_event_links_to_the_previous_events_hash():
    events = _append(4)
    for prev, event in itertools.pairwise(events):
        assert event.prev_hash == prev.hash


@pytest.mark.django_db
def test_positions_in_a_stream_are_consecutive():
    _append(5)
    positions = AuditEvent.objects.order_by("seq").values_list("stream_seq", flat=True)
    assert list(positions) == [1, 2, 3, 4, 5]


@pytest.mark.django_db
def test_event_numbers_increase_across_streams():
    clerk = StaffFactory()
    events = [audit_record(actor=actor, action="test.done") for actor in (None, clerk, None)]
    assert [e.seq for e in events] == sorted({e.seq for e in events})


@pytest.mark.django_db
def test_events_without_an_actor_go_to_the_system_stream():
    assert audit_record(actor=None, action="test.done").stream == SYSTEM_STREAM


@pytest.mark.django_db
def test_an_actors_events_stay_in_one_stream_of_their_own_chain():
    clerk = StaffFactory()
    first = audit_record(actor=clerk, action="test.done")
    audit_record(actor=None, action="test.done")
    second = audit_record(actor=clerk, action="test.done")
    assert first.stream == second.stream == audit_stream(clerk.pk) != SYSTEM_STREAM
    assert (first.stream_seq, second.stream_seq) == (1, 2)
    assert second.prev_hash == first.hash


def test_streams_spread_actors_over_all_but_the_system_stream():
    streams = {audit_stream(actor_id) for actor_id in range(1, 1000)}
    assert streams == set(range(2, AUDIT_STREAMS + 1))


@pytest.mark.django_db
def test_the_stream_and_position_are_covered_by_the_hash():
    clerk = StaffFactory()
    audit_record(actor=clerk, action="test.done")
    event = audit_record(actor=clerk, action="test.done")
    _tamper("UPDATE core_auditevent SET stream_seq = 7 WHERE id = %s", [event.pk])
    moved = AuditEvent.objects.get(pk=event.pk)
    assert event_hash(moved) != event.hash


@pytest.mark.django_db
def test_stored_hash_matches_the_stored_content():
    audit_record(actor=StaffFactory(), action="test.done", data={"x": [1, "два", None]})
    event = AuditEvent.objects.get()
    assert event_hash(event) == event.hash


@pytest.mark.django_db
def test_chain_head_follows_the_last_event():
    events = _append(3)
    assert chain_head() == (3, events[-1].hash)


@pytest.mark.django_db
def test_actor_is_written_with_name_and_email():
    actor = StaffFactory(surname="Шевченко", given_name="Тарас", patronymic="", email="t@ex.org")
    event = audit_record(actor=actor, action="test.done")
    assert event.actor_id == actor.pk
    assert event.actor_repr == "Шевченко Тарас <t@ex.org>"


@pytest.mark.django_db
def test_target_gives_object_type_id_and_text():
    target = StaffFactory()
    event = audit_record(actor=None, action="test.done", target=target)
    assert (event.object_type, event.object_id, event.object_repr) == (
        "accounts.user",
        str(target.pk),
        str(target),
    )


@pytest.mark.django_db
def test_request_address_and_browser_are_recorded():
    token = _current.set(RequestContext(request_id="r", ip="10.0.0.7", user_agent="Firefox"))
    try:
        event = audit_record(actor=None, action="test.done")
    finally:
        _current.reset(token)
    assert (event.ip, event.user_agent) == ("10.0.0.7", "Firefox")


@pytest.mark.django_db
def test_long_form_ipv6_address_still_verifies_after_storage():
    token = _current.set(
        RequestContext(request_id="r", ip="2001:0db8:0000:0000:0000:0000:0000:0001", user_agent="")
    )
    try:
        audit_record(actor=None, action="test.done")
    finally:
        _current.reset(token)
    assert AuditEvent.objects.get().ip == "2001:db8::1"
    assert verify_chain() == (1, None)


@pytest.mark.django_db
def test_an_address_that_is_not_an_ip_is_left_out():
    token = _current.set(RequestContext(request_id="r", ip="not-an-ip", user_agent=""))
    try:
        event = audit_record(actor=None, action="test.done")
    finally:
        _current.reset(token)
    assert event.ip is None


@pytest.mark.django_db
def test_secret_values_never_enter_the_trail():
    audit_record(
        actor=None, action="test.done", data={"password": "hunter2", "nested": {"token": "abc"}}
    )
    data = AuditEvent.objects.get().data
    assert data == {"password": REDACTED, "nested": {"token": REDACTED}}


@pytest.mark.django_db
def test_awkward_values_in_data_still_verify_after_a_round_trip():
    audit_record(
        actor=None,
        action="test.done",
        data={
            "float": 1.0,
            "big": 1e20,
            "nan": float("nan"),
            "decimal": Decimal("12.50"),
            "date": date(2025, 1, 31),
            "set": {3, 1, 2},
            "nul": "a\x00b",
            "unicode": "Кривий Ріг — «місто»",
        },
    )
    assert verify_chain() == (1, None)


@pytest.mark.django_db
def test_a_failed_transaction_leaves_no_event_and_no_gap():
    audit_record(actor=None, action="test.done")

    def record_then_fail() -> None:
        with transaction.atomic():
            audit_record(actor=None, action="test.rolled_back")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        record_then_fail()
    event = audit_record(actor=None, action="test.done")
    assert event.stream_seq == 2
    assert verify_chain() == (2, None)


@pytest.mark.django_db
def test_an_appender_made_before_other_events_of_its_stream_cannot_break_the_chain():
    staff = StaffFactory()
    with transaction.atomic():
        appender = AuditAppender(staff)  # the stream's head is read and locked here
        audit_record(actor=None, action="test.other_stream")
        event = appender.record(action="test.appended", data={"index": "01-15/7"})
        second = audit_record(actor=staff, action="test.after")
    assert event.stream == audit_stream(staff.pk)
    assert (event.stream_seq, second.stream_seq) == (1, 2)
    assert second.prev_hash == event.hash
    assert all(r.broken is None for r in verify_streams())


@pytest.mark.django_db
def test_an_appender_records_one_event():
    with transaction.atomic():
        appender = AuditAppender(None)
        appender.record(action="test.once")
        with pytest.raises(RuntimeError):
            appender.record(action="test.twice")
    assert AuditEvent.objects.filter(action="test.twice").count() == 0


# --- changed fields -------------------------------------------------------------------


def test_changed_fields_lists_only_the_differences():
    before = {"surname": "Іваненко", "phone": "+380501112233", "email": "a@ex.org"}
    after = {"surname": "Петренко", "phone": "+380501112233", "email": "a@ex.org"}
    assert changed_fields(before, after) == {"surname": ["Іваненко", "Петренко"]}


def test_changed_fields_includes_added_and_removed_keys():
    assert changed_fields({"a": 1}, {"b": 2}) == {"a": [1, None], "b": [None, 2]}


def test_changed_fields_hides_passwords():
    assert changed_fields({"password": "old"}, {"password": "new"}) == {
        "password": [REDACTED, REDACTED]
    }


@pytest.mark.django_db
def test_snapshot_reads_foreign_keys_as_ids():
    user = StaffFactory(surname="Коваль")
    assert snapshot(user, ["surname", "is_staff"]) == {"surname": "Коваль", "is_staff": True}


# --- verification -------------------------------------------------------------------


@pytest.mark.django_db
def test_an_empty_trail_verifies():
    assert verify_chain() == (0, None)


@pytest.mark.django_db
def test_an_untouched_chain_verifies():
    _append(5)
    assert verify_chain() == (5, None)


@pytest.mark.django_db
def test_verify_detects_an_edited_text_field():
    _append(5)
    _tamper("UPDATE core_auditevent SET object_repr = 'підроблено' WHERE stream_seq = 3")
    checked, broken = verify_chain()
    assert checked == 2
    assert broken is not None
    assert broken.seq == 3
    assert "hash" in broken.reason


@pytest.mark.django_db
def test_verify_detects_edited_data():
    _append(5)
    _tamper(_set_data_sql(), ['{"i": 99}', 4])
    _, broken = verify_chain()
    assert broken is not None
    assert broken.seq == 4


@pytest.mark.django_db
def test_verify_detects_an_edited_time():
    _append(3)
    _tamper(
        "UPDATE core_auditevent SET created_at = %s WHERE stream_seq = 2", ["2001-01-01 00:00:00"]
    )
    _, broken = verify_chain()
    assert broken is not None
    assert broken.seq == 2


@pytest.mark.django_db
def test_verify_detects_a_deleted_row():
    _append(5)
    _tamper("DELETE FROM core_auditevent WHERE stream_seq = 3")
    checked, broken = verify_chain()
    assert checked == 2
    assert broken is not None
    assert broken.seq == 3
    assert "missing" in broken.reason


@pytest.mark.django_db
def test_verify_detects_the_last_rows_deleted():
    _append(5)
    _tamper("DELETE FROM core_auditevent WHERE stream_seq >= 4")
    checked, broken = verify_chain()
    assert checked == 3
    assert broken is not None
    assert broken.seq == 4
    assert "head" in broken.reason


@pytest.mark.django_db
def test_verify_detects_reordered_rows():
    _append(5)
    _tamper("UPDATE core_auditevent SET stream_seq = 1000 WHERE stream_seq = 2")
    _tamper("UPDATE core_auditevent SET stream_seq = 2 WHERE stream_seq = 4")
    _tamper("UPDATE core_auditevent SET stream_seq = 4 WHERE stream_seq = 1000")
    checked, broken = verify_chain()
    assert checked == 1
    assert broken is not None
    assert broken.seq == 2


@pytest.mark.django_db
def test_verify_detects_an_inserted_row_even_with_a_valid_hash_of_its_own():
    events = _append(5)
    for seq in (5, 4, 3):
        _tamper("UPDATE core_auditevent SET stream_seq = %s WHERE stream_seq = %s", [seq + 1, seq])
    forged: dict[str, Any] = {
        "seq": events[4].seq + 100,
        "stream": 1,
        "stream_seq": 3,
        "created_at": events[1].created_at,
        "actor_id": None,
        "actor_repr": "",
        "action": "test.forged",
        "object_type": "",
        "object_id": "",
        "object_repr": "",
        "data": {},
        "ip": None,
        "user_agent": "",
    }
    AuditEvent(
        prev_hash=events[1].hash,
        hash=compute_hash(prev_hash=events[1].hash, **forged),
        **forged,
    ).save(force_insert=True)
    checked, broken = verify_chain()
    assert checked == 3
    assert broken is not None
    assert broken.seq == 4


@pytest.mark.django_db
def test_verify_reports_the_first_of_several_breaks():
    _append(6)
    _tamper("UPDATE core_auditevent SET action = 'x' WHERE stream_seq IN (2, 5)")
    _, broken = verify_chain()
    assert broken is not None
    assert broken.seq == 2


@pytest.mark.django_db
def test_verify_detects_a_rewound_chain_head():
    _append(3)
    _tamper("UPDATE core_auditchainhead SET hash = %s", ["f" * 64])
    _, broken = verify_chain()
    assert broken is not None
    assert "head" in broken.reason


@pytest.mark.django_db
def test_verify_reports_the_first_break_of_every_stream():
    clerk = StaffFactory()
    for actor in (None, clerk, None, clerk, None, clerk):
        audit_record(actor=actor, action="test.done")
    _tamper("UPDATE core_auditevent SET action = 'x' WHERE stream = 1 AND stream_seq = 3")
    _tamper("UPDATE core_auditevent SET action = 'x' WHERE stream <> 1 AND stream_seq = 2")
    broken = {r.stream: r.broken for r in verify_streams() if r.broken is not None}
    assert {stream: b.seq for stream, b in broken.items()} == {1: 3, audit_stream(clerk.pk): 2}


@pytest.mark.django_db
def test_a_break_in_one_stream_leaves_the_others_verified():
    clerk = StaffFactory()
    for actor in (None, clerk, clerk):
        audit_record(actor=actor, action="test.done")
    _tamper("UPDATE core_auditevent SET action = 'x' WHERE stream = 1")
    reports = {r.stream: r for r in verify_streams()}
    assert reports[audit_stream(clerk.pk)].broken is None
    assert reports[audit_stream(clerk.pk)].checked == 2
    assert reports[1].broken is not None


# --- append-only in the ORM -----------------------------------------------------------


@pytest.mark.django_db
def test_an_event_cannot_be_changed_through_the_orm():
    event = audit_record(actor=None, action="test.done")
    event.action = "test.other"
    with pytest.raises(RuntimeError):
        event.save()
    assert AuditEvent.objects.get().action == "test.done"


@pytest.mark.django_db
def test_an_event_cannot_be_deleted_through_the_orm():
    event = audit_record(actor=None, action="test.done")
    with pytest.raises(RuntimeError):
        event.delete()
    assert AuditEvent.objects.count() == 1


# --- append-only in the database (PostgreSQL) ----------------------------------------


@on_postgres
@pytest.mark.django_db
def test_database_refuses_to_update_an_event():
    _append(2)
    install_append_only_guard(connection)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET action = 'test.other' WHERE stream_seq = 1")
    assert verify_chain() == (2, None)


@on_postgres
@pytest.mark.django_db
def test_database_refuses_to_delete_an_event():
    _append(2)
    install_append_only_guard(connection)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE stream_seq = 2")
    assert AuditEvent.objects.count() == 2


@on_postgres
@pytest.mark.django_db
def test_database_refuses_to_rewind_the_chain_head():
    _append(2)
    install_append_only_guard(connection)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditChainHead.objects.filter(pk=1).update(seq=1)


@on_postgres
@pytest.mark.django_db
def test_appending_still_works_with_the_database_guard():
    install_append_only_guard(connection)
    install_append_only_guard(connection)  # idempotent
    _append(3)
    assert verify_chain() == (3, None)


def test_guard_is_not_installed_on_sqlite():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    assert install_append_only_guard(connection) is False


# --- concurrency ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_every_stream_gapless_and_valid():
    threads_count, per_thread = 6, 8
    # Two threads share each actor (one stream), and two write as the system.
    actors = [None, *StaffFactory.create_batch(2)]
    errors: list[BaseException] = []
    start = threading.Barrier(threads_count)

    def work(n: int) -> None:
        try:
            start.wait()
            for _i in range(per_thread):
                with transaction.atomic():
                    audit_record(
                        actor=actors[n % len(actors)], action="test.concurrent", data={"t": n}
                    )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(threads_count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    events = AuditEvent.objects.all()
    assert events.filter(action="test.concurrent").count() == threads_count * per_thread
    assert len({e.seq for e in events}) == events.count()
    by_stream: dict[int, list[int]] = {}
    for e in events.order_by("stream_seq"):
        by_stream.setdefault(e.stream, []).append(e.stream_seq)
    assert len(by_stream) == len(actors)
    for positions in by_stream.values():
        assert positions == list(range(1, len(positions) + 1))
    assert verify_chain() == (events.count(), None)


@pytest.mark.django_db
def test_the_orm_refuses_bulk_update_and_delete_of_events():
    _append(1)
    with pytest.raises(RuntimeError):
        AuditEvent.objects.filter(seq=1).update(action="test.other")
    with pytest.raises(RuntimeError):
        AuditEvent.objects.all().delete()
    assert verify_chain() == (1, None)
