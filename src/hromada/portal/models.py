"""The resource centre: rubrics, resources (registries), their objects; building passports."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hromada.accounts.models import OrgUnit
from hromada.core.districts import District as District  # re-exported for portal modules
from hromada.core.models import TimeStampedModel
from hromada.core.uploads import type_label


class AttributeType(models.TextChoices):
    """The type of an attribute in a resource's schema."""

    TEXT = "text", _("текст")
    INTEGER = "integer", _("ціле число")
    NUMBER = "number", _("число")
    BOOLEAN = "boolean", _("так / ні")
    CHOICE = "choice", _("вибір зі списку")
    DATE = "date", _("дата")


class Rubric(models.Model):
    """A rubric of the resource centre (e.g. «Освіта»), grouping information resources."""

    name = models.CharField(_("назва"), max_length=200)
    slug = models.SlugField(_("адреса"), max_length=80, unique=True)
    description = models.TextField(_("опис"), blank=True)
    order = models.PositiveIntegerField(_("порядок"), default=0)

    class Meta:
        verbose_name = _("рубрика")
        verbose_name_plural = _("рубрики")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portal:rubric", kwargs={"slug": self.slug})


class Resource(TimeStampedModel):
    """An information resource: a registry of objects with its own attribute schema.

    ``attribute_schema`` is a list of ``{"name", "label", "type", "required", "choices"}``
    (see :mod:`hromada.portal.schema`); the owner unit keeps the registry up to date.
    """

    rubric = models.ForeignKey(
        Rubric, verbose_name=_("рубрика"), on_delete=models.PROTECT, related_name="resources"
    )
    name = models.CharField(_("назва"), max_length=300)
    slug = models.SlugField(_("адреса"), max_length=100, unique=True)
    description = models.TextField(_("опис"), blank=True)
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("відповідальний підрозділ"),
        on_delete=models.PROTECT,
        related_name="portal_resources",
    )
    attribute_schema = models.JSONField(_("схема атрибутів"), default=list, blank=True)
    order = models.PositiveIntegerField(_("порядок"), default=0)
    # Bumped by every write to the registry: cache keys of its pages and points include it.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("інформаційний ресурс")
        verbose_name_plural = _("інформаційні ресурси")
        ordering = ["rubric__order", "order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portal:resource", kwargs={"slug": self.slug})


class ResourceObject(TimeStampedModel):
    """An infrastructure object in a resource's registry (a school, a pharmacy, a stop…)."""

    resource = models.ForeignKey(
        Resource, verbose_name=_("ресурс"), on_delete=models.CASCADE, related_name="objects_set"
    )
    name = models.CharField(_("назва"), max_length=300)
    address = models.CharField(_("адреса"), max_length=300)
    district = models.CharField(_("район"), max_length=3, choices=District.choices, blank=True)
    latitude = models.FloatField(_("широта"), null=True, blank=True)
    longitude = models.FloatField(_("довгота"), null=True, blank=True)
    phone = models.CharField(_("телефон"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("вебсайт"), blank=True)
    opening_hours = models.CharField(_("години роботи"), max_length=300, blank=True)
    attributes = models.JSONField(_("атрибути"), default=dict, blank=True)
    last_checked = models.DateField(_("дата перевірки"), null=True, blank=True)
    # Lemmatised name and address (hromada.portal.search), for Ukrainian search.
    search_text = models.TextField(default="", blank=True, editable=False)
    # Natural sort key of the name (hromada.portal.sorting): "№ 2" before "№ 10".
    sort_key = models.CharField(max_length=255, default="", blank=True, editable=False)

    class Meta:
        verbose_name = _("об'єкт")
        verbose_name_plural = _("об'єкти")
        ordering = ["sort_key", "pk"]
        indexes = [
            models.Index(fields=["resource", "sort_key"]),
            models.Index(fields=["resource", "district"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portal:object", kwargs={"pk": self.pk})

    def permission_units(self) -> list[OrgUnit]:
        return [self.resource.unit]

    @property
    def district_label(self) -> str:
        """Return the district's name (cheaper than get_district_display in long lists)."""
        return str(District(self.district).label) if self.district else ""

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class ObjectWordCount(models.Model):
    """How many objects of a resource in a district have a word in their ``search_text``.

    Kept by every write of objects (portal/services.py, the demo loader; see
    ``search_counts.objects_counted``) in the same transaction, so that a one-word search
    gets its facets and total without reading its matches. The empty word counts all the
    resource's objects in the district (a resource "fully matched" by a word is then read
    straight from its (resource, sort_key) index).
    """

    word = models.CharField(max_length=300)
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="+")
    district = models.CharField(max_length=3, blank=True)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["word", "resource", "district"], name="portal_object_word_count"
            )
        ]
        # LIKE 'prefix%' (PostgreSQL needs the pattern operator class unless the collation is C).
        indexes = [
            models.Index(
                fields=["word"], name="portal_word_count_prefix", opclasses=["varchar_pattern_ops"]
            )
        ]

    def __str__(self) -> str:
        return f"{self.word} {self.resource_id} {self.district}: {self.n}"


class WallMaterial(models.TextChoices):
    PANEL = "panel", _("панель")
    BRICK = "brick", _("цегла")
    BLOCK = "block", _("блоки")
    MONOLITH = "monolith", _("моноліт")
    OTHER = "other", _("інше")


class Supply(models.TextChoices):
    """How a building gets heat or hot water."""

    CENTRAL = "central", _("централізоване")
    BUILDING = "building", _("будинкова котельня")
    INDIVIDUAL = "individual", _("індивідуальне")
    NONE = "none", _("відсутнє")


class ManagerKind(models.TextChoices):
    COMPANY = "company", _("управитель (керуюча компанія)")
    CONDOMINIUM = "osbb", _("ОСББ")
    NONE = "none", _("не визначено")


class BuildingPassport(TimeStampedModel):
    """The electronic passport of an apartment building."""

    street = models.CharField(_("вулиця"), max_length=200)
    number = models.CharField(_("номер будинку"), max_length=20)
    address = models.CharField(_("адреса"), max_length=300, editable=False)
    district = models.CharField(_("район"), max_length=3, choices=District.choices)
    latitude = models.FloatField(_("широта"), null=True, blank=True)
    longitude = models.FloatField(_("довгота"), null=True, blank=True)
    year_built = models.PositiveSmallIntegerField(_("рік побудови"), null=True, blank=True)
    floors = models.PositiveSmallIntegerField(_("поверхів"))
    entrances = models.PositiveSmallIntegerField(_("під'їздів"))
    apartments = models.PositiveIntegerField(_("квартир"))
    total_area = models.DecimalField(_("загальна площа, м²"), max_digits=10, decimal_places=1)
    living_area = models.DecimalField(_("житлова площа, м²"), max_digits=10, decimal_places=1)
    wall_material = models.CharField(
        _("матеріал стін"), max_length=10, choices=WallMaterial.choices
    )
    elevators = models.PositiveSmallIntegerField(_("ліфтів"), default=0)
    heating = models.CharField(_("опалення"), max_length=12, choices=Supply.choices)
    hot_water = models.CharField(_("гаряче водопостачання"), max_length=12, choices=Supply.choices)
    gas = models.BooleanField(_("газопостачання"), default=True)
    manager_kind = models.CharField(
        _("форма управління"), max_length=10, choices=ManagerKind.choices
    )
    manager_name = models.CharField(_("управитель / ОСББ"), max_length=300, blank=True)
    manager_phone = models.CharField(_("телефон управителя"), max_length=100, blank=True)
    manager_email = models.EmailField(_("e-mail управителя"), blank=True)
    energy_class = models.CharField(_("клас енергоефективності"), max_length=2, blank=True)
    planned_works = models.TextField(_("заплановані роботи"), blank=True)
    search_text = models.TextField(default="", blank=True, editable=False)
    # Natural sort key of the address: "Миру, 2" before "Миру, 10".
    sort_key = models.CharField(max_length=255, default="", blank=True, editable=False)

    class Meta:
        verbose_name = _("паспорт будинку")
        verbose_name_plural = _("паспорти будинків")
        ordering = ["sort_key", "pk"]
        indexes = [models.Index(fields=["sort_key"])]
        constraints = [
            models.UniqueConstraint(fields=["street", "number"], name="portal_passport_address")
        ]

    def __str__(self) -> str:
        return self.address

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.address = passport_address(self.street, self.number)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("portal:building", kwargs={"pk": self.pk})


def passport_address(street: str, number: str) -> str:
    """Return the display address of a building."""
    return f"{street}, {number}"


class BuildingRepair(models.Model):
    """A major repair of a building (done), in its passport's history."""

    passport = models.ForeignKey(
        BuildingPassport,
        verbose_name=_("паспорт"),
        on_delete=models.CASCADE,
        related_name="repairs",
    )
    year = models.PositiveSmallIntegerField(_("рік"))
    kind = models.CharField(_("вид робіт"), max_length=300)
    cost = models.DecimalField(_("вартість, грн"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("капітальний ремонт")
        verbose_name_plural = _("капітальні ремонти")
        ordering = ["-year", "pk"]

    def __str__(self) -> str:
        return f"{self.year}: {self.kind}"


# --- Photos and documents of objects and building passports -------------------------------


def attachment_upload_to(instance: Attachment, filename: str) -> str:
    owner = f"o{instance.object_id}" if instance.object_id else f"b{instance.passport_id}"
    return f"portal/{owner}/{uuid.uuid4().hex[:12]}-{filename}"


class Attachment(models.Model):
    """A photo or a document of an object or of a building passport (exactly one of them)."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("фото")
        DOCUMENT = "document", _("документ")

    object = models.ForeignKey(
        ResourceObject,
        verbose_name=_("об'єкт"),
        on_delete=models.CASCADE,
        related_name="attachments",
        null=True,
        blank=True,
    )
    passport = models.ForeignKey(
        BuildingPassport,
        verbose_name=_("паспорт будинку"),
        on_delete=models.CASCADE,
        related_name="attachments",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("вид"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("назва"), max_length=200)
    file = models.FileField(_("файл"), upload_to=attachment_upload_to, max_length=300)
    thumbnail = models.FileField(
        _("мініатюра"), upload_to=attachment_upload_to, max_length=300, blank=True
    )
    name = models.CharField(_("назва файлу"), max_length=200)
    mime = models.CharField(_("тип"), max_length=120)
    size = models.PositiveBigIntegerField(_("розмір"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, related_name="+", null=True
    )
    uploaded_at = models.DateTimeField(_("завантажено"), auto_now_add=True)

    class Meta:
        verbose_name = _("файл об'єкта")
        verbose_name_plural = _("файли об'єктів")
        ordering = ["kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(object__isnull=False) & Q(passport__isnull=True))
                | (Q(object__isnull=True) & Q(passport__isnull=False)),
                name="portal_attachment_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portal:attachment", kwargs={"pk": self.pk})

    @property
    def owner(self) -> ResourceObject | BuildingPassport:
        return self.object if self.object_id else self.passport  # type: ignore[return-value]

    @property
    def type_label(self) -> str:
        return type_label(self.mime)


# --- Visitor polls (опитування) -----------------------------------------------------------


class Poll(TimeStampedModel):
    """A visitor poll: a question with options, open for a period."""

    question = models.CharField(_("питання"), max_length=300)
    description = models.TextField(_("пояснення"), blank=True)
    opens_at = models.DateTimeField(_("відкрите з"))
    closes_at = models.DateTimeField(_("відкрите до"))
    is_published = models.BooleanField(_("опубліковано"), default=False)
    on_home = models.BooleanField(_("на головній сторінці"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, related_name="+", null=True
    )

    class Meta:
        verbose_name = _("опитування")
        verbose_name_plural = _("опитування")
        ordering = ["-opens_at", "-pk"]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse("portal:poll", kwargs={"pk": self.pk})

    def is_open_at(self, moment: datetime) -> bool:
        return self.is_published and self.opens_at <= moment < self.closes_at

    def is_closed_at(self, moment: datetime) -> bool:
        return moment >= self.closes_at


class PollOption(models.Model):
    """An answer a visitor may choose in a poll."""

    poll = models.ForeignKey(
        Poll, verbose_name=_("опитування"), on_delete=models.CASCADE, related_name="options"
    )
    text = models.CharField(_("варіант відповіді"), max_length=200)
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        verbose_name = _("варіант відповіді")
        verbose_name_plural = _("варіанти відповіді")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text


class PollVote(models.Model):
    """One vote in a poll.

    ``voter`` identifies the voter without personal data in clear: ``u:<user id>`` for a
    registered citizen, ``e:<keyed hash of the verified e-mail>`` for an anonymous visitor.
    The unique constraint makes a second vote impossible even under concurrent requests.
    """

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes")
    option = models.ForeignKey(PollOption, on_delete=models.CASCADE, related_name="votes")
    voter = models.CharField(max_length=80)
    created_at = models.DateTimeField(_("подано"), auto_now_add=True)

    class Meta:
        verbose_name = _("голос")
        verbose_name_plural = _("голоси")
        constraints = [
            models.UniqueConstraint(fields=["poll", "voter"], name="portal_pollvote_once")
        ]
        indexes = [models.Index(fields=["poll", "option"])]

    def __str__(self) -> str:
        return f"{self.poll_id}: {self.option_id}"
