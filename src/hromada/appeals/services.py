"""Every write of the appeals module that registers an appeal (all intake channels use these).

`appeal_register` is the one registration path: the operator's entry, the web form after
the e-mail is confirmed, a draft from the mayor's mailbox or a reception, the API. It
checks the card, takes the journal's next number (gapless, core.numbering), computes the
statutory term, classifies the appeal against the person's earlier ones (repeated,
duplicate), marks anonymous ones not to be considered (art. 8), and notifies the citizen.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from hromada.accounts.models import OrgUnit, User
from hromada.accounts.permissions import require
from hromada.appeals import selectors, terms
from hromada.appeals.models import (
    CHANNEL_CODES,
    Appeal,
    AppealEvent,
    AppealFile,
    AppealLink,
    AppealsJournal,
    AppealTopic,
    Channel,
    MassGroup,
    TermExtension,
)
from hromada.core.audit import AuditAppender, audit_record, changed_fields
from hromada.core.classifiers import classifier_items
from hromada.core.districts import District
from hromada.core.exceptions import ApplicationError
from hromada.core.numbering import format_index, next_number, surname_letter
from hromada.core.prepared import PreparedInsert, WriteBatch
from hromada.core.uploads import DOCUMENTS, validate_upload

State = Appeal.State
MAX_TEXT = 20000
MAX_SUMMARY = 500
CLASSIFIER = "858"
# Applicant categories (7.x) that are statutory benefit holders: considered first (art. 20).
NON_PRIORITY_CATEGORIES = frozenset({"7.20", "7.21"})
ANONYMOUS_LETTER = "БП"  # Instruction No. 348: "без підпису"
# A registration's inserts, built once per process: compiling the appeal's row (≈ 70
# columns) cost the ORM more than the server's insert (docs/appeals.md, "Registration's cost").
_APPEAL_INSERT = PreparedInsert(Appeal)
_EVENT_INSERT = PreparedInsert(AppealEvent)
_TOPIC_INSERT = PreparedInsert(AppealTopic)
# What _number() sets on an appeal.
_NUMBER_FIELDS = ("year", "seq", "reg_index")
# The fixed choices a card is checked against (an enum's `.values` builds a new list).
_CHANNELS = frozenset(Channel.values)
_DISTRICTS = frozenset(District.values)
_SUBJECTS = frozenset(Appeal.Subject.values)
_KINDS = frozenset(Appeal.Kind.values)


def _today() -> date:
    return timezone.localdate()


def _fmt(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def move(appeal: Appeal, to: str) -> None:
    """Change an appeal's state along an allowed transition, or refuse in Ukrainian."""
    if not appeal.can_become(to):
        raise ApplicationError(
            _("Звернення у стані «%(state)s» не можна перевести у стан «%(to)s».")
            % {"state": appeal.get_state_display(), "to": State(to).label},
            code="invalid_state",
        )
    appeal.state = to


def _text(
    value: str, *, field: str, label: StrOrPromise, limit: int, required: bool = False
) -> str:
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


def tracking_hash(appeal_id: int, code: str) -> str:
    """Return the stored form of a tracking code (a keyed hash; the code itself is not kept)."""
    return salted_hmac(
        "hromada.appeals.tracking", f"{appeal_id}:{code.strip().upper()}"
    ).hexdigest()


def new_tracking_code() -> str:
    """Return a secret code for tracking without an account: 8 characters, no look-alikes."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


# --- the card --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AppealCard:
    """What is known about an appeal when it is registered (the Instruction 348 card)."""

    text: str
    surname: str = ""
    given_name: str = ""
    patronymic: str = ""
    address: str = ""
    district: str = ""
    email: str = ""
    phone: str = ""
    sex: str = ""
    category: str = ""
    social_status: str = ""
    subject: str = Appeal.Subject.INDIVIDUAL
    signatories: int = 1
    kind: str = Appeal.Kind.APPLICATION
    summary: str = ""
    topics: Sequence[str] = ()
    needs_study: bool = True
    written_date: date | None = None
    received_date: date | None = None
    sent_from: str = ""
    sent_from_index: str = ""
    sent_from_date: date | None = None
    addressee: User | None = None
    applicant: User | None = None
    consent: bool = False
    source_ref: str = ""
    # The operator saw the warning and confirms: register an appeal without name or address
    # (it will be marked not to be considered), or register although a likely duplicate exists.
    confirm_anonymous: bool = False
    confirm_not_duplicate: bool = False
    # The operator links it as a duplicate of an earlier appeal (not considered twice).
    duplicate_of: Appeal | None = None
    # Follow-up of / complaint about the answer to an earlier appeal.
    follow_up_of: Appeal | None = None
    complaint_about: Appeal | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckedCard:
    card: AppealCard
    anonymous_reason: str
    topics: list[str]
    priority: bool


def _codes(section: str, on: date) -> set[str]:
    return set(classifier_items(CLASSIFIER, section, on).values_list("code", flat=True))


# The card's fields that hold classifier-858 codes, and their sections.
CODE_FIELDS = (("sex", "4"), ("category", "7"), ("social_status", "8"))


def _card_topics(card: AppealCard) -> list[str]:
    return list(dict.fromkeys(t.strip() for t in card.topics if t and t.strip()))


def card_codes(card: AppealCard) -> set[tuple[str, str]]:
    """Return the (section, code) pairs of classifier 858 a card names."""
    pairs = {(section, getattr(card, name)) for name, section in CODE_FIELDS}
    pairs |= {("topics", code) for code in _card_topics(card)}
    return {(section, code) for section, code in pairs if code}


def valid_codes(pairs: set[tuple[str, str]], on: date) -> frozenset[tuple[str, str]]:
    """Return which of these (section, code) pairs are codes valid on the day (one query)."""
    if not pairs:
        return frozenset()
    rows = classifier_items(CLASSIFIER, None, on).filter(code__in={c for _s, c in pairs})
    return frozenset(p for p in rows.values_list("section", "code") if p in pairs)


def _check_code(
    value: str, section: str, known: frozenset[tuple[str, str]], *, field: str, label: StrOrPromise
) -> None:
    if value and (section, value) not in known:
        raise ApplicationError(
            _("Невідомий код «%(code)s» у полі «%(label)s» (класифікатор № 858).")
            % {"code": value[:20], "label": label},
            field=field,
        )


def check_card(
    card: AppealCard,
    *,
    on: date,
    require_contact: bool = False,
    known_codes: frozenset[tuple[str, str]] | None = None,
) -> CheckedCard:
    """Validate a card; return it cleaned. Raises ApplicationError with a Ukrainian message.

    `known_codes`: which of the card's codes (`card_codes`) are valid on the day, when the
    caller has read them already; otherwise they are read here (one query).
    """
    # The labels are lazy: only an error message needs them translated (every registration
    # checks a card; gettext for 17 labels cost more than the rest of the checks).
    text = _text(
        card.text, field="text", label=gettext_lazy("Суть звернення"), limit=MAX_TEXT, required=True
    )
    summary = _text(
        card.summary, field="summary", label=gettext_lazy("Короткий зміст"), limit=MAX_SUMMARY
    )
    surname = _text(card.surname, field="surname", label=gettext_lazy("Прізвище"), limit=100)
    given_name = _text(card.given_name, field="given_name", label=gettext_lazy("Ім'я"), limit=100)
    patronymic = _text(
        card.patronymic, field="patronymic", label=gettext_lazy("По батькові"), limit=100
    )
    address = _text(
        card.address, field="address", label=gettext_lazy("Місце проживання"), limit=300
    )
    email = _text(card.email, field="email", label=gettext_lazy("E-mail"), limit=254).lower()
    phone = _text(card.phone, field="phone", label=gettext_lazy("Телефон"), limit=30)
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ApplicationError(
                _("Вкажіть правильну адресу електронної пошти, напр. ivan@example.com."),
                field="email",
            ) from exc
    if phone and len(selectors.phone_digits(phone)) < 5:
        raise ApplicationError(_("Вкажіть номер телефону цифрами."), field="phone")
    if require_contact and not (email or phone):
        raise ApplicationError(
            _("Вкажіть e-mail або телефон, щоб ми могли надіслати відповідь."), field="email"
        )
    if card.district and card.district not in _DISTRICTS:
        raise ApplicationError(_("Оберіть район зі списку."), field="district")
    if card.subject not in _SUBJECTS:
        raise ApplicationError(_("Оберіть суб'єкт звернення."), field="subject")
    if card.kind not in _KINDS:
        raise ApplicationError(_("Оберіть вид звернення."), field="kind")
    if card.subject == Appeal.Subject.COLLECTIVE and not 2 <= card.signatories <= 100000:
        raise ApplicationError(
            _("Колективне звернення має щонайменше двох підписантів: вкажіть їх кількість."),
            field="signatories",
        )
    known = valid_codes(card_codes(card), on) if known_codes is None else known_codes
    _check_code(card.sex, "4", known, field="sex", label=gettext_lazy("Стать"))
    _check_code(
        card.category, "7", known, field="category", label=gettext_lazy("Категорія заявника")
    )
    _check_code(
        card.social_status, "8", known, field="social_status", label=gettext_lazy("Соціальний стан")
    )
    topics = _card_topics(card)
    if not topics:
        raise ApplicationError(
            _("Вкажіть хоча б одне питання за класифікатором (тематику)."), field="topics"
        )
    unknown = [t for t in topics if ("topics", t) not in known]
    if unknown:
        raise ApplicationError(
            _("Невідомий код питання: %(codes)s.") % {"codes": ", ".join(c[:20] for c in unknown)},
            field="topics",
        )
    for day, name, label in (
        (card.written_date, "written_date", gettext_lazy("Дата написання")),
        (card.received_date, "received_date", gettext_lazy("Дата надходження")),
        (card.sent_from_date, "sent_from_date", gettext_lazy("Дата документа органу")),
    ):
        if day is not None and day > on:
            raise ApplicationError(
                _("«%(label)s» не може бути в майбутньому.") % {"label": label}, field=name
            )
    if card.written_date and card.received_date and card.written_date > card.received_date:
        raise ApplicationError(
            _("Звернення не могло надійти раніше, ніж його написано."), field="written_date"
        )
    for value, name, label, limit in (
        (card.sent_from, "sent_from", gettext_lazy("Звідки надійшло"), 300),
        (card.sent_from_index, "sent_from_index", gettext_lazy("Індекс документа органу"), 100),
        (card.source_ref, "source_ref", gettext_lazy("Зовнішнє посилання"), 200),
    ):
        _text(value, field=name, label=label, limit=limit)

    missing = []
    if not (surname and given_name):
        missing.append(_("прізвище та ім'я"))
    if not address:
        missing.append(_("місце проживання"))
    anonymous_reason = ""
    if card.subject == Appeal.Subject.ANONYMOUS or missing:
        anonymous_reason = _(
            "Анонімне звернення: не зазначено %(what)s (ст. 8 Закону «Про звернення громадян»)."
        ) % {"what": _(" і ").join(str(m) for m in missing) or _("автора")}
        if not card.confirm_anonymous:
            raise ApplicationError(
                _(
                    "Не зазначено %(what)s. Таке звернення реєструється як анонімне і не "
                    "підлягає розгляду (ст. 8 Закону). Доповніть картку або підтвердіть "
                    "реєстрацію анонімного звернення."
                )
                % {"what": _(" і ").join(str(m) for m in missing) or _("автора")},
                field="surname" if not (surname and given_name) else "address",
                code="anonymous",
            )
    cleaned = replace(
        card,
        text=text,
        summary=summary or text[:MAX_SUMMARY].split("\n")[0][:MAX_SUMMARY],
        surname=surname,
        given_name=given_name,
        patronymic=patronymic,
        address=address,
        email=email,
        phone=phone,
        signatories=card.signatories if card.subject == Appeal.Subject.COLLECTIVE else 1,
    )
    priority = bool(
        card.category
        and card.category.startswith("7.")
        and card.category not in NON_PRIORITY_CATEGORIES
    )
    return CheckedCard(
        card=cleaned, anonymous_reason=anonymous_reason, topics=topics, priority=priority
    )


def check_files(files: Sequence[Any]) -> None:
    """Refuse too many files or any that fails the upload checks (before anything is written)."""
    limit = settings.HROMADA_APPEALS_MAX_FILES
    if len(files) > limit:
        raise ApplicationError(
            _("Не більше %(max)s файлів до одного звернення.") % {"max": limit}, field="files"
        )
    for upload in files:
        try:
            validate_upload(
                upload, allowed=DOCUMENTS, max_bytes=settings.HROMADA_APPEALS_MAX_FILE_BYTES
            )
        except ValidationError as exc:
            name = getattr(upload, "name", "") or ""
            raise ApplicationError(f"{name}: {' '.join(exc.messages)}", field="files") from exc


def add_file(appeal: Appeal, upload: Any, kind: str = AppealFile.Kind.ATTACHMENT) -> AppealFile:
    """Store one (already checked) file with the appeal."""
    checked = validate_upload(
        upload, allowed=DOCUMENTS, max_bytes=settings.HROMADA_APPEALS_MAX_FILE_BYTES
    )
    upload.seek(0)
    stored = AppealFile(
        appeal=appeal, kind=kind, name=checked.name, mime=checked.mime, size=checked.size
    )
    stored.blob.save(checked.name, upload, save=False)
    stored.save()
    return stored


# --- journals --------------------------------------------------------------------------------


def journal_for(body: OrgUnit) -> AppealsJournal:
    """Return a body's appeals journal, creating it with the default index template.

    No query when the body was read with `select_related("appeals_journal")`.
    """
    journal: AppealsJournal | None = None
    if OrgUnit.appeals_journal.is_cached(body):
        try:
            journal = body.appeals_journal
        except AppealsJournal.DoesNotExist:
            journal = None
    else:
        journal = AppealsJournal.objects.filter(body=body).first()
    if journal is not None:
        journal.body = body  # the index template reads its code: no second query
        return journal
    try:
        with transaction.atomic():
            return AppealsJournal.objects.create(
                body=body,
                code=f"ЗВ-{body.code}"[:30],
                index_template=settings.HROMADA_APPEALS_INDEX_TEMPLATE,
            )
    except IntegrityError:
        return AppealsJournal.objects.get(body=body)


def _number(
    appeal: Appeal, journal: AppealsJournal, today: date, *, seq: int | None = None
) -> None:
    """Take the journal's next number (unless taken: ``seq``) and write the registration
    index onto the appeal."""
    letter = ANONYMOUS_LETTER
    if appeal.surname:
        try:
            letter = surname_letter(appeal.surname)
        except ApplicationError:
            letter = ANONYMOUS_LETTER
    context = {
        "year": today.year,
        "unit": journal.body.code,
        "journal": journal.code,
        "letter": letter,
        "topic": "",
        "case": appeal.case_index,
        "correspondent": "",
        "executor": "",
    }
    if seq is None:
        format_index(journal.index_template, seq=0, **context)  # a bad template costs no number
        seq = next_number(journal=journal.counter_key, year=today.year)
    appeal.year = today.year
    appeal.seq = seq
    appeal.reg_index = format_index(journal.index_template, seq=seq, **context)


def _fill(appeal: Appeal, checked: CheckedCard) -> None:
    card = checked.card
    for name in (
        "surname",
        "given_name",
        "patronymic",
        "address",
        "district",
        "email",
        "phone",
        "sex",
        "category",
        "social_status",
        "subject",
        "signatories",
        "kind",
        "summary",
        "text",
        "needs_study",
        "written_date",
        "sent_from",
        "sent_from_index",
        "sent_from_date",
        "addressee",
        "source_ref",
    ):
        setattr(appeal, name, getattr(card, name))
    if card.applicant is not None:
        appeal.applicant = card.applicant
    appeal.person_key = selectors.person_key(card.surname, card.given_name, card.patronymic)
    appeal.phone_digits = selectors.phone_digits(card.phone)
    appeal.priority = checked.priority
    if checked.anonymous_reason:
        appeal.subject = Appeal.Subject.ANONYMOUS
    how, kind = CHANNEL_CODES.get(appeal.channel, ("1.1", "6.2"))
    appeal.how_received = card.extra.get("how_received") or how
    appeal.appeal_type = card.extra.get("appeal_type") or kind
    if card.consent and appeal.consent_at is None:
        appeal.consent_at = timezone.now()


def _set_topics(appeal: Appeal, topics: list[str], *, new: bool = False) -> None:
    if not new:  # a new appeal has no topics to replace
        AppealTopic.objects.filter(appeal=appeal).delete()
    _TOPIC_INSERT.insert(_topics(appeal, topics))


def _topics(appeal: Appeal, topics: list[str]) -> list[AppealTopic]:
    return [AppealTopic(appeal=appeal, code=code, is_main=i == 0) for i, code in enumerate(topics)]


def _link(appeal: Appeal, to: Appeal, kind: str) -> None:
    AppealLink.objects.get_or_create(from_appeal=appeal, to_appeal=to, kind=kind)


def event(
    appeal: Appeal,
    kind: str,
    *,
    actor: User | None,
    public_note: str = "",
    note: str = "",
) -> AppealEvent:
    """Add a line to the appeal's history (what the citizen sees in the cabinet)."""
    return AppealEvent.objects.create(
        appeal=appeal, kind=kind, actor=actor, public_note=public_note[:500], note=note
    )


def notify_citizen(appeal: Appeal, event_obj: AppealEvent, *, code: str = "") -> None:
    """Tell the applicant about an event (after commit): e-mail, and in-app with an account."""
    if not (appeal.email or appeal.applicant_id):
        return
    from hromada.appeals.tasks import send_citizen_notice

    event_id = event_obj.pk
    transaction.on_commit(lambda: send_citizen_notice.enqueue(event_id=event_id, code=code))


@dataclass
class Registered:
    """The result of a registration: the appeal, the tracking code, what the lookup found."""

    appeal: Appeal
    tracking_code: str
    related: selectors.Related


def _classify(
    appeal: Appeal,
    checked: CheckedCard,
    actor: User | None,
    today: date,
    *,
    earlier_ids: list[int] | None = None,
) -> Any:
    """Mark repeated / duplicate / anonymous appeals and link them; return what was found.

    `earlier_ids`: the person's earlier appeals, when the caller has looked them up.
    """
    card = checked.card
    related = selectors.Related()
    if checked.anonymous_reason:
        return related
    related = selectors.find_related(
        surname=card.surname,
        given_name=card.given_name,
        patronymic=card.patronymic,
        phone=card.phone,
        topics=checked.topics,
        today=today,
        earlier=None if earlier_ids is None else selectors.earlier_by_ids(earlier_ids),
    )
    related.duplicates = [a for a in related.duplicates if a.pk != appeal.pk]
    related.repeated = [a for a in related.repeated if a.pk != appeal.pk]
    related.earlier = [a for a in related.earlier if a.pk != appeal.pk]
    if card.duplicate_of is not None:
        return related
    if related.duplicates and not card.confirm_not_duplicate:
        first = related.duplicates[0]
        raise ApplicationError(
            _(
                "Схоже, це звернення вже зареєстровано: № %(index)s від %(date)s (той самий "
                "заявник, те саме питання, ще на розгляді). Позначте нове як дублетне до нього "
                "або підтвердіть, що це інше звернення."
            )
            % {"index": first.reg_index, "date": _fmt(first.reg_date) if first.reg_date else ""},
            field="duplicate_of",
            code="possible_duplicate",
        )
    if related.repeated:
        appeal.sign = Appeal.Sign.REPEATED
    return related


@transaction.atomic
def appeal_register(
    *,
    actor: User | None,
    body: OrgUnit,
    channel: str,
    card: AppealCard,
    files: Sequence[Any] = (),
    draft: Appeal | None = None,
    idempotency_key: str = "",
    idempotency_hash: str = "",
    checked_by_office: bool = True,
) -> Registered:
    """Register an appeal in a body's journal (every channel ends here).

    `checked_by_office` is False for the citizen's own submission (web form, reception room):
    then the actor need not be the registering office, and the anonymous confirmation is the
    form's business (it requires name and address). An appeal already registered under
    `idempotency_key` is returned as it is (with no tracking code) instead of registering
    again; `idempotency_hash` (the API's hash of the request) is kept with the key.

    The journal's counter row stays locked from the number to commit, so registrations into
    one journal queue there: everything that can happen before the number does (reads in
    one query, the checks, the lookup, the topics; the clerk's audit stream locked and
    read), and after it come only writes: on PostgreSQL the appeal's row once, complete (its
    id was taken with the reads), its history and the audit event.
    """
    if checked_by_office:
        if actor is None:
            raise ApplicationError(_("Реєструвати звернення може лише працівник канцелярії."))
        require(actor, "appeals.register", body)
    if channel not in _CHANNELS:
        raise ApplicationError(_("Оберіть канал надходження."), field="channel")
    today = _today()
    reads = selectors.intake_reads(
        idempotency_key=idempotency_key,
        codes=card_codes(card),
        classifier=CLASSIFIER,
        on=today,
        window=terms.term_window(today, needs_study=card.needs_study),
        new_id=draft is None,
        person=(
            selectors.person_key(card.surname, card.given_name, card.patronymic),
            selectors.phone_digits(card.phone),
        ),
    )
    if reads.idempotent_id is not None:
        # The same request again (a retry): the registration it made, not a second one.
        previous = Appeal.objects.get(pk=reads.idempotent_id)
        return Registered(appeal=previous, tracking_code="", related=selectors.Related())
    checked = check_card(
        card,
        on=today,
        require_contact=channel in {Channel.WEB, Channel.API},
        known_codes=reads.valid_codes,
    )
    check_files(files)
    journal = journal_for(body)
    if not journal.is_active:
        raise ApplicationError(_("Журнал реєстрації звернень цього органу закрито."))

    if draft is not None:
        appeal = Appeal.objects.select_for_update().get(pk=draft.pk)
        if appeal.state != State.DRAFT:
            raise ApplicationError(
                _("Це звернення вже зареєстровано: № %(index)s.") % {"index": appeal.reg_index},
                code="already_registered",
            )
    else:
        appeal = Appeal(state=State.DRAFT)
    appeal.journal = journal
    appeal.unit = body
    appeal.channel = channel
    appeal.idempotency_key = idempotency_key
    appeal.idempotency_hash = idempotency_hash if idempotency_key else ""
    _fill(appeal, checked)
    related = _classify(appeal, checked, actor, today, earlier_ids=reads.earlier_ids)
    reg_date = today
    appeal.reg_date = reg_date
    appeal.registered_at = timezone.now()
    appeal.registered_by = actor if checked_by_office else None
    appeal.first_due_date = terms.initial_due_date(
        reg_date, needs_study=card.needs_study, rules=reads.calendar
    )
    appeal.due_date = appeal.first_due_date
    appeal.retention_until = date(
        reg_date.year + settings.HROMADA_APPEALS_RETENTION_YEARS + 1, 1, 1
    )
    if checked.anonymous_reason:
        appeal.state = State.NOT_CONSIDERED
        appeal.not_considered_reason = checked.anonymous_reason
        appeal.result = "9.6"
        appeal.due_date = None
    elif card.duplicate_of is not None:
        original = card.duplicate_of
        appeal.sign = Appeal.Sign.DUPLICATE
        appeal.state = State.NOT_CONSIDERED
        appeal.not_considered_reason = _(
            "Дублетне до звернення № %(index)s: розглядається разом з ним."
        ) % {"index": original.reg_index}
        appeal.result = "9.6"
        appeal.due_date = None
    else:
        appeal.state = State.REGISTERED
    if appeal.state == State.NOT_CONSIDERED:
        appeal.priority = False  # nothing to consider first
    # With an id taken in advance (PostgreSQL, a new appeal) the row is written once, after
    # its number; what points at it (topics, links, files) is written before the number,
    # its foreign keys checked at commit (Django's are DEFERRABLE INITIALLY DEFERRED).
    # Otherwise (SQLite, a draft) the row is written first and numbered after.
    row_last = reads.new_id is not None
    if row_last:
        appeal.pk = reads.new_id
    else:
        appeal.save()
    links: list[tuple[Appeal, str]] = []
    if card.duplicate_of is not None:
        links.append((card.duplicate_of, AppealLink.Kind.DUPLICATE))
    links += [(earlier, AppealLink.Kind.REPEATED) for earlier in related.repeated]
    if card.follow_up_of is not None:
        links.append((card.follow_up_of, AppealLink.Kind.FOLLOW_UP))
    if card.complaint_about is not None:
        links.append((card.complaint_about, AppealLink.Kind.COMPLAINT))
    if draft is None:  # a new appeal has no links or topics yet: plain inserts
        if links:
            AppealLink.objects.bulk_create(
                [AppealLink(from_appeal=appeal, to_appeal=to, kind=kind) for to, kind in links]
            )
    else:
        for to, kind in links:
            _link(appeal, to, kind)
    # The last writes go together (one statement on PostgreSQL), after the number; what is
    # known now is built now, before the locks.
    writes = WriteBatch()
    if row_last:
        writes.insert(_TOPIC_INSERT, _topics(appeal, checked.topics))
    else:
        _set_topics(appeal, checked.topics, new=draft is None)
    for upload in files:
        add_file(appeal, upload)
    code = new_tracking_code()
    appeal.tracking_hash = tracking_hash(appeal.pk, code)
    public_template = _("Зареєстровано за № %(index)s від %(date)s. Строк розгляду — до %(due)s.")
    # PostgreSQL: the row is built now, and only its number's columns after the lock.
    early = row_last and writes.combines
    row_part = writes.insert(_APPEAL_INSERT, [appeal]) if early else ""
    # The clerk's audit stream is locked and read, then the number taken (one round trip on
    # PostgreSQL): the counter row stays locked until commit.
    audit = AuditAppender(actor, number=(journal.counter_key, today.year))
    _number(appeal, journal, today, seq=audit.number)
    if early:
        writes.refresh(row_part, _NUMBER_FIELDS)
    elif row_last:
        writes.insert(_APPEAL_INSERT, [appeal])
    else:
        Appeal.objects.filter(pk=appeal.pk).update(
            year=appeal.year,
            seq=appeal.seq,
            reg_index=appeal.reg_index,
            tracking_hash=appeal.tracking_hash,
        )
    public = public_template % {
        "index": appeal.reg_index,
        "date": _fmt(reg_date),
        "due": _fmt(appeal.due_date) if appeal.due_date else "—",
    }
    history = [
        AppealEvent(
            appeal=appeal, kind=AppealEvent.Kind.REGISTERED, actor=actor, public_note=public[:500]
        )
    ]
    if appeal.state == State.NOT_CONSIDERED:
        history.append(
            AppealEvent(
                appeal=appeal,
                kind=AppealEvent.Kind.NOT_CONSIDERED,
                actor=actor,
                public_note=appeal.not_considered_reason[:500],
            )
        )
    writes.insert(_EVENT_INSERT, history)
    registered_event = history[0]
    audit.record(
        action="appeals.appeal.registered",
        target=appeal,
        data={
            "index": appeal.reg_index,
            "journal": journal.code,
            "channel": channel,
            "sign": appeal.sign,
            "subject": appeal.subject,
            "state": appeal.state,
            "topics": checked.topics,
            "files": len(files),
            "priority": appeal.priority,
            "repeated_of": [a.pk for a in related.repeated],
            "duplicate_of": card.duplicate_of.pk if card.duplicate_of else None,
        },
        batch=writes,
    )
    writes.run()
    notify_citizen(appeal, registered_event, code=code)
    _notify_office(appeal)
    return Registered(appeal=appeal, tracking_code=code, related=related)


def _notify_office(appeal: Appeal) -> None:
    """Tell the addressed official that an appeal reached their queue."""
    if appeal.addressee_id is None or appeal.state != State.REGISTERED:
        return
    from hromada.core.notifications import notify

    notify(
        recipient=appeal.addressee,
        key=f"appeals:appeal:{appeal.pk}:addressed",
        title=_("Нове звернення до вас: № %(index)s") % {"index": appeal.reg_index},
        url=appeal.get_absolute_url(),
    )


@transaction.atomic
def appeal_draft_create(
    *,
    body: OrgUnit,
    channel: str,
    card: AppealCard,
    files: Sequence[Any] = (),
    actor: User | None = None,
) -> Appeal:
    """Keep an appeal as a draft for an operator to check (mailbox, unconfirmed web form).

    Only the text is required here: the operator completes and registers the card.
    """
    if channel not in _CHANNELS:
        raise ApplicationError(_("Оберіть канал надходження."), field="channel")
    text = _text(card.text, field="text", label=_("Суть звернення"), limit=MAX_TEXT, required=True)
    check_files(files)
    appeal = Appeal(
        journal=journal_for(body),
        unit=body,
        channel=channel,
        state=State.DRAFT,
        text=text,
        summary=_text(card.summary, field="summary", label=_("Короткий зміст"), limit=MAX_SUMMARY),
        surname=card.surname[:100],
        given_name=card.given_name[:100],
        patronymic=card.patronymic[:100],
        address=card.address[:300],
        email=card.email[:254],
        phone=card.phone[:30],
        addressee=card.addressee,
        applicant=card.applicant,
        source_ref=card.source_ref[:200],
        needs_study=card.needs_study,
        kind=card.kind,
    )
    if card.consent:
        appeal.consent_at = timezone.now()
    appeal.save()
    if card.topics:
        known = _codes("topics", _today())
        _set_topics(appeal, [t for t in dict.fromkeys(card.topics) if t in known])
    for upload in files:
        add_file(appeal, upload)
    event(appeal, AppealEvent.Kind.SUBMITTED, actor=actor)
    audit_record(
        actor=actor,
        action="appeals.appeal.drafted",
        target=appeal,
        data={"channel": channel, "files": len(files)},
    )
    return appeal


@transaction.atomic
def appeal_discard_draft(*, actor: User, appeal_id: int, reason: str) -> Appeal:
    """Discard a draft that is not an appeal (spam, an empty message); it stays on record."""
    appeal = Appeal.objects.select_for_update().get(pk=appeal_id)
    require(actor, "appeals.change_appeal", appeal)
    reason = _text(reason, field="reason", label=_("Причина"), limit=300, required=True)
    move(appeal, State.DISCARDED)
    appeal.not_considered_reason = reason
    appeal.save(update_fields=["state", "not_considered_reason", "updated_at"])
    audit_record(
        actor=actor, action="appeals.appeal.discarded", target=appeal, data={"reason": reason}
    )
    return appeal


# --- control engine hooks ----------------------------------------------------------------------


def on_resolution(*, item: Appeal, resolution: Any, actor: User) -> None:
    """A head's resolution reached the appeal: it is now being considered."""
    appeal = Appeal.objects.select_for_update().get(pk=item.pk)
    if appeal.state == State.REGISTERED:
        move(appeal, State.IN_WORK)
        appeal.save(update_fields=["state", "updated_at"])
        event(
            appeal,
            AppealEvent.Kind.IN_WORK,
            actor=actor,
            public_note=_("Передано на розгляд: %(unit)s.")
            % {"unit": resolution_units(resolution)},
        )
    elif appeal.state not in (State.IN_WORK, State.ANSWERED):
        raise ApplicationError(
            _("Звернення у стані «%(state)s» не потребує резолюції.")
            % {"state": appeal.get_state_display()}
        )


def resolution_units(resolution: Any) -> str:
    """The executor units of a resolution, as the citizen sees them (no names of people)."""
    names = list(
        dict.fromkeys(
            a.unit.short_name or a.unit.name
            for a in resolution.assignments.select_related("unit").filter(parent__isnull=True)
        )
    )
    return ", ".join(names) or "—"


def on_completed(*, item: Appeal, resolution: Any, actor: User) -> None:
    """Every assignment is done and the controller removed the appeal from control."""
    appeal = Appeal.objects.select_for_update().get(pk=item.pk)
    if appeal.state != State.ANSWERED:
        raise ApplicationError(
            _(
                "Звернення не можна зняти з контролю, доки заявникові не надіслано "
                "остаточну відповідь з результатом розгляду."
            ),
            code="no_answer",
        )
    move(appeal, State.CLOSED)
    appeal.closed_at = timezone.now()
    appeal.save(update_fields=["state", "closed_at", "updated_at"])
    event(appeal, AppealEvent.Kind.CLOSED, actor=actor, public_note=_("Розгляд завершено."))
    audit_record(
        actor=actor,
        action="appeals.appeal.closed",
        target=appeal,
        data={"result": appeal.result, "resolution": resolution.pk},
    )


# --- staff workspace: card corrections, terms, forwarding, returning, art. 8, mass groups -------
# (hromada.appeals.staff_views calls these; each is one audited transaction.)

# Card fields an operator may correct after registration (never the index, journal or dates of
# registration: those are the journal's record).
CORRECTABLE_FIELDS = (
    "surname",
    "given_name",
    "patronymic",
    "address",
    "district",
    "email",
    "phone",
    "sex",
    "category",
    "social_status",
    "subject",
    "signatories",
    "kind",
    "summary",
    "text",
    "written_date",
    "sent_from",
    "sent_from_index",
    "sent_from_date",
    "how_received",
    "case_index",
)


class NotConsideredReason:
    """The grounds of art. 8 of Law No. 393/96-ВР for not considering an appeal."""

    ANONYMOUS = "anonymous"
    NO_SUBSTANCE = "no_substance"
    REPEATED = "repeated"
    COMPLAINT_LATE = "complaint_late"
    INCAPABLE = "incapable"

    CHOICES: tuple[tuple[str, str], ...] = (
        (
            ANONYMOUS,
            "анонімне: не зазначено місце проживання, не підписане або автора не встановлено",
        ),
        (NO_SUBSTANCE, "неможливо встановити суть звернення"),
        (REPEATED, "повторне до того самого органу з того самого питання, вже вирішеного по суті"),
        (COMPLAINT_LATE, "скаргу подано з порушенням строку (ст. 17)"),
        (INCAPABLE, "автора визнано судом недієздатним"),
    )

    @classmethod
    def label(cls, code: str) -> str:
        return dict(cls.CHOICES).get(code, "")


def _lock(appeal_id: int) -> Appeal:
    appeal = (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("unit", "journal")
        .filter(pk=appeal_id)
        .first()
    )
    if appeal is None:
        raise ApplicationError(_("Звернення не знайдено."), code="not_found")
    return appeal


def _card_values(appeal: Appeal) -> dict[str, Any]:
    values = {name: getattr(appeal, name) for name in CORRECTABLE_FIELDS}
    values["topics"] = list(appeal.topics.order_by("-is_main", "pk").values_list("code", flat=True))
    return values


@transaction.atomic
def appeal_update_card(*, actor: User, appeal_id: int, changes: dict[str, Any]) -> Appeal:
    """Correct an appeal's card (not its index or journal); audit the changed fields."""
    appeal = _lock(appeal_id)
    require(actor, "appeals.change_appeal", appeal)
    if appeal.state in (State.DRAFT, State.DISCARDED):
        raise ApplicationError(_("Чернетку спершу зареєструйте."), code="invalid_state")
    unknown = set(changes) - set(CORRECTABLE_FIELDS) - {"topics"}
    if unknown:
        raise ApplicationError(
            _("Ці поля картки не можна виправити: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))},
            code="not_correctable",
        )
    before = _card_values(appeal)
    after = {**before, **changes}
    how_received = str(after.pop("how_received") or "")
    case_index = _text(
        str(after.pop("case_index") or ""), field="case_index", label=_("Справа"), limit=30
    )
    if how_received and how_received not in _codes("1", _today()):
        raise ApplicationError(
            _("Невідомий код «%(code)s» у полі «%(label)s» (класифікатор № 858).")
            % {"code": how_received[:20], "label": _("Як надійшло")},
            field="how_received",
        )
    was_anonymous = appeal.subject == Appeal.Subject.ANONYMOUS
    card = AppealCard(
        **{k: v for k, v in after.items() if k != "topics"},
        topics=list(after["topics"]),
        confirm_anonymous=was_anonymous,
    )
    # The written date is checked against the day the appeal was received, not today.
    checked = check_card(card, on=_today())
    if (
        checked.card.written_date
        and appeal.reg_date
        and checked.card.written_date > appeal.reg_date
    ):
        raise ApplicationError(
            _("Звернення не могло надійти раніше, ніж його написано."), field="written_date"
        )
    cleaned = checked.card
    for name in CORRECTABLE_FIELDS:
        if name in ("how_received", "case_index"):
            continue
        setattr(appeal, name, getattr(cleaned, name))
    appeal.how_received = how_received
    appeal.case_index = case_index
    appeal.person_key = selectors.person_key(
        cleaned.surname, cleaned.given_name, cleaned.patronymic
    )
    appeal.phone_digits = selectors.phone_digits(cleaned.phone)
    appeal.priority = checked.priority
    result_values = _card_values(appeal)
    result_values["topics"] = checked.topics
    diff = changed_fields(before, result_values)
    if not diff:
        return appeal
    appeal.save()
    if diff.get("topics"):
        _set_topics(appeal, checked.topics)
    audit_record(
        actor=actor,
        action="appeals.appeal.card_corrected",
        target=appeal,
        data={"changed": diff},
    )
    return appeal


def _shift_control_due_dates(appeal: Appeal, *, old: date, new: date, actor: User) -> list[int]:
    """Move the due dates of the appeal's open control assignments by the extension.

    hromada.control has no service that moves an assignment's date on the item's behalf
    (its extensions are requested by the executor), so the appeals module moves them here:
    each open assignment by the same number of days, never beyond the new term.
    """
    from django.contrib.contenttypes.models import ContentType

    from hromada.control.models import Assignment, ReminderLog, Resolution
    from hromada.control.services import reminder_days, reminder_schedule

    delta = new - old
    appeal_type = ContentType.objects.get_for_model(Appeal)
    resolutions = list(
        Resolution.objects.select_for_update()
        .filter(item_type=appeal_type, item_id=appeal.pk)
        .order_by("pk")
    )
    moved: list[int] = []
    for resolution in resolutions:
        assignments = list(
            Assignment.objects.select_for_update()
            .filter(resolution=resolution, state__in=Assignment.OPEN_STATES)
            .order_by("pk")
        )
        for assignment in assignments:
            due = min(assignment.due_date + delta, new)
            if due <= assignment.due_date:
                continue
            assignment.due_date = due
            next_on = None
            if assignment.state in Assignment.OWED_STATES:
                logged = set(
                    ReminderLog.objects.filter(assignment=assignment, due_date=due).values_list(
                        "kind", flat=True
                    )
                )
                days = reminder_days(resolution.control_type)
                pending = [d for k, d in reminder_schedule(due, days) if k not in logged]
                next_on = min(pending) if pending else None
            assignment.next_reminder_on = next_on
            assignment.save(update_fields=["due_date", "next_reminder_on", "updated_at"])
            moved.append(assignment.pk)
        tops = list(
            Assignment.objects.filter(resolution=resolution, parent__isnull=True).values_list(
                "due_date", flat=True
            )
        )
        if tops and max(tops) != resolution.due_date:
            resolution.due_date = max(tops)
            resolution.save(update_fields=["due_date", "updated_at"])
    if moved:
        audit_record(
            actor=actor,
            action="appeals.appeal.control_dates_moved",
            target=appeal,
            data={"assignments": moved, "by_days": delta.days},
        )
    return moved


@transaction.atomic
def appeal_extend_term(*, actor: User, appeal_id: int, new_due_date: date, reason: str) -> Appeal:
    """Extend the term of consideration (the head; art. 20: 45 days in all; citizen told)."""
    appeal = _lock(appeal_id)
    require(actor, "appeals.extend_term", appeal)
    if not appeal.is_open or appeal.due_date is None or appeal.reg_date is None:
        raise ApplicationError(
            _("Строк можна продовжити лише зверненню, яке розглядається."), code="invalid_state"
        )
    reason = _text(
        reason, field="reason", label=_("Підстава продовження"), limit=2000, required=True
    )
    latest = terms.latest_due_date(appeal.reg_date)
    if new_due_date <= appeal.due_date:
        raise ApplicationError(
            _("Новий строк має бути пізніше чинного (%(due)s).") % {"due": _fmt(appeal.due_date)},
            field="new_due_date",
        )
    if new_due_date > latest:
        raise ApplicationError(
            _(
                "Строк розгляду не може перевищувати 45 днів від реєстрації: не пізніше "
                "%(latest)s (ст. 20 Закону «Про звернення громадян»)."
            )
            % {"latest": _fmt(latest)},
            field="new_due_date",
        )
    old = appeal.due_date
    TermExtension.objects.create(
        appeal=appeal, old_due_date=old, new_due_date=new_due_date, reason=reason, decided_by=actor
    )
    appeal.due_date = new_due_date
    appeal.save(update_fields=["due_date", "updated_at"])
    moved = _shift_control_due_dates(appeal, old=old, new=new_due_date, actor=actor)
    extended = event(
        appeal,
        AppealEvent.Kind.EXTENDED,
        actor=actor,
        public_note=_("Строк розгляду продовжено до %(due)s. Підстава: %(reason)s")
        % {"due": _fmt(new_due_date), "reason": reason},
    )
    audit_record(
        actor=actor,
        action="appeals.appeal.term_extended",
        target=appeal,
        data={"from": old, "to": new_due_date, "reason": reason, "assignments": moved},
    )
    notify_citizen(appeal, extended)
    return appeal


@transaction.atomic
def appeal_forward(*, actor: User, appeal_id: int, to_body: str, covering_letter: str) -> Appeal:
    """Forward an appeal outside our competence to the competent body (art. 7; result 9.4).

    Allowed after the 5-day limit too, but then flagged `forwarded_late`.
    """
    appeal = _lock(appeal_id)
    require(actor, "appeals.change_appeal", appeal)
    to_body = _text(to_body, field="to_body", label=_("Орган"), limit=300, required=True)
    covering_letter = _text(
        covering_letter,
        field="covering_letter",
        label=_("Текст супровідного листа"),
        limit=MAX_TEXT,
        required=True,
    )
    move(appeal, State.FORWARDED)
    now = timezone.now()
    assert appeal.reg_date is not None
    appeal.forwarded_to = to_body
    appeal.forwarded_at = now
    appeal.forwarded_late = timezone.localdate(now) > terms.forward_by(appeal.reg_date)
    appeal.result = "9.4"
    appeal.due_date = None
    appeal.save(
        update_fields=[
            "state",
            "forwarded_to",
            "forwarded_at",
            "forwarded_late",
            "result",
            "due_date",
            "updated_at",
        ]
    )
    forwarded = event(
        appeal,
        AppealEvent.Kind.FORWARDED,
        actor=actor,
        public_note=_(
            "Звернення не належить до повноважень органу і надіслано за належністю: %(body)s."
        )
        % {"body": to_body},
        note=covering_letter,
    )
    audit_record(
        actor=actor,
        action="appeals.appeal.forwarded",
        target=appeal,
        data={"to": to_body, "late": appeal.forwarded_late},
    )
    notify_citizen(appeal, forwarded)
    return appeal


@transaction.atomic
def appeal_return(*, actor: User, appeal_id: int, explanation: str) -> Appeal:
    """Return a non-compliant appeal to the applicant with an explanation (art. 5; result 9.5)."""
    appeal = _lock(appeal_id)
    require(actor, "appeals.change_appeal", appeal)
    explanation = _text(
        explanation,
        field="explanation",
        label=_("Пояснення причин повернення"),
        limit=MAX_TEXT,
        required=True,
    )
    move(appeal, State.RETURNED)
    now = timezone.now()
    assert appeal.reg_date is not None
    late = timezone.localdate(now) > terms.return_by(appeal.reg_date)
    appeal.returned_at = now
    appeal.return_reason = explanation
    appeal.result = "9.5"
    appeal.due_date = None
    appeal.save(
        update_fields=["state", "returned_at", "return_reason", "result", "due_date", "updated_at"]
    )
    returned = event(
        appeal,
        AppealEvent.Kind.RETURNED,
        actor=actor,
        public_note=_("Звернення повернуто заявникові: %(why)s") % {"why": explanation[:400]},
        note=_("Повернуто пізніше 10 днів від реєстрації.") if late else "",
    )
    audit_record(actor=actor, action="appeals.appeal.returned", target=appeal, data={"late": late})
    notify_citizen(appeal, returned)
    return appeal


@transaction.atomic
def appeal_not_consider(*, actor: User, appeal_id: int, reason: str, note: str = "") -> Appeal:
    """Decide not to consider a registered appeal on a ground of art. 8 (result 9.6)."""
    appeal = _lock(appeal_id)
    require(actor, "appeals.change_appeal", appeal)
    label = NotConsideredReason.label(reason)
    if not label:
        raise ApplicationError(_("Оберіть підставу зі ст. 8 Закону."), field="reason")
    note = _text(note, field="note", label=_("Пояснення"), limit=1000)
    if appeal.state != State.REGISTERED:
        raise ApplicationError(
            _("Рішення не розглядати можна ухвалити лише до початку розгляду (стан «%(s)s»).")
            % {"s": appeal.get_state_display()},
            code="invalid_state",
        )
    move(appeal, State.NOT_CONSIDERED)
    text = _("Не підлягає розгляду (ст. 8 Закону): %(label)s.") % {"label": label}
    if note:
        text = f"{text} {note}"
    appeal.not_considered_reason = text[:300]
    appeal.result = "9.6"
    appeal.due_date = None
    appeal.save(
        update_fields=["state", "not_considered_reason", "result", "due_date", "updated_at"]
    )
    decided = event(appeal, AppealEvent.Kind.NOT_CONSIDERED, actor=actor, public_note=text)
    audit_record(
        actor=actor,
        action="appeals.appeal.not_considered",
        target=appeal,
        data={"reason": reason, "note": note},
    )
    notify_citizen(appeal, decided)
    return appeal


@transaction.atomic
def mass_group_mark(
    *,
    actor: User,
    appeal_ids: Sequence[int],
    group_id: int | None = None,
    title: str = "",
    place: str = "",
) -> MassGroup:
    """Mark appeals about one problem at one place as mass (sign 2.5): a new or existing group."""
    ids = sorted({int(i) for i in appeal_ids})
    if not ids:
        raise ApplicationError(_("Оберіть звернення у списку."), field="appeal_ids")
    appeals = list(
        Appeal.objects.select_for_update(of=("self",))
        .select_related("unit")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    if len(appeals) != len(ids):
        raise ApplicationError(_("Звернення не знайдено."), code="not_found")
    for appeal in appeals:
        require(actor, "appeals.mark_mass", appeal)
        if appeal.seq is None:
            raise ApplicationError(_("Чернетку спершу зареєструйте."), code="invalid_state")
    if group_id is not None:
        group = MassGroup.objects.select_for_update().filter(pk=group_id).first()
        if group is None:
            raise ApplicationError(_("Групу масових звернень не знайдено."), code="not_found")
        require(actor, "appeals.mark_mass", group)
        created = False
    else:
        if len(appeals) < 2:
            raise ApplicationError(
                _("Масове звернення — це щонайменше два звернення з однієї проблеми."),
                field="appeal_ids",
            )
        title = _text(title, field="title", label=_("Проблема"), limit=300, required=True)
        place = _text(place, field="place", label=_("Місце"), limit=300)
        first = appeals[0]
        main = first.topics.filter(is_main=True).values_list("code", flat=True).first() or ""
        group = MassGroup.objects.create(
            unit=first.unit,
            title=title,
            place=place,
            district=first.district,
            topic=main,
            created_by=actor,
        )
        created = True
    added = []
    for appeal in appeals:
        if appeal.mass_group_id == group.pk:
            continue
        appeal.mass_group = group
        appeal.sign = Appeal.Sign.MASS
        appeal.save(update_fields=["mass_group", "sign", "updated_at"])
        event(
            appeal,
            AppealEvent.Kind.MARKED,
            actor=actor,
            note=_("Позначено як масове: %(title)s") % {"title": group.title},
        )
        added.append(appeal.pk)
    audit_record(
        actor=actor,
        action="appeals.mass_group.created" if created else "appeals.mass_group.extended",
        target=group,
        data={"appeals": added},
    )
    return group
