"""Citizens' appeals (звернення громадян): Law No. 393/96-ВР, Instruction No. 348, classifier 858.

An appeal comes in through a channel (web form, operator entry for phone calls and letters,
the mayor's e-mailbox, a personal or visiting reception, a virtual reception room, the API),
is registered once in the appeals journal of a body with a gapless index, carries the card
fields of Instruction No. 348 with classifier No. 858 codes, gets its statutory term
(15 days / one month, extended to 45 days at most), and is considered through the execution
control engine (`hromada.control`): resolution, assignments, reports, removal from control.

The model keeps the applicant's personal data on the appeal itself (surname, name,
patronymic, address, contacts) so that one record is what the retention rules anonymise.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hromada.core.districts import District
from hromada.core.models import TimeStampedModel


class Channel(models.TextChoices):
    """How the appeal reached us (канал надходження); mapped to classifier codes 1.x and 6.x."""

    WEB = "web", _("вебформа на сайті")
    EMAIL = "email", _("електронна скринька міського голови")
    POST = "post", _("поштою")
    IN_PERSON = "in_person", _("особисто до канцелярії")
    HOTLINE = "hotline", _("гаряча лінія")
    DIRECT_PHONE = "direct_phone", _("прямий телефон керівника")
    DUTY_SERVICE = "duty_service", _("цілодобова диспетчерська служба")
    RECEPTION = "reception", _("особистий прийом")
    VISITING_RECEPTION = "visiting", _("виїзний прийом")
    MEETING = "meeting", _("збори, інформаційна зустріч")
    VIRTUAL_ROOM = "virtual_room", _("віртуальна приймальня")
    REPRESENTATIVE = "representative", _("через уповноважену особу")
    OTHER_BODY = "other_body", _("від іншого органу")
    MEDIA = "media", _("через засоби масової інформації")
    API = "api", _("контакт-центр (API)")


# Classifier 858 codes a channel implies: (1.x how received, 6.x type).
CHANNEL_CODES: dict[str, tuple[str, str]] = {
    Channel.WEB: ("1.1", "6.4"),
    Channel.EMAIL: ("1.1", "6.4"),
    Channel.POST: ("1.1", "6.2"),
    Channel.IN_PERSON: ("1.1", "6.2"),
    Channel.HOTLINE: ("1.1.1", "6.3"),
    Channel.DIRECT_PHONE: ("1.1.1", "6.3"),
    Channel.DUTY_SERVICE: ("1.1.1", "6.3"),
    Channel.RECEPTION: ("1.2", "6.3"),
    Channel.VISITING_RECEPTION: ("1.2", "6.3"),
    Channel.MEETING: ("1.2", "6.3"),
    Channel.VIRTUAL_ROOM: ("1.1", "6.4"),
    Channel.REPRESENTATIVE: ("1.3", "6.2"),
    Channel.OTHER_BODY: ("1.6", "6.2"),
    Channel.MEDIA: ("1.5", "6.2"),
    Channel.API: ("1.1.1", "6.3"),
}


class AppealsJournal(TimeStampedModel):
    """The appeals registration journal of a body (one per body; Instruction No. 348)."""

    body = models.OneToOneField(
        "accounts.OrgUnit",
        verbose_name=_("орган"),
        on_delete=models.PROTECT,
        related_name="appeals_journal",
    )
    code = models.CharField(_("код журналу"), max_length=30, unique=True)
    index_template = models.CharField(
        _("шаблон індексу"),
        max_length=100,
        default="{seq}",
        help_text=_("{seq} — порядковий номер; {letter}-{seq} — за першою літерою прізвища."),
    )
    is_active = models.BooleanField(_("діє"), default=True)

    class Meta:
        verbose_name = _("журнал реєстрації звернень")
        verbose_name_plural = _("журнали реєстрації звернень")

    def __str__(self) -> str:
        return f"{self.code}: {self.body}"

    @property
    def counter_key(self) -> str:
        return f"appeals:{self.code}"


class MassGroup(TimeStampedModel):
    """A group of appeals about the same problem at the same place (масове звернення, 2.5)."""

    unit = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("орган"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("проблема"), max_length=300)
    place = models.CharField(_("місце"), max_length=300, blank=True)
    district = models.CharField(_("район"), max_length=3, choices=District.choices, blank=True)
    topic = models.CharField(_("код питання"), max_length=30, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # How the group came to be: marked by hand from the queue, or detected automatically later.
    origin = models.CharField(_("спосіб"), max_length=10, default="manual")

    class Meta:
        verbose_name = _("група масових звернень")
        verbose_name_plural = _("групи масових звернень")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("appeals:mass_group", args=[self.pk])


class Appeal(TimeStampedModel):
    """One citizens' appeal with its registration-control card (Instruction No. 348)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("чернетка (очікує реєстрації)")
        REGISTERED = "registered", _("зареєстровано")
        IN_WORK = "in_work", _("на розгляді")
        ANSWERED = "answered", _("надано відповідь")
        CLOSED = "closed", _("розглянуто, знято з контролю")
        FORWARDED = "forwarded", _("надіслано за належністю")
        RETURNED = "returned", _("повернуто заявникові")
        NOT_CONSIDERED = "not_considered", _("не підлягає розгляду")
        DISCARDED = "discarded", _("відхилено (не звернення)")

    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = {
        State.DRAFT: frozenset({State.REGISTERED, State.NOT_CONSIDERED, State.DISCARDED}),
        State.REGISTERED: frozenset(
            {State.IN_WORK, State.FORWARDED, State.RETURNED, State.NOT_CONSIDERED, State.ANSWERED}
        ),
        State.IN_WORK: frozenset({State.ANSWERED, State.FORWARDED, State.RETURNED}),
        State.ANSWERED: frozenset({State.CLOSED, State.IN_WORK}),
        State.CLOSED: frozenset(),
        State.FORWARDED: frozenset(),
        State.RETURNED: frozenset(),
        State.NOT_CONSIDERED: frozenset(),
        State.DISCARDED: frozenset(),
    }
    # States in which the appeal is still being considered (its clocks run).
    OPEN_STATES: ClassVar[frozenset[str]] = frozenset(
        {State.REGISTERED, State.IN_WORK, State.ANSWERED}
    )

    class Subject(models.TextChoices):
        INDIVIDUAL = "5.1", _("індивідуальне")
        COLLECTIVE = "5.2", _("колективне")
        ANONYMOUS = "5.3", _("анонімне")

    class Kind(models.TextChoices):
        PROPOSAL = "3.1", _("пропозиція (зауваження)")
        APPLICATION = "3.2", _("заява (клопотання)")
        COMPLAINT = "3.3", _("скарга")

    class Sign(models.TextChoices):
        PRIMARY = "2.1", _("первинне")
        REPEATED = "2.2", _("повторне")
        DUPLICATE = "2.3", _("дублетне")
        MULTIPLE = "2.4", _("неодноразове")
        MASS = "2.5", _("масове")

    # --- registration ---------------------------------------------------------------------
    journal = models.ForeignKey(
        AppealsJournal, verbose_name=_("журнал"), on_delete=models.PROTECT, related_name="appeals"
    )
    # Single-column indexes on unit, state, priority, addressee and applicant would only
    # repeat the first column of the composite indexes in Meta (appeals_unit_queue,
    # appeals_state_queue, appeals_queue_order, appeals_addressee, appeals_applicant), which
    # serve the same lookups; each would cost every registration an index insert.
    # The body whose office registered the appeal (its scope for permissions and statistics).
    unit = models.ForeignKey(
        "accounts.OrgUnit",
        verbose_name=_("орган"),
        on_delete=models.PROTECT,
        related_name="appeals",
        db_index=False,
    )
    state = models.CharField(_("стан"), max_length=15, choices=State.choices, default=State.DRAFT)
    channel = models.CharField(_("канал надходження"), max_length=15, choices=Channel.choices)
    year = models.PositiveSmallIntegerField(_("рік"), null=True, blank=True)
    seq = models.PositiveIntegerField(_("порядковий номер"), null=True, blank=True)
    reg_index = models.CharField(_("реєстраційний індекс"), max_length=100, blank=True)
    reg_date = models.DateField(_("дата надходження (реєстрації)"), null=True, blank=True)
    registered_at = models.DateTimeField(_("зареєстровано"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("зареєстрував(ла)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    written_date = models.DateField(_("дата написання / дзвінка"), null=True, blank=True)
    # Came through another body (1.4 / 1.6): where from, its index and date.
    sent_from = models.CharField(_("звідки надійшло"), max_length=300, blank=True)
    sent_from_index = models.CharField(_("індекс документа органу"), max_length=100, blank=True)
    sent_from_date = models.DateField(_("дата документа органу"), null=True, blank=True)
    # The official the appeal is addressed to (virtual reception room, reception).
    addressee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("адресат (посадова особа)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals_addressed",
        db_index=False,
    )

    # --- applicant (personal data) ----------------------------------------------------------
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("обліковий запис заявника"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appeals",
        db_index=False,
    )
    surname = models.CharField(_("прізвище"), max_length=100, blank=True)
    given_name = models.CharField(_("ім'я"), max_length=100, blank=True)
    patronymic = models.CharField(_("по батькові"), max_length=100, blank=True)
    address = models.CharField(_("місце проживання"), max_length=300, blank=True)
    district = models.CharField(_("район"), max_length=3, choices=District.choices, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("телефон"), max_length=30, blank=True)
    # Digits of the phone and a normalised name: the keys of the repeated/duplicate lookup.
    phone_digits = models.CharField(max_length=20, blank=True, editable=False, default="")
    person_key = models.CharField(max_length=200, blank=True, editable=False, default="")
    sex = models.CharField(_("стать (4.x)"), max_length=10, blank=True)
    category = models.CharField(_("категорія заявника (7.x)"), max_length=10, blank=True)
    social_status = models.CharField(_("соціальний стан (8.x)"), max_length=10, blank=True)
    subject = models.CharField(
        _("суб'єкт (5.x)"), max_length=5, choices=Subject.choices, default=Subject.INDIVIDUAL
    )
    signatories = models.PositiveIntegerField(_("кількість підписантів"), default=1)
    consent_at = models.DateTimeField(
        _("згода на обробку персональних даних"), null=True, blank=True
    )

    # --- substance --------------------------------------------------------------------------
    kind = models.CharField(
        _("вид (3.x)"), max_length=5, choices=Kind.choices, default=Kind.APPLICATION
    )
    sign = models.CharField(
        _("ознака (2.x)"), max_length=5, choices=Sign.choices, default=Sign.PRIMARY
    )
    how_received = models.CharField(_("як надійшло (1.x)"), max_length=10, blank=True)
    appeal_type = models.CharField(_("тип (6.x)"), max_length=10, blank=True)
    summary = models.CharField(_("короткий зміст"), max_length=500, blank=True)
    text = models.TextField(_("суть звернення"))
    priority = models.BooleanField(_("першочерговий розгляд (пільгова категорія)"), default=False)
    mass_group = models.ForeignKey(
        MassGroup,
        verbose_name=_("група масових звернень"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appeals",
    )

    # --- terms (Law 393/96 art. 20) ---------------------------------------------------------
    needs_study = models.BooleanField(
        _("потребує додаткового вивчення"),
        default=True,
        help_text=_("Ні — строк 15 днів; так — один місяць."),
    )
    due_date = models.DateField(_("строк розгляду"), null=True, blank=True, db_index=True)
    first_due_date = models.DateField(_("початковий строк"), null=True, blank=True)

    # --- outcomes ---------------------------------------------------------------------------
    not_considered_reason = models.CharField(
        _("підстава не розглядати (ст. 8)"), max_length=300, blank=True
    )
    forwarded_to = models.CharField(_("надіслано до"), max_length=300, blank=True)
    forwarded_at = models.DateTimeField(_("надіслано за належністю"), null=True, blank=True)
    forwarded_late = models.BooleanField(_("надіслано пізніше 5 днів"), default=False)
    returned_at = models.DateTimeField(_("повернуто"), null=True, blank=True)
    return_reason = models.TextField(_("пояснення причин повернення"), blank=True)
    result = models.CharField(_("результат (9.x)"), max_length=10, blank=True)
    answered_at = models.DateTimeField(_("надано відповідь"), null=True, blank=True)
    closed_at = models.DateTimeField(_("знято з контролю"), null=True, blank=True)
    case_index = models.CharField(_("справа"), max_length=30, blank=True)
    retention_until = models.DateField(_("зберігати до"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("знеособлено"), null=True, blank=True)

    # --- tracking without an account; integrations -------------------------------------------
    # A hash of the secret code sent to the citizen with the index (never the code itself).
    tracking_hash = models.CharField(max_length=128, blank=True, editable=False, default="")
    idempotency_key = models.CharField(max_length=100, blank=True, default="")
    # A hash of the API request that registered the appeal under that key: the same key sent
    # again with a different body is refused (422), not replayed.
    idempotency_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    source_ref = models.CharField(
        _("зовнішнє посилання"),
        max_length=200,
        blank=True,
        help_text=_("Напр. Message-ID листа або номер картки контакт-центру."),
    )

    class Meta:
        verbose_name = _("звернення")
        verbose_name_plural = _("звернення")
        ordering = ["-reg_date", "-seq", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["journal", "year", "seq"],
                condition=Q(seq__isnull=False),
                name="appeals_number_once",
            ),
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="appeals_idempotency_once",
            ),
        ]
        indexes = [
            models.Index(fields=["-reg_date", "-seq", "-id"], name="appeals_newest_first"),
            models.Index(fields=["unit", "state", "due_date"], name="appeals_unit_queue"),
            # The queue's order (benefit holders first, then the term, newest, id): a page of
            # the queue reads the first rows of one of these two indexes instead of sorting
            # every visible appeal (bench/appeals_bench.py; docs/BENCHMARKS.md).
            models.Index(
                fields=["-priority", "due_date", "-reg_date", "-id"], name="appeals_queue_order"
            ),
            models.Index(
                fields=["state", "-priority", "due_date", "-reg_date", "-id"],
                name="appeals_state_queue",
            ),
            models.Index(fields=["person_key", "-reg_date"], name="appeals_person"),
            models.Index(fields=["phone_digits", "-reg_date"], name="appeals_phone"),
            models.Index(fields=["applicant", "-reg_date"], name="appeals_applicant"),
            models.Index(fields=["addressee", "state"], name="appeals_addressee"),
            models.Index(fields=["reg_index"], name="appeals_reg_index"),
            # The queue's search box: index case-insensitively, surname prefix (LIKE 'x%').
            models.Index(Upper("reg_index"), name="appeals_reg_index_upper"),
            models.Index(
                fields=["person_key"],
                opclasses=["varchar_pattern_ops"],
                name="appeals_person_prefix",
            ),
            # The retention list: a body's appeals whose retention period has expired.
            models.Index(
                fields=["unit", "retention_until"],
                condition=Q(anonymised_at__isnull=True),
                name="appeals_retention_due",
            ),
        ]

    def __str__(self) -> str:
        number = self.reg_index or _("без номера")
        when = f" від {self.reg_date:%d.%m.%Y}" if self.reg_date else ""
        return f"Звернення № {number}{when}"

    def get_absolute_url(self) -> str:
        return reverse("appeals:detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.surname, self.given_name, self.patronymic) if p)

    @property
    def control_title(self) -> str:
        """The title in control lists: staff who see the list may see the appeal."""
        return f"{self}: {self.summary or self.text[:120]}"[:300]

    @property
    def notice_title(self) -> str:
        """The appeal's name in notices and e-mails: no personal data, no substance."""
        return str(self)

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    def can_become(self, state: str) -> bool:
        return state in self.TRANSITIONS.get(self.state, frozenset())


class AppealTopic(models.Model):
    """A question of the appeal by classifier 858's topic codes; the first one is the main."""

    # Indexed by appeals_topic_once (appeal, code): no index of its own.
    appeal = models.ForeignKey(
        Appeal, on_delete=models.CASCADE, related_name="topics", db_index=False
    )
    code = models.CharField(_("код питання"), max_length=30)
    is_main = models.BooleanField(_("основне питання"), default=False)

    class Meta:
        verbose_name = _("питання звернення")
        verbose_name_plural = _("питання звернення")
        constraints = [
            models.UniqueConstraint(fields=["appeal", "code"], name="appeals_topic_once")
        ]
        indexes = [models.Index(fields=["code", "appeal"], name="appeals_topic_code")]

    def __str__(self) -> str:
        return self.code


class AppealLink(models.Model):
    """A link between appeals: repeated, duplicate, follow-up, complaint about an answer."""

    class Kind(models.TextChoices):
        REPEATED = "repeated", _("повторне до")
        DUPLICATE = "duplicate", _("дублетне до")
        FOLLOW_UP = "follow_up", _("продовження")
        COMPLAINT = "complaint", _("скарга на відповідь")
        RECEPTION = "reception", _("з особистого прийому")

    from_appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="links_from")
    to_appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="links_to")
    kind = models.CharField(_("зв'язок"), max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("зв'язок звернень")
        verbose_name_plural = _("зв'язки звернень")
        constraints = [
            models.UniqueConstraint(
                fields=["from_appeal", "to_appeal", "kind"], name="appeals_link_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_appeal_id} → {self.to_appeal_id} ({self.kind})"


def attachment_upload_to(instance: AppealFile, filename: str) -> str:
    return f"appeals/{instance.appeal_id}/{filename}"


class AppealFile(models.Model):
    """An attachment of the appeal (from the citizen) or a file of its answer."""

    class Kind(models.TextChoices):
        ATTACHMENT = "attachment", _("додаток заявника")
        ANSWER = "answer", _("відповідь")
        COVERING = "covering", _("супровідний лист")
        SOURCE = "source", _("оригінал листа")

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("вид"), max_length=10, choices=Kind.choices)
    blob = models.FileField(_("файл"), upload_to=attachment_upload_to, max_length=300)
    name = models.CharField(_("назва файлу"), max_length=200)
    mime = models.CharField(_("тип"), max_length=120)
    size = models.PositiveBigIntegerField(_("розмір"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("файл звернення")
        verbose_name_plural = _("файли звернень")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.name


class AppealEvent(models.Model):
    """The appeal's status history as the citizen and the staff see it."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("подано")
        REGISTERED = "registered", _("зареєстровано")
        NOT_CONSIDERED = "not_considered", _("не підлягає розгляду")
        IN_WORK = "in_work", _("передано на розгляд")
        EXTENDED = "extended", _("продовжено строк розгляду")
        FORWARDED = "forwarded", _("надіслано за належністю")
        RETURNED = "returned", _("повернуто заявникові")
        INTERIM = "interim", _("надано проміжну відповідь")
        ANSWERED = "answered", _("надано відповідь")
        CLOSED = "closed", _("знято з контролю")
        MARKED = "marked", _("позначено")

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("подія"), max_length=15, choices=Kind.choices)
    at = models.DateTimeField(_("час"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the citizen may read (no staff names, no other people's data).
    public_note = models.CharField(_("примітка"), max_length=500, blank=True)
    note = models.TextField(_("службова примітка"), blank=True)
    citizen_notified = models.BooleanField(_("заявника повідомлено"), default=False)

    class Meta:
        verbose_name = _("подія звернення")
        verbose_name_plural = _("історія звернень")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.appeal_id}: {self.kind}"


class TermExtension(models.Model):
    """A decision to extend the term of consideration (art. 20: 45 days in all at most)."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="extensions")
    old_due_date = models.DateField(_("був строк"))
    new_due_date = models.DateField(_("новий строк"))
    reason = models.TextField(_("підстава"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("продовження строку розгляду")
        verbose_name_plural = _("продовження строків розгляду")
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.old_due_date} → {self.new_due_date}"


class Answer(TimeStampedModel):
    """An answer to the appeal: final (with the result code) or intermediate (keeps control)."""

    class Kind(models.TextChoices):
        FINAL = "final", _("остаточна відповідь")
        INTERIM = "interim", _("проміжна відповідь")

    class State(models.TextChoices):
        DRAFT = "draft", _("проєкт")
        SIGNED = "signed", _("підписано")
        SENT = "sent", _("надіслано")

    class Delivery(models.TextChoices):
        EMAIL = "email", _("електронною поштою")
        POST = "post", _("поштою")
        IN_PERSON = "in_person", _("вручено особисто")

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="answers")
    kind = models.CharField(_("вид"), max_length=10, choices=Kind.choices, default=Kind.FINAL)
    state = models.CharField(_("стан"), max_length=10, choices=State.choices, default=State.DRAFT)
    text = models.TextField(_("текст відповіді"))
    result = models.CharField(_("результат (9.x)"), max_length=10, blank=True)
    # Intermediate answer: the new date by which the work is to be done.
    next_date = models.DateField(_("новий строк"), null=True, blank=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("підписант"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("підписано"), null=True, blank=True)
    delivery = models.CharField(_("спосіб надсилання"), max_length=10, blank=True)
    sent_at = models.DateTimeField(_("надіслано"), null=True, blank=True)
    pdf = models.ForeignKey(
        AppealFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The standard answer template the draft started from (appeals.answers.TEMPLATES).
    template = models.CharField(_("шаблон"), max_length=20, blank=True)
    # A refusal (9.2) states its grounds (Law 393/96 art. 15: a reasoned refusal).
    grounds = models.TextField(_("підстави відмови"), blank=True)
    # "manual" (a handwritten signature recorded by the system) or "qes" (a qualified
    # electronic signature: the integration point; its container goes to signature_data).
    signature_kind = models.CharField(_("вид підпису"), max_length=10, blank=True)
    signature_data = models.TextField(_("дані підпису"), blank=True)

    class Meta:
        verbose_name = _("відповідь на звернення")
        verbose_name_plural = _("відповіді на звернення")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_state_display()})"


class WebSubmission(models.Model):
    """A web-form appeal waiting for its author to confirm the e-mail (no account)."""

    token_hash = models.CharField(max_length=128, unique=True)
    appeal = models.OneToOneField(Appeal, on_delete=models.CASCADE, related_name="web_submission")
    email = models.EmailField()
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("подання з вебформи")
        verbose_name_plural = _("подання з вебформи")

    def __str__(self) -> str:
        return f"{self.email} ({self.created_at:%d.%m.%Y})"


# --- The mayor's e-mailbox ------------------------------------------------------------------


class MailboxState(models.Model):
    """How far the IMAP intake has read a mailbox folder: UIDVALIDITY and the last UID seen."""

    mailbox = models.CharField(_("скринька"), max_length=200, unique=True)
    uid_validity = models.BigIntegerField(default=0)
    last_uid = models.BigIntegerField(default=0)
    checked_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("стан поштової скриньки")
        verbose_name_plural = _("стан поштових скриньок")

    def __str__(self) -> str:
        return f"{self.mailbox}: {self.last_uid}"


def raw_mail_upload_to(instance: IncomingMail, filename: str) -> str:
    return f"appeals/mail/{instance.uid_validity}/{filename}"


class IncomingMail(models.Model):
    """A message fetched from the mayor's mailbox: kept raw, turned into a draft appeal."""

    class State(models.TextChoices):
        DRAFTED = "drafted", _("створено чернетку звернення")
        FAILED = "failed", _("не вдалося розібрати")
        REGISTERED = "registered", _("зареєстровано")
        DISCARDED = "discarded", _("відхилено")

    mailbox = models.CharField(_("скринька"), max_length=200)
    uid_validity = models.BigIntegerField()
    uid = models.BigIntegerField()
    message_id = models.CharField(max_length=500, blank=True)
    from_address = models.CharField(_("від кого"), max_length=300, blank=True)
    subject = models.CharField(_("тема"), max_length=500, blank=True)
    received_at = models.DateTimeField(_("отримано"), auto_now_add=True)
    raw = models.FileField(upload_to=raw_mail_upload_to, max_length=300)
    size = models.PositiveBigIntegerField(default=0)
    state = models.CharField(_("стан"), max_length=10, choices=State.choices)
    error = models.TextField(_("помилка"), blank=True)
    appeal = models.OneToOneField(
        Appeal, null=True, blank=True, on_delete=models.SET_NULL, related_name="incoming_mail"
    )

    class Meta:
        verbose_name = _("лист з електронної скриньки")
        verbose_name_plural = _("листи з електронної скриньки")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mailbox", "uid_validity", "uid"], name="appeals_mail_uid_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_address}: {self.subject}"


# --- Receptions and virtual reception rooms -------------------------------------------------


class ReceptionRoom(TimeStampedModel):
    """An official's virtual reception room (віртуальна приймальня): public profile."""

    official = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("посадова особа"),
        on_delete=models.CASCADE,
        related_name="reception_room",
    )
    photo = models.ImageField(
        _("фото"), upload_to="appeals/rooms/", max_length=300, blank=True, null=True
    )
    subjects = models.TextField(_("питання, які розглядає"), blank=True)
    topics = models.CharField(
        _("коди питань"),
        max_length=300,
        blank=True,
        help_text=_("Коди тематики класифікатора 858 через кому."),
    )
    is_public = models.BooleanField(_("опубліковано"), default=True)
    # Denormalised for the public list and its search (kept by the service on change).
    position_title = models.CharField(_("посада"), max_length=300, blank=True)
    unit_name = models.CharField(_("підрозділ"), max_length=300, blank=True)
    search_text = models.TextField(default="", blank=True, editable=False)

    class Meta:
        verbose_name = _("віртуальна приймальня")
        verbose_name_plural = _("віртуальні приймальні")
        ordering = ["unit_name", "position_title", "pk"]

    def __str__(self) -> str:
        return str(self.official)

    def get_absolute_url(self) -> str:
        return reverse("appeals:room", args=[self.pk])


class ReceptionSchedule(TimeStampedModel):
    """When and where an official receives citizens: personal or visiting (виїзний) reception."""

    class Kind(models.TextChoices):
        PERSONAL = "personal", _("особистий прийом")
        VISITING = "visiting", _("виїзний прийом")

    official = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("посадова особа"),
        on_delete=models.CASCADE,
        related_name="reception_schedules",
    )
    kind = models.CharField(_("вид"), max_length=10, choices=Kind.choices, default=Kind.PERSONAL)
    weekday = models.PositiveSmallIntegerField(
        _("день тижня"), null=True, blank=True, help_text=_("1 — понеділок … 7 — неділя.")
    )
    week_of_month = models.PositiveSmallIntegerField(
        _("тиждень місяця"), null=True, blank=True, help_text=_("1–5; порожньо — щотижня.")
    )
    on_date = models.DateField(_("дата (разовий прийом)"), null=True, blank=True)
    start_time = models.TimeField(_("початок"))
    end_time = models.TimeField(_("кінець"))
    slot_minutes = models.PositiveSmallIntegerField(_("тривалість запису, хв"), default=15)
    place = models.CharField(_("місце"), max_length=300)
    district = models.CharField(_("район"), max_length=3, choices=District.choices, blank=True)
    valid_from = models.DateField(_("діє з"), null=True, blank=True)
    valid_to = models.DateField(_("діє по"), null=True, blank=True)
    is_active = models.BooleanField(_("діє"), default=True)

    class Meta:
        verbose_name = _("графік прийому")
        verbose_name_plural = _("графіки прийому")
        ordering = ["official", "weekday", "start_time", "pk"]

    def __str__(self) -> str:
        return f"{self.official}: {self.place}"


class ReceptionBooking(TimeStampedModel):
    """A citizen's booked slot at a reception (запис на прийом)."""

    class State(models.TextChoices):
        BOOKED = "booked", _("записано")
        CANCELLED = "cancelled", _("скасовано")
        ATTENDED = "attended", _("прийнято")
        NO_SHOW = "no_show", _("не з'явився(лася)")

    schedule = models.ForeignKey(
        ReceptionSchedule, on_delete=models.PROTECT, related_name="bookings"
    )
    starts_at = models.DateTimeField(_("час прийому"))
    state = models.CharField(_("стан"), max_length=10, choices=State.choices, default=State.BOOKED)
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    surname = models.CharField(_("прізвище"), max_length=100)
    given_name = models.CharField(_("ім'я"), max_length=100)
    patronymic = models.CharField(_("по батькові"), max_length=100, blank=True)
    address = models.CharField(_("місце проживання"), max_length=300, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("телефон"), max_length=30, blank=True)
    summary = models.CharField(_("питання"), max_length=500)

    class Meta:
        verbose_name = _("запис на прийом")
        verbose_name_plural = _("записи на прийом")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "starts_at"],
                condition=Q(state="booked"),
                name="appeals_slot_booked_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%d.%m.%Y %H:%M}"


class ReceptionRecord(TimeStampedModel):
    """An entry of the personal reception journal (журнал особистого прийому), Instr. 348."""

    unit = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("орган"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("дата прийому"))
    official = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("посадова особа, яка проводила прийом"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    official_position = models.CharField(_("посада"), max_length=300, blank=True)
    kind = models.CharField(
        _("вид прийому"),
        max_length=10,
        choices=ReceptionSchedule.Kind.choices,
        default=ReceptionSchedule.Kind.PERSONAL,
    )
    booking = models.OneToOneField(
        ReceptionBooking, null=True, blank=True, on_delete=models.SET_NULL, related_name="record"
    )
    surname = models.CharField(_("прізвище"), max_length=100)
    given_name = models.CharField(_("ім'я"), max_length=100)
    patronymic = models.CharField(_("по батькові"), max_length=100, blank=True)
    address = models.CharField(_("місце проживання"), max_length=300, blank=True)
    phone = models.CharField(_("телефон"), max_length=30, blank=True)
    summary = models.TextField(_("короткий зміст"))
    result = models.TextField(_("результат розгляду"), blank=True)
    appeal = models.OneToOneField(
        Appeal, null=True, blank=True, on_delete=models.SET_NULL, related_name="reception_record"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("запис журналу особистого прийому")
        verbose_name_plural = _("журнал особистого прийому")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y}: {self.surname}"


# --- Retention of personal data -------------------------------------------------------------


class RetentionAct(TimeStampedModel):
    """An act on anonymising appeals whose retention period expired (акт про знеособлення).

    Proposed by the registering office, approved by a head over the body (not the proposer),
    then executed: the listed appeals lose their personal data and files; the act and its
    list stay on record (appeals.retention).
    """

    class State(models.TextChoices):
        PROPOSED = "proposed", _("складено, очікує затвердження")
        APPROVED = "approved", _("затверджено")
        EXECUTED = "executed", _("виконано (знеособлено)")
        REJECTED = "rejected", _("відхилено")

    unit = models.ForeignKey(
        "accounts.OrgUnit",
        verbose_name=_("орган"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    number = models.CharField(_("номер акта"), max_length=50)
    state = models.CharField(
        _("стан"), max_length=10, choices=State.choices, default=State.PROPOSED
    )
    # The day the expiry was checked against: every listed appeal is kept until this day or before.
    expired_on = models.DateField(_("строк зберігання сплив станом на"))
    note = models.TextField(_("підстава, примітка"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("склав(ла)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("затвердив(ла)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("затверджено"), null=True, blank=True)
    rejected_reason = models.TextField(_("причина відхилення"), blank=True)
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("виконав(ла)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    executed_at = models.DateTimeField(_("виконано"), null=True, blank=True)
    files_deleted = models.PositiveIntegerField(_("знищено файлів"), default=0)

    class Meta:
        verbose_name = _("акт про знеособлення звернень")
        verbose_name_plural = _("акти про знеособлення звернень")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="appeals_retention_act_number")
        ]

    def __str__(self) -> str:
        return f"Акт про знеособлення № {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("appeals:retention_act", args=[self.pk])


class RetentionActItem(models.Model):
    """An appeal listed in a retention act, with the card details the list keeps."""

    act = models.ForeignKey(RetentionAct, on_delete=models.CASCADE, related_name="items")
    appeal = models.ForeignKey(Appeal, on_delete=models.PROTECT, related_name="retention_items")
    # Copied when listed: the list of the act reads the same after the appeal is anonymised.
    reg_index = models.CharField(_("реєстраційний індекс"), max_length=100)
    reg_date = models.DateField(_("дата реєстрації"), null=True, blank=True)
    case_index = models.CharField(_("справа"), max_length=30, blank=True)
    retention_until = models.DateField(_("зберігати до"), null=True, blank=True)
    files = models.PositiveIntegerField(_("знищено файлів"), default=0)

    class Meta:
        verbose_name = _("звернення в акті про знеособлення")
        verbose_name_plural = _("звернення в актах про знеособлення")
        ordering = ["reg_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["act", "appeal"], name="appeals_retention_item_once")
        ]

    def __str__(self) -> str:
        return self.reg_index
