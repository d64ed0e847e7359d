"""Appending an audit event: the event and its stream's head in as few round trips as can be."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from hromada.accounts.factories import StaffFactory
from hromada.core.audit import (
    AuditAppender,
    audit_stream,
    event_hash,
    install_append_only_guard,
    verify_chain,
)
from hromada.core.models import AuditChainHead, AuditEvent, Counter, Notification
from hromada.core.prepared import PreparedInsert, WriteBatch

pytestmark = pytest.mark.django_db

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


@on_postgres
def test_on_postgresql_the_event_and_its_heads_move_are_one_statement():
    clerk = StaffFactory()
    install_append_only_guard(connection)  # the head may only advance onto a stored event
    with transaction.atomic():
        appender = AuditAppender(clerk)
        with CaptureQueriesContext(connection) as queries:
            event = appender.record(action="test.done", data={"n": 1})

    assert len(queries.captured_queries) == 1
    head = AuditChainHead.objects.get(pk=audit_stream(clerk.pk))
    assert (head.seq, head.hash) == (event.stream_seq, event.hash)
    assert verify_chain() == (1, None)


def test_a_recorded_event_is_stored_as_hashed_and_the_chain_verifies():
    clerk = StaffFactory()
    for i in range(3):
        with transaction.atomic():
            AuditAppender(clerk).record(action="test.done", data={"i": i, "text": "<b>т</b>"})

    events = list(AuditEvent.objects.order_by("seq"))
    assert [e.stream_seq for e in events] == [1, 2, 3]
    assert all(event_hash(e) == e.hash for e in events)
    assert verify_chain() == (3, None)


@on_postgres
def test_the_heads_lock_and_a_journals_number_are_one_statement():
    clerk = StaffFactory()
    Counter.objects.create(journal="test:J", year=2026, value=41)
    AuditChainHead.objects.get_or_create(pk=audit_stream(clerk.pk))
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            appender = AuditAppender(clerk, number=("test:J", 2026))
        appender.record(action="test.numbered", data={"n": appender.number})

    assert len(queries.captured_queries) == 1
    assert appender.number == 42
    assert Counter.objects.get(journal="test:J").value == 42
    assert verify_chain() == (1, None)


@on_postgres
def test_without_a_counter_row_or_a_head_the_number_is_left_to_next_number():
    clerk = StaffFactory()
    with transaction.atomic():
        # No head for the stream yet: it is created; the counter is not touched.
        first = AuditAppender(clerk, number=("test:K", 2026))
        first.record(action="test.first")
    with transaction.atomic():
        # A head, but no counter row: no number (next_number creates the row).
        second = AuditAppender(clerk, number=("test:K", 2026))
        second.record(action="test.second")

    assert (first.number, second.number) == (None, None)
    assert not Counter.objects.filter(journal="test:K").exists()
    assert verify_chain() == (2, None)


def test_an_event_in_a_write_batch_is_written_with_the_batch():
    clerk = StaffFactory()
    install_append_only_guard(connection)  # the head may only advance onto a stored event
    with transaction.atomic():
        batch = WriteBatch()
        appender = AuditAppender(clerk)
        notice = Notification(recipient=clerk, key="wb:audit", title="т", url="/")
        batch.insert(PreparedInsert(Notification), [notice])
        with CaptureQueriesContext(connection) as queries:
            event = appender.record(action="test.batched", target=clerk, batch=batch)
            batch.run()

    # Elsewhere (SQLite) the event's number is read, then the event and the head written.
    assert len(queries.captured_queries) == (1 if connection.vendor == "postgresql" else 3)
    head = AuditChainHead.objects.get(pk=audit_stream(clerk.pk))
    assert (head.seq, head.hash) == (event.stream_seq, event.hash)
    assert AuditEvent.objects.get(pk=event.pk).hash == event.hash
    assert Notification.objects.filter(pk=notice.pk).exists()
    assert verify_chain() == (1, None)


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_the_head_is_locked_before_the_counter():
    """Registrations lock the stream's head, then the journal's counter: a registration
    waiting for the counter already holds the head (the order every appender keeps)."""
    clerk = StaffFactory()
    stream = audit_stream(clerk.pk)
    AuditChainHead.objects.get_or_create(pk=stream)
    Counter.objects.create(journal="test:L", year=2026, value=0)
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("prepare_threshold", None)
    params.pop("context", None)
    holder = psycopg.connect(**params)
    holder.execute("UPDATE core_counter SET value = value WHERE journal = 'test:L'")  # locked
    started = threading.Event()
    errors: list[BaseException] = []

    def register() -> None:
        try:
            with transaction.atomic():
                started.set()
                AuditAppender(clerk, number=("test:L", 2026))
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    worker = threading.Thread(target=register)
    worker.start()
    started.wait(5)
    probe = psycopg.connect(**params, autocommit=True)
    try:
        for _ in range(100):  # until the worker waits for the counter row
            waiting = probe.execute(
                "SELECT count(*) FROM pg_locks WHERE NOT granted AND locktype = 'transactionid'"
            ).fetchone()
            if waiting and waiting[0]:
                break
            time.sleep(0.05)
        with pytest.raises(psycopg.errors.LockNotAvailable):
            probe.execute(
                "SELECT 1 FROM core_auditchainhead WHERE id = %s FOR UPDATE NOWAIT", [stream]
            )
    finally:
        holder.rollback()
        holder.close()
        worker.join(10)
        probe.close()
    assert not errors
