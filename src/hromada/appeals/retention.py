"""Retention of appeals' personal data (строки зберігання): expiry, anonymisation by act.

An appeals file is kept for the term of the case nomenclature (номенклатура справ; five
years by default, HROMADA_APPEALS_RETENTION_YEARS): `Appeal.retention_until` is set at
registration to 1 January after that many full years. When it has passed, the appeal's
personal data is anonymised (знеособлення) — never without an act:

1. the registering office (an operator over the body) proposes an act listing the body's
   considered appeals whose term expired (`retention_act_propose`);
2. a head over the body, not the proposer, approves it (`retention_act_approve`) or rejects
   it (`retention_act_reject`);
3. the office or the head executes the approved act (`retention_act_execute`): every listed
   appeal loses what identifies the applicant, its files are destroyed, and the act with
   its list stays on record.

The classifier-858 codes (how received, sign, kind, sex, subject, type, category, social
status, topics, result), the district, channel, dates and terms stay: the statistics and
the quarterly report add up the same after anonymisation. The audit log is append-only
(a hash chain) and is not rewritten; it holds ids and codes, not the applicant's data,
except the before/after values of card corrections (see docs/appeals.md, "Retention").
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hromada.accounts.models import OrgUnit, User
from hromada.accounts.permissions import require
from hromada.appeals.models import (
    Answer,
    Appeal,
    AppealEvent,
    AppealFile,
    AppealsJournal,
    IncomingMail,
    ReceptionBooking,
    ReceptionRecord,
    RetentionAct,
    RetentionActItem,
    TermExtension,
    WebSubmission,
)
from hromada.core.audit import audit_record
from hromada.core.exceptions import ApplicationError
from hromada.core.numbering import next_number

logger = logging.getLogger(__name__)

State = Appeal.State
ActState = RetentionAct.State
# Only appeals whose consideration is over may be anonymised.
FINAL_STATES = (State.CLOSED, State.FORWARDED, State.RETURNED, State.NOT_CONSIDERED)
# An appeal in an act in one of these states is taken: it cannot go into another act.
PENDING_ACT_STATES = (ActState.PROPOSED, ActState.APPROVED)
ANONYMISED_TEXT = "Знеособлено за актом № {number}."
CHUNK = 500
MAX_NOTE = 2000


def _today() -> date:
    return timezone.localdate()


# --- selectors ------------------------------------------------------------------------------


def expired_appeals(*, body: OrgUnit, on: date | None = None) -> QuerySet[Appeal]:
    """A body's considered appeals whose retention term expired and that no act lists yet."""
    on = on or _today()
    taken = RetentionActItem.objects.filter(act__state__in=PENDING_ACT_STATES).values("appeal_id")
    return (
        Appeal.objects.filter(
            unit=body,
            retention_until__lte=on,
            anonymised_at__isnull=True,
            state__in=FINAL_STATES,
        )
        .exclude(pk__in=taken)
        .order_by("retention_until", "reg_date", "seq", "pk")
    )


@dataclass(frozen=True)
class BodyRetention:
    """A body with a journal, as the retention screens list it."""

    body: OrgUnit
    expired: int
    may_propose: bool


def retention_bodies(user: User, *, on: date | None = None) -> list[BodyRetention]:
    """The bodies whose retention the user may handle, with their count of expired appeals."""
    on = on or _today()
    bodies = OrgUnit.objects.filter(pk__in=AppealsJournal.objects.values("body_id")).order_by(
        "name"
    )
    out = []
    for body in bodies:
        if not user.has_perm("appeals.view_retention", body):
            continue
        out.append(
            BodyRetention(
                body=body,
                expired=expired_appeals(body=body, on=on).count(),
                may_propose=user.has_perm("appeals.propose_retention", body),
            )
        )
    return out


def retention_acts(user: User) -> QuerySet[RetentionAct]:
    """The acts of the bodies whose retention the user may handle, newest first."""
    units = [b.body.pk for b in retention_bodies(user)]
    return (
        RetentionAct.objects.filter(unit_id__in=units)
        .select_related("unit", "proposed_by", "approved_by", "executed_by")
        .annotate(appeals=Count("items"))
        .order_by("-created_at", "-pk")
    )


# --- checks ---------------------------------------------------------------------------------


def _refuse_ineligible(appeal: Appeal, *, body: OrgUnit, on: date) -> None:
    index = appeal.reg_index or str(appeal.pk)
    if appeal.unit_id != body.pk:
        raise ApplicationError(
            _("Звернення № %(index)s зареєстроване іншим органом: до цього акта воно не входить.")
            % {"index": index},
            field="appeal_ids",
            code="other_body",
        )
    if appeal.anonymised_at is not None:
        raise ApplicationError(
            _("Звернення № %(index)s уже знеособлене.") % {"index": index},
            field="appeal_ids",
            code="already_anonymised",
        )
    if appeal.state not in FINAL_STATES:
        raise ApplicationError(
            _(
                "Звернення № %(index)s ще розглядається (стан «%(state)s»): знеособити можна "
                "лише розглянуте, надіслане за належністю, повернуте або не розглянуте звернення."
            )
            % {"index": index, "state": appeal.get_state_display()},
            field="appeal_ids",
            code="open_appeal",
        )
    if appeal.retention_until is None or appeal.retention_until > on:
        until = appeal.retention_until.strftime("%d.%m.%Y") if appeal.retention_until else "—"
        raise ApplicationError(
            _("Строк зберігання звернення № %(index)s ще не сплив (зберігати до %(until)s).")
            % {"index": index, "until": until},
            field="appeal_ids",
            code="not_expired",
        )


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield list(ids[start : start + CHUNK])


def _lock_appeals(ids: Sequence[int]) -> list[Appeal]:
    locked: list[Appeal] = []
    for chunk in _chunks(sorted(ids)):
        locked.extend(Appeal.objects.select_for_update().filter(pk__in=chunk).order_by("pk"))
    return locked


def _lock_act(act_id: int) -> RetentionAct:
    act = RetentionAct.objects.select_for_update().select_related("unit").filter(pk=act_id).first()
    if act is None:
        raise ApplicationError(_("Акт не знайдено."), code="not_found")
    return act


# --- services -------------------------------------------------------------------------------


@transaction.atomic
def retention_act_propose(
    *,
    actor: User,
    body_id: int,
    appeal_ids: Sequence[int] | None = None,
    note: str = "",
) -> RetentionAct:
    """Propose an act anonymising a body's expired appeals (all of them, or those listed)."""
    body = OrgUnit.objects.filter(pk=body_id).first()
    if body is None:
        raise ApplicationError(_("Орган не знайдено."), code="not_found")
    require(actor, "appeals.propose_retention", body)
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise ApplicationError(
            _("Примітка задовга: не більше %(max)s знаків.") % {"max": MAX_NOTE}, field="note"
        )
    today = _today()
    if appeal_ids is None:
        ids = list(expired_appeals(body=body, on=today).values_list("pk", flat=True))
    else:
        ids = sorted({int(i) for i in appeal_ids})
    if not ids:
        raise ApplicationError(
            _("Немає звернень, строк зберігання яких сплив: акт не складено."),
            field="appeal_ids",
            code="empty",
        )
    appeals = _lock_appeals(ids)
    if len(appeals) != len(ids):
        raise ApplicationError(_("Звернення не знайдено."), field="appeal_ids", code="not_found")
    for appeal in appeals:
        _refuse_ineligible(appeal, body=body, on=today)
    taken = (
        RetentionActItem.objects.filter(appeal_id__in=ids, act__state__in=PENDING_ACT_STATES)
        .select_related("act")
        .first()
    )
    if taken is not None:
        raise ApplicationError(
            _("Звернення № %(index)s уже внесене до акта № %(act)s.")
            % {"index": taken.reg_index, "act": taken.act.number},
            field="appeal_ids",
            code="in_other_act",
        )
    seq = next_number(journal=f"appeals-retention:{body.pk}", year=today.year)
    act = RetentionAct.objects.create(
        unit=body,
        number=f"{seq}/{today.year}",
        expired_on=today,
        note=note,
        proposed_by=actor,
    )
    RetentionActItem.objects.bulk_create(
        [
            RetentionActItem(
                act=act,
                appeal=appeal,
                reg_index=appeal.reg_index,
                reg_date=appeal.reg_date,
                case_index=appeal.case_index,
                retention_until=appeal.retention_until,
            )
            for appeal in appeals
        ],
        batch_size=CHUNK,
    )
    audit_record(
        actor=actor,
        action="appeals.retention_act.proposed",
        target=act,
        data={"number": act.number, "unit": body.pk, "appeals": ids},
    )
    return act


@transaction.atomic
def retention_act_approve(*, actor: User, act_id: int) -> RetentionAct:
    """Approve a proposed act (a head over the body who did not propose it)."""
    act = _lock_act(act_id)
    require(actor, "appeals.approve_retention", act.unit)
    if act.state != ActState.PROPOSED:
        raise ApplicationError(
            _("Затвердити можна лише складений акт (цей — «%(state)s»).")
            % {"state": act.get_state_display()},
            code="invalid_state",
        )
    if act.proposed_by_id == actor.pk:
        raise ApplicationError(
            _("Акт затверджує інша особа, ніж та, що його склала: попросіть керівника."),
            code="own_act",
        )
    act.state = ActState.APPROVED
    act.approved_by = actor
    act.approved_at = timezone.now()
    act.save(update_fields=["state", "approved_by", "approved_at", "updated_at"])
    audit_record(
        actor=actor,
        action="appeals.retention_act.approved",
        target=act,
        data={"number": act.number, "appeals": act.items.count()},
    )
    return act


@transaction.atomic
def retention_act_reject(*, actor: User, act_id: int, reason: str) -> RetentionAct:
    """Reject a proposed act with a reason; its appeals may go into another act."""
    act = _lock_act(act_id)
    require(actor, "appeals.approve_retention", act.unit)
    if act.state != ActState.PROPOSED:
        raise ApplicationError(
            _("Відхилити можна лише складений акт (цей — «%(state)s»).")
            % {"state": act.get_state_display()},
            code="invalid_state",
        )
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Вкажіть причину відхилення акта."), field="reason")
    if len(reason) > MAX_NOTE:
        raise ApplicationError(
            _("Причина задовга: не більше %(max)s знаків.") % {"max": MAX_NOTE}, field="reason"
        )
    act.state = ActState.REJECTED
    act.rejected_reason = reason
    act.save(update_fields=["state", "rejected_reason", "updated_at"])
    audit_record(
        actor=actor,
        action="appeals.retention_act.rejected",
        target=act,
        data={"number": act.number, "reason": reason},
    )
    return act


@dataclass
class _Blobs:
    """Files to destroy: (storage, name) pairs, destroyed once the rows are gone."""

    items: list[tuple[Storage, str]]

    def add(self, field_file: object) -> None:
        name = getattr(field_file, "name", "")
        if name:
            self.items.append((field_file.storage, name))  # type: ignore[attr-defined]

    def destroy(self) -> list[str]:
        failed = []
        for storage, name in self.items:
            try:
                storage.delete(name)
            except OSError:
                logger.exception("appeals retention: could not delete %s", name)
                failed.append(name)
        return failed


def _anonymise(ids: list[int], *, act: RetentionAct, blobs: _Blobs) -> dict[int, int]:
    """Strip personal data from a chunk of appeals and their records; return files per appeal."""
    from hromada.control.models import Report, ReportFile, Resolution

    files_per: dict[int, int] = dict.fromkeys(ids, 0)
    for stored in AppealFile.objects.filter(appeal_id__in=ids).only("pk", "appeal_id", "blob"):
        blobs.add(stored.blob)
        files_per[stored.appeal_id] += 1
    Answer.objects.filter(appeal_id__in=ids).update(
        text="", grounds="", signature_data="", pdf=None
    )
    AppealFile.objects.filter(appeal_id__in=ids).delete()
    AppealEvent.objects.filter(appeal_id__in=ids).update(note="", public_note="")
    TermExtension.objects.filter(appeal_id__in=ids).update(reason="")
    WebSubmission.objects.filter(appeal_id__in=ids).delete()
    for mail in IncomingMail.objects.filter(appeal_id__in=ids).only("pk", "appeal_id", "raw"):
        blobs.add(mail.raw)
        files_per[mail.appeal_id or 0] = files_per.get(mail.appeal_id or 0, 0) + 1
    IncomingMail.objects.filter(appeal_id__in=ids).update(
        raw="", from_address="", subject="", message_id="", error=""
    )
    records = ReceptionRecord.objects.filter(appeal_id__in=ids)
    ReceptionBooking.objects.filter(record__in=records).update(
        citizen=None,
        surname="",
        given_name="",
        patronymic="",
        address="",
        email="",
        phone="",
        summary="",
    )
    records.update(
        surname="", given_name="", patronymic="", address="", phone="", summary="", result=""
    )
    # The control engine's records of the appeal: the title shown in control lists carried
    # the summary; executors' reports and their files may name the applicant.
    appeal_type = ContentType.objects.get_for_model(Appeal)
    resolutions = Resolution.objects.filter(item_type=appeal_type, item_id__in=ids)
    titles = {
        a.pk: str(a) for a in Appeal.objects.filter(pk__in=ids).only("pk", "reg_index", "reg_date")
    }
    for resolution in resolutions.only("pk", "item_id"):
        Resolution.objects.filter(pk=resolution.pk).update(
            item_title=titles.get(int(resolution.item_id), "")[:300]
        )
    reports = Report.objects.filter(assignment__resolution__in=resolutions)
    for report_file in ReportFile.objects.filter(report__in=reports).only("pk", "file"):
        blobs.add(report_file.file)
    ReportFile.objects.filter(report__in=reports).delete()
    reports.update(text="", decision_note="")
    Appeal.objects.filter(pk__in=ids).update(
        applicant=None,
        surname="",
        given_name="",
        patronymic="",
        address="",
        email="",
        phone="",
        phone_digits="",
        person_key="",
        tracking_hash="",
        source_ref="",
        summary="",
        text=ANONYMISED_TEXT.format(number=act.number),
        return_reason="",
        not_considered_reason="",
        anonymised_at=timezone.now(),
        updated_at=timezone.now(),
    )
    return files_per


@transaction.atomic
def retention_act_execute(*, actor: User, act_id: int) -> RetentionAct:
    """Anonymise the appeals of an approved act and destroy their files; keep the act."""
    act = _lock_act(act_id)
    require(actor, "appeals.execute_retention", act.unit)
    if act.state != ActState.APPROVED:
        raise ApplicationError(
            _("Акт не затверджено: знеособити звернення можна лише за затвердженим актом.")
            if act.state == ActState.PROPOSED
            else _("Акт у стані «%(state)s» виконати не можна.")
            % {"state": act.get_state_display()},
            code="invalid_state",
        )
    items = {item.appeal_id: item for item in act.items.all()}
    ids = sorted(items)
    today = _today()
    # Re-checked under lock: nothing listed may have been reopened or anonymised since.
    for appeal in _lock_appeals(ids):
        _refuse_ineligible(appeal, body=act.unit, on=today)
    blobs = _Blobs(items=[])
    files_per: dict[int, int] = {}
    for chunk in _chunks(ids):
        files_per.update(_anonymise(chunk, act=act, blobs=blobs))
    for appeal_id, item in items.items():
        item.files = files_per.get(appeal_id, 0)
    RetentionActItem.objects.bulk_update(list(items.values()), ["files"], batch_size=CHUNK)
    act.state = ActState.EXECUTED
    act.executed_by = actor
    act.executed_at = timezone.now()
    act.files_deleted = len(blobs.items)
    act.save(update_fields=["state", "executed_by", "executed_at", "files_deleted", "updated_at"])
    for appeal_id, item in items.items():
        audit_record(
            actor=actor,
            action="appeals.appeal.anonymised",
            target=None,
            object_type="appeals.appeal",
            object_id=str(appeal_id),
            object_repr=f"Звернення № {item.reg_index}",
            data={"act": act.pk, "act_number": act.number, "files": item.files},
        )
    # The files go last, once every row is written: should the commit still fail, the act
    # stays approved and executing it again finds nothing left to delete.
    failed = blobs.destroy()
    audit_record(
        actor=actor,
        action="appeals.retention_act.executed",
        target=act,
        data={
            "number": act.number,
            "appeals": len(ids),
            "files": len(blobs.items),
            "files_failed": len(failed),
        },
    )
    return act


def act_items(act: RetentionAct) -> QuerySet[RetentionActItem]:
    """The act's list with each appeal's state (no personal data)."""
    return act.items.select_related("appeal").only(
        "id",
        "reg_index",
        "reg_date",
        "case_index",
        "retention_until",
        "files",
        "appeal__id",
        "appeal__state",
        "appeal__anonymised_at",
        "appeal__result",
    )
