"""Staff screens of execution control: my work, assignments, resolutions, discipline."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hromada.accounts.models import OrgUnit, User
from hromada.accounts.permissions import acting_for_ids, grants_of, has_role, role_covers
from hromada.accounts.roles import Role
from hromada.control import export, selectors, services
from hromada.control.forms import (
    DecideExtensionForm,
    DelegateForm,
    ExtensionForm,
    PeriodForm,
    ReportForm,
    ResolutionForm,
    ReviewForm,
)
from hromada.control.http import (
    actor,
    go_back,
    int_param,
    is_htmx,
    require_or_403,
    require_or_404,
    staff_view,
)
from hromada.control.models import Assignment, ExtensionRequest, Resolution
from hromada.control.types import controlled_type
from hromada.core.audit import audit_view
from hromada.core.exceptions import ApplicationError

State = Assignment.State
PAGE_SIZE = 50


# --- my work -------------------------------------------------------------------------------------
@staff_view
@require_GET
def my_work(request: HttpRequest) -> HttpResponse:
    """Render what waits for the user: overdue, due soon, to review, to decide, to resolve."""
    work = selectors.my_work(user=request.user)
    counts = selectors.my_counts(user=request.user)
    shown = len(work.overdue) + len(work.due_soon) + len(work.later)
    return render(
        request,
        "control/my_work.html",
        {
            "work": work,
            "today": timezone.localdate(),
            "counts": counts,
            "not_shown": max(counts["total"] - shown, 0),
        },
    )


def my_work_panel(request: HttpRequest) -> str | None:
    """Render the dashboard panel "Моя робота": counts with a link."""
    counts = selectors.my_counts(user=request.user)
    return render_to_string("control/_panel_my_work.html", {"counts": counts}, request=request)


# The overdue-by-unit figures change slowly and cost a count over every open assignment
# in the viewer's scope: the dashboard shows them at most this many seconds old.
OVERDUE_PANEL_CACHE_SECONDS = 300


def overdue_panel(request: HttpRequest) -> str | None:
    """Render the dashboard panel of overdue assignments by unit (heads and controllers)."""
    grants = sorted(
        (g.role, g.unit_path or "", g.include_subunits)
        for g in grants_of(request.user)
        if g.role in (Role.HEAD, Role.CONTROLLER)
    )
    scope = hashlib.sha256(repr(grants).encode()).hexdigest()[:32]
    key = f"control:overdue-by-unit:{timezone.localdate()}:{scope}"
    rows = cache.get_or_set(
        key, lambda: selectors.overdue_by_unit(viewer=request.user), OVERDUE_PANEL_CACHE_SECONDS
    )
    return render_to_string("control/_panel_overdue.html", {"rows": rows}, request=request)


# --- assignments ---------------------------------------------------------------------------------
def _visible_assignment(request: HttpRequest, assignment_id: int) -> Assignment:
    assignment = selectors.assignment_for_page(assignment_id)
    if assignment is None:
        raise Http404
    require_or_404(request, "control.view_assignment", assignment)
    return assignment


def _detail_context(request: HttpRequest, assignment: Assignment, **forms: Any) -> dict[str, Any]:
    user = request.user
    resolution = assignment.resolution
    can_work = user.has_perm("control.work_assignment", assignment)
    pending = [
        e for e in assignment.extension_requests.all() if e.state == ExtensionRequest.State.PENDING
    ]
    controlled = controlled_type(resolution.control_type)
    item = resolution.item
    return {
        "a": assignment,
        "resolution": resolution,
        "item": item,
        "item_visible": bool(item and controlled and controlled.can_view(user, item)),
        "tree": selectors.assignment_tree(selectors.resolution_assignments(resolution)),
        "can_work": can_work,
        "can_report": can_work
        and assignment.state in (State.ACCEPTED, State.IN_PROGRESS, State.RETURNED),
        "can_delegate": user.has_perm("control.delegate_assignment", assignment)
        and assignment.state in Assignment.OWED_STATES,
        "can_extend": can_work and assignment.is_open and not pending,
        "can_review": assignment.state == State.REPORTED
        and user.has_perm("control.review_assignment", assignment),
        "decidable": [e for e in pending if user.has_perm("control.decide_extension", e)],
        "report_form": forms.get("report_form") or ReportForm(),
        "review_form": forms.get("review_form") or ReviewForm(),
        "extension_form": forms.get("extension_form") or ExtensionForm(),
        "today": timezone.localdate(),
    }


@staff_view
@require_GET
def assignment_detail(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """Render an assignment: the resolution, the tree, reports, extensions and actions."""
    assignment = _visible_assignment(request, assignment_id)
    audit_view(request=request, target=assignment)
    return render(request, "control/assignment_detail.html", _detail_context(request, assignment))


def _after_action(request: HttpRequest, assignment: Assignment, message: str) -> HttpResponse:
    if is_htmx(request):
        fresh = selectors.assignment_for_page(assignment.pk)
        return render(
            request,
            "control/_assignment_row.html",
            {"a": fresh, "today": timezone.localdate(), "flash": message, "section": "mine"},
        )
    messages.success(request, message)
    return go_back(request, reverse("control:assignment_detail", args=[assignment.pk]))


def _error(request: HttpRequest, assignment: Assignment, exc: ApplicationError) -> HttpResponse:
    if is_htmx(request):
        fresh = selectors.assignment_for_page(assignment.pk)
        return render(
            request,
            "control/_assignment_row.html",
            {"a": fresh, "today": timezone.localdate(), "error": str(exc), "section": "mine"},
        )
    messages.error(request, str(exc))
    return go_back(request, reverse("control:assignment_detail", args=[assignment.pk]))


@staff_view
@require_POST
def assignment_accept(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """Accept an assignment for execution (htmx: answer with the updated row)."""
    assignment = _visible_assignment(request, assignment_id)
    require_or_403(request, "control.work_assignment", assignment)
    try:
        services.assignment_accept(assignment_id=assignment.pk, actor=actor(request))
    except ApplicationError as exc:
        return _error(request, assignment, exc)
    return _after_action(request, assignment, _("Доручення прийнято до виконання."))


@staff_view
@require_POST
def assignment_start(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """Mark an assignment as being worked on (htmx: answer with the updated row)."""
    assignment = _visible_assignment(request, assignment_id)
    require_or_403(request, "control.work_assignment", assignment)
    try:
        services.assignment_start(assignment_id=assignment.pk, actor=actor(request))
    except ApplicationError as exc:
        return _error(request, assignment, exc)
    return _after_action(request, assignment, _("Розпочато виконання."))


@staff_view
@require_POST
def assignment_report(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """Submit a report (text and files) on an assignment."""
    assignment = _visible_assignment(request, assignment_id)
    require_or_403(request, "control.work_assignment", assignment)
    form = ReportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.assignment_report(
                assignment_id=assignment.pk,
                actor=actor(request),
                text=form.cleaned_data["text"],
                files=request.FILES.getlist("files"),
            )
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Звіт надано."))
            return redirect("control:assignment_detail", assignment_id=assignment.pk)
    return render(
        request,
        "control/assignment_detail.html",
        _detail_context(request, assignment, report_form=form),
        status=400,
    )


@staff_view
@require_POST
def assignment_review(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """Accept the report (done; off control when all are done) or return it for rework."""
    assignment = _visible_assignment(request, assignment_id)
    require_or_403(request, "control.review_assignment", assignment)
    form = ReviewForm(request.POST)
    if form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        try:
            services.assignment_review(
                assignment_id=assignment.pk,
                actor=actor(request),
                accept=accept,
                note=form.cleaned_data["note"],
            )
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            if is_htmx(request):
                return HttpResponse(
                    render_to_string(
                        "control/_review_done.html",
                        {"a": assignment, "accepted": accept},
                        request=request,
                    )
                )
            messages.success(
                request, _("Звіт прийнято.") if accept else _("Звіт повернуто на доопрацювання.")
            )
            return go_back(request, reverse("control:assignment_detail", args=[assignment.pk]))
    return render(
        request,
        "control/assignment_detail.html",
        _detail_context(request, assignment, review_form=form),
        status=400,
    )


@staff_view
def assignment_delegate(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """Pass an assignment on to subordinates with a nearer due date."""
    assignment = _visible_assignment(request, assignment_id)
    require_or_403(request, "control.delegate_assignment", assignment)
    candidates = selectors.executor_choices(assignment.executor).exclude(pk=assignment.executor_id)
    form = DelegateForm(
        request.POST or None,
        executors=candidates,
        initial={"due_date": assignment.due_date},
    )
    if request.method == "POST" and form.is_valid():
        chosen = list(form.cleaned_data["executors"])
        # Keep the order the people were listed in the request (the first is responsible).
        order = {int(v): i for i, v in enumerate(request.POST.getlist("executors")) if v.isdigit()}
        chosen.sort(key=lambda u: order.get(u.pk, 0))
        try:
            services.assignment_delegate(
                assignment_id=assignment.pk,
                actor=actor(request),
                executors=chosen,
                due_date=form.cleaned_data["due_date"],
                text=form.cleaned_data["text"],
            )
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Доручення передано виконавцям."))
            return redirect("control:assignment_detail", assignment_id=assignment.pk)
    return render(
        request,
        "control/form_page.html",
        {
            "form": form,
            "title": _("Доручити виконання"),
            "lead": assignment.resolution.item_title,
            "cancel": reverse("control:assignment_detail", args=[assignment.pk]),
        },
        status=400 if form.errors else 200,
    )


@staff_view
@require_POST
def assignment_extension(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """Ask for an extension of the due date."""
    assignment = _visible_assignment(request, assignment_id)
    require_or_403(request, "control.work_assignment", assignment)
    form = ExtensionForm(request.POST)
    if form.is_valid():
        try:
            services.extension_request(
                assignment_id=assignment.pk,
                actor=actor(request),
                new_due_date=form.cleaned_data["new_due_date"],
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Прохання про продовження строку надіслано."))
            return redirect("control:assignment_detail", assignment_id=assignment.pk)
    return render(
        request,
        "control/assignment_detail.html",
        _detail_context(request, assignment, extension_form=form),
        status=400,
    )


@staff_view
@require_POST
def extension_decide(request: HttpRequest, request_id: int) -> HttpResponse:
    """Approve or reject an extension request."""
    extension = get_object_or_404(ExtensionRequest, pk=request_id)
    require_or_404(request, "control.decide_extension", extension)
    form = DecideExtensionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Оберіть рішення."))
    else:
        try:
            services.extension_decide(
                request_id=extension.pk,
                actor=actor(request),
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
        except ApplicationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Рішення щодо строку збережено."))
    return go_back(request, reverse("control:assignment_detail", args=[extension.assignment_id]))


# --- resolutions ----------------------------------------------------------------------------------
def _author_choices(request: HttpRequest, item: Any) -> Any:
    user = request.user
    ids = set(acting_for_ids(user))
    heads = User.objects.filter(role_assignments__role=Role.HEAD, is_active=True).distinct()
    if role_covers(user, [Role.OPERATOR], item):
        return heads.order_by("surname", "given_name")
    return heads.filter(pk__in=ids).order_by("surname", "given_name")


def _controller_choices(item: Any) -> Any:
    unit: OrgUnit = item.unit
    ancestors = [int(p) for p in unit.path.strip("/").split("/") if p]
    from django.db.models import Q

    return (
        User.objects.filter(
            Q(role_assignments__unit__isnull=True)
            | Q(role_assignments__unit_id=unit.pk)
            | Q(role_assignments__unit_id__in=ancestors, role_assignments__include_subunits=True),
            role_assignments__role=Role.CONTROLLER,
            is_active=True,
        )
        .distinct()
        .order_by("surname", "given_name")
    )


@staff_view
def resolution_create(request: HttpRequest, type_key: str, item_id: int) -> HttpResponse:
    """Give a resolution on a controlled item."""
    controlled = controlled_type(type_key)
    if controlled is None:
        raise Http404
    item = controlled.model._default_manager.filter(pk=item_id).first()
    if item is None or not controlled.can_view(request.user, item):
        raise Http404
    require_or_403(request, "control.add_resolution", item)
    authors = _author_choices(request, item)
    default_author = authors.filter(pk=request.user.pk).first() or (
        getattr(item, "addressee", None)
        if authors.filter(pk=getattr(item, "addressee_id", None)).exists()
        else None
    )
    chosen_author_id = request.POST.get("author") or (default_author.pk if default_author else "")
    author = (
        authors.filter(pk=chosen_author_id).first() if str(chosen_author_id).isdigit() else None
    )
    executors = (
        selectors.executor_choices(author)
        if author is not None
        else User.objects.filter(is_active=True, is_staff=True).order_by("surname", "given_name")
    )
    form = ResolutionForm(
        request.POST or None,
        authors=authors,
        executors=executors,
        controllers=_controller_choices(item),
        initial={"author": default_author, "on_control": True},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            resolution = services.resolution_create(
                item=item,
                actor=actor(request),
                author=data["author"],
                text=data["text"],
                executors=data["executors"],
                due_date=data["due_date"],
                term_days=data["term_days"],
                term_kind=data["term_kind"],
                on_control=data["on_control"],
                controller=data["controller"],
            )
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Резолюцію внесено, виконавців повідомлено."))
            return redirect(resolution.item.get_absolute_url())  # type: ignore[union-attr]
    return render(
        request,
        "control/resolution_form.html",
        {"form": form, "item": item, "controlled": controlled},
        status=400 if form.errors else 200,
    )


@staff_view
@require_GET
def resolution_detail(request: HttpRequest, resolution_id: int) -> HttpResponse:
    """Render a resolution with its assignment tree."""
    resolution = get_object_or_404(
        Resolution.objects.select_related("author", "controller", "unit", "removed_by"),
        pk=resolution_id,
    )
    require_or_404(request, "control.view_resolution", resolution)
    controlled = controlled_type(resolution.control_type)
    item = resolution.item
    resolution.tree = selectors.assignment_tree(  # type: ignore[attr-defined]
        selectors.resolution_assignments(resolution)
    )
    return render(
        request,
        "control/resolution_detail.html",
        {
            "resolution": resolution,
            "item": item,
            "item_visible": bool(item and controlled and controlled.can_view(request.user, item)),
            "today": timezone.localdate(),
        },
    )


# --- discipline -----------------------------------------------------------------------------------
def _period(request: HttpRequest) -> tuple[PeriodForm, Any, Any]:
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    return form, start, end


def _stats_unit(request: HttpRequest) -> OrgUnit | None:
    unit_id = int_param(request, "unit")
    if unit_id is None:
        return None
    unit = get_object_or_404(OrgUnit, pk=unit_id)
    require_or_404(request, "control.view_statistics", unit)
    return unit


@staff_view
@require_GET
def discipline(request: HttpRequest) -> HttpResponse:
    """Render the execution discipline per unit (or per person of a unit) for a period."""
    require_or_403(request, "control.view_statistics")
    form, start, end = _period(request)
    unit = _stats_unit(request)
    if unit is None:
        rows = selectors.discipline_by_unit(viewer=request.user, start=start, end=end)
    else:
        rows = selectors.discipline_by_person(
            viewer=request.user, start=start, end=end, unit_id=unit.pk
        )
    return render(
        request,
        "control/discipline.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "unit": unit,
            "rows": rows,
            "total": selectors.discipline_total(rows),
            "by_person": unit is not None,
        },
    )


@staff_view
@require_GET
def discipline_list(request: HttpRequest) -> HttpResponse:
    """List the assignments behind one figure of the statistics."""
    require_or_403(request, "control.view_statistics")
    form, start, end = _period(request)
    unit = _stats_unit(request)
    category = request.GET.get("category", "due")
    if category not in selectors.CATEGORIES:
        category = "due"
    executor_id = int_param(request, "executor")
    items = selectors.discipline_assignments(
        viewer=request.user,
        start=start,
        end=end,
        unit_id=unit.pk if unit else None,
        executor_id=executor_id,
        category=category,
    )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "control/discipline_list.html",
        {
            "form": form,
            "page": page,
            "unit": unit,
            "category": category,
            "start": start,
            "end": end,
            "query": query.urlencode(),
            "today": timezone.localdate(),
        },
    )


@staff_view
@require_GET
def discipline_export(request: HttpRequest) -> HttpResponse:
    """Download the statistics (per unit and per person) as an XLSX workbook."""
    require_or_403(request, "control.view_statistics")
    _, start, end = _period(request)
    unit = _stats_unit(request)
    by_unit = selectors.discipline_by_unit(viewer=request.user, start=start, end=end)
    by_person = selectors.discipline_by_person(
        viewer=request.user, start=start, end=end, unit_id=unit.pk if unit else None
    )
    content = export.discipline_xlsx(start=start, end=end, by_unit=by_unit, by_person=by_person)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="discipline-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"'
    )
    return response


def user_is_head_or_controller(user: Any) -> bool:
    return has_role(user, Role.HEAD, Role.CONTROLLER)
