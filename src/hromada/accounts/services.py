"""Every write to people and the organisation structure.

Each service locks what it changes, validates, writes, records an audit event in
the same transaction and, where an ``actor`` is given, checks the actor's
permission through :func:`hromada.accounts.permissions.require`. ``actor=None``
means the system itself (management commands run by the operator of the server).
Model instances passed in are re-read under a lock; the caller's copies may be stale.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, models, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from hromada.accounts.models import (
    Employment,
    OrgUnit,
    Position,
    RoleAssignment,
    Substitution,
    User,
)
from hromada.accounts.permissions import CITY, forget_grants, require
from hromada.accounts.roles import Role
from hromada.accounts.tasks import send_staff_invitation
from hromada.core.audit import audit_record, changed_fields
from hromada.core.exceptions import ApplicationError
from hromada.core.validators import validate_person_name, validate_phone

Actor = User | None

CODE_RE = re.compile(r"^[0-9A-Za-zА-Яа-яЄєІіЇїҐґ._/\-]+$")
_PATH_MAX = OrgUnit._meta.get_field("path").max_length or 255

ORGUNIT_FIELDS = ("code", "name", "short_name", "kind", "email", "phone", "address", "order")
POSITION_FIELDS = ("title", "is_head", "order")
PERSON_FIELDS = (
    "email",
    "surname",
    "given_name",
    "patronymic",
    "phone",
    "preferred_language",
    "is_active",
)


# --- helpers -------------------------------------------------------------------
def _check(actor: Actor, perm: str, obj: Any = None) -> None:
    if actor is not None:
        require(actor, perm, obj)


def _snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {f: getattr(obj, f) for f in fields}


def _error_from(exc: ValidationError) -> ApplicationError:
    """Turn Django's ValidationError into our ApplicationError (first message, its field)."""
    if hasattr(exc, "error_dict"):
        field, errors = next(iter(exc.error_dict.items()))
        message = next(iter(ValidationError(errors).messages))
        return ApplicationError(message, field=None if field == "__all__" else field)
    return ApplicationError(exc.messages[0])


def _full_clean(obj: models.Model, *, exclude: Sequence[str] = ()) -> None:
    """Validate field lengths, choices and formats (SQLite does not enforce them)."""
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise _error_from(exc) from exc


def _run_validator(validator: Any, value: str, field: str) -> None:
    try:
        validator(value)
    except ValidationError as exc:
        raise ApplicationError(exc.messages[0], field=field) from exc


def _clean_text(value: str | None, field: str, *, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ApplicationError(_("Це поле обов'язкове."), field=field)
    return text


def _lock(model: type[models.Model], pk: Any) -> Any:
    return model._default_manager.select_for_update().get(pk=pk)


# --- organisation units -----------------------------------------------------------
def _clean_code(code: str) -> str:
    code = _clean_text(code, "code", required=True)
    if len(code) > 30 or not CODE_RE.fullmatch(code):
        raise ApplicationError(
            _("Код підрозділу — до 30 знаків: літери, цифри, крапка, дефіс, скісна риска."),
            field="code",
        )
    return code


def _ensure_code_free(code: str, *, except_pk: int | None = None) -> None:
    taken = OrgUnit.objects.filter(code__iexact=code)
    if except_pk is not None:
        taken = taken.exclude(pk=except_pk)
    if taken.exists():
        raise ApplicationError(
            _("Підрозділ з кодом «%(code)s» вже існує.") % {"code": code}, field="code"
        )


@transaction.atomic
def orgunit_create(
    *,
    actor: Actor,
    code: str,
    name: str,
    kind: str,
    parent: OrgUnit | None = None,
    short_name: str = "",
    email: str = "",
    phone: str = "",
    address: str = "",
    order: int = 0,
) -> OrgUnit:
    """Create a unit under `parent` (None: a top-level body of the city)."""
    if parent is not None:
        parent = _lock(OrgUnit, parent.pk)
        assert parent is not None
        if not parent.is_active:
            raise ApplicationError(
                _("Не можна створити підрозділ у підрозділі, що припинив діяльність."),
                field="parent",
            )
    _check(actor, "accounts.change_orgunit", parent if parent is not None else CITY)
    code = _clean_code(code)
    _ensure_code_free(code)
    unit = OrgUnit(
        code=code,
        name=_clean_text(name, "name", required=True),
        short_name=_clean_text(short_name, "short_name"),
        kind=kind,
        parent=parent,
        email=_clean_text(email, "email").lower(),
        phone=_clean_text(phone, "phone"),
        address=_clean_text(address, "address"),
        order=order,
    )
    _full_clean(unit, exclude=["parent", "path", "depth"])
    if phone:
        _run_validator(validate_phone, unit.phone, "phone")
    depth_after = (parent.depth + 1) if parent is not None else 0
    if depth_after > 20:
        raise ApplicationError(_("Структура не може мати більше 20 рівнів."), field="parent")
    unit.save()
    audit_record(
        actor=actor,
        action="orgunit.created",
        target=unit,
        data={
            "fields": changed_fields({}, _snapshot(unit, ORGUNIT_FIELDS)),
            "parent": parent.pk if parent is not None else None,
        },
    )
    return unit


@transaction.atomic
def orgunit_update(
    *,
    actor: Actor,
    unit: OrgUnit,
    code: str | None = None,
    name: str | None = None,
    short_name: str | None = None,
    kind: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    address: str | None = None,
    order: int | None = None,
) -> OrgUnit:
    """Change a unit's own fields (None: leave as is). Moving is orgunit_move."""
    unit = _lock(OrgUnit, unit.pk)
    _check(actor, "accounts.change_orgunit", unit)
    before = _snapshot(unit, ORGUNIT_FIELDS)
    if code is not None:
        unit.code = _clean_code(code)
        if unit.code != before["code"]:
            _ensure_code_free(unit.code, except_pk=unit.pk)
    if name is not None:
        unit.name = _clean_text(name, "name", required=True)
    if short_name is not None:
        unit.short_name = _clean_text(short_name, "short_name")
    if kind is not None:
        unit.kind = kind
    if email is not None:
        unit.email = _clean_text(email, "email").lower()
    if phone is not None:
        unit.phone = _clean_text(phone, "phone")
        if unit.phone:
            _run_validator(validate_phone, unit.phone, "phone")
    if address is not None:
        unit.address = _clean_text(address, "address")
    if order is not None:
        unit.order = order
    _full_clean(unit, exclude=["parent", "path", "depth"])
    changes = changed_fields(before, _snapshot(unit, ORGUNIT_FIELDS))
    if not changes:
        return unit
    unit.save(update_fields=[*changes, "updated_at"])
    audit_record(actor=actor, action="orgunit.updated", target=unit, data={"fields": changes})
    return unit


@transaction.atomic
def orgunit_move(*, actor: Actor, unit: OrgUnit, new_parent: OrgUnit | None) -> OrgUnit:
    """Put a unit, with everything under it, under another parent (None: top level)."""
    unit = _lock(OrgUnit, unit.pk)
    if new_parent is not None:
        new_parent = _lock(OrgUnit, new_parent.pk)
    assert isinstance(unit, OrgUnit)
    _check(actor, "accounts.change_orgunit", unit)
    _check(actor, "accounts.change_orgunit", new_parent if new_parent is not None else CITY)
    if new_parent is not None and new_parent.path.startswith(unit.path):
        raise ApplicationError(
            _(
                "Не можна перемістити підрозділ до нього самого або до його "
                "підпорядкованого підрозділу."
            ),
            field="parent",
        )
    if new_parent is not None and not new_parent.is_active:
        raise ApplicationError(
            _("Не можна перемістити підрозділ до підрозділу, що припинив діяльність."),
            field="parent",
        )
    if unit.parent_id == (new_parent.pk if new_parent is not None else None):
        return unit
    old_path = unit.path
    new_path = (
        f"{new_parent.path if new_parent is not None else '/'}{OrgUnit.path_segment(unit.pk)}/"
    )
    delta = (new_path.count("/") - 2) - unit.depth
    subtree = OrgUnit.objects.filter(path__startswith=old_path)
    longest = max(len(p) for p in subtree.select_for_update().values_list("path", flat=True))
    if longest - len(old_path) + len(new_path) > _PATH_MAX or unit.depth + delta > 20:
        raise ApplicationError(_("Структура стала б занадто глибокою."), field="parent")
    old_parent_id = unit.parent_id
    # One statement re-paths the whole subtree: the common prefix is swapped.
    moved = subtree.update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + delta,
    )
    unit.path, unit.depth = new_path, unit.depth + delta
    unit.parent = new_parent
    unit.save(update_fields=["parent", "updated_at"])
    if actor is not None:
        forget_grants(actor)
    audit_record(
        actor=actor,
        action="orgunit.moved",
        target=unit,
        data={
            "parent": [old_parent_id, unit.parent_id],
            "path": [old_path, new_path],
            "units_moved": moved,
        },
    )
    return unit


@transaction.atomic
def orgunit_deactivate(*, actor: Actor, unit: OrgUnit) -> OrgUnit:
    """Mark a unit as no longer operating; it must have no active subunits and no staff."""
    unit = _lock(OrgUnit, unit.pk)
    _check(actor, "accounts.change_orgunit", unit)
    if not unit.is_active:
        raise ApplicationError(_("Підрозділ уже припинив діяльність."))
    if unit.children.filter(is_active=True).exists():
        raise ApplicationError(
            _("Спершу припиніть діяльність підпорядкованих підрозділів або перемістіть їх.")
        )
    if Employment.objects.current().filter(position__unit=unit).exists():
        raise ApplicationError(
            _("У підрозділі ще є працівники на посадах; спершу звільніть посади.")
        )
    unit.is_active = False
    unit.save(update_fields=["is_active", "updated_at"])
    audit_record(
        actor=actor,
        action="orgunit.deactivated",
        target=unit,
        data={"fields": {"is_active": [True, False]}},
    )
    return unit


# --- positions -------------------------------------------------------------------
@transaction.atomic
def position_create(
    *, actor: Actor, unit: OrgUnit, title: str, is_head: bool = False, order: int = 0
) -> Position:
    """Create a post in a unit."""
    unit = _lock(OrgUnit, unit.pk)
    _check(actor, "accounts.change_orgunit", unit)
    if not unit.is_active:
        raise ApplicationError(_("Підрозділ припинив діяльність: нові посади не створюються."))
    position = Position(
        unit=unit, title=_clean_text(title, "title", required=True), is_head=is_head, order=order
    )
    _full_clean(position, exclude=["unit"])
    position.save()
    audit_record(
        actor=actor,
        action="position.created",
        target=position,
        data={"unit": unit.pk, "fields": changed_fields({}, _snapshot(position, POSITION_FIELDS))},
    )
    return position


@transaction.atomic
def position_update(
    *,
    actor: Actor,
    position: Position,
    title: str | None = None,
    is_head: bool | None = None,
    order: int | None = None,
) -> Position:
    """Change a post's title, head flag or order (None: leave as is)."""
    position = (
        Position.objects.select_for_update(of=("self",)).select_related("unit").get(pk=position.pk)
    )
    _check(actor, "accounts.change_orgunit", position.unit)
    before = _snapshot(position, POSITION_FIELDS)
    if title is not None:
        position.title = _clean_text(title, "title", required=True)
    if is_head is not None:
        position.is_head = is_head
    if order is not None:
        position.order = order
    _full_clean(position, exclude=["unit"])
    changes = changed_fields(before, _snapshot(position, POSITION_FIELDS))
    if not changes:
        return position
    position.save(update_fields=[*changes, "updated_at"])
    audit_record(actor=actor, action="position.updated", target=position, data={"fields": changes})
    return position


# --- employment --------------------------------------------------------------------
@transaction.atomic
def employment_start(
    *, actor: Actor, user: User, position: Position, start: date | None = None
) -> Employment:
    """Put a staff member in a position from a date (today by default)."""
    position = (
        Position.objects.select_for_update(of=("self",)).select_related("unit").get(pk=position.pk)
    )
    user = _lock(User, user.pk)
    _check(actor, "accounts.manage_employment", position)
    start = start or timezone.localdate()
    if not user.is_staff or not user.is_active:
        raise ApplicationError(
            _("Призначити на посаду можна лише діючого працівника."), field="user"
        )
    if not position.unit.is_active:
        raise ApplicationError(_("Підрозділ припинив діяльність."), field="position")
    overlapping = Employment.objects.filter(position=position).filter(
        models.Q(end__isnull=True) | models.Q(end__gte=start)
    )
    if overlapping.filter(user=user).exists():
        raise ApplicationError(_("Працівник уже обіймає цю посаду."), field="position")
    if position.is_head:
        holder = overlapping.select_related("user").first()
        if holder is not None:
            raise ApplicationError(
                _("Керівну посаду вже обіймає %(name)s.") % {"name": holder.user.short_name},
                field="position",
            )
    employment = Employment.objects.create(user=user, position=position, start=start)
    audit_record(
        actor=actor,
        action="employment.started",
        target=employment,
        data={"user": user.pk, "position": position.pk, "start": start},
    )
    return employment


@transaction.atomic
def employment_end(*, actor: Actor, employment: Employment, end: date | None = None) -> Employment:
    """End a staff member's time in a position on a date (today by default)."""
    employment = (
        Employment.objects.select_for_update(of=("self",))
        .select_related("position__unit", "user")
        .get(pk=employment.pk)
    )
    _check(actor, "accounts.manage_employment", employment.position)
    end = end or timezone.localdate()
    if employment.end is not None and employment.end < timezone.localdate():
        raise ApplicationError(_("Перебування на посаді вже завершено."))
    if end < employment.start:
        raise ApplicationError(
            _("Дата звільнення з посади не може бути раніше дати призначення."), field="end"
        )
    before = employment.end
    employment.end = end
    employment.save(update_fields=["end", "updated_at"])
    audit_record(
        actor=actor,
        action="employment.ended",
        target=employment,
        data={"fields": changed_fields({"end": before}, {"end": end})},
    )
    return employment


# --- substitutions -------------------------------------------------------------------
@transaction.atomic
def substitution_create(
    *,
    actor: Actor,
    absent: User,
    substitute: User,
    start: date,
    end: date,
    reason: str = "",
) -> Substitution:
    """Let `substitute` act for `absent` (with the absent person's roles) from start to end."""
    # Locking the absent person serialises the overlap check below.
    absent = _lock(User, absent.pk)
    substitute = User.objects.get(pk=substitute.pk)
    _check(actor, "accounts.manage_substitutions", absent)
    if absent.pk == substitute.pk:
        raise ApplicationError(_("Працівник не може заміщати сам себе."), field="substitute")
    for person, field in ((absent, "absent"), (substitute, "substitute")):
        if not person.is_staff or not person.is_active:
            raise ApplicationError(
                _("%(name)s не є діючим працівником.") % {"name": person.short_name}, field=field
            )
    if end < start:
        raise ApplicationError(
            _("Дата закінчення заміщення не може бути раніше дати початку."), field="end"
        )
    if end < timezone.localdate():
        raise ApplicationError(_("Заміщення не може повністю припадати на минуле."), field="end")
    if (end - start).days > 366:
        raise ApplicationError(_("Заміщення не може тривати довше за рік."), field="end")
    clash = Substitution.objects.filter(absent=absent, start__lte=end, end__gte=start).first()
    if clash is not None:
        raise ApplicationError(
            _("На ці дати вже призначено заміщення %(name)s: %(start)s–%(end)s.")
            % {
                "name": absent.short_name,
                "start": f"{clash.start:%d.%m.%Y}",
                "end": f"{clash.end:%d.%m.%Y}",
            },
            field="start",
        )
    substitution = Substitution(
        absent=absent,
        substitute=substitute,
        start=start,
        end=end,
        reason=_clean_text(reason, "reason"),
    )
    _full_clean(substitution, exclude=["absent", "substitute"])
    substitution.save()
    audit_record(
        actor=actor,
        action="substitution.created",
        target=substitution,
        data={"absent": absent.pk, "substitute": substitute.pk, "start": start, "end": end},
    )
    return substitution


@transaction.atomic
def substitution_cancel(*, actor: Actor, substitution: Substitution) -> Substitution | None:
    """Cancel a substitution from today: delete it if not yet begun, else end it yesterday.

    Returns the shortened substitution, or None when it was deleted.
    """
    substitution = (
        Substitution.objects.select_for_update(of=("self",))
        .select_related("absent", "substitute")
        .get(pk=substitution.pk)
    )
    _check(actor, "accounts.manage_substitutions", substitution.absent)
    today = timezone.localdate()
    if substitution.end < today:
        raise ApplicationError(_("Заміщення вже завершилося."))
    data = {"absent": substitution.absent_id, "substitute": substitution.substitute_id}
    if substitution.start >= today:
        audit_record(
            actor=actor,
            action="substitution.cancelled",
            target=substitution,
            data={**data, "deleted": True},
        )
        substitution.delete()
        return None
    yesterday = today - timedelta(days=1)
    audit_record(
        actor=actor,
        action="substitution.cancelled",
        target=substitution,
        data={**data, "deleted": False, "fields": {"end": [substitution.end, yesterday]}},
    )
    substitution.end = yesterday
    substitution.save(update_fields=["end", "updated_at"])
    return substitution


# --- roles ---------------------------------------------------------------------------
@transaction.atomic
def role_assign(
    *,
    actor: Actor,
    user: User,
    role: str,
    unit: OrgUnit | None = None,
    include_subunits: bool = True,
) -> RoleAssignment:
    """Give a person a role over a unit and its subunits (None: the whole city)."""
    # Locking the person serialises the uniqueness check, which SQLite cannot enforce
    # by constraint when the unit is empty.
    user = _lock(User, user.pk)
    if unit is not None:
        unit = OrgUnit.objects.get(pk=unit.pk)
    _check(actor, "accounts.manage_roles", unit if unit is not None else CITY)
    if role not in Role.values:
        raise ApplicationError(_("Невідома роль."), field="role")
    if role == Role.CITIZEN and unit is not None:
        raise ApplicationError(_("Роль громадянина не прив'язується до підрозділу."), field="unit")
    if role != Role.CITIZEN and not user.is_staff:
        raise ApplicationError(_("Роль працівника можна надати лише працівнику."), field="role")
    if unit is not None and not unit.is_active:
        raise ApplicationError(_("Підрозділ припинив діяльність."), field="unit")
    if RoleAssignment.objects.filter(user=user, role=role, unit=unit).exists():
        raise ApplicationError(_("Ця роль у цьому підрозділі вже надана."), field="role")
    assignment = RoleAssignment.objects.create(
        user=user, role=role, unit=unit, include_subunits=include_subunits
    )
    forget_grants(user)
    audit_record(
        actor=actor,
        action="role.assigned",
        target=assignment,
        data={
            "user": user.pk,
            "role": role,
            "unit": unit.pk if unit is not None else None,
            "include_subunits": include_subunits,
        },
    )
    return assignment


@transaction.atomic
def role_revoke(*, actor: Actor, assignment: RoleAssignment) -> None:
    """Take a role away from a person."""
    assignment = (
        RoleAssignment.objects.select_for_update(of=("self",))
        .select_related("unit", "user")
        .get(pk=assignment.pk)
    )
    _check(
        actor,
        "accounts.manage_roles",
        assignment.unit if assignment.unit is not None else CITY,
    )
    if assignment.role == Role.ADMIN and assignment.unit is None:
        others = RoleAssignment.objects.filter(
            role=Role.ADMIN, unit__isnull=True, user__is_active=True
        ).exclude(pk=assignment.pk)
        if not others.exists():
            raise ApplicationError(_("Не можна відкликати роль останнього адміністратора громади."))
    audit_record(
        actor=actor,
        action="role.revoked",
        target=assignment,
        data={
            "user": assignment.user_id,
            "role": assignment.role,
            "unit": assignment.unit_id,
        },
    )
    assignment.delete()
    forget_grants(assignment.user)


# --- people ----------------------------------------------------------------------------
def _clean_email(email: str) -> str:
    value = _clean_text(email, "email", required=True).lower()
    if len(value) > 254:
        raise ApplicationError(_("E-mail задовгий."), field="email")
    _run_validator(EmailValidator(message="Введіть правильну адресу e-mail."), value, "email")
    return value


def _ensure_email_free(email: str, *, except_pk: int | None = None) -> None:
    taken = User.objects.filter(email__iexact=email)
    if except_pk is not None:
        taken = taken.exclude(pk=except_pk)
    if taken.exists():
        raise ApplicationError(
            _("Користувач з e-mail «%(email)s» вже існує.") % {"email": email}, field="email"
        )


def _clean_name(value: str | None, field: str, *, required: bool) -> str:
    text = _clean_text(value, field, required=required)
    if len(text) > 100:
        raise ApplicationError(_("Не більше 100 знаків."), field=field)
    if text:
        _run_validator(validate_person_name, text, field)
    return text


def _clean_phone(value: str | None) -> str:
    text = _clean_text(value, "phone")
    if len(text) > 30:
        raise ApplicationError(_("Номер телефону задовгий."), field="phone")
    if text:
        _run_validator(validate_phone, text, "phone")
    return text


@transaction.atomic
def user_create_staff(
    *,
    actor: Actor,
    email: str,
    surname: str,
    given_name: str,
    patronymic: str = "",
    phone: str = "",
    password: str | None = None,
    position: Position | None = None,
    roles: Sequence[tuple[str, OrgUnit | None]] = (),
    send_invitation: bool = True,
    base_url: str | None = None,
) -> User:
    """Create a staff account; without a password, e-mail a link to set one after commit.

    `position` places the person at once (from today); `roles` are (role, unit) pairs.
    """
    _check(actor, "accounts.create_staff", position if position is not None else CITY)
    email = _clean_email(email)
    user = User(
        email=email,
        surname=_clean_name(surname, "surname", required=True),
        given_name=_clean_name(given_name, "given_name", required=True),
        patronymic=_clean_name(patronymic, "patronymic", required=False),
        phone=_clean_phone(phone),
        is_staff=True,
    )
    _ensure_email_free(email)
    if password:
        try:
            password_validation.validate_password(password, user)
        except ValidationError as exc:
            raise ApplicationError(_(" ").join(exc.messages), field="password") from exc
        user.set_password(password)
    else:
        user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:  # a concurrent request took the e-mail
        raise ApplicationError(
            _("Користувач з e-mail «%(email)s» вже існує.") % {"email": email}, field="email"
        ) from exc
    # Created by an administrator: the address counts as verified (the set-password link
    # proves the mailbox anyway), so the mandatory e-mail verification does not block login.
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    audit_record(
        actor=actor,
        action="user.created",
        target=user,
        data={
            "fields": changed_fields(
                {}, _snapshot(user, ("email", "surname", "given_name", "patronymic", "phone"))
            ),
            "is_staff": True,
            "invited": not password and send_invitation,
        },
    )
    if position is not None:
        employment_start(actor=actor, user=user, position=position)
    for role, unit in roles:
        role_assign(actor=actor, user=user, role=role, unit=unit)
    if not password and send_invitation:
        user_id = user.pk
        transaction.on_commit(
            lambda: send_staff_invitation.enqueue(user_id=user_id, base_url=base_url or "")
        )
    return user


@transaction.atomic
def person_update(
    *,
    actor: Actor,
    person: User,
    email: str | None = None,
    surname: str | None = None,
    given_name: str | None = None,
    patronymic: str | None = None,
    phone: str | None = None,
    preferred_language: str | None = None,
    is_active: bool | None = None,
) -> User:
    """Change a person's personal data or switch their account off (None: leave as is)."""
    person = _lock(User, person.pk)
    _check(actor, "accounts.change_person", person)
    before = _snapshot(person, PERSON_FIELDS)
    if email is not None:
        person.email = _clean_email(email)
        if person.email != before["email"]:
            _ensure_email_free(person.email, except_pk=person.pk)
    if surname is not None:
        person.surname = _clean_name(surname, "surname", required=True)
    if given_name is not None:
        person.given_name = _clean_name(given_name, "given_name", required=True)
    if patronymic is not None:
        person.patronymic = _clean_name(patronymic, "patronymic", required=False)
    if phone is not None:
        person.phone = _clean_phone(phone)
    if preferred_language is not None:
        if preferred_language not in User.Language.values:
            raise ApplicationError(_("Невідома мова."), field="preferred_language")
        person.preferred_language = preferred_language
    if is_active is not None:
        if not is_active and actor is not None and actor.pk == person.pk:
            raise ApplicationError(
                _("Не можна вимкнути власний обліковий запис."), field="is_active"
            )
        person.is_active = is_active
    changes = changed_fields(before, _snapshot(person, PERSON_FIELDS))
    if not changes:
        return person
    person.save(update_fields=list(changes))
    if "email" in changes:
        EmailAddress.objects.filter(user=person).exclude(email__iexact=person.email).delete()
        EmailAddress.objects.update_or_create(
            user=person,
            email=person.email,
            defaults={"primary": True, "verified": True},
        )
    audit_record(actor=actor, action="user.updated", target=person, data={"fields": changes})
    return person


# --- API tokens -------------------------------------------------------------------------
@transaction.atomic
def token_create(*, actor: Actor, user: User) -> Token:
    """Issue an API token for a person, replacing any earlier one."""
    user = _lock(User, user.pk)
    _check(actor, "accounts.create_token", user)
    if not user.is_active:
        raise ApplicationError(_("Обліковий запис вимкнено."), field="user")
    replaced = Token.objects.filter(user=user).delete()[0] > 0
    token = Token.objects.create(user=user)
    audit_record(actor=actor, action="token.created", target=user, data={"replaced": replaced})
    return token


@transaction.atomic
def token_revoke(*, actor: Actor, user: User) -> None:
    """Revoke a person's API token."""
    user = _lock(User, user.pk)
    _check(actor, "accounts.create_token", user)
    if Token.objects.filter(user=user).delete()[0] == 0:
        raise ApplicationError(_("У користувача немає токена API."), field="user")
    audit_record(actor=actor, action="token.revoked", target=user)
