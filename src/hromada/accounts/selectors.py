"""Reads of people and the organisation structure."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Replace
from django.utils import timezone

from hromada.accounts.models import (
    Employment,
    OrgUnit,
    Position,
    RoleAssignment,
    Substitution,
    User,
)
from hromada.accounts.permissions import (
    CURRENT_EMPLOYMENTS_ATTR,
    is_everything,
    is_staff_member,
    scope_q,
)
from hromada.accounts.roles import Role

# Roles whose holders see a person's contacts (mirrors the rule accounts.view_person).
CONTACT_ROLES = (Role.ADMIN, Role.SECURITY_OFFICER, Role.HEAD)


@dataclass
class TreeNode:
    """A unit with its subunits, for rendering the organisation tree."""

    unit: OrgUnit
    children: list[TreeNode] = field(default_factory=list)


def orgunit_tree(*, include_inactive: bool = False) -> list[TreeNode]:
    """Return the organisation as a forest of nodes, children in their set order."""
    units = OrgUnit.objects.all()
    if not include_inactive:
        units = units.filter(is_active=True)
    nodes = {u.pk: TreeNode(u) for u in units.order_by("order", "name", "pk")}
    roots: list[TreeNode] = []
    for node in nodes.values():
        parent = nodes.get(node.unit.parent_id) if node.unit.parent_id else None
        (parent.children if parent is not None else roots).append(node)
    return roots


def orgunit_choices(*, include_inactive: bool = False) -> QuerySet[OrgUnit]:
    """Return units in tree order (by path), for select boxes."""
    units = OrgUnit.objects.order_by("path")
    return units if include_inactive else units.filter(is_active=True)


def orgunit_ancestors(unit: OrgUnit) -> list[OrgUnit]:
    """Return the unit's ancestors, from the top of the tree down (one query)."""
    ids = [int(p) for p in unit.path.strip("/").split("/")[:-1] if p]
    by_id = OrgUnit.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def current_employments_prefetch(lookup: str = "employments") -> Prefetch[Any]:
    """Prefetch a person's current employments with positions and units (see units_of)."""
    return Prefetch(
        lookup,
        queryset=Employment.objects.current().select_related("position__unit"),
        to_attr=CURRENT_EMPLOYMENTS_ATTR,
    )


def positions_of_unit(unit: OrgUnit) -> QuerySet[Position]:
    """Return a unit's positions, each with its current holders."""
    return (
        Position.objects.filter(unit=unit)
        .order_by("order", "pk")
        .prefetch_related(
            Prefetch(
                "employments",
                queryset=Employment.objects.current().select_related("user").order_by("start"),
                to_attr="current_holders",
            )
        )
    )


def _text_variants(text: str) -> set[str]:
    # SQLite folds case only for ASCII; try the spellings people type.
    return {text, text.lower(), text.upper(), text.capitalize(), text.title()}


def _digits_only(field_name: str) -> Any:
    expr: Any = F(field_name)
    for char in " -()+.":
        expr = Replace(expr, Value(char))
    return expr


def contacts_visible_q(viewer: Any) -> Q:
    """Return a filter for the people whose contacts the viewer may see (accounts.view_person)."""
    own = Q(pk=getattr(viewer, "pk", None))
    if not is_staff_member(viewer):
        return own
    scope = scope_q(viewer, CONTACT_ROLES, "position__unit__path")
    if is_everything(scope):
        return scope
    employed = Employment.objects.current().filter(scope, user=OuterRef("pk"))
    return own | Q(Exists(employed))


def people_search(
    *, viewer: Any, query: str = "", include_inactive: bool = False
) -> QuerySet[User]:
    """Return staff matching a name, e-mail or phone, each with their current positions.

    E-mail and phone match only people whose contacts the viewer may see, so that the
    search cannot be used to learn them.
    """
    people = User.objects.filter(is_staff=True)
    if not include_inactive:
        people = people.filter(is_active=True)
    query = " ".join(query.split())[:100]
    if query:
        name_q = Q()
        for word in query.split(" "):
            word_q = Q()
            for variant in _text_variants(word):
                word_q |= (
                    Q(surname__contains=variant)
                    | Q(given_name__contains=variant)
                    | Q(patronymic__contains=variant)
                )
            name_q &= word_q
        match = name_q
        visible = contacts_visible_q(viewer)
        if "@" in query or re.fullmatch(r"[\w.+\-]+", query):
            match |= Q(email__contains=query.lower()) & visible
        digits = re.sub(r"\D", "", query)
        if len(digits) >= 3 and re.fullmatch(r"[\d\s()+\-]+", query):
            people = people.annotate(phone_digits=_digits_only("phone"))
            match |= Q(phone_digits__contains=digits) & visible
        people = people.filter(match)
    return people.order_by("surname", "given_name", "patronymic", "pk").prefetch_related(
        current_employments_prefetch()
    )


def person_for_card(*, person_id: int) -> User:
    """Return a person with current positions, all employments, roles and substitutions."""
    return User.objects.prefetch_related(
        current_employments_prefetch(),
        Prefetch(
            "employments",
            queryset=Employment.objects.select_related("position__unit").order_by("-start"),
            to_attr="all_employments",
        ),
        Prefetch(
            "role_assignments",
            queryset=RoleAssignment.objects.select_related("unit").order_by("role", "pk"),
            to_attr="roles",
        ),
    ).get(pk=person_id)


def substitutions_of(person: User) -> QuerySet[Substitution]:
    """Return current and future substitutions where the person is absent or substitutes."""
    return (
        Substitution.objects.filter(end__gte=timezone.localdate())
        .filter(Q(absent=person) | Q(substitute=person))
        .select_related("absent", "substitute")
        .order_by("start", "pk")
    )


def staff_choices() -> QuerySet[User]:
    """Return active staff for select boxes."""
    return User.objects.filter(is_staff=True, is_active=True).order_by(
        "surname", "given_name", "patronymic", "pk"
    )


def positions_choices(unit: OrgUnit | None = None) -> QuerySet[Position]:
    """Return positions of active units (of one unit if given), for select boxes."""
    positions = Position.objects.filter(unit__is_active=True).select_related("unit")
    if unit is not None:
        positions = positions.filter(unit=unit)
    return positions.order_by("unit__path", "order", "pk")
