"""The audit trail: append-only, hash-chained events (who, what, when, from where).

Every service records its write here inside its own transaction, and every view
of personal data records a ``*.viewed`` event. Each event's hash covers its
content and the previous event's hash, so editing or deleting any row breaks
the chain from that row on; ``hromada audit verify`` finds the first break.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from hromada.core.middleware import current_request_context
from hromada.core.models import AuditChainHead, AuditEvent

GENESIS_HASH = "0" * 64


def _canonical(value: Any) -> Any:
    """Return a JSON-serialisable, stable form of a value."""
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_canonical(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, models.Model):
        return value.pk
    return str(value)


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
) -> str:
    """Return the SHA-256 of an event's content chained to the previous hash."""
    payload = json.dumps(
        [
            prev_hash,
            seq,
            created_at.isoformat(timespec="microseconds"),
            actor_id,
            actor_repr,
            action,
            object_type,
            object_id,
            object_repr,
            data,
            ip,
            user_agent,
        ],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _object_type(target: models.Model | None) -> str:
    return target._meta.label_lower if target is not None else ""


@transaction.atomic
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
    ctx = current_request_context()
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    seq = head.seq + 1
    created_at = timezone.now()
    fields: dict[str, Any] = {
        "seq": seq,
        "created_at": created_at,
        "actor_id": actor_obj.pk if actor_obj is not None else None,
        "actor_repr": (str(actor_obj) if actor_obj is not None else "")[:255],
        "action": action,
        "object_type": object_type or _object_type(target),
        "object_id": str(object_id or (target.pk if target is not None else ""))[:64],
        "object_repr": (object_repr or (str(target) if target is not None else ""))[:255],
        "data": _canonical(data or {}),
        "ip": ctx.ip if ctx else None,
        "user_agent": ctx.user_agent if ctx else "",
    }
    digest = compute_hash(prev_hash=head.hash, **fields)
    event = AuditEvent(prev_hash=head.hash, hash=digest, **fields)
    event.save()
    AuditChainHead.objects.filter(pk=1).update(seq=seq, hash=digest)
    return event


def audit_view(*, request: HttpRequest, target: models.Model, what: str = "") -> AuditEvent:
    """Record that the requesting user viewed personal data held in `target`."""
    return audit_record(
        actor=request.user,
        action=f"{target._meta.label_lower}.viewed",
        target=target,
        data={"path": request.path[:300], **({"what": what} if what else {})},
    )


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Return {field: [old, new]} for the fields whose values differ."""
    return {
        k: [_canonical(before.get(k)), _canonical(after.get(k))]
        for k in sorted(set(before) | set(after))
        if before.get(k) != after.get(k)
    }


@dataclass(frozen=True)
class ChainBreak:
    """The first event where the chain does not verify."""

    seq: int
    reason: str


def _events_in_order(batch_size: int = 2000) -> Iterator[AuditEvent]:
    last = 0
    while True:
        batch = list(AuditEvent.objects.filter(seq__gt=last).order_by("seq")[:batch_size])
        if not batch:
            return
        yield from batch
        last = batch[-1].seq


def verify_chain(events: Iterable[AuditEvent] | None = None) -> tuple[int, ChainBreak | None]:
    """Check every event's hash and link; return (events checked, first break or None)."""
    prev_hash = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for event in events if events is not None else _events_in_order():
        if event.seq != expected_seq:
            return checked, ChainBreak(
                seq=expected_seq, reason=f"event #{expected_seq} is missing (next is #{event.seq})"
            )
        if event.prev_hash != prev_hash:
            return checked, ChainBreak(seq=event.seq, reason="link to the previous event broken")
        digest = compute_hash(
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
        )
        if digest != event.hash:
            return checked, ChainBreak(seq=event.seq, reason="content does not match its hash")
        prev_hash = event.hash
        expected_seq += 1
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if events is None and head is not None and head.seq != checked:
        return checked, ChainBreak(
            seq=checked + 1, reason=f"chain head says #{head.seq}, last event is #{checked}"
        )
    return checked, None
