"""Document workflow: journals, correspondents, documents and their files, approvals, cases.

A journal (журнал реєстрації) belongs to a body (its office registers) and numbers its
documents gaplessly per year (core.numbering). Incoming documents come from a
correspondent; outgoing ones are prepared as answers, approved in order, signed,
registered and dispatched; internal ones (orders, directives, memos) are registered in
their own journals. Documents are filed into case files (справи) of the yearly
nomenclature; temporary cases are destroyed only by an approved destruction act.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hromada.core.models import TimeStampedModel


class Journal(TimeStampedModel):
    """A registration journal of a body: incoming, outgoing or internal documents."""

    class Kind(models.TextChoices):
        INCOMING = "incoming", _("вхідні документи")
        OUTGOING = "outgoing", _("вихідні документи")
        INTERNAL = "internal", _("внутрішні документи")

    body = models.ForeignKey(
        "accounts.OrgUnit",
        verbose_name=_("орган (підрозділ)"),
        on_delete=models.PROTECT,
        related_name="journals",
    )
    kind = models.CharField(_("вид журналу"), max_length=10, choices=Kind.choices)
    code = models.CharField(
        _("код"),
        max_length=30,
        unique=True,
        help_text=_("Короткий код журналу, напр. ВХ або VK-IN; поле {journal} індексу."),
    )
    name = models.CharField(_("назва"), max_length=200)
    index_template = models.CharField(
        _("шаблон індексу"),
        max_length=100,
        default="{seq}",
        help_text=_("Напр. {seq}, {case}/{seq}, 01-15/{seq}, {seq}/{unit}."),
    )
    doc_kind = models.CharField(
        _("вид документів"),
        max_length=50,
        blank=True,
        help_text=_("Для внутрішніх журналів: розпорядження, наказ, доповідна записка…"),
    )
    is_active = models.BooleanField(_("діє"), default=True)
    order = models.PositiveIntegerField(_("порядок"), default=0)

    class Meta:
        verbose_name = _("журнал реєстрації")
        verbose_name_plural = _("журнали реєстрації")
        ordering = ["body__path", "order", "code"]

    def __str__(self) -> str:
        return self.name

    def permission_units(self) -> list[Any]:
        return [self.body]

    @property
    def counter_key(self) -> str:
        return f"documents:{self.pk}"


class Correspondent(TimeStampedModel):
    """An organisation or a person that writes to us or to whom we write."""

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("організація")
        PERSON = "person", _("фізична особа")

    kind = models.CharField(_("вид"), max_length=15, choices=Kind.choices)
    name = models.CharField(_("назва / ПІБ"), max_length=300)
    code = models.CharField(
        _("код"), max_length=30, blank=True, help_text=_("Для індексів: поле {correspondent}.")
    )
    edrpou = models.CharField(_("код ЄДРПОУ"), max_length=10, blank=True)
    address = models.CharField(_("адреса"), max_length=300, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("телефон"), max_length=30, blank=True)
    is_active = models.BooleanField(_("діє"), default=True)
    # Lower-cased name and code: SQLite's LIKE ignores the case of Latin letters only.
    search_name = models.CharField(max_length=400, editable=False, db_index=True, default="")

    class Meta:
        verbose_name = _("кореспондент")
        verbose_name_plural = _("кореспонденти")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class CaseFile(TimeStampedModel):
    """A case file (справа) of a body's yearly nomenclature, with its storage period."""

    class Storage(models.TextChoices):
        PERMANENT = "permanent", _("постійно")
        LONG = "long", _("тривалий (понад 10 років)")
        TEMPORARY = "temporary", _("тимчасовий (до 10 років)")

    class State(models.TextChoices):
        OPEN = "open", _("відкрита")
        CLOSED = "closed", _("закрита")
        DESTROYED = "destroyed", _("знищена за актом")

    body = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("орган"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("рік"))
    index = models.CharField(_("індекс справи"), max_length=30)
    title = models.CharField(_("заголовок справи"), max_length=500)
    storage = models.CharField(_("строк зберігання"), max_length=10, choices=Storage.choices)
    storage_years = models.PositiveSmallIntegerField(_("років зберігання"), null=True, blank=True)
    article = models.CharField(
        _("стаття переліку"),
        max_length=50,
        blank=True,
        help_text=_("Стаття переліку типових документів (наказ № 578/5)."),
    )
    state = models.CharField(_("стан"), max_length=10, choices=State.choices, default=State.OPEN)
    closed_at = models.DateTimeField(_("закрито"), null=True, blank=True)
    destroyed_at = models.DateTimeField(_("знищено"), null=True, blank=True)
    destruction_act = models.ForeignKey(
        "DestructionAct",
        verbose_name=_("акт"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )

    class Meta:
        verbose_name = _("справа")
        verbose_name_plural = _("справи (номенклатура)")
        ordering = ["-year", "index"]
        constraints = [
            models.UniqueConstraint(fields=["body", "year", "index"], name="documents_case_once")
        ]

    def __str__(self) -> str:
        return f"{self.index} {self.title} ({self.year})"

    def permission_units(self) -> list[Any]:
        return [self.body]

    @property
    def retention_until(self) -> date | None:
        """Return the first day a temporary case may be destroyed (the period counts from
        1 January of the year after the case was closed)."""
        if self.storage != self.Storage.TEMPORARY or not self.storage_years:
            return None
        return date(self.year + 1 + self.storage_years, 1, 1)


class Document(TimeStampedModel):
    """A registered (or, for outgoing, prepared) document with its registration card."""

    Direction = Journal.Kind

    class Channel(models.TextChoices):
        POST = "post", _("поштою")
        EMAIL = "email", _("електронною поштою")
        COURIER = "courier", _("кур'єром")
        IN_PERSON = "in_person", _("особисто")
        EXCHANGE = "exchange", _("системою електронної взаємодії")

    class Access(models.TextChoices):
        PUBLIC = "public", _("відкритий")
        OFFICIAL = "official", _("для службового користування")
        PERSONAL = "personal", _("містить персональні дані")

    class State(models.TextChoices):
        DRAFT = "draft", _("проєкт")
        ON_APPROVAL = "on_approval", _("на погодженні")
        APPROVED = "approved", _("погоджено")
        SIGNED = "signed", _("підписано")
        REGISTERED = "registered", _("зареєстровано")
        IN_EXECUTION = "in_execution", _("на виконанні")
        EXECUTED = "executed", _("виконано")
        DISPATCHED = "dispatched", _("надіслано")

    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = {
        State.DRAFT: frozenset({State.ON_APPROVAL, State.APPROVED}),
        State.ON_APPROVAL: frozenset({State.APPROVED, State.DRAFT}),
        State.APPROVED: frozenset({State.SIGNED}),
        State.SIGNED: frozenset({State.REGISTERED}),
        State.REGISTERED: frozenset({State.IN_EXECUTION, State.EXECUTED, State.DISPATCHED}),
        State.IN_EXECUTION: frozenset({State.EXECUTED}),
        State.EXECUTED: frozenset(),
        State.DISPATCHED: frozenset(),
    }

    KINDS: ClassVar[list[str]] = [
        "лист",
        "заява",
        "скарга",
        "запит на інформацію",
        "запит депутата",
        "постанова",
        "рішення",
        "розпорядження",
        "наказ",
        "доручення",
        "протокол",
        "акт",
        "доповідна записка",
        "службова записка",
        "телеграма",
        "інше",
    ]

    journal = models.ForeignKey(
        Journal, verbose_name=_("журнал"), on_delete=models.PROTECT, related_name="documents"
    )
    direction = models.CharField(_("вид"), max_length=10, choices=Journal.Kind.choices)
    unit = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("орган"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("рік"), null=True, blank=True)
    seq = models.PositiveIntegerField(_("порядковий номер"), null=True, blank=True)
    reg_index = models.CharField(_("реєстраційний індекс"), max_length=100, blank=True)
    reg_date = models.DateField(_("дата реєстрації"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("зареєстрував(ла)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(_("стан"), max_length=15, choices=State.choices)
    doc_kind = models.CharField(_("вид документа"), max_length=50)
    correspondent = models.ForeignKey(
        Correspondent,
        verbose_name=_("кореспондент"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    correspondent_number = models.CharField(
        _("вихідний номер кореспондента"), max_length=50, blank=True
    )
    correspondent_date = models.DateField(_("дата документа кореспондента"), null=True, blank=True)
    received_date = models.DateField(_("дата надходження"), null=True, blank=True)
    channel = models.CharField(
        _("спосіб надходження / надсилання"), max_length=10, choices=Channel.choices, blank=True
    )
    summary = models.TextField(_("короткий зміст"))
    pages = models.PositiveSmallIntegerField(_("аркушів"), default=1)
    attachments_count = models.PositiveSmallIntegerField(_("аркушів додатків"), default=0)
    access = models.CharField(
        _("доступ"), max_length=10, choices=Access.choices, default=Access.PUBLIC
    )
    case_file = models.ForeignKey(
        CaseFile,
        verbose_name=_("справа"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    addressee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("адресат (керівник)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents_addressed",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("виконавець (підготував)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents_prepared",
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("підписант"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents_to_sign",
    )
    signed_at = models.DateTimeField(_("підписано"), null=True, blank=True)
    # "manual" (a handwritten signature recorded by the system) or "qes" (a qualified
    # electronic signature: the integration point; its container goes to signature_data).
    signature_kind = models.CharField(_("вид підпису"), max_length=10, blank=True)
    signature_data = models.TextField(_("дані підпису"), blank=True)
    dispatched_at = models.DateTimeField(_("надіслано"), null=True, blank=True)
    executed_at = models.DateTimeField(_("виконано"), null=True, blank=True)
    executed_note = models.CharField(_("відмітка про виконання"), max_length=300, blank=True)
    body_text = models.TextField(_("текст (для проєкту відповіді)"), blank=True)
    # Normalised words (lemmas) of the card and the files' text, for full-text search.
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("документ")
        verbose_name_plural = _("документи")
        ordering = ["-reg_date", "-seq", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["journal", "year", "seq"],
                condition=Q(seq__isnull=False),
                name="documents_number_once",
            )
        ]
        indexes = [
            models.Index(fields=["journal", "-reg_date", "-seq"]),
            # The lists' order: newest first (lets a broad search stop after one page).
            models.Index(fields=["-reg_date", "-seq", "-id"], name="documents_newest_first"),
            models.Index(fields=["unit", "-reg_date"]),
            models.Index(fields=["addressee", "state"]),
            models.Index(fields=["correspondent", "-reg_date"]),
            models.Index(fields=["state", "direction"]),
        ]

    def __str__(self) -> str:
        number = self.reg_index or _("без номера")
        when = f" від {self.reg_date:%d.%m.%Y}" if self.reg_date else ""
        return f"№ {number}{when}: {self.summary[:80]}"

    def get_absolute_url(self) -> str:
        return reverse("documents:detail", args=[self.pk])

    @property
    def control_title(self) -> str:
        number = self.reg_index or "—"
        when = f" від {self.reg_date:%d.%m.%Y}" if self.reg_date else ""
        who = f" ({self.correspondent})" if self.correspondent_id else ""
        return f"№ {number}{when}{who}: {self.summary}"[:300]

    @property
    def notice_title(self) -> str:
        """The document's name in notices and e-mails: no summary when access is restricted."""
        if self.access == self.Access.PUBLIC:
            return self.control_title
        when = f" від {self.reg_date:%d.%m.%Y}" if self.reg_date else ""
        return f"документ № {self.reg_index or '—'}{when} ({self.get_access_display()})"

    @property
    def is_restricted(self) -> bool:
        return self.access != self.Access.PUBLIC

    def can_become(self, state: str) -> bool:
        return state in self.TRANSITIONS.get(self.state, frozenset())


class DocumentLink(models.Model):
    """A link between documents: an answer to, a follow-up of, related."""

    class Kind(models.TextChoices):
        ANSWER_TO = "answer_to", _("відповідь на")
        FOLLOW_UP = "follow_up", _("на продовження")
        RELATED = "related", _("пов'язаний з")

    from_document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="links_from")
    to_document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="links_to")
    kind = models.CharField(_("зв'язок"), max_length=10, choices=Kind.choices)

    class Meta:
        verbose_name = _("зв'язок документів")
        verbose_name_plural = _("зв'язки документів")
        constraints = [
            models.UniqueConstraint(
                fields=["from_document", "to_document", "kind"], name="documents_link_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_document_id} {self.kind} {self.to_document_id}"


class DocumentFile(models.Model):
    """A file of a document (the electronic image, an attachment, a draft) with versions."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("електронний образ")
        ATTACHMENT = "attachment", _("додаток")
        DRAFT = "draft", _("проєкт (DOCX)")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("вид"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("назва"), max_length=200)
    created_at = models.DateTimeField(_("додано"), auto_now_add=True)

    class Meta:
        verbose_name = _("файл документа")
        verbose_name_plural = _("файли документів")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


def version_upload_to(instance: FileVersion, filename: str) -> str:
    doc = instance.file.document_id
    return f"documents/{doc // 1000:04d}/{doc}/{instance.file_id}-v{instance.number}-{filename}"


class FileVersion(models.Model):
    """One version of a document's file; the newest is the current one."""

    class Ocr(models.TextChoices):
        NONE = "", _("не потрібно")
        PENDING = "pending", _("очікує розпізнавання")
        DONE = "done", _("розпізнано")
        FAILED = "failed", _("помилка розпізнавання")
        UNAVAILABLE = "unavailable", _("розпізнавання не встановлено")

    file = models.ForeignKey(DocumentFile, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("версія"))
    blob = models.FileField(_("файл"), upload_to=version_upload_to, max_length=300, blank=True)
    name = models.CharField(_("назва файлу"), max_length=200)
    mime = models.CharField(_("тип"), max_length=120)
    size = models.PositiveBigIntegerField(_("розмір"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    uploaded_at = models.DateTimeField(_("завантажено"), auto_now_add=True)
    ocr_state = models.CharField(
        _("OCR"), max_length=12, choices=Ocr.choices, blank=True, default=""
    )
    ocr_text = models.TextField(_("розпізнаний текст"), blank=True)
    destroyed_at = models.DateTimeField(_("знищено"), null=True, blank=True)

    class Meta:
        verbose_name = _("версія файлу")
        verbose_name_plural = _("версії файлів")
        ordering = ["file", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["file", "number"], name="documents_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.number})"


class Approval(models.Model):
    """An official's approval (погодження) of an outgoing draft, in the listed order."""

    class State(models.TextChoices):
        PENDING = "pending", _("очікує")
        APPROVED = "approved", _("погоджено")
        REJECTED = "rejected", _("не погоджено")
        CANCELLED = "cancelled", _("скасовано")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="approvals")
    round = models.PositiveSmallIntegerField(_("коло"), default=1)
    order = models.PositiveSmallIntegerField(_("черговість"))
    official = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("посадова особа"),
        on_delete=models.PROTECT,
        related_name="approvals",
    )
    state = models.CharField(_("стан"), max_length=10, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("вирішено"), null=True, blank=True)
    comment = models.TextField(_("зауваження"), blank=True)

    class Meta:
        verbose_name = _("погодження")
        verbose_name_plural = _("погодження")
        ordering = ["document", "round", "order"]
        indexes = [models.Index(fields=["official", "state"])]

    def __str__(self) -> str:
        return f"{self.official} — {self.get_state_display()}"


class DestructionAct(TimeStampedModel):
    """An act allocating expired temporary case files for destruction (numbered, approved)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("проєкт")
        APPROVED = "approved", _("затверджено")
        EXECUTED = "executed", _("знищення виконано")

    body = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("орган"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("рік"))
    number = models.PositiveIntegerField(_("номер"))
    state = models.CharField(_("стан"), max_length=10, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("затверджено"), null=True, blank=True)
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    executed_at = models.DateTimeField(_("виконано"), null=True, blank=True)
    # The cases proposed (kept after execution: the act is the record of what was destroyed).
    proposed = models.ManyToManyField(CaseFile, related_name="proposed_in", blank=True)

    class Meta:
        verbose_name = _("акт про вилучення для знищення")
        verbose_name_plural = _("акти про вилучення для знищення")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["body", "year", "number"], name="documents_act_once")
        ]

    def __str__(self) -> str:
        return f"Акт № {self.number}/{self.year}"

    def permission_units(self) -> list[Any]:
        return [self.body]

    def get_absolute_url(self) -> str:
        return reverse("documents:act_detail", args=[self.pk])


class IdempotentRequest(models.Model):
    """A stored API response for an Idempotency-Key: a retried request gets the same answer."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    endpoint = models.CharField(max_length=100)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key", "endpoint"], name="documents_idempotency_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.endpoint} {self.key}"
