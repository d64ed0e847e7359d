"""Editorial content of the portal on Wagtail: sections, information materials, banners.

The page tree (served under ``/sections/``)::

    PortalIndexPage  "Розділи сайту" (the Wagtail site's root)
      SectionPage    розділ, owned by a unit whose editors write in it; may nest
        NewsPage / AnnouncementPage / RegulatoryActPage / ProcurementPage

Every material (інформаційний матеріал) shares ``MaterialPage``'s table (date, summary,
body, unit, image, tags, related materials, documents, search text), so lists and search
across the four kinds are one query; each kind adds its own fields in its own table.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, ClassVar, cast

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from hromada.content.sanitise import sanitise_rich_text

# What editors may use in rich text; everything else is dropped by Wagtail's converter.
RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


class MaterialKind(models.TextChoices):
    """The kinds of information material, with their page models."""

    NEWS = "news", _("Новина")
    ANNOUNCEMENT = "announcement", _("Оголошення")
    REGULATORY_ACT = "act", _("Регуляторний акт")
    PROCUREMENT = "procurement", _("Оголошення про закупівлю")


class PortalIndexPage(Page):
    """The root of the city site's sections (розділи сайту), at /sections/."""

    intro = RichTextField(_("вступ"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels: ClassVar[list[Any]] = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types: ClassVar[list[str]] = ["wagtailcore.Page"]
    subpage_types: ClassVar[list[str]] = ["content.SectionPage"]
    max_count = 1

    class Meta:
        verbose_name = _("розділи сайту")
        verbose_name_plural = _("розділи сайту")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from hromada.content.selectors import sections_with_counts

        context = super().get_context(request, *args, **kwargs)
        context["sections"] = sections_with_counts(self)
        return cast(dict[str, Any], context)


class SectionPage(RoutablePageMixin, Page):
    """A section of the site (розділ): its materials, filters, feeds; edited by its unit."""

    intro = RichTextField(_("вступ"), blank=True, features=RICH_TEXT_FEATURES)
    unit = models.ForeignKey(
        "accounts.OrgUnit",
        verbose_name=_("підрозділ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="content_sections",
        help_text=_("Редактори цього підрозділу пишуть у розділі."),
    )
    # The CMS group of the section's editors (filled by services.section_groups_ensure).
    editors_group = models.ForeignKey(
        Group, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )

    content_panels: ClassVar[list[Any]] = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("unit"),
    ]
    parent_page_types: ClassVar[list[str]] = ["content.PortalIndexPage", "content.SectionPage"]
    subpage_types: ClassVar[list[str]] = [
        "content.SectionPage",
        "content.NewsPage",
        "content.AnnouncementPage",
        "content.RegulatoryActPage",
        "content.ProcurementPage",
    ]

    class Meta:
        verbose_name = _("розділ")
        verbose_name_plural = _("розділи")

    def clean(self) -> None:
        super().clean()
        self.intro = sanitise_rich_text(self.intro)

    @path("")
    def listing(self, request: HttpRequest) -> HttpResponse:
        from hromada.content.views import section_listing

        return section_listing(request, self)

    @path("rss/")
    def rss(self, request: HttpRequest) -> HttpResponse:
        from hromada.content.feeds import SectionRssFeed

        return cast(HttpResponse, SectionRssFeed()(request, section=self))

    @path("atom/")
    def atom(self, request: HttpRequest) -> HttpResponse:
        from hromada.content.feeds import SectionAtomFeed

        return cast(HttpResponse, SectionAtomFeed()(request, section=self))


class MaterialTag(TaggedItemBase):
    """A tag (мітка) on a material."""

    content_object = ParentalKey(
        "content.MaterialPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class MaterialPage(Page):
    """An information material (інформаційний матеріал): the fields every kind shares."""

    date = models.DateField(_("дата"), default=timezone.localdate, db_index=True)
    summary = models.TextField(
        _("короткий зміст"), max_length=600, blank=True, help_text=_("До 600 знаків.")
    )
    body = RichTextField(_("текст"), blank=True, features=RICH_TEXT_FEATURES)
    unit = models.ForeignKey(
        "accounts.OrgUnit",
        verbose_name=_("підготував підрозділ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="content_materials",
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("зображення"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    tags = ClusterTaggableManager(through=MaterialTag, blank=True, verbose_name=_("мітки"))
    # Lemmas of the title, summary and text (portal search, hromada.portal.search).
    search_text = models.TextField(default="", editable=False)

    kind: ClassVar[str] = ""
    is_creatable = False
    parent_page_types: ClassVar[list[str]] = ["content.SectionPage"]
    subpage_types: ClassVar[list[str]] = []
    search_fields: ClassVar[list[Any]] = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    content_panels: ClassVar[list[Any]] = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("date"), FieldPanel("unit"), FieldPanel("tags")], heading=_("Опис")
        ),
        FieldPanel("summary"),
        FieldPanel("image"),
        FieldPanel("body"),
        InlinePanel("documents", label=_("Документи")),
        InlinePanel("related_links", label=_("Пов'язані матеріали")),
    ]

    class Meta:
        verbose_name = _("інформаційний матеріал")
        verbose_name_plural = _("інформаційні матеріали")
        indexes = [models.Index(fields=["-date", "page_ptr"], name="content_material_recent")]

    def clean(self) -> None:
        super().clean()
        self.body = sanitise_rich_text(self.body)

    def kind_label(self) -> str:
        """Return the material's kind in words."""
        return str(MaterialKind(self.specific_class.kind).label) if self.specific_class else ""

    def get_template(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        return "content/material_page.html"

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """Add the documents, tags and live related materials, one query each."""
        context = cast(dict[str, Any], super().get_context(request, *args, **kwargs))
        context["documents"] = list(self.documents.select_related("document"))
        context["tags"] = list(self.tags.all())
        # In a preview the links are in memory: filter in Python, not in SQL.
        links = self.related_links.select_related("material")
        context["related"] = [link.material for link in links if link.material.live]
        url = self.get_url(request) or ""
        # The section's address (tag links) without asking the database for the parent.
        context["section_url"] = url.removesuffix(f"{self.slug}/")
        return context


class MaterialDocument(Orderable):
    """A document attached to a material (Wagtail document, stored through our storage)."""

    page = ParentalKey(MaterialPage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("документ"), on_delete=models.CASCADE
    )
    title = models.CharField(_("підпис"), max_length=255, blank=True)

    panels: ClassVar[list[Any]] = [FieldPanel("document"), FieldPanel("title")]


class RelatedMaterial(Orderable):
    """A link from one material to another (пов'язаний матеріал)."""

    page = ParentalKey(MaterialPage, on_delete=models.CASCADE, related_name="related_links")
    material = models.ForeignKey(
        MaterialPage,
        verbose_name=_("матеріал"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels: ClassVar[list[Any]] = [FieldPanel("material")]


class NewsPage(MaterialPage):
    """A news item (новина)."""

    event_date = models.DateField(_("дата події"), null=True, blank=True)
    location = models.CharField(_("місце"), max_length=200, blank=True)

    kind: ClassVar[str] = MaterialKind.NEWS
    is_creatable = True
    parent_page_types: ClassVar[list[str]] = ["content.SectionPage"]
    subpage_types: ClassVar[list[str]] = []
    content_panels: ClassVar[list[Any]] = [
        *MaterialPage.content_panels[:2],
        MultiFieldPanel([FieldPanel("event_date"), FieldPanel("location")], heading=_("Подія")),
        *MaterialPage.content_panels[2:],
    ]

    class Meta:
        verbose_name = _("новина")
        verbose_name_plural = _("новини")


class AnnouncementPage(MaterialPage):
    """An announcement (оголошення), valid until a date."""

    valid_until = models.DateField(_("актуальне до"), null=True, blank=True)
    contact = models.CharField(_("контакти"), max_length=300, blank=True)

    kind: ClassVar[str] = MaterialKind.ANNOUNCEMENT
    is_creatable = True
    parent_page_types: ClassVar[list[str]] = ["content.SectionPage"]
    subpage_types: ClassVar[list[str]] = []
    content_panels: ClassVar[list[Any]] = [
        *MaterialPage.content_panels[:2],
        MultiFieldPanel(
            [FieldPanel("valid_until"), FieldPanel("contact")], heading=_("Оголошення")
        ),
        *MaterialPage.content_panels[2:],
    ]

    class Meta:
        verbose_name = _("оголошення")
        verbose_name_plural = _("оголошення")

    def clean(self) -> None:
        super().clean()
        if self.valid_until and self.date and self.valid_until < self.date:
            raise ValidationError(
                {"valid_until": _("Дата «актуальне до» раніша за дату оголошення.")}
            )


class RegulatoryActPage(MaterialPage):
    """A regulatory act (регуляторний акт) or its draft, with number, date, kind and status.

    Drafts are published for comments before adoption (Law 1160-IV "On the principles of
    state regulatory policy", art. 9); ``comments_until`` is the end of that period.
    """

    class ActKind(models.TextChoices):
        COUNCIL_DECISION = "council_decision", _("Рішення міської ради")
        EXECUTIVE_DECISION = "executive_decision", _("Рішення виконавчого комітету")
        MAYOR_ORDER = "mayor_order", _("Розпорядження міського голови")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Проєкт (обговорення)")
        ADOPTED = "adopted", _("Прийнятий")
        AMENDED = "amended", _("Змінений")
        REPEALED = "repealed", _("Втратив чинність")

    act_number = models.CharField(
        _("номер акта"),
        max_length=40,
        blank=True,
        validators=[
            RegexValidator(
                r"^[0-9A-Za-zА-ЯҐЄІЇа-яґєії/\-.]*$", _("Лише цифри, літери, «/», «-» і «.».")
            )
        ],
    )
    act_date = models.DateField(_("дата акта"), null=True, blank=True)
    act_kind = models.CharField(_("вид акта"), max_length=30, choices=ActKind.choices)
    status = models.CharField(
        _("стан"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    comments_until = models.DateField(_("зауваження приймаються до"), null=True, blank=True)

    kind: ClassVar[str] = MaterialKind.REGULATORY_ACT
    is_creatable = True
    parent_page_types: ClassVar[list[str]] = ["content.SectionPage"]
    subpage_types: ClassVar[list[str]] = []
    content_panels: ClassVar[list[Any]] = [
        *MaterialPage.content_panels[:2],
        MultiFieldPanel(
            [
                FieldPanel("act_kind"),
                FieldPanel("act_number"),
                FieldPanel("act_date"),
                FieldPanel("status"),
                FieldPanel("comments_until"),
            ],
            heading=_("Акт"),
        ),
        *MaterialPage.content_panels[2:],
    ]

    class Meta:
        verbose_name = _("регуляторний акт")
        verbose_name_plural = _("регуляторні акти")

    def clean(self) -> None:
        super().clean()
        if self.status != self.Status.DRAFT and not (self.act_number and self.act_date):
            raise ValidationError({"act_number": _("Прийнятий акт має номер і дату.")})


PROZORRO_ID = re.compile(r"^UA-\d{4}-\d{2}-\d{2}-\d{6}-[a-z]$")


class ProcurementPage(MaterialPage):
    """A procurement notice (оголошення про закупівлю) with its ProZorro tender id."""

    class Procedure(models.TextChoices):
        OPEN = "open", _("Відкриті торги")
        SIMPLIFIED = "simplified", _("Спрощена закупівля")
        NEGOTIATED = "negotiated", _("Переговорна процедура")
        REQUEST = "request", _("Запит цінових пропозицій")
        REPORT = "report", _("Закупівля без використання електронної системи (звіт)")

    procedure = models.CharField(_("процедура"), max_length=20, choices=Procedure.choices)
    expected_value = models.DecimalField(
        _("очікувана вартість, грн"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    deadline = models.DateTimeField(_("кінцевий строк подання пропозицій"), null=True, blank=True)
    prozorro_id = models.CharField(
        _("ідентифікатор у ProZorro"),
        max_length=30,
        blank=True,
        db_index=True,
        validators=[RegexValidator(PROZORRO_ID.pattern, _("Формат: UA-2026-01-31-000123-a."))],
    )
    cpv = models.CharField(_("код ДК 021:2015 (CPV)"), max_length=20, blank=True)

    kind: ClassVar[str] = MaterialKind.PROCUREMENT
    is_creatable = True
    parent_page_types: ClassVar[list[str]] = ["content.SectionPage"]
    subpage_types: ClassVar[list[str]] = []
    content_panels: ClassVar[list[Any]] = [
        *MaterialPage.content_panels[:2],
        MultiFieldPanel(
            [
                FieldPanel("procedure"),
                FieldPanel("expected_value"),
                FieldPanel("deadline"),
                FieldPanel("prozorro_id"),
                FieldPanel("cpv"),
            ],
            heading=_("Закупівля"),
        ),
        *MaterialPage.content_panels[2:],
    ]

    class Meta:
        verbose_name = _("оголошення про закупівлю")
        verbose_name_plural = _("оголошення про закупівлі")

    def is_open(self) -> bool:
        """Return whether offers are still accepted."""
        return self.deadline is None or self.deadline > timezone.now()


MATERIAL_MODELS: dict[str, type[MaterialPage]] = {
    MaterialKind.NEWS: NewsPage,
    MaterialKind.ANNOUNCEMENT: AnnouncementPage,
    MaterialKind.REGULATORY_ACT: RegulatoryActPage,
    MaterialKind.PROCUREMENT: ProcurementPage,
}


class Banner(models.Model):
    """A banner (банер) on the portal home or a section, shown between its dates."""

    class Placement(models.TextChoices):
        HOME = "home", _("Головна сторінка")
        SECTION = "section", _("Розділ")

    title = models.CharField(_("назва"), max_length=200)
    link = models.CharField(
        _("посилання"),
        max_length=500,
        help_text=_("Адреса на сайті (/…) або повна адреса https://…"),
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("зображення"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    placement = models.CharField(
        _("розміщення"), max_length=20, choices=Placement.choices, default=Placement.HOME
    )
    section = models.ForeignKey(
        SectionPage,
        verbose_name=_("розділ"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="banners",
    )
    start = models.DateField(_("показувати з"), default=timezone.localdate)
    end = models.DateField(
        _("показувати по"), null=True, blank=True, help_text=_("Порожньо — безстроково.")
    )
    order = models.PositiveIntegerField(_("порядок"), default=0)

    panels: ClassVar[list[Any]] = [
        FieldPanel("title"),
        FieldPanel("link"),
        FieldPanel("image"),
        FieldPanel("placement"),
        FieldPanel("section"),
        FieldPanel("start"),
        FieldPanel("end"),
        FieldPanel("order"),
    ]

    class Meta:
        verbose_name = _("банер")
        verbose_name_plural = _("банери")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="content_banner_dates",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        link = (self.link or "").strip()
        if not (
            (link.startswith("/") and not link.startswith("//"))
            or re.match(r"^https?://[^\s<>\"']+$", link)
        ):
            errors["link"] = _("Посилання має починатися з «/» або «https://».")
        if self.placement == self.Placement.SECTION and self.section_id is None:
            errors["section"] = _("Оберіть розділ для банера.")
        if self.placement == self.Placement.HOME and self.section_id is not None:
            errors["section"] = _("Банер головної сторінки не прив'язують до розділу.")
        if self.end and self.start and self.end < self.start:
            errors["end"] = _("Кінець показу раніший за початок.")
        if errors:
            raise ValidationError(errors)

    def is_shown_on(self, day: date) -> bool:
        """Return whether the banner is shown on a day."""
        return self.start <= day and (self.end is None or day <= self.end)
