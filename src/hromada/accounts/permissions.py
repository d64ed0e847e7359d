"""Every permission of hromada, in one place (django-rules predicates).

Views, API endpoints and services all ask ``user.has_perm("<app>.<action>", obj)``
(or :func:`require`), so one rule decides everywhere. A role is held for a unit
and, by default, its subunits; a role without a unit covers the whole city. A
person acting for an absent colleague (substitution) holds the colleague's
roles for the substitution's dates.

Objects say which unit they belong to through :func:`units_of`: an ``OrgUnit``
is its own unit; a model with a ``unit`` attribute belongs to it; a model may
define ``permission_units()``; a ``User`` belongs to the units of their current
positions. Later modules add rules here with ``rules.add_perm``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

import rules.permissions
import rules.predicates
from django.db.models import Q
from django.utils import timezone

from hromada.accounts.roles import PERSONAL_DATA_ROLES, STAFF_ROLES, Role
from hromada.core.exceptions import ApplicationError
from hromada.core.prepared import PreparedQuery

# django-rules is untyped: give its two entry points types once, here.
_Predicate = Any
rule_predicate = cast(Callable[..., Any], rules.predicates.predicate)
add_perm = cast(Callable[[str, _Predicate], None], rules.permissions.add_perm)


@dataclass(frozen=True)
class Grant:
    """A role held by a user over a scope: a unit path, or None for the whole city."""

    role: str
    unit_path: str | None
    include_subunits: bool

    def covers(self, path: str) -> bool:
        if self.unit_path is None:
            return True
        if self.include_subunits:
            return path.startswith(self.unit_path)
        return path == self.unit_path


_CACHE_ATTR = "_hromada_grants"


def grants_of(user: Any) -> tuple[Grant, ...]:
    """Return the user's effective grants today (own roles and those of colleagues they act for).

    Cached on the user object, which lives for one request.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    # One query, compiled once per process (it runs on every staff request).
    rows = _GRANTS_QUERY.rows(user=user.pk, day=timezone.localdate())
    grants = tuple(Grant(role, path, bool(sub)) for role, path, sub in rows)
    setattr(user, _CACHE_ATTR, grants)
    return grants


def grants_queryset(user: Any, day: Any) -> Any:
    """The user's own roles and those of the colleagues they act for on the day."""
    from hromada.accounts.models import RoleAssignment, Substitution

    acting_for = (
        Substitution.objects.current(day).filter(substitute_id=user).order_by().values("absent_id")
    )
    columns = ("role", "unit__path", "include_subunits")
    # Two index lookups by user (UNION ALL) rather than one OR, which scans every role.
    own = RoleAssignment.objects.filter(user_id=user).order_by().values_list(*columns)
    acting = RoleAssignment.objects.filter(user_id__in=acting_for).order_by().values_list(*columns)
    return own.union(acting, all=True)


_GRANTS_QUERY = PreparedQuery(grants_queryset, user=-730_001, day=date(1901, 2, 3))


def remember_grants(user: Any, grants: tuple[Grant, ...]) -> None:
    """Give a user object its grants for today, read by the caller (the session engine).

    They must be what grants_of would read: the rows of ``grants_queryset`` for the user
    and today. Like grants_of's own cache, they live as long as the user object.
    """
    setattr(user, _CACHE_ATTR, grants)


def forget_grants(user: Any) -> None:
    """Drop the cached grants (and the answers derived from them) after roles change."""
    for attr in (_CACHE_ATTR, _PERMS_ATTR):
        if hasattr(user, attr):
            delattr(user, attr)


_PERMS_ATTR = "_hromada_perms"


def has_perm_memo(user: Any, perm: str) -> bool:
    """Return ``user.has_perm(perm)`` (no object), remembered on the user object.

    For what a page asks several times (the workspace, its navigation and panels). The
    user object lives for one request, like the grants the answer derives from, so a
    role revoked now is seen by the next request; forget_grants() drops the answers.
    """
    memo: dict[str, bool] | None = getattr(user, _PERMS_ATTR, None)
    if memo is None:
        memo = {}
        setattr(user, _PERMS_ATTR, memo)
    answer = memo.get(perm)
    if answer is None:
        answer = memo[perm] = bool(user.has_perm(perm))
    return answer


class _City:
    """The whole city as a permission object: only city-wide grants cover it.

    Pass it where an action has no unit of its own but must not be allowed to a
    unit-scoped holder, e.g. granting a city-wide role or creating a top-level unit.
    """

    def __repr__(self) -> str:
        return "CITY"


CITY = _City()

# Name of the attribute a selector fills (Prefetch(..., to_attr=...)) with a person's
# current employments, their positions and units, so that permission checks over a
# list of people need no query per person.
CURRENT_EMPLOYMENTS_ATTR = "current_employments"


def units_of(obj: Any) -> list[str]:
    """Return the unit paths an object belongs to."""
    from hromada.accounts.models import Employment, OrgUnit, RoleAssignment, Substitution, User

    if obj is None or obj is CITY:
        return []
    if isinstance(obj, OrgUnit):
        return [obj.path]
    if hasattr(obj, "permission_units"):
        return [u.path for u in obj.permission_units()]
    if isinstance(obj, User):
        prefetched = getattr(obj, CURRENT_EMPLOYMENTS_ATTR, None)
        if prefetched is not None:
            return [e.position.unit.path for e in prefetched]
        return list(
            Employment.objects.current()
            .filter(user=obj)
            .values_list("position__unit__path", flat=True)
        )
    if isinstance(obj, Employment):
        return [obj.position.unit.path]
    if isinstance(obj, Substitution):
        return units_of(obj.absent)
    if isinstance(obj, RoleAssignment):
        return [obj.unit.path] if obj.unit is not None else []
    unit = getattr(obj, "unit", None)
    if isinstance(unit, OrgUnit):
        return [unit.path]
    return []


def has_role(user: Any, *roles: str) -> bool:
    """Return whether the user holds any of the roles, in any scope."""
    return any(g.role in roles for g in grants_of(user))


def role_covers(user: Any, roles: Iterable[str], obj: Any) -> bool:
    """Return whether one of the user's grants of these roles covers the object's unit."""
    wanted = set(roles)
    grants = [g for g in grants_of(user) if g.role in wanted]
    if not grants:
        return False
    if any(g.unit_path is None for g in grants):
        return True
    paths = units_of(obj)
    return any(g.covers(p) for g in grants for p in paths)


def everything() -> Q:
    """Return a filter that matches every row (and, unlike ``Q()``, survives an OR)."""
    return Q(pk__isnull=False)


def is_everything(q: Q) -> bool:
    """Return whether a scope filter from :func:`scope_q` is the city-wide "everything"."""
    return q == everything()


def scope_q(user: Any, roles: Iterable[str], path_field: str = "unit__path") -> Q:
    """Return a filter for the objects whose unit path the user's grants of these roles cover.

    The query-side twin of :func:`role_covers`, for lists: a match on everything with a
    city-wide grant, a match on nothing without any grant. "Everything" is a real
    condition, not an empty ``Q()``: an empty Q OR-ed with another one vanishes, which
    would silently narrow a city-wide view.
    """
    wanted = set(roles)
    grants = [g for g in grants_of(user) if g.role in wanted]
    if any(g.unit_path is None for g in grants):
        return everything()
    q = Q(pk__in=[])
    for g in grants:
        assert g.unit_path is not None
        lookup = "startswith" if g.include_subunits else "exact"
        q |= Q(**{f"{path_field}__{lookup}": g.unit_path})
    return q


def scoped(*roles: str) -> Any:
    """Predicate: with no object, the user holds a role; with one, a grant covers its unit."""

    def predicate(user: Any, obj: Any = None) -> bool:
        if obj is None:
            return has_role(user, *roles)
        return role_covers(user, roles, obj)

    return rule_predicate(predicate, name=f"scoped({','.join(roles)})")


def anywhere(*roles: str) -> Any:
    """Predicate: the user holds one of the roles in any scope (object ignored)."""

    def predicate(user: Any) -> bool:
        return has_role(user, *roles)

    return rule_predicate(predicate, name=f"anywhere({','.join(roles)})")


def citywide(*roles: str) -> Any:
    """Predicate: the user holds one of the roles for the whole city (no unit)."""

    def predicate(user: Any) -> bool:
        return any(g.role in roles and g.unit_path is None for g in grants_of(user))

    return rule_predicate(predicate, name=f"citywide({','.join(roles)})")


@rule_predicate
def is_staff_member(user: Any) -> bool:
    return bool(getattr(user, "is_staff", False)) and any(
        g.role in STAFF_ROLES for g in grants_of(user)
    )


@rule_predicate
def is_self(user: Any, obj: Any = None) -> bool:
    return obj is not None and getattr(obj, "pk", None) == getattr(user, "pk", object())


@rule_predicate
def is_system_superuser(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False))


def needs_second_factor(user: Any) -> bool:
    """Return whether the user must log in with TOTP (staff with personal-data access)."""
    return bool(getattr(user, "is_staff", False)) and has_role(user, *PERSONAL_DATA_ROLES)


# --- The rules --------------------------------------------------------------
staff = is_staff_member
admin = scoped(Role.ADMIN)

add_perm("core.access_staff", staff)
add_perm("core.view_audit", staff & anywhere(Role.SECURITY_OFFICER))
add_perm("core.export_audit", staff & anywhere(Role.SECURITY_OFFICER))
add_perm("core.manage_calendar", staff & citywide(Role.ADMIN))
add_perm("core.manage_classifiers", staff & citywide(Role.ADMIN))

# Organisation: anyone in staff reads the tree; administrators change it in their scope.
# A new unit is checked against its parent (CITY for a top-level unit); a move against
# both the unit and its new parent; a position against its unit.
add_perm("accounts.view_orgunit", staff)
add_perm("accounts.change_orgunit", staff & admin)
add_perm("accounts.import_orgunits", staff & citywide(Role.ADMIN))

# People: staff see the directory of staff (names, positions, units); a person's card
# holds personal data (phone, e-mail, roles) and is checked against the person's units.
add_perm("accounts.view_people", staff)
add_perm(
    "accounts.view_person",
    is_self | (staff & scoped(Role.ADMIN, Role.SECURITY_OFFICER, Role.HEAD)),
)
add_perm("accounts.change_person", staff & admin)
# Checked against the position the new person takes (CITY when placed nowhere).
add_perm("accounts.create_staff", staff & admin)
# Checked against the position (its unit).
add_perm("accounts.manage_employment", staff & admin)
# Checked against the unit of the role (CITY for a city-wide role).
add_perm("accounts.manage_roles", staff & admin)
# Checked against the absent person.
add_perm("accounts.manage_substitutions", staff & scoped(Role.ADMIN, Role.HEAD))
add_perm("accounts.create_token", is_system_superuser | (staff & anywhere(Role.ADMIN)))


def require(user: Any, perm: str, obj: Any = None) -> None:
    """Raise ApplicationError unless the user has the permission (for services)."""
    if not user.has_perm(perm, obj):
        raise ApplicationError("Недостатньо прав для цієї дії.", code="permission_denied")


# --- Programmes (hromada.programs) ---------------------------------------------------------
# Staff read programmes. A coordinator changes a programme (its measures, funding plans,
# indicators) and its reports within the scope of the programme's coordinator unit. The
# staff of a measure's responsible units record its activities, spending, indicator values
# and narratives. Checked against: an OrgUnit (a new programme coordinated by it), a
# Programme, a Measure or an entry (the measure's responsible units), a Report.


def _programme_of(obj: Any) -> Any:
    """Return the programme an object belongs to (itself for a programme), or None."""
    if hasattr(obj, "coordinator_unit"):
        return obj
    return getattr(obj, "programme", None)


@rule_predicate
def coordinates_programme(user: Any, obj: Any = None) -> bool:
    """With no object: holds the coordinator role; with one: it covers the programme's unit."""
    if obj is None:
        return has_role(user, Role.COORDINATOR)
    programme = _programme_of(obj)
    return role_covers(user, [Role.COORDINATOR], programme if programme is not None else obj)


programme_coordinator = staff & coordinates_programme
add_perm("programs.view_programme", staff)
add_perm("programs.add_programme", programme_coordinator)
add_perm("programs.import_programme", programme_coordinator)
add_perm("programs.change_programme", programme_coordinator)
add_perm(
    "programs.record_entry",
    staff & (coordinates_programme | scoped(Role.EXECUTOR, Role.HEAD, Role.COORDINATOR)),
)
add_perm("programs.manage_report", programme_coordinator)
add_perm("programs.approve_report", programme_coordinator)


# --- Control (hromada.control) ------------------------------------------------------------
# Objects: a Resolution (its unit is the controlled item's), an Assignment (the executor's
# unit and the item's), an ExtensionRequest, or the controlled item itself (a new resolution).
# "Acts for" = is the person, or substitutes for them today (accounts.Substitution).
_ACTING_ATTR = "_hromada_acting_for"


def acting_for_ids(user: Any) -> frozenset[int]:
    """Return the ids of the user and of everyone the user acts for today (cached per request)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, _ACTING_ATTR, None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    from hromada.accounts.models import Substitution

    ids = frozenset(
        {
            user.pk,
            *Substitution.objects.current()
            .filter(substitute=user)
            .values_list("absent_id", flat=True),
        }
    )
    setattr(user, _ACTING_ATTR, ids)
    return ids


def _acts_for_attr(attr: str) -> Any:
    def predicate(user: Any, obj: Any = None) -> bool:
        return obj is not None and getattr(obj, attr, None) in acting_for_ids(user)

    return rule_predicate(predicate, name=f"acts_for({attr})")


@rule_predicate
def takes_part_in_resolution(user: Any, obj: Any = None) -> bool:
    """The user wrote, entered or controls the resolution, or executes one of its assignments."""
    if obj is None:
        return False
    resolution = getattr(obj, "resolution", obj)
    ids = acting_for_ids(user)
    if {resolution.author_id, resolution.entered_by_id, resolution.controller_id} & ids:
        return True
    return bool(resolution.assignments.filter(executor_id__in=ids).exists())


@rule_predicate
def controls_top_level(user: Any, obj: Any = None) -> bool:
    """A controller covering the item's unit may review a top-level assignment."""
    if obj is None or getattr(obj, "parent_id", None) is not None:
        return False
    return role_covers(user, [Role.CONTROLLER], obj.resolution)


works_on = _acts_for_attr("executor_id")
add_perm(
    "control.view_resolution",
    staff & (takes_part_in_resolution | scoped(Role.HEAD, Role.CONTROLLER)),
)
add_perm(
    "control.view_assignment",
    staff
    & (
        works_on
        | _acts_for_attr("reviewer_id")
        | _acts_for_attr("assigned_by_id")
        | takes_part_in_resolution
        | scoped(Role.HEAD, Role.CONTROLLER)
    ),
)
# Checked against the controlled item; the service checks the author and executors further.
add_perm("control.add_resolution", staff & (anywhere(Role.HEAD) | scoped(Role.OPERATOR)))
add_perm("control.work_assignment", staff & works_on)
add_perm("control.delegate_assignment", staff & works_on & anywhere(Role.HEAD))
add_perm("control.review_assignment", staff & (_acts_for_attr("reviewer_id") | controls_top_level))
add_perm("control.decide_extension", staff & _acts_for_attr("decider_id"))
# Without an object: may open the statistics at all; with a unit: may see that unit's figures.
add_perm("control.view_statistics", staff & scoped(Role.HEAD, Role.CONTROLLER))


# --- Documents (hromada.documents) --------------------------------------------------------------
# A public document is open to all staff. One "for official use" or with personal data is
# open only to: the registering office (operators over its body), controllers and heads
# over its body, the people named on it (registered, addressed, prepared, signs, approves),
# the participants of its resolutions (author, controller, executors) and the heads over
# those executors. documents.selectors.visible_documents_q is the query-side twin.


def document_participant(user: Any, doc: Any) -> bool:
    """Return whether the user (or someone they act for) takes part in the document's work."""
    ids = acting_for_ids(user)
    if {doc.registered_by_id, doc.addressee_id, doc.author_id, doc.signer_id} & ids:
        return True
    from django.contrib.contenttypes.models import ContentType

    from hromada.control.models import Assignment, Resolution

    resolutions = Resolution.objects.filter(
        item_type=ContentType.objects.get_for_model(doc), item_id=doc.pk
    )
    if resolutions.filter(
        Q(author_id__in=ids) | Q(controller_id__in=ids) | Q(entered_by_id__in=ids)
    ).exists():
        return True
    assignments = Assignment.objects.filter(resolution__in=resolutions)
    if assignments.filter(executor_id__in=ids).exists():
        return True
    if has_role(user, Role.HEAD) and assignments.filter(scope_q(user, [Role.HEAD])).exists():
        return True
    return bool(doc.approvals.filter(official_id__in=ids).exists())


@rule_predicate
def may_see_document(user: Any, doc: Any = None) -> bool:
    if doc is None or doc.access == "public":
        return True
    if role_covers(user, [Role.OPERATOR, Role.CONTROLLER, Role.HEAD], doc):
        return True
    return document_participant(user, doc)


@rule_predicate
def executes_document(user: Any, doc: Any = None) -> bool:
    """The user executes an assignment under a resolution on the document."""
    if doc is None:
        return False
    from django.contrib.contenttypes.models import ContentType

    from hromada.control.models import Assignment

    return bool(
        Assignment.objects.filter(
            resolution__item_type=ContentType.objects.get_for_model(doc),
            resolution__item_id=doc.pk,
            executor_id__in=acting_for_ids(user),
        ).exists()
    )


registering_office = scoped(Role.OPERATOR)
add_perm("documents.view_document", staff & may_see_document)
# Checked against a Journal (its body).
add_perm("documents.register", staff & registering_office)
add_perm("documents.change_document", staff & registering_office)
add_perm(
    "documents.attach_file",
    staff & (registering_office | _acts_for_attr("author_id") | executes_document),
)
add_perm("documents.prepare_answer", staff & (registering_office | executes_document))
add_perm("documents.edit_draft", staff & (_acts_for_attr("author_id") | registering_office))
# Checked against an Approval.
add_perm("documents.approve", staff & _acts_for_attr("official_id"))
add_perm("documents.sign", staff & _acts_for_attr("signer_id"))
# Checked against a body (OrgUnit), a CaseFile or a DestructionAct.
add_perm("documents.manage_cases", staff & scoped(Role.OPERATOR, Role.ADMIN))
add_perm("documents.approve_destruction", staff & scoped(Role.HEAD))
# Checked against a body (OrgUnit) or a Journal (its body): its administrators and its
# registering office keep its journals.
add_perm("documents.manage_journals", staff & scoped(Role.ADMIN, Role.OPERATOR))
add_perm("documents.manage_correspondents", staff & anywhere(Role.OPERATOR, Role.ADMIN))


# --- Portal (hromada.portal) ---------------------------------------------------------------
# Staff of a resource's owner unit (editors, operators, heads, admins of that unit) keep its
# objects up to date; building passports are kept by the housing policy unit's staff.
_portal_keepers = scoped(Role.EDITOR, Role.OPERATOR, Role.HEAD, Role.ADMIN, Role.EXECUTOR)
add_perm("portal.change_objects", staff & _portal_keepers)
add_perm("portal.import_objects", staff & _portal_keepers)
add_perm("portal.change_schema", staff & scoped(Role.ADMIN))
add_perm("portal.change_passport", staff & anywhere(Role.EDITOR, Role.ADMIN))
# Visitor polls (опитування): created, edited and exported by editors and admins.
add_perm("portal.manage_polls", staff & anywhere(Role.EDITOR, Role.ADMIN))


# --- Citizens' appeals (hromada.appeals) ----------------------------------------------------
# An appeal carries personal data. It is open only to: its applicant (the citizen's own
# account), the registering office (operators over the appeal's body), controllers and heads
# over that body, the official it is addressed to, the participants of its resolutions
# (author, controller, executors) and the heads over those executors.
# appeals.selectors.visible_appeals_q is the query-side twin.


def resolution_participant(user: Any, item: Any) -> bool:
    """Return whether the user (or someone they act for) takes part in the item's resolutions."""
    from django.contrib.contenttypes.models import ContentType

    from hromada.control.models import Assignment, Resolution

    ids = acting_for_ids(user)
    resolutions = Resolution.objects.filter(
        item_type=ContentType.objects.get_for_model(item), item_id=item.pk
    )
    if resolutions.filter(
        Q(author_id__in=ids) | Q(controller_id__in=ids) | Q(entered_by_id__in=ids)
    ).exists():
        return True
    assignments = Assignment.objects.filter(resolution__in=resolutions)
    if assignments.filter(executor_id__in=ids).exists():
        return True
    return bool(
        has_role(user, Role.HEAD) and assignments.filter(scope_q(user, [Role.HEAD])).exists()
    )


@rule_predicate
def is_applicant(user: Any, appeal: Any = None) -> bool:
    return bool(
        appeal is not None
        and getattr(user, "is_authenticated", False)
        and appeal.applicant_id is not None
        and appeal.applicant_id == user.pk
    )


@rule_predicate
def may_see_appeal(user: Any, appeal: Any = None) -> bool:
    if appeal is None:
        return False
    if role_covers(user, [Role.OPERATOR, Role.CONTROLLER, Role.HEAD], appeal):
        return True
    if {appeal.registered_by_id, appeal.addressee_id} & acting_for_ids(user):
        return True
    return resolution_participant(user, appeal)


@rule_predicate
def executes_appeal(user: Any, appeal: Any = None) -> bool:
    if appeal is None:
        return False
    from django.contrib.contenttypes.models import ContentType

    from hromada.control.models import Assignment

    return bool(
        Assignment.objects.filter(
            resolution__item_type=ContentType.objects.get_for_model(appeal),
            resolution__item_id=appeal.pk,
            executor_id__in=acting_for_ids(user),
        ).exists()
    )


_appeals_office = scoped(Role.OPERATOR)
add_perm("appeals.view_appeal", is_applicant | (staff & may_see_appeal))
# Checked against a body (OrgUnit): register appeals in its journal.
add_perm("appeals.register", staff & _appeals_office)
# Card corrections, marks, forwarding, returning, not-considered decisions, mailbox drafts.
add_perm("appeals.change_appeal", staff & _appeals_office)
add_perm("appeals.extend_term", staff & scoped(Role.HEAD))
add_perm("appeals.prepare_answer", staff & (_appeals_office | executes_appeal | scoped(Role.HEAD)))
add_perm("appeals.sign_answer", staff & scoped(Role.HEAD))
add_perm("appeals.send_answer", staff & (_appeals_office | scoped(Role.HEAD)))
add_perm("appeals.mark_mass", staff & scoped(Role.OPERATOR, Role.CONTROLLER))
# Checked against a body or None: the statistics, reports and dashboards (no personal data).
add_perm(
    "appeals.view_statistics",
    staff & anywhere(Role.OPERATOR, Role.CONTROLLER, Role.HEAD, Role.SECURITY_OFFICER),
)
# Reception schedules, the reception journal and reception rooms: the office or the official.
add_perm("appeals.manage_receptions", staff & anywhere(Role.OPERATOR, Role.ADMIN))
add_perm("appeals.keep_reception_journal", staff & anywhere(Role.OPERATOR, Role.HEAD))
add_perm("appeals.read_mailbox", staff & anywhere(Role.OPERATOR))
# Retention (appeals.retention), checked against a body: the registering office proposes an
# act anonymising expired appeals, a head over the body approves it (the service refuses the
# proposer), the office or the head executes it. Acts list indexes only, no personal data.
add_perm("appeals.view_retention", staff & scoped(Role.OPERATOR, Role.HEAD, Role.CONTROLLER))
add_perm("appeals.propose_retention", staff & _appeals_office)
add_perm("appeals.approve_retention", staff & scoped(Role.HEAD))
add_perm("appeals.execute_retention", staff & scoped(Role.OPERATOR, Role.HEAD))


@rule_predicate
def is_reception_official(user: Any, obj: Any = None) -> bool:
    """The official of a reception room or schedule (or the official themself, a User)."""
    from hromada.accounts.models import User

    if obj is None:
        return False
    official_id = obj.pk if isinstance(obj, User) else getattr(obj, "official_id", None)
    return official_id is not None and official_id in acting_for_ids(user)


# Checked against a ReceptionRoom, a ReceptionSchedule or the official (a User): the
# reception office and administrators, or the official (and whoever acts for them).
add_perm(
    "appeals.change_reception",
    staff & (anywhere(Role.OPERATOR, Role.ADMIN) | is_reception_official),
)

# --- Portal editorial content (Wagtail CMS at /cms/, docs/content.md) -------------------
# The CMS is for editors (a unit's editors write in its sections; a city-wide editor is the
# press office, which approves and publishes) and city-wide administrators. Page, image and
# document rights inside the CMS come from Wagtail's groups, which follow these roles
# (hromada.content.services.editor_groups_sync). Banners are the press office's.
_press_office = citywide(Role.EDITOR)
add_perm("wagtailadmin.access_admin", staff & (anywhere(Role.EDITOR) | citywide(Role.ADMIN)))
for _action in ("add", "change", "delete", "view"):
    add_perm(f"content.{_action}_banner", staff & _press_office)
