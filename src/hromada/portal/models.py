"""The resource centre: rubrics, resources (registries), their objects; building passports."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hromada.accounts.models import OrgUnit
from hromada.core.models import TimeStampedModel


class District(models.TextChoices):
    """The city's districts (райони у місті)."""

    DOV = "DOV", _("Довгинцівський")
    ING = "ING", _("Інгулецький")
    MET = "MET", _("Металургійний")
    POK = "POK", _("Покровський")
    SAK = "SAK", _("Саксаганський")
    TER = "TER", _("Тернівський")
    TSM = "TSM", _("Центрально-Міський")


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

    class Meta:
        verbose_name = _("об'єкт")
        verbose_name_plural = _("об'єкти")
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["resource", "name"]),
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

    class Meta:
        verbose_name = _("паспорт будинку")
        verbose_name_plural = _("паспорти будинків")
        ordering = ["street", "number", "pk"]
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
