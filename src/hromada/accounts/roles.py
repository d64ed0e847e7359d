"""The roles of hromada and what each implies."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """A role a person holds (scoped by organisation unit in RoleAssignment)."""

    CITIZEN = "citizen", _("громадянин")
    OPERATOR = "operator", _("оператор / реєстратор")
    EXECUTOR = "executor", _("виконавець")
    HEAD = "head", _("керівник")
    CONTROLLER = "controller", _("контролер")
    COORDINATOR = "coordinator", _("координатор програми")
    EDITOR = "editor", _("редактор")
    MODERATOR = "moderator", _("модератор")
    ADMIN = "admin", _("адміністратор")
    SECURITY_OFFICER = "security_officer", _("офіцер безпеки (аудитор)")


# Roles whose holders see personal data of citizens or staff: a second factor is enforced.
PERSONAL_DATA_ROLES: frozenset[str] = frozenset(
    {
        Role.OPERATOR,
        Role.EXECUTOR,
        Role.HEAD,
        Role.CONTROLLER,
        Role.MODERATOR,
        Role.ADMIN,
        Role.SECURITY_OFFICER,
    }
)

# Roles that open the staff workspace.
STAFF_ROLES: frozenset[str] = frozenset(r for r in Role.values if r != Role.CITIZEN)
