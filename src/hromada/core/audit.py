"""The audit trail: append-only, hash-chained events (who, what, when, from where).

Every service records its write here inside its own transaction, and every view
of personal data records a ``*.viewed`` event. Each event's hash covers its
content and the previous event's hash in its chain, so editing or deleting any
row breaks that chain from that row on; ``hromada audit verify`` finds the first
break of every chain.

The trail is several hash chains (streams, потоки) side by side, so that
unrelated writes do not queue behind one lock: an event goes to the stream of
its actor (``audit_stream``), events without an actor (the system, anonymous
visitors) to stream 1. Appends to one stream are serialised by locking that
stream's ``AuditChainHead`` row, so each stream's positions (``stream_seq``) are
gapless and its chain linear under any concurrency. ``seq`` numbers all events
across streams: unique and increasing, but with gaps where a transaction rolled
back (PostgreSQL takes it from a sequence). Keying by actor keeps all events of
one transaction (one person's action) in one stream, so two transactions never
wait for each other's stream locks in opposite orders.
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db import models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from hromada.core.middleware import current_request_context
from hromada.core.models import AuditChainHead, AuditEvent
from hromada.core.numbering import increment_sql
from hromada.core.prepared import PreparedInsert, WriteBatch, serial_sequence, statement_cursor

GENESIS_HASH = "0" * 64
# How many streams events with an actor are spread over (stream 1 is the system's).
# Changing it is safe: every event records its stream and old streams still verify.
AUDIT_STREAMS = 32
SYSTEM_STREAM = 1

# Keys whose values never enter the audit trail, at any depth of `data`.
SECRET_KEYS = frozenset(
    {
        "password",
        "password1",
        "password2",
        "old_password",
        "new_password",
        "new_password1",
        "new_password2",
        "oldpassword",
        "raw_password",
        "secret",
        "totp_secret",
        "token",
        "otp",
        "recovery_codes",
    }
)
REDACTED = "***"


def _clean_text(value: str) -> str:
    # PostgreSQL text cannot hold NUL; drop it rather than fail the caller's transaction.
    return value.replace("\x00", "")


def _canonical(value: Any) -> Any:
    """Return a JSON-serialisable, stable form of a value, with secrets redacted."""
    if isinstance(value, dict):
        return {
            _clean_text(str(k)): REDACTED if str(k).lower() in SECRET_KEYS else _canonical(v)
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_canonical(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if isinstance(value, float):
        # JSON has no NaN/Infinity and PostgreSQL's jsonb rewrites exponents: keep as text.
        return value if math.isfinite(value) and "e" not in repr(value) else repr(value)
    if isinstance(value, str):
        return _clean_text(value)
    if isinstance(value, models.Model):
        return value.pk
    return _clean_text(str(value))


def _hash_form(value: Any) -> Any:
    """Return the form of stored data that hashing sees: stable across database round trips."""
    if isinstance(value, dict):
        return {k: _hash_form(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_hash_form(v) for v in value]
    # jsonb may return 1.0 as 1 and the reverse; an integral number hashes as an int.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def normalize_ip(value: Any) -> str | None:
    """Return an IP address in canonical text form, or None if it is not one."""
    if not value:
        return None
    return _normal_ip(str(value))


@functools.lru_cache(maxsize=4096)
def _normal_ip(text: str) -> str | None:
    # Cached: the same few addresses (a contact centre, a proxy) write event after event,
    # and each event's address is normalised when it is written and again in its hash.
    try:
        addr = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None
    return str(addr)


def _utc_iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def compute_hash(
    *,
    prev_hash: str,
    seq: int,
    created_at: datetime,
    actor_id: int | None,
    actor_repr: str,
    action: str,
    object_type: str,
    object_id: str,
    object_repr: str,
    data: dict[str, Any],
    ip: str | None,
    user_agent: str,
    stream: int = SYSTEM_STREAM,
    stream_seq: int | None = None,
) -> str:
    """Return the SHA-256 of an event's content chained to the previous hash."""
    position = seq if stream_seq is None else stream_seq
    fields: list[Any] = [
        prev_hash,
        seq,
        _utc_iso(created_at),
        actor_id,
        actor_repr,
        action,
        object_type,
        object_id,
        object_repr,
        _hash_form(data),
        normalize_ip(ip),
        user_agent,
    ]
    # Events from before streams are stream 1 at their own number: their hash form is
    # unchanged, so old trails still verify. Any other place in a stream is hashed too.
    if (stream, position) != (SYSTEM_STREAM, seq):
        fields.append({"stream": stream, "stream_seq": position})
    payload = json.dumps(
        fields,
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def event_hash(event: AuditEvent) -> str:
    """Return the hash an event's stored content should have."""
    return compute_hash(
        prev_hash=event.prev_hash,
        seq=event.seq,
        created_at=event.created_at,
        actor_id=event.actor_id,
        actor_repr=event.actor_repr,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        object_repr=event.object_repr,
        data=event.data,
        ip=event.ip,
        user_agent=event.user_agent,
        stream=event.stream,
        stream_seq=event.stream_seq,
    )


def audit_stream(actor_id: int | None) -> int:
    """Return the stream an actor's events go to (stable: the same actor, the same stream)."""
    if actor_id is None:
        return SYSTEM_STREAM
    return SYSTEM_STREAM + 1 + actor_id % (AUDIT_STREAMS - 1)


# Every audited write appends an event: its INSERT is built once per database.
_EVENT_INSERT = PreparedInsert(AuditEvent)


def _next_seq() -> int:
    """Return the next overall event number (call with the stream's head locked)."""
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        # A sequence never waits for another transaction; a rollback leaves a gap.
        with connection.cursor() as cursor:
            sequence = serial_sequence(connection.alias, AuditEvent._meta.db_table)
            cursor.execute(f"SELECT nextval({sequence})")
            row = cursor.fetchone()
        assert row is not None
        return int(row[0])
    # SQLite runs one writing transaction at a time (BEGIN IMMEDIATE): MAX + 1 is safe.
    last = AuditEvent.objects.aggregate(last=models.Max("seq"))["last"]
    return int(last or 0) + 1


def _lock_head(
    stream: int, number: tuple[str, int] | None = None
) -> tuple[int, str, int | None, int | None]:
    """Lock a stream's head; return its last position and hash, the next event number and,
    when asked, the next number of a journal's counter (None if the counter has no row yet).

    On PostgreSQL one prepared statement: the locking read of the head, the sequence's next
    value and, with ``number`` = (journal, year), the counter's increment (the head is
    locked first: the counter's UPDATE waits on the head's read). A registration holds its
    journal's counter from then on, so every round trip here is time other clerks wait. On
    SQLite the event number is None (it is MAX + 1, read when the event is written) and the
    counter is left to :func:`hromada.core.numbering.next_number`.
    """
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        head_table = connection.ops.quote_name(AuditChainHead._meta.db_table)
        sequence = serial_sequence(connection.alias, AuditEvent._meta.db_table)
        if number is None:
            sql = (
                f"SELECT seq, hash, nextval({sequence}), NULL "  # noqa: S608
                f"FROM {head_table} WHERE id = %s FOR UPDATE"
            )
            params: list[Any] = [stream]
        else:
            sql = (
                f"WITH h AS (SELECT seq, hash FROM {head_table} WHERE id = %s FOR UPDATE), "  # noqa: S608
                f"c AS ({increment_sql(connection, condition='EXISTS (SELECT FROM h)')}) "
                f"SELECT h.seq, h.hash, nextval({sequence}), (SELECT value FROM c) FROM h"
            )
            params = [stream, *number]
        with statement_cursor(connection.alias) as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is not None:
            return int(row[0]), str(row[1]), int(row[2]), None if row[3] is None else int(row[3])
    head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=stream)
    return head.seq, head.hash, _next_seq() if connection.vendor == "postgresql" else None, None


def _object_type(target: models.Model | None) -> str:
    return target._meta.label_lower if target is not None else ""


def actor_label(actor: Any) -> str:
    """Return how an actor is written in the trail: 'Full Name <e-mail>'."""
    name = getattr(actor, "full_name", "") or ""
    email = getattr(actor, "email", "") or ""
    if name and email:
        return f"{name} <{email}>"
    return name or email or str(actor)


class AuditAppender:
    """An audit event to be appended later in this transaction, its stream locked now.

    ``audit_record`` locks the actor's stream, then writes. A service that takes a shared
    lock of its own (a journal's counter) creates the appender *before* taking it and records
    after: the stream's head is read in advance, so while the shared lock is held the event
    costs only its INSERT and the head's UPDATE. Use it once, in the transaction that made it.
    """

    def __init__(self, actor: Any, *, number: tuple[str, int] | None = None) -> None:
        """Lock the actor's stream; with ``number`` = (journal, year), also take that
        journal's next number in the same round trip (:attr:`number`; None when the
        counter has no row yet or the database is not PostgreSQL: then take it with
        :func:`hromada.core.numbering.next_number`)."""
        connection = transaction.get_connection()
        if not connection.in_atomic_block:
            raise RuntimeError("AuditAppender must be created inside transaction.atomic().")
        self._connection = connection
        self._actor = actor if getattr(actor, "is_authenticated", False) else None
        self._stream = audit_stream(self._actor.pk if self._actor is not None else None)
        # The lock on the stream's head serialises its appenders: positions stay gapless and
        # the chain linear. It is held until commit, so other streams go on meanwhile.
        self._last_position, self._prev_hash, self._seq, self.number = _lock_head(
            self._stream, number
        )
        self._used = False

    def record(
        self,
        *,
        action: str,
        target: models.Model | None = None,
        data: dict[str, Any] | None = None,
        object_type: str = "",
        object_id: str = "",
        object_repr: str = "",
        batch: WriteBatch | None = None,
    ) -> AuditEvent:
        """Append the event (once) and move the stream's head to it; with a ``batch`` that
        combines (PostgreSQL), both are added to it and written when it runs."""
        if self._used:
            raise RuntimeError("An AuditAppender records one event.")
        if not self._connection.in_atomic_block:
            raise RuntimeError("AuditAppender.record() must run in the transaction that made it.")
        self._used = True
        ctx = current_request_context()
        actor_obj = self._actor
        position = self._last_position + 1
        seq = self._seq if self._seq is not None else _next_seq()
        fields: dict[str, Any] = {
            "seq": seq,
            "stream": self._stream,
            "stream_seq": position,
            "created_at": timezone.now(),
            "actor_id": actor_obj.pk if actor_obj is not None else None,
            "actor_repr": _clean_text(actor_label(actor_obj) if actor_obj is not None else "")[
                :255
            ],
            "action": _clean_text(action),
            "object_type": _clean_text(object_type or _object_type(target)),
            "object_id": _clean_text(str(object_id or (target.pk if target is not None else "")))[
                :64
            ],
            "object_repr": _clean_text(object_repr or (str(target) if target is not None else ""))[
                :255
            ],
            "data": _canonical(data or {}),
            "ip": normalize_ip(ctx.ip) if ctx else None,
            "user_agent": _clean_text(ctx.user_agent)[:512] if ctx else "",
        }
        digest = compute_hash(prev_hash=self._prev_hash, **fields)
        event = AuditEvent(prev_hash=self._prev_hash, hash=digest, **fields)
        using = self._connection.alias
        head_table = self._connection.ops.quote_name(AuditChainHead._meta.db_table)
        if self._connection.vendor == "postgresql":
            event.pk = seq  # the number came from the id's own sequence
            # The event and the head's move in one statement (one round trip while the
            # caller may hold a shared lock), prepared on the server: the caller's batch, or
            # one of its own. The head is set from the inserted row, so the INSERT runs first
            # and the head's guard (install_append_only_guard) finds the event it advances to.
            own = batch is None or not batch.combines or batch.using != using
            writes = WriteBatch(using) if own else batch
            assert writes is not None
            part = writes.insert(_EVENT_INSERT, [event], returning=("stream_seq", "hash"))
            writes.add(
                f"UPDATE {head_table} SET seq = {part}.stream_seq, hash = {part}.hash "  # noqa: S608
                f"FROM {part} WHERE {head_table}.id = %s",
                [self._stream],
            )
            if own:
                writes.run()
            return event
        _EVENT_INSERT.insert([event], using)
        with self._connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {head_table} SET seq = %s, hash = %s WHERE id = %s",  # noqa: S608
                [position, digest, self._stream],
            )
        return event


# No savepoint of its own: called inside a service's transaction (the usual case), a failed
# append fails that transaction; called outside one, it is its own transaction.
@transaction.atomic(savepoint=False)
def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEvent:
    """Append an event to the audit chain (call inside the service's transaction)."""
    return AuditAppender(actor).record(
        action=action,
        target=target,
        data=data,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
    )


def audit_view(*, request: HttpRequest, target: models.Model, what: str = "") -> AuditEvent:
    """Record that the requesting user viewed personal data held in `target`."""
    return audit_record(
        actor=request.user,
        action=f"{target._meta.label_lower}.viewed",
        target=target,
        data={"path": request.path[:300], **({"what": what} if what else {})},
    )


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Return {field: [old, new]} for the fields whose values differ (secrets redacted)."""
    return {
        k: (
            [REDACTED, REDACTED]
            if k.lower() in SECRET_KEYS
            else [_canonical(before.get(k)), _canonical(after.get(k))]
        )
        for k in sorted(set(before) | set(after))
        if before.get(k) != after.get(k)
    }


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """Return {field: value} of a model instance, for `changed_fields` before and after."""
    result: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        result[name] = _canonical(getattr(obj, attname))
    return result


# --- Reading the trail -------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilter:
    """What the security officer searches for; empty fields match everything."""

    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    ip: str | None = None
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive

    def as_data(self) -> dict[str, str]:
        """Return the non-empty criteria as text (recorded with searches and exports)."""
        values = {
            "actor": self.actor,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "ip": self.ip or "",
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
        }
        return {k: v for k, v in values.items() if v}


def day_range(since: date | None, until: date | None) -> tuple[datetime | None, datetime | None]:
    """Return [start of `since`, start of the day after `until`) in the local time zone."""
    tz = timezone.get_current_timezone()

    def start(day: date) -> datetime:
        return datetime.combine(day, time.min, tzinfo=tz)

    return (
        start(since) if since is not None else None,
        start(until + timedelta(days=1)) if until is not None else None,
    )


def _icontains_any_case(field: str, text: str) -> Q:
    # SQLite's LIKE folds case for ASCII only; also try the usual cases of Cyrillic names.
    variants = {text, text.lower(), text.upper(), text.capitalize(), text.title()}
    q = Q()
    for variant in sorted(variants):
        q |= Q(**{f"{field}__icontains": variant})
    return q


def audit_events(criteria: AuditFilter) -> QuerySet[AuditEvent]:
    """Return the events matching the criteria, newest first."""
    qs = AuditEvent.objects.all()
    if criteria.actor:
        qs = qs.filter(_icontains_any_case("actor_repr", criteria.actor))
    if criteria.action:
        action = criteria.action
        # "auth." or "auth.*" is a prefix; anything else is one action.
        if action.endswith("*"):
            qs = qs.filter(action__startswith=action.rstrip("*"))
        elif action.endswith("."):
            qs = qs.filter(action__startswith=action)
        else:
            qs = qs.filter(action=action)
    if criteria.object_type:
        qs = qs.filter(object_type=criteria.object_type)
    if criteria.object_id:
        qs = qs.filter(object_id=criteria.object_id)
    if criteria.ip:
        qs = qs.filter(ip=criteria.ip)
    if criteria.since is not None:
        qs = qs.filter(created_at__gte=criteria.since)
    if criteria.until is not None:
        qs = qs.filter(created_at__lt=criteria.until)
    return qs.order_by("-seq")


@dataclass(frozen=True)
class AuditPage:
    """One page of events by keyset on seq, with the keys of the neighbouring pages."""

    events: list[AuditEvent]
    newer_after: int | None  # pass as ?after= to see newer events
    older_before: int | None  # pass as ?before= to see older events


def audit_page(
    qs: QuerySet[AuditEvent],
    *,
    size: int,
    before: int | None = None,
    after: int | None = None,
) -> AuditPage:
    """Return one page of a newest-first queryset (one query, whatever the table's size)."""
    if after is not None:
        rows = list(qs.filter(seq__gt=after).order_by("seq")[: size + 1])
        has_newer = len(rows) > size
        events = list(reversed(rows[:size]))
        has_older = bool(events)  # we came from an older page
    else:
        if before is not None:
            qs = qs.filter(seq__lt=before)
        rows = list(qs.order_by("-seq")[: size + 1])
        has_older = len(rows) > size
        events = rows[:size]
        has_newer = before is not None and bool(events)
    return AuditPage(
        events=events,
        newer_after=events[0].seq if events and has_newer else None,
        older_before=events[-1].seq if events and has_older else None,
    )


def iter_events(qs: QuerySet[AuditEvent], batch_size: int = 2000) -> Iterator[AuditEvent]:
    """Yield a newest-first queryset's events in bounded batches (keyset on seq)."""
    last: int | None = None
    while True:
        page = qs if last is None else qs.filter(seq__lt=last)
        batch = list(page.order_by("-seq")[:batch_size])
        if not batch:
            return
        yield from batch
        last = batch[-1].seq


# --- CSV export ------------------------------------------------------------------------

# Header columns are the model's (Ukrainian) field names; the order is fixed for parsers.
CSV_FIELDS = (
    "seq",
    "created_at",
    "actor_repr",
    "actor",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "data",
    "ip",
    "user_agent",
    "prev_hash",
    "hash",
)
# Excel reads UTF-8 CSV correctly only with a byte order mark.
CSV_BOM = "\ufeff"
# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_header() -> list[str]:
    """Return the export's header row (translated field names)."""
    names = []
    for name in CSV_FIELDS:
        if name == "actor":
            names.append(capfirst(str(_("хто (ідентифікатор)"))))
        else:
            field = AuditEvent._meta.get_field(name)
            assert isinstance(field, models.Field)
            names.append(capfirst(str(field.verbose_name)))
    return names


def _cell(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def csv_row(event: AuditEvent) -> list[str]:
    """Return an event as a row of text cells (times in the local time zone)."""
    values = {
        "seq": str(event.seq),
        "created_at": timezone.localtime(event.created_at).isoformat(timespec="seconds"),
        "actor_repr": event.actor_repr,
        "actor": str(event.actor_id or ""),
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "data": json.dumps(event.data, ensure_ascii=False, sort_keys=True),
        "ip": event.ip or "",
        "user_agent": event.user_agent,
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }
    return [_cell(values[name]) for name in CSV_FIELDS]


# --- Verifying the chain -------------------------------------------------------------


@dataclass(frozen=True)
class ChainBreak:
    """The first place where one stream's chain does not verify."""

    seq: int  # the position in the stream (for events from before streams: the event's number)
    reason: str
    stream: int = SYSTEM_STREAM
    event_seq: int | None = None  # the overall number of the event found there, if any


@dataclass(frozen=True)
class StreamReport:
    """The outcome of verifying one stream: events checked, its head, its first break."""

    stream: int
    checked: int
    head_seq: int
    head_hash: str
    broken: ChainBreak | None


def _stream_events(stream: int, batch_size: int = 2000) -> Iterator[AuditEvent]:
    last = 0
    while True:
        batch = list(
            AuditEvent.objects.filter(stream=stream, stream_seq__gt=last).order_by("stream_seq")[
                :batch_size
            ]
        )
        if not batch:
            return
        yield from batch
        last = batch[-1].stream_seq


def _verify_stream(stream: int, events: Iterable[AuditEvent]) -> tuple[int, str, ChainBreak | None]:
    """Check one stream's events in order; return (checked, last hash, first break or None)."""
    prev_hash = GENESIS_HASH
    expected = 1
    checked = 0

    def broken(position: int, reason: str, event: AuditEvent | None = None) -> ChainBreak:
        return ChainBreak(
            seq=position,
            reason=reason,
            stream=stream,
            event_seq=event.seq if event is not None else None,
        )

    for event in events:
        if event.stream_seq != expected:
            if event.stream_seq < expected:
                return (
                    checked,
                    prev_hash,
                    broken(
                        event.stream_seq, f"event #{event.stream_seq} appears out of order", event
                    ),
                )
            return (
                checked,
                prev_hash,
                broken(expected, f"event #{expected} is missing (next is #{event.stream_seq})"),
            )
        if event.prev_hash != prev_hash:
            return checked, prev_hash, broken(expected, "link to the previous event broken", event)
        if event_hash(event) != event.hash:
            return checked, prev_hash, broken(expected, "content does not match its hash", event)
        prev_hash = event.hash
        expected += 1
        checked += 1
    return checked, prev_hash, None


def verify_streams(events: Iterable[AuditEvent] | None = None) -> list[StreamReport]:
    """Verify every stream (or the given events, grouped by stream); one report per stream."""
    reports: list[StreamReport] = []
    if events is not None:
        grouped: dict[int, list[AuditEvent]] = {}
        for event in events:
            grouped.setdefault(event.stream, []).append(event)
        for stream in sorted(grouped):
            checked, last_hash, broken = _verify_stream(stream, grouped[stream])
            reports.append(StreamReport(stream, checked, checked, last_hash, broken))
        return reports
    heads = {h.pk: h for h in AuditChainHead.objects.all()}
    streams = set(heads) | set(
        AuditEvent.objects.order_by().values_list("stream", flat=True).distinct()
    )
    for stream in sorted(streams):
        head = heads.get(stream)
        head_seq = head.seq if head is not None else 0
        head_hash = head.hash if head is not None else GENESIS_HASH
        checked, last_hash, broken = _verify_stream(stream, _stream_events(stream))
        if broken is None and head_seq != checked:
            broken = ChainBreak(
                seq=min(head_seq, checked) + 1,
                reason=f"chain head says #{head_seq}, last event is #{checked}",
                stream=stream,
            )
        if broken is None and head_hash != last_hash:
            broken = ChainBreak(
                seq=checked, reason="chain head's hash differs from the last event's", stream=stream
            )
        reports.append(StreamReport(stream, checked, head_seq, head_hash, broken))
    return reports


def verify_chain(events: Iterable[AuditEvent] | None = None) -> tuple[int, ChainBreak | None]:
    """Check every event's hash and link; return (events checked, first break or None).

    Every stream is checked; the count is over all streams (up to each one's break),
    and the break returned is that of the lowest-numbered broken stream.
    """
    reports = verify_streams(events)
    breaks = [r.broken for r in reports if r.broken is not None]
    return sum(r.checked for r in reports), breaks[0] if breaks else None


def chain_heads() -> list[tuple[int, int, str]]:
    """Return (stream, position, hash) of every stream's last event."""
    return [(h.pk, h.seq, h.hash) for h in AuditChainHead.objects.order_by("pk") if h.seq]


def chain_head() -> tuple[int, str]:
    """Return the number of events and one digest of all stream heads (write them down)."""
    heads = chain_heads()
    if not heads:
        return 0, GENESIS_HASH
    if len(heads) == 1 and heads[0][0] == SYSTEM_STREAM:
        return heads[0][1], heads[0][2]  # one stream: its own head, as before streams
    digest = hashlib.sha256(
        "\n".join(f"{stream}:{seq}:{h}" for stream, seq, h in heads).encode()
    ).hexdigest()
    return sum(seq for _, seq, _ in heads), digest


# --- Database-level guard (PostgreSQL) -------------------------------------------------

_PG_GUARD_SQL = [
    """
    CREATE OR REPLACE FUNCTION hromada_audit_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'core_auditevent is append-only: % refused', TG_OP
            USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$
    """,
    "DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent",
    """
    CREATE TRIGGER core_auditevent_append_only
        BEFORE UPDATE OR DELETE ON core_auditevent
        FOR EACH ROW EXECUTE FUNCTION hromada_audit_append_only()
    """,
    # A stream's head may only move forward one event at a time, onto an event of that
    # stream that exists.
    """
    CREATE OR REPLACE FUNCTION hromada_audit_head_forward() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION 'core_auditchainhead cannot be deleted'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF NEW.id <> OLD.id OR NEW.seq <> OLD.seq + 1 OR NOT EXISTS (
            SELECT 1 FROM core_auditevent e
            WHERE e.stream = NEW.id AND e.stream_seq = NEW.seq AND e.hash = NEW.hash
        ) THEN
            RAISE EXCEPTION 'core_auditchainhead may only advance to the next event'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END;
    $$
    """,
    "DROP TRIGGER IF EXISTS core_auditchainhead_forward ON core_auditchainhead",
    """
    CREATE TRIGGER core_auditchainhead_forward
        BEFORE UPDATE OR DELETE ON core_auditchainhead
        FOR EACH ROW EXECUTE FUNCTION hromada_audit_head_forward()
    """,
]

_PG_UNGUARD_SQL = [
    "DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent",
    "DROP TRIGGER IF EXISTS core_auditchainhead_forward ON core_auditchainhead",
    "DROP FUNCTION IF EXISTS hromada_audit_append_only()",
    "DROP FUNCTION IF EXISTS hromada_audit_head_forward()",
]


def install_append_only_guard(connection: BaseDatabaseWrapper) -> bool:
    """Make the database refuse UPDATE and DELETE of audit events; return whether installed.

    PostgreSQL only (idempotent). TRUNCATE stays possible for test flushes and
    restores; a database superuser can always drop the trigger, which is why
    ``hromada audit verify`` and an externally noted chain head remain the proof.
    On SQLite nothing is installed: a trigger there would also block Django's
    test flush, which deletes rows one table at a time.
    """
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        for statement in _PG_GUARD_SQL:
            cursor.execute(statement)
    return True


def remove_append_only_guard(connection: BaseDatabaseWrapper) -> bool:
    """Drop the guard installed by `install_append_only_guard` (migration reverse)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        for statement in _PG_UNGUARD_SQL:
            cursor.execute(statement)
    return True
