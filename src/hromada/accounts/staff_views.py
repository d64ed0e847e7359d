"""Staff workspace screens: the organisation tree, units, people, roles, substitutions, import."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hromada.accounts import importing, selectors, services
from hromada.accounts.models import (
    Employment,
    OrgUnit,
    Position,
    RoleAssignment,
    Substitution,
    User,
)
from hromada.accounts.permissions import CITY
from hromada.accounts.roles import Role
from hromada.accounts.staff_forms import (
    EmploymentForm,
    ImportForm,
    OrgUnitCreateForm,
    OrgUnitForm,
    OrgUnitMoveForm,
    PersonEditForm,
    PositionForm,
    RoleAssignForm,
    StaffCreateForm,
    SubstitutionForm,
)
from hromada.core.audit import audit_view
from hromada.core.exceptions import ApplicationError

PEOPLE_PER_PAGE = 25

View = TypeVar("View", bound=Callable[..., HttpResponse])


def staff_view(perm: str) -> Callable[[View], View]:
    """Require a logged-in member of staff holding `perm` (object checks follow in the view)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.has_perm("core.access_staff") or not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return cast(View, login_required(wrapper))

    return decorator


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _require(request: HttpRequest, perm: str, obj: Any) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


# --- organisation ----------------------------------------------------------------
@staff_view("accounts.view_orgunit")
def org_tree(request: HttpRequest) -> HttpResponse:
    """Render the organisation as a collapsible tree."""
    include_inactive = request.GET.get("inactive") == "1"
    return render(
        request,
        "accounts/org_tree.html",
        {
            "tree": selectors.orgunit_tree(include_inactive=include_inactive),
            "include_inactive": include_inactive,
            "can_create": request.user.has_perm("accounts.change_orgunit"),
            "can_import": request.user.has_perm("accounts.import_orgunits"),
        },
    )


@staff_view("accounts.view_orgunit")
def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    """Render a unit with its subunits, positions and the people holding them."""
    unit = get_object_or_404(OrgUnit.objects.select_related("parent"), pk=unit_id)
    user = request.user
    return render(
        request,
        "accounts/unit_detail.html",
        {
            "unit": unit,
            "ancestors": selectors.orgunit_ancestors(unit),
            "children": unit.children.order_by("-is_active", "order", "name"),
            "positions": selectors.positions_of_unit(unit),
            "can_change": user.has_perm("accounts.change_orgunit", unit),
            "can_add_staff": user.has_perm("accounts.create_staff", unit),
            # Everyone listed holds a position here: a grant over this unit covers them.
            "can_view_people": user.has_perm("accounts.view_person", unit),
        },
    )


@staff_view("accounts.change_orgunit")
def unit_create(request: HttpRequest) -> HttpResponse:
    """Create a unit (under ?parent=ID when given)."""
    initial: dict[str, Any] = {"order": 0}
    if parent_id := request.GET.get("parent", ""):
        initial["parent"] = (
            OrgUnit.objects.filter(pk=parent_id).first() if parent_id.isdigit() else None
        )
    form = OrgUnitCreateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            unit = services.orgunit_create(actor=_actor(request), **data)
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Підрозділ створено."))
            return redirect("accounts:unit_detail", unit_id=unit.pk)
    return _form_page(request, form, title=_("Новий підрозділ"))


@staff_view("accounts.view_orgunit")
def unit_edit(request: HttpRequest, unit_id: int) -> HttpResponse:
    """Edit a unit's own fields."""
    unit = get_object_or_404(OrgUnit, pk=unit_id)
    _require(request, "accounts.change_orgunit", unit)
    initial = {f: getattr(unit, f) for f in services.ORGUNIT_FIELDS}
    form = OrgUnitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.orgunit_update(actor=_actor(request), unit=unit, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Зміни збережено."))
            return redirect("accounts:unit_detail", unit_id=unit.pk)
    return _form_page(request, form, title=_("Редагування підрозділу"), unit=unit)


@staff_view("accounts.view_orgunit")
def unit_move(request: HttpRequest, unit_id: int) -> HttpResponse:
    """Move a unit with all its subunits under another parent."""
    unit = get_object_or_404(OrgUnit, pk=unit_id)
    _require(request, "accounts.change_orgunit", unit)
    form = OrgUnitMoveForm(request.POST or None, unit=unit, initial={"parent": unit.parent_id})
    if request.method == "POST" and form.is_valid():
        try:
            services.orgunit_move(
                actor=_actor(request), unit=unit, new_parent=form.cleaned_data["parent"]
            )
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Підрозділ переміщено разом з підпорядкованими."))
            return redirect("accounts:unit_detail", unit_id=unit.pk)
    return _form_page(request, form, title=_("Переміщення підрозділу"), unit=unit)


@require_POST
@staff_view("accounts.view_orgunit")
def unit_deactivate(request: HttpRequest, unit_id: int) -> HttpResponse:
    """Mark a unit as no longer operating."""
    unit = get_object_or_404(OrgUnit, pk=unit_id)
    _require(request, "accounts.change_orgunit", unit)
    try:
        services.orgunit_deactivate(actor=_actor(request), unit=unit)
    except ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Підрозділ позначено як такий, що припинив діяльність."))
    return redirect("accounts:unit_detail", unit_id=unit.pk)


@staff_view("accounts.view_orgunit")
def position_create(request: HttpRequest, unit_id: int) -> HttpResponse:
    """Add a position to a unit."""
    unit = get_object_or_404(OrgUnit, pk=unit_id)
    _require(request, "accounts.change_orgunit", unit)
    form = PositionForm(request.POST or None, initial={"order": 0})
    if request.method == "POST" and form.is_valid():
        try:
            services.position_create(actor=_actor(request), unit=unit, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Посаду додано."))
            return redirect("accounts:unit_detail", unit_id=unit.pk)
    return _form_page(request, form, title=_("Нова посада"), unit=unit)


@staff_view("accounts.view_orgunit")
def position_edit(request: HttpRequest, position_id: int) -> HttpResponse:
    """Edit a position."""
    position = get_object_or_404(Position.objects.select_related("unit"), pk=position_id)
    _require(request, "accounts.change_orgunit", position.unit)
    initial = {f: getattr(position, f) for f in services.POSITION_FIELDS}
    form = PositionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.position_update(actor=_actor(request), position=position, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Зміни збережено."))
            return redirect("accounts:unit_detail", unit_id=position.unit_id)
    return _form_page(request, form, title=_("Редагування посади"), unit=position.unit)


@staff_view("accounts.import_orgunits")
def org_import(request: HttpRequest) -> HttpResponse:
    """Upload a CSV or XLSX table of units or staff; show the errors or what was imported."""
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > settings.HROMADA_UPLOAD_MAX_BYTES:
                limit = settings.HROMADA_UPLOAD_MAX_BYTES // (1024 * 1024)
                form.add_error("file", _("Файл завеликий: не більше %(mb)s МБ.") % {"mb": limit})
            else:
                data = upload.read()
                if form.cleaned_data["kind"] == "staff":
                    result = importing.import_staff(
                        actor=_actor(request),
                        data=data,
                        filename=upload.name or "",
                        send_invitations=form.cleaned_data["send_invitations"],
                        base_url=_base_url(request),
                    )
                else:
                    result = importing.import_units(
                        actor=_actor(request), data=data, filename=upload.name or ""
                    )
        if not form.is_valid() or (result is not None and not result.ok):
            status = 400
    context = {
        "form": form,
        "result": result,
        "kinds": OrgUnit.Kind.choices,
        "roles": [(v, label) for v, label in Role.choices if v != Role.CITIZEN],
    }
    return render(request, "accounts/org_import.html", context, status=status)


# --- people -----------------------------------------------------------------------
@staff_view("accounts.view_people")
def people_list(request: HttpRequest) -> HttpResponse:
    """List staff with search by name, e-mail or phone; contacts only where permitted."""
    query = request.GET.get("q", "").strip()[:100]
    people = selectors.people_search(viewer=request.user, query=query)
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {"person": p, "contacts": request.user.has_perm("accounts.view_person", p)}
        for p in page.object_list
    ]
    return render(
        request,
        "accounts/people_list.html",
        {
            "page": page,
            "rows": rows,
            "q": query,
            "can_create": request.user.has_perm("accounts.create_staff"),
        },
    )


def _person_or_404(
    request: HttpRequest, person_id: int, perm: str = "accounts.view_person"
) -> User:
    person = get_object_or_404(User, pk=person_id)
    # Not "403": whether an id exists is not told to someone who may not see it.
    if not request.user.has_perm(perm, person):
        raise Http404
    return person


@staff_view("accounts.view_people")
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    """Render a person's card (personal data: the view is audited)."""
    _person_or_404(request, person_id)
    person = selectors.person_for_card(person_id=person_id)
    audit_view(request=request, target=person)
    user = request.user
    return render(
        request,
        "accounts/person_detail.html",
        {
            "person": person,
            "substitutions": selectors.substitutions_of(person),
            "can_change": user.has_perm("accounts.change_person", person),
            "can_manage_roles": user.has_perm("accounts.manage_roles"),
            "can_substitute": user.has_perm("accounts.manage_substitutions", person),
            "can_employ": user.has_perm("accounts.manage_employment"),
            "today": timezone.localdate(),
        },
    )


@staff_view("accounts.create_staff")
def person_create(request: HttpRequest) -> HttpResponse:
    """Create a staff account (optionally in a position); the person sets a password by e-mail."""
    unit = None
    if (unit_id := request.GET.get("unit", "")).isdigit():
        unit = OrgUnit.objects.filter(pk=unit_id).first()
    form = StaffCreateForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.user_create_staff(
                actor=_actor(request), base_url=_base_url(request), **form.cleaned_data
            )
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(
                request, _("Обліковий запис створено; посилання для входу надіслано на e-mail.")
            )
            return redirect("accounts:person_detail", person_id=person.pk)
    return _form_page(request, form, title=_("Новий працівник"), unit=unit)


@staff_view("accounts.view_people")
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    """Edit a person's personal data or switch the account off."""
    person = _person_or_404(request, person_id, "accounts.change_person")
    initial = {f: getattr(person, f) for f in services.PERSON_FIELDS}
    form = PersonEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(actor=_actor(request), person=person, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Зміни збережено."))
            return redirect("accounts:person_detail", person_id=person.pk)
    return _form_page(request, form, title=_("Редагування особових даних"), person=person)


@staff_view("accounts.manage_roles")
def role_assign(request: HttpRequest, person_id: int) -> HttpResponse:
    """Give a person a role over a unit or the whole city."""
    person = _person_or_404(request, person_id)
    form = RoleAssignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.role_assign(actor=_actor(request), user=person, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Роль надано."))
            return redirect("accounts:person_detail", person_id=person.pk)
    return _form_page(request, form, title=_("Надати роль"), person=person)


@require_POST
@staff_view("accounts.manage_roles")
def role_revoke(request: HttpRequest, person_id: int, assignment_id: int) -> HttpResponse:
    """Take a role away."""
    assignment = get_object_or_404(RoleAssignment, pk=assignment_id, user_id=person_id)
    _require(request, "accounts.manage_roles", assignment.unit or CITY)
    try:
        services.role_revoke(actor=_actor(request), assignment=assignment)
    except ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Роль відкликано."))
    return redirect("accounts:person_detail", person_id=person_id)


@staff_view("accounts.manage_substitutions")
def substitution_create(request: HttpRequest, person_id: int) -> HttpResponse:
    """Name who acts for this person while they are absent."""
    absent = _person_or_404(request, person_id, "accounts.manage_substitutions")
    form = SubstitutionForm(request.POST or None, absent=absent)
    if request.method == "POST" and form.is_valid():
        try:
            services.substitution_create(actor=_actor(request), absent=absent, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Заміщення призначено."))
            return redirect("accounts:person_detail", person_id=absent.pk)
    return _form_page(request, form, title=_("Призначити заміщення"), person=absent)


@require_POST
@staff_view("accounts.manage_substitutions")
def substitution_cancel(request: HttpRequest, person_id: int, substitution_id: int) -> HttpResponse:
    """Cancel a substitution from today."""
    substitution = get_object_or_404(
        Substitution.objects.select_related("absent"), pk=substitution_id, absent_id=person_id
    )
    _require(request, "accounts.manage_substitutions", substitution.absent)
    try:
        services.substitution_cancel(actor=_actor(request), substitution=substitution)
    except ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Заміщення скасовано."))
    return redirect("accounts:person_detail", person_id=person_id)


@staff_view("accounts.manage_employment")
def employment_start(request: HttpRequest, person_id: int) -> HttpResponse:
    """Put a person in a position."""
    person = get_object_or_404(User, pk=person_id)
    form = EmploymentForm(request.POST or None, initial={"start": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.employment_start(actor=_actor(request), user=person, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Працівника призначено на посаду."))
            return redirect("accounts:person_detail", person_id=person.pk)
    return _form_page(request, form, title=_("Призначити на посаду"), person=person)


@require_POST
@staff_view("accounts.manage_employment")
def employment_end(request: HttpRequest, person_id: int, employment_id: int) -> HttpResponse:
    """End a person's time in a position today."""
    employment = get_object_or_404(
        Employment.objects.select_related("position__unit"), pk=employment_id, user_id=person_id
    )
    _require(request, "accounts.manage_employment", employment.position)
    try:
        services.employment_end(actor=_actor(request), employment=employment)
    except ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Перебування на посаді завершено."))
    return redirect("accounts:person_detail", person_id=person_id)


def _form_page(request: HttpRequest, form: Any, *, title: str, **context: Any) -> HttpResponse:
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "accounts/form_page.html",
        {"form": form, "title": title, **context},
        status=status,
    )
