"""Every write of the document workflow: registration, files, answers, cases, destruction."""

from __future__ import annotations

import hashlib
import string
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from hromada.accounts.models import OrgUnit, User
from hromada.accounts.permissions import has_role, require
from hromada.accounts.roles import Role
from hromada.core.audit import AuditAppender, audit_record, changed_fields, snapshot
from hromada.core.exceptions import ApplicationError
from hromada.core.notifications import notify
from hromada.core.numbering import (
    INDEX_PLACEHOLDERS,
    format_index,
    next_number,
    register_number,
    validate_index_template,
)
from hromada.core.uploads import DOCUMENTS, validate_upload
from hromada.documents import search
from hromada.documents.models import (
    Approval,
    CaseFile,
    Correspondent,
    DestructionAct,
    Document,
    DocumentFile,
    DocumentLink,
    FileVersion,
    Journal,
)

State = Document.State
MAX_SUMMARY = 2000
MAX_FILES = 20
OCR_TYPES = frozenset({"application/pdf", "image/tiff", "image/png", "image/jpeg"})


def _today() -> date:
    return timezone.localdate()


def _fmt(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _move(document: Document, to: str) -> None:
    if not document.can_become(to):
        raise ApplicationError(
            _("Документ у стані «%(state)s» не можна перевести у стан «%(to)s».")
            % {"state": document.get_state_display(), "to": State(to).label},
            code="invalid_state",
        )
    document.state = to


def _text(value: str, *, field: str, label: str, limit: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ApplicationError(_("Заповніть поле «%(label)s».") % {"label": label}, field=field)
    if len(value) > limit:
        raise ApplicationError(
            _("Поле «%(label)s» задовге: не більше %(max)s знаків.")
            % {"label": label, "max": limit},
            field=field,
        )
    return value


def check_files(files: Sequence[Any], *, field: str = "files") -> None:
    """Refuse too many files or any that fails the upload checks (before anything is written)."""
    if len(files) > MAX_FILES:
        raise ApplicationError(
            _("Не більше %(max)s файлів за раз.") % {"max": MAX_FILES}, field=field
        )
    for upload in files:
        try:
            validate_upload(upload, allowed=DOCUMENTS)
        except ValidationError as exc:
            name = getattr(upload, "name", "") or ""
            raise ApplicationError(f"{name}: {' '.join(exc.messages)}", field=field) from exc


def refresh_search_text(document: Document) -> None:
    """Rebuild a document's search text from its card and its files' recognised text."""
    ocr: list[str] = []
    if document.pk is not None:
        ocr = list(
            FileVersion.objects.filter(file__document=document, destroyed_at__isnull=True)
            .exclude(ocr_text="")
            .values_list("ocr_text", flat=True)
        )
    document.search_text = search.document_search_text(
        summary=document.summary,
        reg_index=document.reg_index,
        correspondent=document.correspondent.name if document.correspondent else "",
        correspondent_number=document.correspondent_number,
        doc_kind=document.doc_kind,
        extra=ocr,
    )


# --- journals and correspondents -------------------------------------------------------------
# Placeholders a document journal's index can fill (see _number); the others belong to appeals.
JOURNAL_PLACEHOLDERS = ("seq", "year", "case", "unit", "journal", "correspondent")


def check_journal_template(template: str, *, body: OrgUnit, code: str) -> str:
    """Check a document journal's index template; return it stripped (Ukrainian errors)."""
    template = (template or "").strip()
    known = ", ".join(f"{{{n}}}" for n in JOURNAL_PLACEHOLDERS)
    try:
        names = {name for _lit, name, _spec, _conv in string.Formatter().parse(template) if name}
    except ValueError:
        names = set()  # unbalanced braces: validate_index_template explains
    for name in sorted(names - set(JOURNAL_PLACEHOLDERS)):
        if name in INDEX_PLACEHOLDERS:
            message = _(
                "Поле «{%(name)s}» не заповнюється в журналах документів. Доступні поля: %(known)s."
            )
        elif name.isidentifier():
            message = _("Невідоме поле «{%(name)s}» у шаблоні індексу. Доступні поля: %(known)s.")
        else:
            continue  # a malformed placeholder: validate_index_template explains
        raise ApplicationError(message % {"name": name, "known": known}, field="index_template")
    try:
        validate_index_template(template)
    except ApplicationError as exc:
        raise ApplicationError(exc.message, field="index_template") from exc
    # A trial index with a long number: the template renders and is not too long.
    try:
        format_index(
            template,
            seq=99999,
            year=9999,
            case="01-15",
            unit=body.code,
            journal=code,
            correspondent="XX",
        )
    except ApplicationError as exc:
        raise ApplicationError(exc.message, field="index_template") from exc
    return template


@transaction.atomic
def journal_create(
    *,
    actor: User,
    body: OrgUnit,
    kind: str,
    code: str,
    name: str,
    index_template: str = "{seq}",
    doc_kind: str = "",
    order: int = 0,
    is_active: bool = True,
) -> Journal:
    """Create a registration journal of a body."""
    require(actor, "documents.manage_journals", body)
    if kind not in Journal.Kind.values:
        raise ApplicationError(_("Невідомий вид журналу."), field="kind")
    code = _text(code, field="code", label=_("Код"), limit=30)
    index_template = check_journal_template(index_template, body=body, code=code)
    if len(doc_kind) > 50:
        raise ApplicationError(_("Вид документів задовгий."), field="doc_kind")
    if Journal.objects.filter(code=code).exists():
        raise ApplicationError(_("Журнал з кодом «%(code)s» уже є.") % {"code": code}, field="code")
    journal = Journal.objects.create(
        body=body,
        kind=kind,
        code=code,
        name=_text(name, field="name", label=_("Назва"), limit=200),
        index_template=index_template,
        doc_kind=doc_kind,
        order=order,
        is_active=is_active,
    )
    audit_record(
        actor=actor,
        action="documents.journal.created",
        target=journal,
        data={"body": body.pk, "kind": kind, "code": code, "template": index_template},
    )
    return journal


@transaction.atomic
def journal_update(
    *,
    journal_id: int,
    actor: User,
    name: str,
    index_template: str,
    doc_kind: str = "",
    order: int = 0,
    is_active: bool = True,
    kind: str | None = None,
    body: OrgUnit | None = None,
) -> Journal:
    """Change a journal: name, index template (for new numbers), kind of documents, state.

    Its kind and body change only while it holds no documents (they are its record).
    """
    journal = Journal.objects.select_for_update().select_related("body").get(pk=journal_id)
    require(actor, "documents.manage_journals", journal.body)
    fields = ("name", "index_template", "doc_kind", "order", "is_active", "kind", "body")
    before = snapshot(journal, fields)
    moving = (kind is not None and kind != journal.kind) or (
        body is not None and body.pk != journal.body_id
    )
    if moving:
        if journal.documents.exists():
            raise ApplicationError(
                _("У журналі вже є документи: його вид і орган не змінюються."), field="kind"
            )
        if kind is not None and kind not in Journal.Kind.values:
            raise ApplicationError(_("Невідомий вид журналу."), field="kind")
        if body is not None:
            require(actor, "documents.manage_journals", body)
            journal.body = body
        journal.kind = kind or journal.kind
    journal.name = _text(name, field="name", label=_("Назва"), limit=200)
    journal.index_template = check_journal_template(
        index_template, body=journal.body, code=journal.code
    )
    if len(doc_kind) > 50:
        raise ApplicationError(_("Вид документів задовгий."), field="doc_kind")
    journal.doc_kind = doc_kind
    journal.order = order
    journal.is_active = is_active
    diff = changed_fields(before, snapshot(journal, fields))
    if not diff:
        return journal
    journal.save()
    audit_record(
        actor=actor, action="documents.journal.changed", target=journal, data={"changed": diff}
    )
    return journal


def _correspondent_search_name(name: str, code: str, edrpou: str) -> str:
    return " ".join(p for p in (name, code, edrpou) if p).casefold()[:400]


@transaction.atomic
def correspondent_create(
    *,
    actor: User,
    kind: str,
    name: str,
    code: str = "",
    edrpou: str = "",
    address: str = "",
    email: str = "",
    phone: str = "",
) -> Correspondent:
    """Add an organisation or a person to the correspondent directory."""
    require(actor, "documents.manage_correspondents")
    if kind not in Correspondent.Kind.values:
        raise ApplicationError(_("Оберіть вид кореспондента."), field="kind")
    name = _text(name, field="name", label=_("Назва / ПІБ"), limit=300)
    if edrpou and (not edrpou.isdigit() or len(edrpou) not in (8, 10)):
        raise ApplicationError(_("Код ЄДРПОУ — 8 цифр (або 10 для ІПН)."), field="edrpou")
    correspondent = Correspondent.objects.create(
        kind=kind,
        name=name,
        code=code.strip(),
        edrpou=edrpou,
        address=address.strip(),
        email=email.strip(),
        phone=phone.strip(),
        search_name=_correspondent_search_name(name, code, edrpou),
    )
    audit_record(
        actor=actor,
        action="documents.correspondent.created",
        target=correspondent,
        data={"kind": kind, "name": name},
    )
    return correspondent


# --- registration ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Card:
    """The registration card's fields (what a clerk types in)."""

    summary: str
    doc_kind: str = "лист"
    correspondent: Correspondent | None = None
    correspondent_number: str = ""
    correspondent_date: date | None = None
    received_date: date | None = None
    channel: str = ""
    pages: int = 1
    attachments_count: int = 0
    access: str = Document.Access.PUBLIC
    case_file: CaseFile | None = None
    addressee: User | None = None
    answer_to: Document | None = None
    follow_up_of: Document | None = None


def _check_card(journal: Journal, card: Card, today: date) -> str:
    summary = _text(card.summary, field="summary", label=_("Короткий зміст"), limit=MAX_SUMMARY)
    if not card.doc_kind or len(card.doc_kind) > 50:
        raise ApplicationError(_("Оберіть вид документа."), field="doc_kind")
    if card.access not in Document.Access.values:
        raise ApplicationError(_("Оберіть рівень доступу."), field="access")
    if card.pages > 10000 or card.attachments_count > 10000:
        raise ApplicationError(_("Завелика кількість аркушів."), field="pages")
    if journal.kind == Journal.Kind.INCOMING:
        if card.correspondent is None:
            raise ApplicationError(_("Оберіть кореспондента."), field="correspondent")
        if card.received_date is None:
            raise ApplicationError(_("Вкажіть дату надходження."), field="received_date")
        if card.channel not in Document.Channel.values:
            raise ApplicationError(_("Оберіть спосіб надходження."), field="channel")
    if card.received_date and card.received_date > today:
        raise ApplicationError(
            _("Дата надходження не може бути в майбутньому."), field="received_date"
        )
    if card.correspondent_date and card.correspondent_date > today:
        raise ApplicationError(
            _("Дата документа кореспондента не може бути в майбутньому."),
            field="correspondent_date",
        )
    if (
        card.correspondent_date
        and card.received_date
        and card.correspondent_date > card.received_date
    ):
        raise ApplicationError(
            _("Документ не міг надійти раніше, ніж його написано."), field="correspondent_date"
        )
    if len(card.correspondent_number) > 50:
        raise ApplicationError(_("Номер кореспондента задовгий."), field="correspondent_number")
    if card.correspondent is not None and not card.correspondent.is_active:
        raise ApplicationError(_("Цей кореспондент більше не діє."), field="correspondent")
    if card.case_file is not None:
        _check_case(card.case_file, journal.body, today.year)
    elif "{case" in journal.index_template:
        raise ApplicationError(
            _("Індекс цього журналу містить індекс справи: оберіть справу."), field="case_file"
        )
    if card.addressee is not None and not has_role(card.addressee, Role.HEAD):
        raise ApplicationError(_("Адресатом може бути лише керівник."), field="addressee")
    return summary


def _check_case(case: CaseFile, body: OrgUnit, year: int) -> None:
    if case.body_id != body.pk:
        raise ApplicationError(_("Справа належить іншому органу."), field="case_file")
    if case.state != CaseFile.State.OPEN:
        raise ApplicationError(
            _("Справа «%(index)s» закрита.") % {"index": case.index}, field="case_file"
        )
    if case.year != year:
        raise ApplicationError(
            _("Справа «%(index)s» — номенклатури %(year)s року.")
            % {"index": case.index, "year": case.year},
            field="case_file",
        )


def _number(journal: Journal, document: Document, today: date) -> None:
    """Take the journal's next number for this year and write the index onto the document."""
    context = {
        "year": today.year,
        "case": document.case_file.index if document.case_file else "",
        "unit": journal.body.code,
        # `journal` is also register_number()'s keyword for the counter, hence the two calls.
        "journal": journal.code,
        "correspondent": (document.correspondent.code if document.correspondent else "") or "",
        "executor": "",
        "topic": "",
        "letter": "",
    }
    # A dry run checks the template before a number is taken (a bad one never costs one).
    format_index(journal.index_template, seq=0, **context)
    seq = next_number(journal=journal.counter_key, year=today.year)
    index = format_index(journal.index_template, seq=seq, **context)
    document.year = today.year
    document.seq = seq
    document.reg_index = index
    document.reg_date = today


def _store_version(
    doc_file: DocumentFile, upload: Any, actor: User | None, number: int
) -> FileVersion:
    checked = validate_upload(upload, allowed=DOCUMENTS)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(1024 * 1024), b""):
        digest.update(chunk)
    upload.seek(0)
    upload.name = checked.name
    version = FileVersion(
        file=doc_file,
        number=number,
        name=checked.name,
        mime=checked.mime,
        size=checked.size,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
        ocr_state=FileVersion.Ocr.PENDING if checked.mime in OCR_TYPES else FileVersion.Ocr.NONE,
    )
    version.blob.save(checked.name, upload, save=False)
    version.save()
    if version.ocr_state == FileVersion.Ocr.PENDING:
        from hromada.documents.tasks import recognise_text

        version_id = version.pk
        transaction.on_commit(lambda: recognise_text.enqueue(version_id=version_id))
    return version


def _add_file(
    document: Document, upload: Any, actor: User | None, kind: str, title: str = ""
) -> DocumentFile:
    doc_file = DocumentFile.objects.create(
        document=document, kind=kind, title=(title or upload.name or _("файл"))[:200]
    )
    _store_version(doc_file, upload, actor, 1)
    return doc_file


def _link(document: Document, to: Document | None, kind: str) -> None:
    if to is not None:
        DocumentLink.objects.get_or_create(from_document=document, to_document=to, kind=kind)


@transaction.atomic
def document_register(
    *,
    journal: Journal,
    actor: User,
    card: Card,
    files: Sequence[Any] = (),
) -> Document:
    """Register an incoming or internal document: gapless number, card, files, notice."""
    journal = Journal.objects.select_related("body").get(pk=journal.pk)
    require(actor, "documents.register", journal)
    if not journal.is_active:
        raise ApplicationError(_("Журнал закрито для реєстрації."), field="journal")
    if journal.kind == Journal.Kind.OUTGOING:
        raise ApplicationError(
            _("Вихідні документи реєструються після підписання."), field="journal"
        )
    today = _today()
    summary = _check_card(journal, card, today)
    check_files(files)
    for linked in (card.answer_to, card.follow_up_of):
        if linked is not None and not actor.has_perm("documents.view_document", linked):
            raise ApplicationError(_("Пов'язаний документ не знайдено."), field="links")
    document = Document(
        journal=journal,
        direction=journal.kind,
        unit=journal.body,
        state=State.REGISTERED,
        registered_by=actor,
        doc_kind=card.doc_kind,
        correspondent=card.correspondent,
        correspondent_number=card.correspondent_number.strip(),
        correspondent_date=card.correspondent_date,
        received_date=card.received_date,
        channel=card.channel,
        summary=summary,
        pages=card.pages,
        attachments_count=card.attachments_count,
        access=card.access,
        case_file=card.case_file,
        addressee=card.addressee,
    )
    document.reg_date = today
    # Files and links point at the row, so with them it is written before the number and
    # numbered after; without them it is written once, numbered (a second write of the row
    # would update every index of the table again while the counter is locked).
    row_first = bool(files) or card.answer_to is not None or card.follow_up_of is not None
    if row_first:
        document.save()
        _link(document, card.answer_to, DocumentLink.Kind.ANSWER_TO)
        _link(document, card.follow_up_of, DocumentLink.Kind.FOLLOW_UP)
        for upload in files:
            _add_file(document, upload, actor, DocumentFile.Kind.IMAGE)
    # The number is taken last: the journal's counter stays locked until commit, so the
    # shorter the work after it, the more clerks can register at once. A failure anywhere
    # rolls the whole registration back, and the number with it (no gaps). After it come
    # only writes: the row (or its index), the audit event (in the clerk's own audit
    # stream, so clerks do not queue there) and the addressee's notice. The clerk's audit
    # stream is locked and read before the number, so the event costs no read under it.
    # New files have no recognised text yet (OCR runs after commit): the card is all there is.
    # Its words are found now; only the index's are added under the counter's lock.
    card_words = search.document_search_text(
        summary=document.summary,
        reg_index="",
        correspondent=card.correspondent.name if card.correspondent else "",
        correspondent_number=document.correspondent_number,
        doc_kind=document.doc_kind,
        extra=[],
    )
    audit = AuditAppender(actor)
    _number(journal, document, today)
    document.search_text = search.with_words(card_words, document.reg_index)
    if row_first:
        Document.objects.filter(pk=document.pk).update(
            year=document.year,
            seq=document.seq,
            reg_index=document.reg_index,
            search_text=document.search_text,
        )
    else:
        document.save(force_insert=True)
    audit.record(
        action="documents.document.registered",
        target=document,
        data={
            "journal": journal.code,
            "index": document.reg_index,
            "correspondent": card.correspondent.pk if card.correspondent else None,
            "access": card.access,
            "files": len(files),
        },
    )
    if document.addressee is not None:
        notify(
            recipient=document.addressee,
            key=f"documents:document:{document.pk}:registered",
            title=_("Новий документ на резолюцію: № %(index)s") % {"index": document.reg_index},
            body=document.summary
            if document.access == Document.Access.PUBLIC
            else _("Документ з обмеженим доступом."),
            url=document.get_absolute_url(),
        )
    return document


# The card fields a registered document's card may correct (never its journal, number, index
# or registration date: those are the journal's record).
CARD_FIELDS = (
    "summary",
    "doc_kind",
    "correspondent",
    "correspondent_number",
    "correspondent_date",
    "received_date",
    "channel",
    "pages",
    "attachments_count",
    "access",
    "case_file",
    "addressee",
)


@transaction.atomic
def document_update_card(*, document_id: int, actor: User, **changes: Any) -> Document:
    """Correct a registered document's card (not its number); the changed fields are audited.

    Pass only the fields to change (names from ``CARD_FIELDS``); the others keep their values.
    The corrected card is checked by the registration rules as of its registration day.
    """
    document = (
        Document.objects.select_for_update().select_related("journal__body").get(pk=document_id)
    )
    require(actor, "documents.change_document", document)
    unknown = sorted(set(changes) - set(CARD_FIELDS))
    if unknown:
        raise ApplicationError(
            _("Ці поля картки не виправляються: %(f)s.") % {"f": ", ".join(unknown)},
            field=unknown[0],
        )
    if document.reg_date is None:
        raise ApplicationError(_("Документ ще не зареєстровано."), code="invalid_state")
    before = snapshot(document, CARD_FIELDS)
    values = {name: getattr(document, name) for name in CARD_FIELDS}
    values.update(changes)
    card = Card(
        summary=values["summary"],
        doc_kind=values["doc_kind"],
        correspondent=values["correspondent"],
        correspondent_number=(values["correspondent_number"] or "").strip(),
        correspondent_date=values["correspondent_date"],
        received_date=values["received_date"],
        channel=values["channel"] or "",
        pages=values["pages"],
        attachments_count=values["attachments_count"],
        access=values["access"],
        case_file=values["case_file"],
        addressee=values["addressee"],
    )
    # What was accepted at registration stays acceptable: a correspondent struck off the
    # directory or an addressee no longer a head since is checked only when newly chosen.
    checked = card
    if card.correspondent is not None and card.correspondent.pk == document.correspondent_id:
        checked = replace(checked, correspondent=_active_copy(card.correspondent))
    if card.addressee is not None and card.addressee.pk == document.addressee_id:
        checked = replace(checked, addressee=None)
    if (
        card.case_file is not None
        and card.case_file.pk == document.case_file_id
        and "{case" not in document.journal.index_template
    ):
        checked = replace(checked, case_file=None)  # a case closed since stays on the card
    # Dates are checked against the registration day: nothing on the card is later than it.
    summary = _check_card(document.journal, checked, document.reg_date)
    if card.pages < 0 or card.attachments_count < 0:
        raise ApplicationError(_("Кількість аркушів не може бути від'ємною."), field="pages")
    for name in CARD_FIELDS:
        setattr(document, name, getattr(card, name))
    document.summary = summary
    after = snapshot(document, CARD_FIELDS)
    diff = changed_fields(before, after)
    if not diff:
        return document
    refresh_search_text(document)
    document.save()
    audit_record(
        actor=actor,
        action="documents.document.changed",
        target=document,
        data={"changed": diff},
    )
    return document


def _active_copy(correspondent: Correspondent) -> Correspondent:
    return Correspondent(pk=correspondent.pk, name=correspondent.name, is_active=True)


@transaction.atomic
def document_attach_file(
    *,
    document_id: int,
    actor: User,
    upload: Any,
    kind: str = DocumentFile.Kind.IMAGE,
    title: str = "",
) -> DocumentFile:
    """Attach a file (the electronic image or an attachment) to a document."""
    document = Document.objects.select_for_update().get(pk=document_id)
    require(actor, "documents.attach_file", document)
    if kind not in DocumentFile.Kind.values:
        raise ApplicationError(_("Невідомий вид файлу."), field="kind")
    check_files([upload], field="file")
    doc_file = _add_file(document, upload, actor, kind, title)
    audit_record(
        actor=actor,
        action="documents.file.attached",
        target=document,
        data={"file": doc_file.pk, "name": doc_file.title, "kind": kind},
    )
    return doc_file


@transaction.atomic
def document_file_new_version(*, file_id: int, actor: User, upload: Any) -> FileVersion:
    """Upload a new version of a document's file; earlier versions are kept."""
    doc_file = DocumentFile.objects.select_for_update().select_related("document").get(pk=file_id)
    require(actor, "documents.attach_file", doc_file.document)
    check_files([upload], field="file")
    last = doc_file.versions.aggregate(n=Max("number"))["n"] or 0
    version = _store_version(doc_file, upload, actor, last + 1)
    audit_record(
        actor=actor,
        action="documents.file.versioned",
        target=doc_file.document,
        data={"file": doc_file.pk, "version": version.number, "sha256": version.sha256},
    )
    return version


# --- control hooks -------------------------------------------------------------------------------
def on_resolution(*, item: Document, resolution: Any, actor: User) -> None:
    """A resolution on a registered document puts it into execution."""
    if item.state == State.REGISTERED:
        item.state = State.IN_EXECUTION
        item.save(update_fields=["state", "updated_at"])


def on_completed(*, item: Document, resolution: Any, actor: User) -> None:
    """When every resolution's assignments are done, the document is executed."""
    from hromada.control.models import Resolution

    open_resolutions = Resolution.objects.filter(
        item_type=resolution.item_type, item_id=item.pk, completed_at__isnull=True
    ).exists()
    if not open_resolutions:
        _mark_executed(item, actor, _("виконано за резолюцією"))


def _mark_executed(document: Document, actor: User | None, note: str) -> None:
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.state == State.EXECUTED or document.direction == Journal.Kind.OUTGOING:
        return
    _move(document, State.EXECUTED)
    document.executed_at = timezone.now()
    document.executed_note = note[:300]
    document.save(update_fields=["state", "executed_at", "executed_note", "updated_at"])
    audit_record(
        actor=actor, action="documents.document.executed", target=document, data={"note": note}
    )


# --- outgoing answers --------------------------------------------------------------------------
@transaction.atomic
def answer_create(
    *,
    incoming: Document,
    actor: User,
    journal: Journal,
    summary: str,
    body_text: str,
    signer: User,
    approvers: Sequence[User] = (),
) -> Document:
    """Prepare an outgoing answer to an incoming document: a DOCX draft, approvers, signer."""
    from hromada.documents.drafting import render_answer_docx

    incoming = Document.objects.select_related("correspondent").get(pk=incoming.pk)
    require(actor, "documents.prepare_answer", incoming)
    if incoming.direction != Journal.Kind.INCOMING:
        raise ApplicationError(_("Відповідь готують на вхідний документ."))
    if journal.kind != Journal.Kind.OUTGOING or not journal.is_active:
        raise ApplicationError(_("Оберіть діючий журнал вихідних документів."), field="journal")
    summary = _text(summary, field="summary", label=_("Короткий зміст"), limit=MAX_SUMMARY)
    body_text = _text(body_text, field="body_text", label=_("Текст відповіді"), limit=20000)
    if not has_role(signer, Role.HEAD):
        raise ApplicationError(_("Підписує документ керівник."), field="signer")
    approvers = list(approvers)
    if len({a.pk for a in approvers}) != len(approvers):
        raise ApplicationError(_("Посадову особу вказано двічі."), field="approvers")
    if any(not a.is_active or not a.is_staff for a in approvers):
        raise ApplicationError(_("Погоджувач має бути діючим працівником."), field="approvers")
    answer = Document.objects.create(
        journal=journal,
        direction=Journal.Kind.OUTGOING,
        unit=journal.body,
        state=State.DRAFT,
        doc_kind="лист",
        correspondent=incoming.correspondent,
        summary=summary,
        body_text=body_text,
        access=incoming.access,
        author=actor,
        signer=signer,
        case_file=None,
    )
    _link(answer, incoming, DocumentLink.Kind.ANSWER_TO)
    for order, official in enumerate(approvers, start=1):
        Approval.objects.create(document=answer, order=order, official=official)
    content = render_answer_docx(answer=answer, incoming=incoming, author=actor)
    _add_file(
        answer,
        ContentFile(content, name="проєкт-відповіді.docx"),
        actor,
        DocumentFile.Kind.DRAFT,
        _("Проєкт відповіді"),
    )
    refresh_search_text(answer)
    answer.save(update_fields=["search_text"])
    audit_record(
        actor=actor,
        action="documents.answer.created",
        target=answer,
        data={"incoming": incoming.pk, "signer": signer.pk, "approvers": [a.pk for a in approvers]},
    )
    return answer


def _next_approval(document: Document) -> Approval | None:
    return (
        document.approvals.filter(state=Approval.State.PENDING).order_by("round", "order").first()
    )


def _notify_next(document: Document) -> None:
    approval = _next_approval(document)
    if approval is not None:
        notify(
            recipient=approval.official,
            key=f"documents:approval:{approval.pk}:requested",
            title=_("Погодьте проєкт документа: %(s)s") % {"s": document.summary[:120]},
            url=document.get_absolute_url(),
        )
    elif document.state == State.APPROVED and document.signer is not None:
        notify(
            recipient=document.signer,
            key=f"documents:document:{document.pk}:to-sign:{document.approvals.count()}",
            title=_("Підпишіть документ: %(s)s") % {"s": document.summary[:120]},
            url=document.get_absolute_url(),
        )


@transaction.atomic
def answer_submit(*, document_id: int, actor: User) -> Document:
    """Send a draft for approval in the listed order (straight to signature without approvers)."""
    document = Document.objects.select_for_update().get(pk=document_id)
    require(actor, "documents.edit_draft", document)
    if document.state != State.DRAFT:
        raise ApplicationError(
            _("Надіслати на погодження можна лише проєкт."), code="invalid_state"
        )
    last_round = document.approvals.aggregate(r=Max("round"))["r"] or 0
    pending = document.approvals.filter(state=Approval.State.PENDING).exists()
    if not pending and last_round:
        # A rejected draft goes round again to the same officials.
        officials = list(
            document.approvals.filter(round=last_round)
            .order_by("order")
            .values_list("official_id", flat=True)
        )
        for order, official_id in enumerate(officials, start=1):
            Approval.objects.create(
                document=document, round=last_round + 1, order=order, official_id=official_id
            )
    has_approvers = document.approvals.filter(state=Approval.State.PENDING).exists()
    _move(document, State.ON_APPROVAL if has_approvers else State.APPROVED)
    document.save(update_fields=["state", "updated_at"])
    audit_record(actor=actor, action="documents.answer.submitted", target=document, data={})
    _notify_next(document)
    return document


@transaction.atomic
def approval_decide(*, approval_id: int, actor: User, approve: bool, comment: str = "") -> Approval:
    """Approve (the next official is asked) or reject (the draft returns to its author)."""
    approval = Approval.objects.select_for_update().select_related("document").get(pk=approval_id)
    require(actor, "documents.approve", approval)
    document = Document.objects.select_for_update().get(pk=approval.document_id)
    if document.state != State.ON_APPROVAL or approval.state != Approval.State.PENDING:
        raise ApplicationError(_("Це погодження вже не чекає рішення."), code="invalid_state")
    first = _next_approval(document)
    if first is None or first.pk != approval.pk:
        raise ApplicationError(
            _("Спершу проєкт мають погодити посадові особи, вказані раніше."),
            code="invalid_state",
        )
    comment = _text(
        comment, field="comment", label=_("Зауваження"), limit=5000, required=not approve
    )
    approval.state = Approval.State.APPROVED if approve else Approval.State.REJECTED
    approval.decided_by = actor
    approval.decided_at = timezone.now()
    approval.comment = comment
    approval.save(update_fields=["state", "decided_by", "decided_at", "comment"])
    if approve:
        if _next_approval(document) is None:
            _move(document, State.APPROVED)
            document.save(update_fields=["state", "updated_at"])
    else:
        document.approvals.filter(state=Approval.State.PENDING).update(
            state=Approval.State.CANCELLED
        )
        _move(document, State.DRAFT)
        document.save(update_fields=["state", "updated_at"])
        if document.author is not None:
            notify(
                recipient=document.author,
                key=f"documents:approval:{approval.pk}:rejected",
                title=_("Проєкт не погоджено: %(s)s") % {"s": document.summary[:120]},
                body=comment,
                url=document.get_absolute_url(),
            )
    audit_record(
        actor=actor,
        action="documents.approval.approved" if approve else "documents.approval.rejected",
        target=document,
        data={"approval": approval.pk, "comment": comment},
    )
    if approve:
        _notify_next(document)
    return approval


@transaction.atomic
def document_sign(
    *, document_id: int, actor: User, signature_kind: str = "manual", signature_data: str = ""
) -> Document:
    """Record the signature of an approved document: who signed and when.

    ``signature_kind="qes"`` with the signature container in ``signature_data`` is the
    integration point for a qualified electronic signature (not verified here yet).
    """
    document = Document.objects.select_for_update().get(pk=document_id)
    require(actor, "documents.sign", document)
    if signature_kind not in ("manual", "qes"):
        raise ApplicationError(_("Невідомий вид підпису."), field="signature_kind")
    _move(document, State.SIGNED)
    document.signed_at = timezone.now()
    document.signature_kind = signature_kind
    document.signature_data = signature_data
    # The one who acted signs (themselves or for the absent head).
    document.signer = actor
    document.save(
        update_fields=[
            "state",
            "signed_at",
            "signature_kind",
            "signature_data",
            "signer",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action="documents.document.signed",
        target=document,
        data={"kind": signature_kind},
    )
    return document


@transaction.atomic
def document_register_outgoing(
    *, document_id: int, actor: User, case_file: CaseFile | None = None
) -> Document:
    """Register a signed outgoing document in its journal (gapless number)."""
    document = (
        Document.objects.select_for_update().select_related("journal__body").get(pk=document_id)
    )
    journal = document.journal
    require(actor, "documents.register", journal)
    today = _today()
    if case_file is not None:
        _check_case(case_file, journal.body, today.year)
        document.case_file = case_file
    elif "{case" in journal.index_template:
        raise ApplicationError(
            _("Індекс цього журналу містить індекс справи: оберіть справу."), field="case_file"
        )
    _move(document, State.REGISTERED)
    _number(journal, document, today)
    document.registered_by = actor
    refresh_search_text(document)
    document.save()
    audit_record(
        actor=actor,
        action="documents.document.registered",
        target=document,
        data={"journal": journal.code, "index": document.reg_index},
    )
    return document


@transaction.atomic
def document_dispatch(*, document_id: int, actor: User, channel: str) -> Document:
    """Send a registered outgoing document; the incoming documents it answers are executed."""
    document = Document.objects.select_for_update().get(pk=document_id)
    require(actor, "documents.register", document.journal)
    if channel not in Document.Channel.values:
        raise ApplicationError(_("Оберіть спосіб надсилання."), field="channel")
    if document.direction != Journal.Kind.OUTGOING:
        raise ApplicationError(_("Надсилають лише вихідні документи."), code="invalid_state")
    _move(document, State.DISPATCHED)
    document.dispatched_at = timezone.now()
    document.channel = channel
    document.save(update_fields=["state", "dispatched_at", "channel", "updated_at"])
    audit_record(
        actor=actor,
        action="documents.document.dispatched",
        target=document,
        data={"channel": channel},
    )
    answered = Document.objects.filter(
        links_to__from_document=document, links_to__kind=DocumentLink.Kind.ANSWER_TO
    )
    for incoming in answered:
        _mark_executed(
            incoming,
            actor,
            _("надано відповідь № %(index)s від %(date)s")
            % {"index": document.reg_index, "date": _fmt(document.reg_date or _today())},
        )
    return document


# --- cases, archive, destruction -----------------------------------------------------------------
@transaction.atomic
def case_create(
    *,
    actor: User,
    body: OrgUnit,
    year: int,
    index: str,
    title: str,
    storage: str,
    storage_years: int | None = None,
    article: str = "",
) -> CaseFile:
    """Add a case file to a body's nomenclature for a year."""
    require(actor, "documents.manage_cases", body)
    index = _text(index, field="index", label=_("Індекс справи"), limit=30)
    title = _text(title, field="title", label=_("Заголовок справи"), limit=500)
    if storage not in CaseFile.Storage.values:
        raise ApplicationError(_("Оберіть строк зберігання."), field="storage")
    if storage == CaseFile.Storage.TEMPORARY and not (storage_years and 1 <= storage_years <= 10):
        raise ApplicationError(
            _("Тимчасовий строк зберігання — від 1 до 10 років."), field="storage_years"
        )
    if storage == CaseFile.Storage.LONG and not (storage_years and storage_years > 10):
        raise ApplicationError(
            _("Тривалий строк зберігання — понад 10 років."), field="storage_years"
        )
    if storage == CaseFile.Storage.PERMANENT:
        storage_years = None
    if CaseFile.objects.filter(body=body, year=year, index=index).exists():
        raise ApplicationError(
            _("Справа з індексом «%(index)s» у номенклатурі %(year)s року вже є.")
            % {"index": index, "year": year},
            field="index",
        )
    case = CaseFile.objects.create(
        body=body,
        year=year,
        index=index,
        title=title,
        storage=storage,
        storage_years=storage_years,
        article=article.strip()[:50],
    )
    audit_record(
        actor=actor,
        action="documents.case.created",
        target=case,
        data={"year": year, "index": index, "storage": storage, "years": storage_years},
    )
    return case


@transaction.atomic
def document_file_to_case(*, document_id: int, actor: User, case_file: CaseFile) -> Document:
    """File a registered document into an open case of its body."""
    document = Document.objects.select_for_update().get(pk=document_id)
    require(actor, "documents.manage_cases", document.unit)
    if document.reg_date is None:
        raise ApplicationError(_("Незареєстрований документ не підшивають до справи."))
    _check_case(case_file, document.unit, case_file.year)
    before = document.case_file_id
    document.case_file = case_file
    document.save(update_fields=["case_file", "updated_at"])
    audit_record(
        actor=actor,
        action="documents.document.filed",
        target=document,
        data={"case": [before, case_file.pk]},
    )
    return document


@transaction.atomic
def case_close(*, case_id: int, actor: User) -> CaseFile:
    """Close a case file (at year end): nothing more is filed into it."""
    case = CaseFile.objects.select_for_update().get(pk=case_id)
    require(actor, "documents.manage_cases", case)
    if case.state != CaseFile.State.OPEN:
        raise ApplicationError(_("Справу вже закрито."), code="invalid_state")
    case.state = CaseFile.State.CLOSED
    case.closed_at = timezone.now()
    case.save(update_fields=["state", "closed_at", "updated_at"])
    audit_record(actor=actor, action="documents.case.closed", target=case, data={})
    return case


@transaction.atomic
def cases_close_year(*, body: OrgUnit, year: int, actor: User) -> int:
    """Close every open case of a body's nomenclature for a year; return how many."""
    require(actor, "documents.manage_cases", body)
    ids = list(
        CaseFile.objects.select_for_update()
        .filter(body=body, year=year, state=CaseFile.State.OPEN)
        .values_list("pk", flat=True)
    )
    CaseFile.objects.filter(pk__in=ids).update(
        state=CaseFile.State.CLOSED, closed_at=timezone.now()
    )
    audit_record(
        actor=actor,
        action="documents.cases.closed_year",
        target=body,
        data={"year": year, "cases": ids},
    )
    return len(ids)


def destruction_candidates(*, body: OrgUnit, today: date | None = None) -> list[CaseFile]:
    """Return the body's closed temporary cases whose storage period has expired."""
    today = today or _today()
    cases = CaseFile.objects.filter(
        body=body,
        storage=CaseFile.Storage.TEMPORARY,
        state=CaseFile.State.CLOSED,
        destruction_act__isnull=True,
    ).exclude(proposed_in__state__in=[DestructionAct.State.DRAFT, DestructionAct.State.APPROVED])
    return [
        c
        for c in cases.order_by("year", "index")
        if c.retention_until and c.retention_until <= today
    ]


@transaction.atomic
def destruction_act_propose(
    *, body: OrgUnit, actor: User, today: date | None = None
) -> DestructionAct:
    """Draw up an act allocating the body's expired temporary cases for destruction."""
    require(actor, "documents.manage_cases", body)
    today = today or _today()
    candidates = destruction_candidates(body=body, today=today)
    if not candidates:
        raise ApplicationError(_("Немає справ, строк зберігання яких минув."))
    number, _index = register_number(
        journal=f"documents:destruction:{body.pk}", year=today.year, template="{seq}"
    )
    act = DestructionAct.objects.create(body=body, year=today.year, number=number, created_by=actor)
    act.proposed.set(candidates)
    audit_record(
        actor=actor,
        action="documents.destruction_act.proposed",
        target=act,
        data={"cases": [c.pk for c in candidates]},
    )
    return act


@transaction.atomic
def destruction_act_approve(*, act_id: int, actor: User) -> DestructionAct:
    """Approve a destruction act (the head of the body)."""
    act = DestructionAct.objects.select_for_update().get(pk=act_id)
    require(actor, "documents.approve_destruction", act)
    if act.state != DestructionAct.State.DRAFT:
        raise ApplicationError(_("Акт уже затверджено."), code="invalid_state")
    act.state = DestructionAct.State.APPROVED
    act.approved_by = actor
    act.approved_at = timezone.now()
    act.save(update_fields=["state", "approved_by", "approved_at", "updated_at"])
    audit_record(actor=actor, action="documents.destruction_act.approved", target=act, data={})
    return act


@transaction.atomic
def destruction_act_execute(*, act_id: int, actor: User) -> int:
    """Destroy the files of the cases in an approved act; the cards and the act are kept.

    This is the only code path that deletes documents' files: nothing is destroyed
    without an approved act. Returns the number of file versions destroyed.
    """
    act = DestructionAct.objects.select_for_update().get(pk=act_id)
    require(actor, "documents.manage_cases", act)
    if act.state != DestructionAct.State.APPROVED:
        raise ApplicationError(
            _("Знищення можливе лише за затвердженим актом."), code="invalid_state"
        )
    now = timezone.now()
    cases = list(act.proposed.select_for_update())
    versions = FileVersion.objects.filter(
        file__document__case_file__in=cases, destroyed_at__isnull=True
    )
    blobs = [v.blob.name for v in versions if v.blob]
    destroyed = versions.update(destroyed_at=now, ocr_text="", blob="")
    Document.objects.filter(case_file__in=cases).update(search_text="")
    for case in cases:
        case.state = CaseFile.State.DESTROYED
        case.destroyed_at = now
        case.destruction_act = act
        case.save(update_fields=["state", "destroyed_at", "destruction_act", "updated_at"])
    act.state = DestructionAct.State.EXECUTED
    act.executed_by = actor
    act.executed_at = now
    act.save(update_fields=["state", "executed_by", "executed_at", "updated_at"])
    audit_record(
        actor=actor,
        action="documents.destruction_act.executed",
        target=act,
        data={"cases": [c.pk for c in cases], "versions": destroyed},
    )

    def delete_blobs() -> None:
        from django.core.files.storage import default_storage

        for name in blobs:
            default_storage.delete(name)

    # Files go only once the act's execution is committed.
    transaction.on_commit(delete_blobs)
    return destroyed
