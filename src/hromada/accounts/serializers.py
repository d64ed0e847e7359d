"""REST representations of units, positions and people; input validation with Ukrainian messages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from hromada.accounts.models import Employment, OrgUnit, Position, RoleAssignment, User
from hromada.accounts.roles import Role
from hromada.accounts.selectors import TreeNode
from hromada.core.validators import validate_person_name, validate_phone

_MAX = _("Не більше {max_length} знаків.")


def _text(max_length: int, *, required: bool = True, **kwargs: Any) -> serializers.CharField:
    return serializers.CharField(
        max_length=max_length,
        required=required,
        allow_blank=not required,
        error_messages={"max_length": _MAX},
        **kwargs,
    )


# --- units and positions ----------------------------------------------------------------
class OrgUnitSerializer(serializers.ModelSerializer[OrgUnit]):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = OrgUnit
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "kind",
            "kind_display",
            "parent",
            "path",
            "depth",
            "order",
            "email",
            "phone",
            "address",
            "is_active",
        ]
        read_only_fields = fields


class OrgUnitTreeNodeSerializer(serializers.Serializer[TreeNode]):
    id = serializers.IntegerField(source="unit.pk", read_only=True)
    code = serializers.CharField(source="unit.code", read_only=True)
    name = serializers.CharField(source="unit.name", read_only=True)
    kind = serializers.CharField(source="unit.kind", read_only=True)
    is_active = serializers.BooleanField(source="unit.is_active", read_only=True)


# Recursive: a node's children are nodes (drf-spectacular renders this as one component).
OrgUnitTreeNodeSerializer._declared_fields["children"] = OrgUnitTreeNodeSerializer(
    many=True, read_only=True
)


class OrgUnitWriteSerializer(serializers.Serializer[OrgUnit]):
    """Fields of a unit an administrator sets; the parent only on creation (moving: /move/)."""

    code = _text(30)
    name = _text(300)
    short_name = _text(120, required=False)
    kind = serializers.ChoiceField(
        choices=OrgUnit.Kind.choices,
        error_messages={"invalid_choice": _("Невідомий вид підрозділу «{input}».")},
    )
    email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    phone = _text(60, required=False, validators=[validate_phone])
    address = _text(300, required=False)
    order = serializers.IntegerField(required=False, min_value=0, max_value=1_000_000)


class OrgUnitCreateSerializer(OrgUnitWriteSerializer):
    # DRF pops declared fields off the class, so "parent" does not clash with Field.parent.
    parent = serializers.PrimaryKeyRelatedField(  # type: ignore[assignment]
        queryset=OrgUnit.objects.all(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("Підрозділу з id {pk_value} немає.")},
    )


class OrgUnitMoveSerializer(serializers.Serializer[OrgUnit]):
    # DRF pops declared fields off the class, so "parent" does not clash with Field.parent.
    parent = serializers.PrimaryKeyRelatedField(  # type: ignore[assignment]
        queryset=OrgUnit.objects.all(),
        allow_null=True,
        error_messages={"does_not_exist": _("Підрозділу з id {pk_value} немає.")},
    )


class PositionSerializer(serializers.ModelSerializer[Position]):
    class Meta:
        model = Position
        fields = ["id", "unit", "title", "is_head", "order"]
        read_only_fields = fields


# --- people -------------------------------------------------------------------------------
class PersonPositionSerializer(serializers.ModelSerializer[Employment]):
    position = serializers.IntegerField(source="position.pk", read_only=True)
    title = serializers.CharField(source="position.title", read_only=True)
    is_head = serializers.BooleanField(source="position.is_head", read_only=True)
    unit = serializers.IntegerField(source="position.unit.pk", read_only=True)
    unit_code = serializers.CharField(source="position.unit.code", read_only=True)
    unit_name = serializers.CharField(source="position.unit.name", read_only=True)

    class Meta:
        model = Employment
        fields = ["position", "title", "is_head", "unit", "unit_code", "unit_name", "start", "end"]
        read_only_fields = fields


class PersonSerializer(serializers.ModelSerializer[User]):
    """A member of staff as the directory shows them; contacts only where permitted."""

    full_name = serializers.CharField(read_only=True)
    positions = PersonPositionSerializer(source="current_employments", many=True, read_only=True)
    email = serializers.EmailField(
        read_only=True, required=False, help_text="Лише якщо вам дозволено бачити особові дані."
    )
    phone = serializers.CharField(
        read_only=True, required=False, help_text="Лише якщо вам дозволено бачити особові дані."
    )

    PERSONAL = ("email", "phone")

    class Meta:
        model = User
        fields = [
            "id",
            "full_name",
            "surname",
            "given_name",
            "patronymic",
            "positions",
            "email",
            "phone",
        ]
        read_only_fields = fields

    def to_representation(self, instance: User) -> dict[str, Any]:
        data = super().to_representation(instance)
        may_see = self.context.get("may_see_personal")
        if may_see is None or not may_see(instance):
            for name in self.PERSONAL:
                data.pop(name, None)
        return data


class RoleAssignmentSerializer(serializers.ModelSerializer[RoleAssignment]):
    unit_code = serializers.CharField(source="unit.code", read_only=True, allow_null=True)

    class Meta:
        model = RoleAssignment
        fields = ["id", "role", "unit", "unit_code", "include_subunits"]
        read_only_fields = fields


class PersonDetailSerializer(PersonSerializer):
    roles = RoleAssignmentSerializer(many=True, read_only=True)

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "preferred_language", "is_active", "roles"]
        read_only_fields = fields


class RoleInputSerializer(serializers.Serializer[Any]):
    role = serializers.ChoiceField(
        choices=[(v, label) for v, label in Role.choices if v != Role.CITIZEN],
        error_messages={"invalid_choice": _("Невідома роль «{input}».")},
    )
    unit = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.all(),
        required=False,
        allow_null=True,
        help_text="Порожньо — уся громада.",
        error_messages={"does_not_exist": _("Підрозділу з id {pk_value} немає.")},
    )


class StaffCreateSerializer(serializers.Serializer[User]):
    email = serializers.EmailField(max_length=254)
    surname = _text(100, validators=[validate_person_name])
    given_name = _text(100, validators=[validate_person_name])
    patronymic = _text(100, required=False, validators=[validate_person_name])
    phone = _text(30, required=False, validators=[validate_phone])
    password = serializers.CharField(
        write_only=True,
        required=False,
        max_length=128,
        style={"input_type": "password"},
        help_text="Без пароля працівник отримає посилання для його встановлення.",
    )
    position = serializers.PrimaryKeyRelatedField(
        queryset=Position.objects.select_related("unit"),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("Посади з id {pk_value} немає.")},
    )
    roles = RoleInputSerializer(many=True, required=False)

    def validate_patronymic(self, value: str) -> str:
        return value.strip()
