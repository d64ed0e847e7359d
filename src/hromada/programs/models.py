"""Municipal programmes: measures, planned funding, indicators, and what units record all year.

A programme (програма) approved by the council has numbered measures (заходи).
Through the year the responsible units record activities (events), spending
entries, indicator values and narrative paragraphs; the coordinator generates
the implementation report (звіт про виконання) for a period from them. An
approved report keeps a frozen copy of its figures and is never changed again.

Entries carry their programme as well as their measure: lists and reports of a
programme are one indexed filter, and services check that the two agree.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hromada.accounts.models import OrgUnit
from hromada.core.models import TimeStampedModel
from hromada.programs.periods import Period


class FundingSource(models.TextChoices):
    """Where the money comes from (джерело фінансування)."""

    CITY = "city", _("міський бюджет")
    DISTRICT = "district", _("бюджети районних у місті рад")
    OTHER = "other", _("інші джерела")


class ActivityType(models.TextChoices):
    """What kind of event an activity is (counted in reports with ACTIVITY_FORMS)."""

    INFORMATION_ACTION = "information_action", _("інформаційна акція")
    INFORMATION_MEETING = "information_meeting", _("інформаційна зустріч")
    BROADCAST = "broadcast", _("виступ у теле- чи радіоефірі")
    PRESS_CONFERENCE = "press_conference", _("прес-конференція")
    PUBLICATION = "publication", _("публікація, видання")
    SEMINAR = "seminar", _("семінар, семінар-нарада")
    CITIZENS_GATHERING = "citizens_gathering", _("сход громадян")
    ROUND_TABLE = "round_table", _("засідання «круглого столу»")
    TRAINING = "training", _("навчання, тренінг")
    CONFERENCE = "conference", _("конференція, форум")
    DELEGATION_VISIT = "delegation_visit", _("візит делегації")
    SOLEMN_EVENT = "solemn_event", _("урочистий захід")
    CONTEST = "contest", _("конкурс")
    THEMATIC_EVENT = "thematic_event", _("тематичний захід")
    RECEPTION = "reception", _("прийом громадян")
    WORKING_MEETING = "working_meeting", _("робоча зустріч")
    PARTICIPATION = "participation", _("участь у заході іншого організатора")
    OTHER = "other", _("інший захід")


# How a count of each type is written (one, few, many):
# 1 прес-конференція, 2 прес-конференції, 14 прес-конференцій.
ACTIVITY_FORMS: dict[str, tuple[str, str, str]] = {
    "information_action": ("інформаційна акція", "інформаційні акції", "інформаційних акцій"),
    "information_meeting": (
        "інформаційна зустріч",
        "інформаційні зустрічі",
        "інформаційних зустрічей",
    ),
    "press_conference": ("прес-конференція", "прес-конференції", "прес-конференцій"),
    "broadcast": ("виступ в ефірі", "виступи в ефірі", "виступів в ефірі"),
    "publication": ("видання", "видання", "видань"),
    "seminar": ("семінар", "семінари", "семінарів"),
    "citizens_gathering": ("сход громадян", "сходи громадян", "сходів громадян"),
    "round_table": (
        "засідання «круглого столу»",
        "засідання «круглих столів»",
        "засідань «круглих столів»",
    ),
    "training": ("тренінг", "тренінги", "тренінгів"),
    "conference": ("конференція", "конференції", "конференцій"),
    "delegation_visit": ("візит делегації", "візити делегацій", "візитів делегацій"),
    "solemn_event": ("урочистий захід", "урочисті заходи", "урочистих заходів"),
    "contest": ("конкурс", "конкурси", "конкурсів"),
    "thematic_event": ("тематичний захід", "тематичні заходи", "тематичних заходів"),
    "reception": ("прийом громадян", "прийоми громадян", "прийомів громадян"),
    "working_meeting": ("робоча зустріч", "робочі зустрічі", "робочих зустрічей"),
    "participation": (
        "захід інших організаторів",
        "заходи інших організаторів",
        "заходів інших організаторів",
    ),
    "other": ("інший захід", "інші заходи", "інших заходів"),
}


class Programme(TimeStampedModel):
    """A municipal programme approved by a council decision, for one or more years."""

    code = models.SlugField(
        _("код"),
        max_length=50,
        unique=True,
        help_text=_("Короткий латинський код, напр. msv-2015; за ним програму знаходять у CLI."),
    )
    title = models.CharField(_("назва"), max_length=500)
    title_genitive = models.CharField(
        _("назва в родовому відмінку"),
        max_length=500,
        blank=True,
        help_text=_("Для заголовка звіту: «з виконання заходів Програми …»."),
    )
    year_from = models.PositiveSmallIntegerField(_("рік початку"))
    year_to = models.PositiveSmallIntegerField(_("рік завершення"))
    decision_number = models.CharField(_("номер рішення про затвердження"), max_length=50)
    decision_date = models.DateField(_("дата рішення про затвердження"))
    coordinator_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("відповідальний виконавець (координатор)"),
        on_delete=models.PROTECT,
        related_name="coordinated_programmes",
    )
    description = models.TextField(_("опис"), blank=True)

    class Meta:
        verbose_name = _("програма")
        verbose_name_plural = _("програми")
        ordering = ["-year_from", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year_to__gte=models.F("year_from")), name="programs_programme_years"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def unit(self) -> OrgUnit:
        """Return the unit permissions are checked against: the coordinator unit."""
        return self.coordinator_unit

    @property
    def years(self) -> range:
        return range(self.year_from, self.year_to + 1)

    @property
    def heading_genitive(self) -> str:
        """Return the title as it follows «з виконання заходів»."""
        return self.title_genitive or self.title

    def covers(self, period: Period) -> bool:
        return self.year_from <= period.year <= self.year_to


class Measure(TimeStampedModel):
    """A numbered measure (захід) of a programme, carried out by responsible units."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("програма"), on_delete=models.CASCADE, related_name="measures"
    )
    number = models.PositiveSmallIntegerField(_("номер"))
    title = models.TextField(_("назва"))
    order = models.PositiveIntegerField(_("порядок"), default=0)
    responsible_units = models.ManyToManyField(
        OrgUnit,
        verbose_name=_("відповідальні підрозділи"),
        related_name="programme_measures",
        blank=True,
    )

    class Meta:
        verbose_name = _("захід програми")
        verbose_name_plural = _("заходи програми")
        ordering = ["programme", "order", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="programs_measure_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title[:80]}"

    def permission_units(self) -> list[OrgUnit]:
        """Return the units whose staff record this measure's entries."""
        return list(self.responsible_units.all())


class PlannedFunding(models.Model):
    """The amount planned for a measure in a year from one source (UAH)."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("захід"), on_delete=models.CASCADE, related_name="funding"
    )
    year = models.PositiveSmallIntegerField(_("рік"))
    source = models.CharField(_("джерело"), max_length=20, choices=FundingSource.choices)
    amount = models.DecimalField(_("сума, грн"), max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = _("планове фінансування")
        verbose_name_plural = _("планове фінансування")
        ordering = ["measure", "year", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "year", "source"], name="programs_funding_once"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="programs_funding_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.measure.number}/{self.year}/{self.source}: {self.amount}"

    def permission_units(self) -> list[OrgUnit]:
        return self.measure.permission_units()


class Indicator(TimeStampedModel):
    """A performance indicator (показник) of a measure; typed values or a live metric."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("програма"), on_delete=models.CASCADE, related_name="indicators"
    )
    measure = models.ForeignKey(
        Measure, verbose_name=_("захід"), on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.SlugField(
        _("код"), max_length=60, help_text=_("Унікальний у програмі; використовується в тексті.")
    )
    name = models.CharField(_("назва"), max_length=500)
    unit_of_measure = models.CharField(_("одиниця виміру"), max_length=50)
    metric_key = models.CharField(
        _("показник платформи"),
        max_length=100,
        blank=True,
        help_text=_("Якщо вказано, фактичне значення обчислюється з даних платформи."),
    )
    order = models.PositiveIntegerField(_("порядок"), default=0)

    class Meta:
        verbose_name = _("показник")
        verbose_name_plural = _("показники")
        ordering = ["measure", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="programs_indicator_code")
        ]

    def __str__(self) -> str:
        return self.name

    def permission_units(self) -> list[OrgUnit]:
        return self.measure.permission_units()


class IndicatorTarget(models.Model):
    """The planned value of an indicator for a year."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("показник"), on_delete=models.CASCADE, related_name="targets"
    )
    year = models.PositiveSmallIntegerField(_("рік"))
    planned = models.DecimalField(_("планове значення"), max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = _("планове значення показника")
        verbose_name_plural = _("планові значення показників")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="programs_target_once")
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.year} = {self.planned}"


class Entry(TimeStampedModel):
    """What a responsible unit records for a measure (abstract)."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("програма"), on_delete=models.CASCADE, related_name="+"
    )
    measure = models.ForeignKey(
        Measure, verbose_name=_("захід"), on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("підрозділ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("вніс"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True

    def permission_units(self) -> list[OrgUnit]:
        """Return the units that may change the entry: its measure's responsible units."""
        return self.measure.permission_units()


class Activity(Entry):
    """An event held under a measure: an information action, a press conference, a seminar…"""

    type = models.CharField(_("вид заходу"), max_length=30, choices=ActivityType.choices)
    date = models.DateField(_("дата"))
    title = models.CharField(_("назва"), max_length=500)
    place = models.CharField(_("місце"), max_length=300, blank=True)
    participants = models.CharField(_("учасники"), max_length=500, blank=True)
    attendance = models.PositiveIntegerField(_("кількість учасників"), null=True, blank=True)
    by_mayor = models.BooleanField(_("проведено міським головою"), default=False)

    class Meta:
        verbose_name = _("захід (подія)")
        verbose_name_plural = _("заходи (події)")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["programme", "date"]),
            models.Index(fields=["measure", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.title[:80]}"


class SpendingEntry(Entry):
    """Money spent on a measure (касові видатки), in UAH."""

    date = models.DateField(_("дата"))
    amount = models.DecimalField(_("сума, грн"), max_digits=16, decimal_places=2)
    source = models.CharField(_("джерело"), max_length=20, choices=FundingSource.choices)
    purpose = models.CharField(_("призначення"), max_length=500)

    class Meta:
        verbose_name = _("видаток")
        verbose_name_plural = _("видатки")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["programme", "date"]),
            models.Index(fields=["measure", "date"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="programs_spending_positive")
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.amount} грн — {self.purpose[:60]}"


class IndicatorValue(Entry):
    """The actual value of an indicator for a report period, with its evidence."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("показник"), on_delete=models.CASCADE, related_name="values"
    )
    year = models.PositiveSmallIntegerField(_("рік"))
    quarter = models.PositiveSmallIntegerField(_("квартал (0 — рік)"), default=0)
    actual = models.DecimalField(_("фактичне значення"), max_digits=16, decimal_places=2)
    evidence = models.TextField(_("підтвердження"), blank=True)

    class Meta:
        verbose_name = _("фактичне значення показника")
        verbose_name_plural = _("фактичні значення показників")
        ordering = ["indicator", "year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "quarter"], name="programs_value_once"
            ),
            models.CheckConstraint(condition=Q(quarter__lte=4), name="programs_value_quarter"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.period.short_label} = {self.actual}"

    @property
    def period(self) -> Period:
        return Period(self.year, self.quarter)


class Narrative(Entry):
    """The text of a measure's section of the report for a period.

    The text may name figures of the data in braces, e.g. ``{activities:press_conference}``
    or ``{spending}``; the report puts in the numbers (see docs/programs.md).
    """

    year = models.PositiveSmallIntegerField(_("рік"))
    quarter = models.PositiveSmallIntegerField(_("квартал (0 — рік)"), default=0)
    text = models.TextField(_("текст"))

    class Meta:
        verbose_name = _("текст звіту за заходом")
        verbose_name_plural = _("тексти звіту за заходами")
        ordering = ["measure", "year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "year", "quarter"], name="programs_narrative_once"
            ),
            models.CheckConstraint(condition=Q(quarter__lte=4), name="programs_narrative_quarter"),
        ]

    def __str__(self) -> str:
        return f"{self.measure.number}: {self.period.short_label}"

    @property
    def period(self) -> Period:
        return Period(self.year, self.quarter)


class Report(TimeStampedModel):
    """One version of a programme's implementation report for a period."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("проєкт")
        SUBMITTED = "submitted", _("подано на затвердження")
        APPROVED = "approved", _("затверджено")
        PUBLISHED = "published", _("оприлюднено")

    # Allowed moves; an approved or published report never changes again.
    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = {
        Status.DRAFT: frozenset({Status.SUBMITTED}),
        Status.SUBMITTED: frozenset({Status.DRAFT, Status.APPROVED}),
        Status.APPROVED: frozenset({Status.PUBLISHED}),
        Status.PUBLISHED: frozenset(),
    }
    LOCKED: ClassVar[frozenset[str]] = frozenset({Status.APPROVED, Status.PUBLISHED})

    programme = models.ForeignKey(
        Programme, verbose_name=_("програма"), on_delete=models.CASCADE, related_name="reports"
    )
    year = models.PositiveSmallIntegerField(_("рік"))
    quarter = models.PositiveSmallIntegerField(_("квартал (0 — рік)"), default=0)
    version = models.PositiveSmallIntegerField(_("версія"), default=1)
    status = models.CharField(
        _("стан"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    decision_number = models.CharField(
        _("номер рішення про затвердження"), max_length=50, blank=True
    )
    decision_date = models.DateField(_("дата рішення про затвердження"), null=True, blank=True)
    # The figures as they were at approval; empty while the report is a draft.
    data = models.JSONField(_("зафіксовані дані"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("створив"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("подано"), null=True, blank=True)
    approved_at = models.DateTimeField(_("затверджено"), null=True, blank=True)
    published_at = models.DateTimeField(_("оприлюднено"), null=True, blank=True)

    class Meta:
        verbose_name = _("звіт про виконання програми")
        verbose_name_plural = _("звіти про виконання програм")
        ordering = ["programme", "-year", "-quarter", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "year", "quarter", "version"], name="programs_report_version"
            ),
            models.CheckConstraint(condition=Q(quarter__lte=4), name="programs_report_quarter"),
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} {self.period.key} v{self.version}"

    @property
    def unit(self) -> OrgUnit:
        return self.programme.coordinator_unit

    @property
    def period(self) -> Period:
        return Period(self.year, self.quarter)

    @property
    def is_locked(self) -> bool:
        return self.status in self.LOCKED

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.status]

    def as_dict(self) -> dict[str, Any]:
        """Return the report's own fields as rendering needs them (approval block)."""
        return {
            "id": self.pk,
            "status": self.status,
            "status_label": str(self.get_status_display()),
            "version": self.version,
            "decision_number": self.decision_number,
            "decision_date": self.decision_date.isoformat() if self.decision_date else None,
        }
