"""The citizen side of appeals: web-form submission, e-mail confirmation, cabinet, tracking.

Writes (services) and reads (selectors) used by `public_views`; every registration still goes
through `services.appeal_register`, the one registration path of every channel.

- A signed-in citizen's web-form appeal is registered at once (the account's e-mail is
  verified by allauth). Without an account the appeal is kept as a draft and a confirmation
  link is e-mailed (`WebSubmission`); following it registers the draft.
- The confirmation token is never stored: it is a keyed hash of the submission's id and
  appeal id (SECRET_KEY), so neither the database nor the task queue holds a usable link;
  the database keeps only its SHA-256 to find the submission.
- The cabinet, tracking and public statistics show only what the citizen may see: public
  notes of the history, executor units (never people), sent answers; tracking shows the
  status only; statistics are counts.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Count, Min, Q, QuerySet
from django.db.models.functions import ExtractMonth
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from hromada.accounts.models import OrgUnit, User
from hromada.accounts.permissions import require
from hromada.appeals import selectors, services
from hromada.appeals.models import (
    Answer,
    Appeal,
    AppealEvent,
    AppealFile,
    AppealLink,
    AppealTopic,
    Channel,
    ReceptionRoom,
    WebSubmission,
)
from hromada.core.audit import audit_record
from hromada.core.classifiers import classifier_items
from hromada.core.districts import District
from hromada.core.exceptions import ApplicationError

_SMTP_TIMEOUT_SECONDS = 30
CLASSIFIER = "858"

# Classifier 858 topics in the words a resident would use (the official label is the hint).
PLAIN_TOPICS: dict[str, Any] = {
    "101": gettext_lazy("Промисловість, робота підприємств"),
    "102": gettext_lazy("Земля, земельні ділянки, сільське господарство"),
    "103": gettext_lazy("Транспорт, дороги, зупинки, зв'язок"),
    "104": gettext_lazy("Економіка, ціни, будівництво, підприємництво"),
    "105": gettext_lazy("Податки, місцеві збори, фінанси"),
    "106": gettext_lazy("Соціальний захист: пенсії, субсидії, пільги, допомога"),
    "107": gettext_lazy("Робота і заробітна плата"),
    "108": gettext_lazy("Здоров'я: лікарні, поліклініки, ліки"),
    "109": gettext_lazy("Комунальні послуги: вода, тепло, освітлення, прибирання, двори, сміття"),
    "110": gettext_lazy("Житло: квартири, гуртожитки, черга на житло"),
    "111": gettext_lazy("Довкілля: дерева, парки, забруднення, тварини"),
    "112": gettext_lazy("Правопорядок, права і свободи людини"),
    "113": gettext_lazy("Сім'я, діти, молодь, спорт"),
    "114": gettext_lazy("Культура, пам'ятки, туризм"),
    "115": gettext_lazy("Освіта: школи, дитячі садки, наука"),
    "116": gettext_lazy("Інформація, засоби масової інформації"),
    "117": gettext_lazy("Громадські об'єднання, релігія"),
    "118": gettext_lazy("Верховна Рада, Президент, Уряд України"),
    "119": gettext_lazy("Міністерства та інші центральні органи влади"),
    "120": gettext_lazy("Обласна та районна державні адміністрації"),
    "121": gettext_lazy("Міська рада та її виконавчі органи"),
    "122": gettext_lazy("Оборона, міжнародні відносини"),
    "123": gettext_lazy("Державний та адміністративно-територіальний устрій"),
    "124": gettext_lazy("Факти корупції"),
    "125": gettext_lazy("Інше"),
}
# What residents of a city write about most often: shown first in the topic list.
COMMON_TOPICS = ("109", "110", "103", "106", "111", "115", "108", "113", "121")
OTHER_TOPIC = "125"


def topic_label(code: str, official: str = "") -> str:
    """Return a topic's plain-language name (the official label if there is none)."""
    plain = PLAIN_TOPICS.get(code)
    if plain is not None:
        return str(plain)
    return official[:1].upper() + official[1:] if official else code


def topic_choices(on: date | None = None) -> list[tuple[str, Any]]:
    """Return the topics valid today as grouped choices: the common ones first, "other" last."""
    items = list(classifier_items(CLASSIFIER, "topics", on).values_list("code", "label"))
    labels = {code: topic_label(code, label) for code, label in items}
    common = [(c, labels[c]) for c in COMMON_TOPICS if c in labels]
    rest = sorted(
        ((c, lbl) for c, lbl in labels.items() if c not in COMMON_TOPICS and c != OTHER_TOPIC),
        key=lambda pair: pair[1],
    )
    if OTHER_TOPIC in labels:
        rest.append((OTHER_TOPIC, labels[OTHER_TOPIC]))
    return [
        ("", _("— оберіть тему —")),
        (_("Найчастіші теми"), common),
        (_("Інші теми"), rest),
    ]


# --- the city's address list (the portal's building passports) ------------------------------


def address_suggestions(query: str, *, limit: int = 10) -> list[str]:
    """Return addresses of the city's buildings matching what was typed (street words, number)."""
    from hromada.portal.selectors import passports_search

    query = (query or "").strip()
    if len(query) < 2:
        return []
    return list(passports_search(query[:100]).values_list("address", flat=True)[:limit])


def district_of_address(address: str) -> str:
    """Return the district of a building whose address is exactly this one ("" if unknown)."""
    from hromada.portal.selectors import passports_search

    wanted = " ".join((address or "").split()).casefold()
    if not wanted:
        return ""
    for found, district in passports_search(address[:100]).values_list("address", "district")[:20]:
        if " ".join(found.split()).casefold() == wanted:
            return str(district)
    return ""


def room_for(room_id: Any) -> ReceptionRoom | None:
    """Return a public virtual reception room by its id (None for anything else)."""
    try:
        pk = int(room_id)
    except (TypeError, ValueError):
        return None
    return (
        ReceptionRoom.objects.filter(pk=pk, is_public=True, official__is_active=True)
        .select_related("official")
        .first()
    )


def body_and_channel(addressee: User | None) -> tuple[OrgUnit, str]:
    """Return where a citizen's appeal is registered and through which channel."""
    if addressee is not None:
        return selectors.body_for_official(addressee), Channel.VIRTUAL_ROOM
    return selectors.default_body(), Channel.WEB


# --- submission --------------------------------------------------------------------------------


def citizen_submit(
    *,
    user: User,
    card: services.AppealCard,
    files: Sequence[Any] = (),
    idempotency_key: str = "",
) -> services.Registered:
    """Register a signed-in citizen's web-form appeal at once (their e-mail is verified)."""
    body, channel = body_and_channel(card.addressee)
    # The office, not the citizen, decides whether an appeal duplicates an earlier one: the
    # citizen is never told about other appeals found by name or phone (personal data).
    card = replace(card, applicant=user, confirm_not_duplicate=True)
    return services.appeal_register(
        actor=user,
        body=body,
        channel=channel,
        card=card,
        files=files,
        idempotency_key=idempotency_key,
        checked_by_office=False,
    )


def _confirm_token(submission: WebSubmission) -> str:
    return salted_hmac(
        "hromada.appeals.confirm",
        f"{submission.pk}:{submission.appeal_id}",
        algorithm="sha256",
    ).hexdigest()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def confirm_link(submission: WebSubmission) -> str:
    """Return the absolute confirmation link of a submission (for the e-mail)."""
    base = settings.HROMADA_BASE_URL.rstrip("/")
    return f"{base}{reverse('appeals:confirm', args=[_confirm_token(submission)])}"


@transaction.atomic
def web_submission_create(*, card: services.AppealCard, files: Sequence[Any] = ()) -> WebSubmission:
    """Keep an appeal from someone without an account as a draft; e-mail a confirmation link.

    The card is checked now as it will be at registration, so that the link registers it.
    """
    today = timezone.localdate()
    checked = services.check_card(card, on=today, require_contact=True)
    if not checked.card.email:
        raise ApplicationError(
            _("Вкажіть e-mail: на нього ми надішлемо посилання для підтвердження."),
            field="email",
        )
    body, channel = body_and_channel(card.addressee)
    appeal = services.appeal_draft_create(
        body=body, channel=channel, card=checked.card, files=files
    )
    # The draft keeps what the form knew beyond the mailbox's fields.
    appeal.district = checked.card.district
    appeal.save(update_fields=["district", "updated_at"])
    submission = WebSubmission.objects.create(
        appeal=appeal, email=checked.card.email, token_hash=f"pending:{appeal.pk}"
    )
    submission.token_hash = _token_hash(_confirm_token(submission))
    submission.save(update_fields=["token_hash"])
    audit_record(
        actor=None,
        action="appeals.web_submission.created",
        target=appeal,
        data={"submission": submission.pk, "channel": channel, "files": len(files)},
    )
    submission_id = submission.pk
    transaction.on_commit(lambda: send_confirmation.enqueue(submission_id=submission_id))
    return submission


@task(queue_name="mail")
def send_confirmation(*, submission_id: int) -> bool:
    """E-mail the confirmation link of a web-form submission (not sent once confirmed)."""
    submission = WebSubmission.objects.select_related("appeal").filter(pk=submission_id).first()
    if submission is None or submission.confirmed_at is not None:
        return False
    context = {
        "appeal": submission.appeal,
        "link": confirm_link(submission),
        "hours": settings.HROMADA_APPEALS_CONFIRM_HOURS,
        "city": settings.HROMADA_CITY_NAME,
    }
    subject = " ".join(
        render_to_string("appeals/public/email/confirm_subject.txt", context).split()
    )
    body = render_to_string("appeals/public/email/confirm_message.txt", context)
    EmailMessage(
        subject,
        body,
        None,
        [submission.email],
        connection=get_connection(timeout=_SMTP_TIMEOUT_SECONDS),
    ).send()
    return True


class SubmissionState:
    VALID = "valid"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    CONFIRMED = "confirmed"
    REGISTERED = "registered"  # the office registered the draft before the citizen confirmed
    DISCARDED = "discarded"


def submission_expires_at(submission: WebSubmission) -> datetime:
    return submission.created_at + timedelta(hours=settings.HROMADA_APPEALS_CONFIRM_HOURS)


def submission_state(submission: WebSubmission | None, *, now: datetime | None = None) -> str:
    """Return what a confirmation link can still do."""
    if submission is None:
        return SubmissionState.UNKNOWN
    if submission.confirmed_at is not None:
        return SubmissionState.CONFIRMED
    state = submission.appeal.state
    if state == Appeal.State.DISCARDED:
        return SubmissionState.DISCARDED
    if state != Appeal.State.DRAFT:
        return SubmissionState.REGISTERED
    if (now or timezone.now()) > submission_expires_at(submission):
        return SubmissionState.EXPIRED
    return SubmissionState.VALID


def submission_by_token(token: str) -> WebSubmission | None:
    """Return the submission a confirmation link names (None for a wrong or forged one)."""
    token = (token or "").strip()
    if not token or len(token) > 128:
        return None
    submission = (
        WebSubmission.objects.select_related("appeal").filter(token_hash=_token_hash(token)).first()
    )
    if submission is None or not hmac.compare_digest(_confirm_token(submission), token):
        return None
    return submission


def _card_from_draft(appeal: Appeal) -> services.AppealCard:
    return services.AppealCard(
        text=appeal.text,
        surname=appeal.surname,
        given_name=appeal.given_name,
        patronymic=appeal.patronymic,
        address=appeal.address,
        district=appeal.district,
        email=appeal.email,
        phone=appeal.phone,
        kind=appeal.kind,
        summary=appeal.summary,
        topics=[t.code for t in appeal.topics.order_by("-is_main", "pk")],
        addressee=appeal.addressee,
        consent=appeal.consent_at is not None,
        confirm_not_duplicate=True,
    )


_STATE_MESSAGES = {
    SubmissionState.UNKNOWN: gettext_lazy(
        "Посилання недійсне. Перевірте, чи ви скопіювали його з листа повністю."
    ),
    SubmissionState.EXPIRED: gettext_lazy(
        "Строк дії посилання минув. Подайте звернення ще раз — ми надішлемо нове посилання."
    ),
    SubmissionState.CONFIRMED: gettext_lazy(
        "Це звернення вже підтверджено і зареєстровано. Реєстраційний номер і код для "
        "перевірки стану надіслано вам листом."
    ),
    SubmissionState.REGISTERED: gettext_lazy(
        "Це звернення вже зареєстровано. Реєстраційний номер і код для перевірки стану "
        "надіслано вам листом."
    ),
    SubmissionState.DISCARDED: gettext_lazy(
        "Це подання не може бути зареєстроване. Подайте звернення ще раз."
    ),
}


def submission_state_message(state: str) -> str:
    return str(_STATE_MESSAGES.get(state, _STATE_MESSAGES[SubmissionState.UNKNOWN]))


@transaction.atomic
def web_submission_confirm(*, token: str) -> services.Registered:
    """Register a web-form draft whose author followed the confirmation link, once."""
    found = submission_by_token(token)
    if found is None:
        raise ApplicationError(submission_state_message(SubmissionState.UNKNOWN), code="unknown")
    submission = WebSubmission.objects.select_for_update().select_related("appeal").get(pk=found.pk)
    state = submission_state(submission)
    if state != SubmissionState.VALID:
        raise ApplicationError(submission_state_message(state), code=state)
    appeal = submission.appeal
    body = appeal.unit
    registered = services.appeal_register(
        actor=None,
        body=body,
        channel=appeal.channel,
        card=_card_from_draft(appeal),
        draft=appeal,
        checked_by_office=False,
    )
    submission.confirmed_at = timezone.now()
    submission.save(update_fields=["confirmed_at"])
    audit_record(
        actor=None,
        action="appeals.web_submission.confirmed",
        target=registered.appeal,
        data={"submission": submission.pk, "index": registered.appeal.reg_index},
    )
    return registered


# --- the cabinet -------------------------------------------------------------------------------


def cabinet_appeals(user: Any) -> QuerySet[Appeal]:
    """The citizen's own appeals for the cabinet list, newest first (drafts included)."""
    return (
        selectors.citizen_appeals(user)
        .only(
            "pk",
            "state",
            "reg_index",
            "reg_date",
            "due_date",
            "summary",
            "created_at",
            "kind",
            "channel",
        )
        .order_by("-created_at", "-pk")
    )


def cabinet_appeal(user: Any, pk: int) -> Appeal | None:
    """One of the citizen's own appeals (None for anyone else's: the view answers 404)."""
    return selectors.citizen_appeals(user).filter(pk=pk).select_related("addressee").first()


@dataclass
class HistoryLine:
    at: datetime
    kind: str
    note: str


@dataclass
class CabinetView:
    """What the citizen sees of their appeal: no staff names, no staff notes."""

    appeal: Appeal
    history: list[HistoryLine]
    units: list[str]
    answers: list[Answer]
    attachments: list[AppealFile]
    topics: list[str]
    related: list[tuple[str, Appeal]]
    can_follow_up: bool
    can_complain: bool
    addressee: str = ""
    extended: bool = False
    results: dict[str, str] = field(default_factory=dict)


def _result_labels() -> dict[str, str]:
    return dict(classifier_items(CLASSIFIER, "9").values_list("code", "label"))


def cabinet_view(appeal: Appeal) -> CabinetView:
    """Collect the cabinet page of an appeal (a handful of queries)."""
    from hromada.control.selectors import resolutions_for_item

    history = [
        HistoryLine(at=e.at, kind=e.get_kind_display(), note=e.public_note)
        for e in appeal.events.all().order_by("at", "pk")
        if e.public_note or e.kind != AppealEvent.Kind.MARKED
    ]
    units: list[str] = []
    if appeal.state != Appeal.State.DRAFT:
        for resolution in resolutions_for_item(appeal):
            for name in services.resolution_units(resolution).split(", "):
                if name and name != "—" and name not in units:
                    units.append(name)
    answers = list(
        appeal.answers.filter(state=Answer.State.SENT).select_related("pdf").order_by("sent_at")
    )
    attachments = list(appeal.files.filter(kind=AppealFile.Kind.ATTACHMENT).order_by("pk"))
    topic_labels = dict(classifier_items(CLASSIFIER, "topics").values_list("code", "label"))
    topics = [
        topic_label(t.code, topic_labels.get(t.code, ""))
        for t in appeal.topics.order_by("-is_main", "pk")
    ]
    related: list[tuple[str, Appeal]] = []
    for link in AppealLink.objects.filter(
        Q(from_appeal=appeal) | Q(to_appeal=appeal),
        kind__in=[AppealLink.Kind.FOLLOW_UP, AppealLink.Kind.COMPLAINT],
    ).select_related("from_appeal", "to_appeal"):
        other = link.to_appeal if link.from_appeal_id == appeal.pk else link.from_appeal
        # Only the same citizen's appeals are named (links never cross applicants here).
        if other.applicant_id == appeal.applicant_id and other.state != Appeal.State.DISCARDED:
            related.append((link.get_kind_display(), other))
    registered = appeal.seq is not None and appeal.state != Appeal.State.DISCARDED
    has_final = any(a.kind == Answer.Kind.FINAL for a in answers)
    addressee = ""
    if appeal.addressee is not None:
        room = ReceptionRoom.objects.filter(official=appeal.addressee).first()
        position = room.position_title if room else ""
        addressee = ", ".join(p for p in (appeal.addressee.full_name, position) if p)
    return CabinetView(
        appeal=appeal,
        history=history,
        units=units,
        answers=answers,
        attachments=attachments,
        topics=topics,
        related=related,
        can_follow_up=registered,
        can_complain=registered and has_final,
        addressee=addressee,
        extended=bool(
            appeal.first_due_date and appeal.due_date and appeal.due_date > appeal.first_due_date
        ),
        results=_result_labels(),
    )


def cabinet_file(user: Any, appeal_id: int, file_id: int) -> AppealFile | None:
    """A file the citizen may download: their own attachment or the PDF of a sent answer."""
    appeal = cabinet_appeal(user, appeal_id)
    if appeal is None:
        return None
    stored = AppealFile.objects.filter(pk=file_id, appeal=appeal).first()
    if stored is None:
        return None
    if stored.kind == AppealFile.Kind.ATTACHMENT:
        return stored
    sent = Answer.objects.filter(appeal=appeal, pdf=stored, state=Answer.State.SENT).exists()
    return stored if sent else None


@transaction.atomic
def citizen_follow_up(
    *,
    user: User,
    appeal_id: int,
    text: str,
    complaint: bool,
    consent: bool,
    files: Sequence[Any] = (),
) -> services.Registered:
    """Register a follow-up of, or a complaint about the answer to, the citizen's own appeal."""
    original = Appeal.objects.select_for_update().filter(pk=appeal_id).first()
    if original is None or original.applicant_id != user.pk:
        raise ApplicationError(_("Звернення не знайдено."), code="not_found")
    require(user, "appeals.view_appeal", original)
    if original.seq is None or original.state == Appeal.State.DISCARDED:
        raise ApplicationError(
            _("Звернення ще не зареєстроване: доповнити його або оскаржити відповідь не можна.")
        )
    if (
        complaint
        and not original.answers.filter(state=Answer.State.SENT, kind=Answer.Kind.FINAL).exists()
    ):
        raise ApplicationError(
            _("Оскаржити можна лише надіслану вам остаточну відповідь."), code="no_answer"
        )
    if not consent:
        raise ApplicationError(
            _("Потрібна ваша згода на обробку персональних даних."), field="consent"
        )
    topics = [t.code for t in AppealTopic.objects.filter(appeal=original).order_by("-is_main")]
    card = services.AppealCard(
        text=text,
        surname=original.surname or user.surname,
        given_name=original.given_name or user.given_name,
        patronymic=original.patronymic or user.patronymic,
        address=original.address,
        district=original.district,
        email=original.email or user.email,
        phone=original.phone or user.phone,
        kind=Appeal.Kind.COMPLAINT if complaint else original.kind,
        topics=topics or [OTHER_TOPIC],
        addressee=None if complaint else original.addressee,
        applicant=user,
        consent=True,
        confirm_not_duplicate=True,
        follow_up_of=None if complaint else original,
        complaint_about=original if complaint else None,
    )
    return services.appeal_register(
        actor=user,
        body=original.unit,
        channel=Channel.WEB,
        card=card,
        files=files,
        checked_by_office=False,
    )


# --- tracking without an account ------------------------------------------------------------


@dataclass
class TrackedStatus:
    """What tracking shows: the status only, no personal data, no substance."""

    reg_index: str
    state: str
    reg_date: date | None
    due_date: date | None
    history: list[tuple[datetime, str]]


def track(index: str, code: str) -> TrackedStatus | None:
    """Return the status of the appeal with this index and secret code (None otherwise)."""
    index = " ".join((index or "").split())[:100]
    code = (code or "").strip().upper()[:20]
    if not index or not code:
        return None
    candidates = Appeal.objects.filter(reg_index=index, seq__isnull=False).only(
        "pk", "tracking_hash", "reg_index", "state", "reg_date", "due_date"
    )[:200]
    found = None
    for appeal in candidates:
        expected = services.tracking_hash(appeal.pk, code)
        if appeal.tracking_hash and hmac.compare_digest(appeal.tracking_hash, expected):
            found = appeal
    if found is None:
        return None
    history = [
        (e.at, e.get_kind_display())
        for e in AppealEvent.objects.filter(appeal=found)
        .exclude(kind=AppealEvent.Kind.MARKED)
        .order_by("at", "pk")
    ]
    return TrackedStatus(
        reg_index=found.reg_index,
        state=found.get_state_display(),
        reg_date=found.reg_date,
        due_date=found.due_date if found.is_open else None,
        history=history,
    )


# --- public statistics -------------------------------------------------------------------------

COUNTED_OUT = (Appeal.State.DRAFT, Appeal.State.DISCARDED)
IN_PROGRESS = ""


@dataclass
class StatRow:
    key: str
    label: str
    count: int


@dataclass
class PublicStatistics:
    """Counts of a year's registered appeals: no personal data, nothing below a count."""

    year: int
    total: int
    by_month: list[StatRow]
    by_topic: list[StatRow]
    by_district: list[StatRow]
    by_channel: list[StatRow]
    by_result: list[StatRow]


def statistics_years() -> list[int]:
    """Return the years that have registered appeals (newest first; this year always)."""
    this_year = timezone.localdate().year
    first = Appeal.objects.filter(reg_date__isnull=False).aggregate(first=Min("reg_date"))["first"]
    start = min(first.year, this_year) if first else this_year
    return list(range(this_year, start - 1, -1))


def _count_data(year: int) -> dict[str, Any]:
    start, end = date(year, 1, 1), date(year, 12, 31)
    rows = Appeal.objects.filter(reg_date__range=(start, end), seq__isnull=False).exclude(
        state__in=COUNTED_OUT
    )

    def grouped(qs: QuerySet[Any], key: str) -> dict[str, int]:
        return {
            str(k or ""): n
            for k, n in qs.values_list(key).annotate(n=Count("pk")).order_by().values_list(key, "n")
        }

    by_month = {
        str(k): n
        for k, n in rows.annotate(m=ExtractMonth("reg_date"))
        .values_list("m")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("m", "n")
    }
    topics = {
        str(k): n
        for k, n in AppealTopic.objects.filter(is_main=True, appeal__in=rows)
        .values_list("code")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("code", "n")
    }
    return {
        "total": rows.count(),
        "month": by_month,
        "topic": topics,
        "district": grouped(rows, "district"),
        "channel": grouped(rows, "channel"),
        "result": grouped(rows, "result"),
    }


def _rows(
    counts: dict[str, int], labels: dict[str, str], *, keep_order: bool = False
) -> list[StatRow]:
    rows = [StatRow(key=k, label=labels.get(k, k or "—"), count=n) for k, n in counts.items() if n]
    if keep_order:
        order = {k: i for i, k in enumerate(labels)}
        return sorted(rows, key=lambda r: (order.get(r.key, len(order)), r.key))
    return sorted(rows, key=lambda r: (-r.count, r.label))


def public_statistics(year: int) -> PublicStatistics:
    """Return a year's public statistics (counts cached; labels in the visitor's language)."""
    key = f"appeals:public-stats:{year}"
    data: dict[str, Any] | None = cache.get(key)
    if data is None:
        data = _count_data(year)
        cache.set(key, data, settings.HROMADA_APPEALS_STATS_CACHE_SECONDS)
    month_names = [
        _("Січень"),
        _("Лютий"),
        _("Березень"),
        _("Квітень"),
        _("Травень"),
        _("Червень"),
        _("Липень"),
        _("Серпень"),
        _("Вересень"),
        _("Жовтень"),
        _("Листопад"),
        _("Грудень"),
    ]
    months = [
        StatRow(key=str(m), label=month_names[m - 1], count=int(data["month"].get(str(m), 0)))
        for m in range(1, 13)
        if year < timezone.localdate().year or m <= timezone.localdate().month
    ]
    topic_official = dict(classifier_items(CLASSIFIER, "topics").values_list("code", "label"))
    topic_labels = {c: topic_label(c, lbl) for c, lbl in topic_official.items()}
    result_labels = {k: v[:1].upper() + v[1:] for k, v in _result_labels().items()}
    result_labels[IN_PROGRESS] = _("На розгляді (результату ще немає)")
    district_labels = {str(k): str(v) for k, v in District.choices}
    district_labels[""] = _("Район не зазначено")
    channel_labels = {str(k): str(v)[:1].upper() + str(v)[1:] for k, v in Channel.choices}
    return PublicStatistics(
        year=year,
        total=int(data["total"]),
        by_month=months,
        by_topic=_rows(data["topic"], topic_labels),
        by_district=_rows(data["district"], district_labels, keep_order=True),
        by_channel=_rows(data["channel"], channel_labels),
        by_result=_rows(data["result"], result_labels, keep_order=True),
    )
