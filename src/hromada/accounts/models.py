"""People, the organisation structure, and role assignments."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hromada.accounts.roles import Role
from hromada.core.models import TimeStampedModel


class UserManager(BaseUserManager["User"]):
    """Create users identified by e-mail."""

    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person using hromada: a citizen or a member of staff; logs in by e-mail."""

    class Language(models.TextChoices):
        UK = "uk", _("Українська")
        EN = "en", _("English")

    email = models.EmailField(_("e-mail"), unique=True)
    surname = models.CharField(_("прізвище"), max_length=100)
    given_name = models.CharField(_("ім'я"), max_length=100)
    patronymic = models.CharField(_("по батькові"), max_length=100, blank=True)
    phone = models.CharField(_("телефон"), max_length=30, blank=True)
    preferred_language = models.CharField(
        _("мова інтерфейсу"), max_length=5, choices=Language.choices, default=Language.UK
    )
    is_staff = models.BooleanField(
        _("працівник"),
        default=False,
        help_text=_("Має доступ до робочого простору працівника."),
    )
    is_active = models.BooleanField(_("активний"), default=True)
    date_joined = models.DateTimeField(_("зареєстровано"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["surname", "given_name"]

    class Meta:
        verbose_name = _("користувач")
        verbose_name_plural = _("користувачі")
        ordering = ["surname", "given_name", "patronymic", "pk"]
        indexes = [models.Index(fields=["surname", "given_name"])]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def full_name(self) -> str:
        """Return 'Surname Given Patronymic'."""
        return " ".join(p for p in (self.surname, self.given_name, self.patronymic) if p)

    @property
    def short_name(self) -> str:
        """Return 'Surname G. P.' as written on documents."""
        initials = "".join(f"{p[0]}." for p in (self.given_name, self.patronymic) if p)
        return f"{self.surname} {initials}".strip() or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.short_name


class OrgUnit(TimeStampedModel):
    """A body or unit of the city's organisation: council, executive committee, department…"""

    class Kind(models.TextChoices):
        COUNCIL = "council", _("міська рада")
        EXECUTIVE_COMMITTEE = "executive_committee", _("виконавчий комітет")
        DEPARTMENT = "department", _("департамент / управління")
        DIVISION = "division", _("відділ")
        SECTOR = "sector", _("сектор")
        DISTRICT_COUNCIL = "district_council", _("районна рада")
        DISTRICT_EXECUTIVE = "district_executive", _("виконком районної ради")
        ENTERPRISE = "enterprise", _("комунальне підприємство")
        OTHER = "other", _("інше")

    code = models.CharField(
        _("код"),
        max_length=30,
        unique=True,
        help_text=_("Короткий код підрозділу, напр. 01-15; використовується в індексах."),
    )
    name = models.CharField(_("назва"), max_length=300)
    short_name = models.CharField(_("скорочена назва"), max_length=120, blank=True)
    kind = models.CharField(_("вид"), max_length=30, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("входить до"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of primary keys ("/1/4/17/"): subtree queries are one prefix match.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    order = models.PositiveIntegerField(_("порядок"), default=0)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("телефон"), max_length=60, blank=True)
    address = models.CharField(_("адреса"), max_length=300, blank=True)
    is_active = models.BooleanField(_("діє"), default=True)

    class Meta:
        verbose_name = _("підрозділ")
        verbose_name_plural = _("підрозділи")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.short_name or self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The path is derived from the primary keys, so a new row is written, then its path.
        # Moving a unit with descendants is done by accounts.services.orgunit_move.
        super().save(*args, **kwargs)
        parent_path = self.parent.path if self.parent_id and self.parent else "/"
        path = f"{parent_path}{self.path_segment(self.pk)}/"
        if path != self.path:
            self.path = path
            self.depth = path.count("/") - 2
            type(self).objects.filter(pk=self.pk).update(path=path, depth=self.depth)

    @staticmethod
    def path_segment(pk: int) -> str:
        """Return a path segment: zero-padded so that paths sort parents before children."""
        return f"{pk:07d}"

    def subtree_q(self, prefix: str = "") -> Q:
        """Return a filter for this unit and everything under it, on a field path prefix."""
        return Q(**{f"{prefix}path__startswith": self.path})


class Position(TimeStampedModel):
    """A post in a unit (посада), e.g. 'начальник відділу'."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("підрозділ"), on_delete=models.PROTECT, related_name="positions"
    )
    title = models.CharField(_("назва посади"), max_length=300)
    is_head = models.BooleanField(_("керівна посада"), default=False)
    order = models.PositiveIntegerField(_("порядок"), default=0)

    class Meta:
        verbose_name = _("посада")
        verbose_name_plural = _("посади")
        ordering = ["unit__path", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.unit})"


class EmploymentQuerySet(models.QuerySet["Employment"]):
    def current(self, on: Any = None) -> EmploymentQuerySet:
        day = on or timezone.localdate()
        return self.filter(start__lte=day).filter(Q(end__isnull=True) | Q(end__gte=day))


class Employment(TimeStampedModel):
    """A staff member holding a position for a period (перебування на посаді)."""

    user = models.ForeignKey(
        User, verbose_name=_("працівник"), on_delete=models.PROTECT, related_name="employments"
    )
    position = models.ForeignKey(
        Position, verbose_name=_("посада"), on_delete=models.PROTECT, related_name="employments"
    )
    start = models.DateField(_("з"), default=timezone.localdate)
    end = models.DateField(_("по"), null=True, blank=True)

    objects = EmploymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("призначення на посаду")
        verbose_name_plural = _("призначення на посади")
        ordering = ["position__unit__path", "position__order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="accounts_employment_dates",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.position}"


class SubstitutionQuerySet(models.QuerySet["Substitution"]):
    def current(self, on: Any = None) -> SubstitutionQuerySet:
        day = on or timezone.localdate()
        return self.filter(start__lte=day, end__gte=day)


class Substitution(TimeStampedModel):
    """One person acts for an absent colleague for a period (виконання обов'язків)."""

    absent = models.ForeignKey(
        User, verbose_name=_("відсутній"), on_delete=models.PROTECT, related_name="substituted_by"
    )
    substitute = models.ForeignKey(
        User,
        verbose_name=_("виконує обов'язки"),
        on_delete=models.PROTECT,
        related_name="substitutes_for",
    )
    start = models.DateField(_("з"))
    end = models.DateField(_("по"))
    reason = models.CharField(_("підстава"), max_length=300, blank=True)

    objects = SubstitutionQuerySet.as_manager()

    class Meta:
        verbose_name = _("заміщення")
        verbose_name_plural = _("заміщення")
        ordering = ["-start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="accounts_substitution_dates"
            ),
            models.CheckConstraint(
                condition=~Q(absent=models.F("substitute")), name="accounts_substitution_other"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.substitute} за {self.absent} ({self.start}–{self.end})"


class RoleAssignment(TimeStampedModel):
    """A role a person holds, scoped to a unit (and its subunits) or to the whole city."""

    user = models.ForeignKey(
        User,
        verbose_name=_("користувач"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    role = models.CharField(_("роль"), max_length=30, choices=Role.choices)
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("підрозділ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
        help_text=_("Порожньо — уся громада."),
    )
    include_subunits = models.BooleanField(_("разом з підпорядкованими"), default=True)

    class Meta:
        verbose_name = _("роль")
        verbose_name_plural = _("ролі")
        ordering = ["user", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit"],
                name="accounts_role_once",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        scope = self.unit or _("уся громада")
        return f"{self.get_role_display()} — {scope}"


class UserSession(AbstractBaseSession):
    """A database session (Django's) that also names its signed-in user.

    The user column lets one statement read a request's session, its user and the user's
    grants (hromada.accounts.sessions). It is written from the session's own data when the
    session is saved; deleting a user deletes their sessions.
    """

    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="sessions"
    )

    class Meta:
        verbose_name = _("сеанс")
        verbose_name_plural = _("сеанси")

    @classmethod
    def get_session_store_class(cls) -> Any:
        from hromada.accounts.sessions import SessionStore

        return SessionStore
