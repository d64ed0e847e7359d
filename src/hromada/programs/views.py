"""Screens of programmes: the staff workspace (records, reports, progress) and the public pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hromada.accounts.models import User
from hromada.core.exceptions import ApplicationError
from hromada.programs import forms as pforms
from hromada.programs import services
from hromada.programs.importing import ImportFailed, parse_document, programme_import
from hromada.programs.models import Activity, Indicator, Measure, Programme, Report, SpendingEntry
from hromada.programs.periods import Period
from hromada.programs.rendering import (
    CONTENT_TYPES,
    FORMATS,
    ReportDocument,
    document_for_report,
)
from hromada.programs.rendering import render as render_document
from hromada.programs.selectors import (
    activities_of,
    default_quarter,
    in_period,
    measure_detail,
    measures_of,
    programme_progress,
    programmes_list,
    published_reports,
    spending_of,
)

View = Callable[..., HttpResponse]


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


PAGE_SIZE = 50


def staff_view(view: View) -> View:
    """Let in only logged-in staff who may read programmes."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm("programs.view_programme"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _require(request: HttpRequest, perm: str, obj: Any = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _apply_error(form: forms.Form, exc: ApplicationError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


def _download(document: ReportDocument, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    response = HttpResponse(render_document(document, fmt), content_type=CONTENT_TYPES[fmt])
    disposition = "inline" if fmt == "html" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{document.filename}.{fmt}"'
    return response


# --- staff: programmes ----------------------------------------------------------------------
@staff_view
def staff_list(request: HttpRequest) -> HttpResponse:
    """List programmes; coordinators add one by form or by importing a file."""
    return render(
        request,
        "programs/staff/list.html",
        {
            "programmes": programmes_list(),
            "can_add": request.user.has_perm("programs.add_programme"),
        },
    )


@staff_view
def programme_new(request: HttpRequest) -> HttpResponse:
    """Create a programme (then add its measures on its page)."""
    _require(request, "programs.add_programme")
    form = pforms.ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(actor=_actor(request), **form.cleaned_data)
        except ApplicationError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("Програму створено."))
            return redirect("programs:staff_detail", programme_id=programme.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "programs/staff/programme_form.html", {"form": form}, status=status)


@staff_view
def programme_import_view(request: HttpRequest) -> HttpResponse:
    """Import a programme with its data from a JSON/YAML file; show every problem found."""
    _require(request, "programs.add_programme")
    form = pforms.ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            data = parse_document(upload.read(), filename=upload.name)
            result = programme_import(actor=_actor(request), data=data)
        except ImportFailed as exc:
            problems = exc.problems
            form.add_error("file", exc.message)
        except ApplicationError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, f"Програму «{result.programme}» імпортовано.")
            return redirect("programs:staff_detail", programme_id=result.programme.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "programs/staff/import.html",
        {"form": form, "problems": problems},
        status=status,
    )


@staff_view
def staff_detail(request: HttpRequest, programme_id: int) -> HttpResponse:
    """Show a programme: its measures with plan and spending, its reports."""
    programme = get_object_or_404(
        Programme.objects.select_related("coordinator_unit"), pk=programme_id
    )
    quarter = default_quarter(programme)
    progress = programme_progress(programme=programme, quarter=Period(quarter.year, 4))
    can_change = request.user.has_perm("programs.change_programme", programme)
    can_report = request.user.has_perm("programs.manage_report", programme)
    return render(
        request,
        "programs/staff/detail.html",
        {
            "programme": programme,
            "progress": progress,
            "reports": programme.reports.order_by("-year", "-quarter", "-version"),
            "can_change": can_change,
            "can_report": can_report,
            "measure_form": pforms.MeasureForm() if can_change else None,
            "report_form": pforms.ReportCreateForm(programme=programme) if can_report else None,
        },
    )


@staff_view
@require_POST
def measure_new(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = get_object_or_404(Programme, pk=programme_id)
    _require(request, "programs.change_programme", programme)
    form = pforms.MeasureForm(request.POST)
    if form.is_valid():
        try:
            measure = services.measure_create(
                actor=_actor(request), programme=programme, **form.cleaned_data
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Захід №{measure.number} додано.")
    else:
        messages.error(
            request,
            "Перевірте дані заходу: "
            + "; ".join(str(e) for errors in form.errors.values() for e in errors),
        )
    return redirect("programs:staff_detail", programme_id=programme.pk)


# --- staff: a measure and its entries ----------------------------------------------------------
def _measure_forms(
    request: HttpRequest, programme: Programme, measure: Measure, bound: str = ""
) -> dict[str, Any]:
    data = request.POST if request.method == "POST" else None
    one = Measure.objects.filter(pk=measure.pk)
    initial = {"measure": measure.pk}
    indicators = Indicator.objects.filter(measure=measure, metric_key="")
    return {
        "activity_form": pforms.ActivityForm(
            data if bound == "activity" else None, measures=one, initial=initial, prefix="a"
        ),
        "spending_form": pforms.SpendingForm(
            data if bound == "spending" else None, measures=one, initial=initial, prefix="s"
        ),
        "value_form": pforms.IndicatorValueForm(
            data if bound == "value" else None,
            indicators=indicators,
            programme=programme,
            prefix="v",
        ),
        "narrative_form": pforms.NarrativeForm(
            data if bound == "narrative" else None,
            programme=programme,
            prefix="n",
            initial={"period": request.GET.get("period", str(programme.year_from))},
        ),
        "funding_form": pforms.FundingForm(
            data if bound == "funding" else None, programme=programme, prefix="f"
        ),
        "indicator_form": pforms.IndicatorForm(data if bound == "indicator" else None, prefix="i"),
    }


@staff_view
def measure_view(request: HttpRequest, programme_id: int, measure_id: int) -> HttpResponse:
    """Show a measure with its plan, indicators and entries; record new entries (POST)."""
    measure = get_object_or_404(Measure, pk=measure_id, programme_id=programme_id)
    programme = measure.programme
    bound = request.POST.get("form", "") if request.method == "POST" else ""
    ctx = _measure_forms(request, programme, measure, bound)
    if request.method == "POST":
        response = _measure_post(request, programme, measure, bound, ctx)
        if response is not None:
            return response
    measure = measure_detail(measure)
    narratives = {n.period.key: n for n in measure_narratives(measure)}
    period_key = request.GET.get("period") or str(programme.year_from)
    if "narrative_form" in ctx and not ctx["narrative_form"].is_bound:
        current = narratives.get(period_key)
        ctx["narrative_form"].initial["text"] = current.text if current else ""
    ctx.update(
        {
            "programme": programme,
            "measure": measure,
            "activities": activities_of(programme).filter(measure=measure)[:PAGE_SIZE],
            "activity_count": Activity.objects.filter(measure=measure).count(),
            "spending": spending_of(programme).filter(measure=measure)[:PAGE_SIZE],
            "values": measure_values(measure),
            "narratives": narratives,
            "can_record": request.user.has_perm("programs.record_entry", measure),
            "can_change": request.user.has_perm("programs.change_programme", programme),
        }
    )
    status = 400 if bound else 200
    return render(request, "programs/staff/measure.html", ctx, status=status)


def measure_narratives(measure: Measure) -> list[Any]:
    from hromada.programs.models import Narrative

    return list(Narrative.objects.filter(measure=measure).order_by("year", "quarter"))


def measure_values(measure: Measure) -> list[Any]:
    from hromada.programs.models import IndicatorValue

    return list(
        IndicatorValue.objects.filter(measure=measure)
        .select_related("indicator")
        .order_by("indicator__order", "year", "quarter")
    )


def _measure_post(
    request: HttpRequest, programme: Programme, measure: Measure, bound: str, ctx: dict[str, Any]
) -> HttpResponse | None:
    """Handle one of the measure page's forms; return a redirect on success."""
    names = {
        "activity": "activity_form",
        "spending": "spending_form",
        "value": "value_form",
        "narrative": "narrative_form",
        "funding": "funding_form",
        "indicator": "indicator_form",
    }
    if bound not in names:
        raise Http404
    form = ctx[names[bound]]
    perm = (
        "programs.change_programme"
        if bound in ("funding", "indicator")
        else "programs.record_entry"
    )
    _require(request, perm, measure)
    if not form.is_valid():
        return None
    data = form.cleaned_data
    actor = _actor(request)
    try:
        if bound == "activity":
            services.activity_create(actor=actor, programme=programme, **data)
            done = _("Захід (подію) записано.")
        elif bound == "spending":
            services.spending_create(actor=actor, programme=programme, **data)
            done = _("Видаток записано.")
        elif bound == "value":
            services.indicator_value_record(
                actor=actor,
                indicator=data["indicator"],
                period=Period.parse(data["period"]),
                actual=data["actual"],
                evidence=data["evidence"],
            )
            done = _("Значення показника записано.")
        elif bound == "narrative":
            services.narrative_set(
                actor=actor, measure=measure, period=Period.parse(data["period"]), text=data["text"]
            )
            done = _("Текст збережено.")
        elif bound == "funding":
            services.funding_set(actor=actor, measure=measure, **data)
            done = _("План фінансування збережено.")
        else:
            planned = data.pop("planned")
            indicator = services.indicator_create(
                actor=actor,
                measure=measure,
                targets={programme.year_from: planned} if planned else None,
                **data,
            )
            done = f"Показник «{indicator.name}» додано."
    except ApplicationError as exc:
        _apply_error(form, exc)
        return None
    messages.success(request, done)
    return redirect("programs:measure", programme_id=programme.pk, measure_id=measure.pk)


def _entry_edit(
    request: HttpRequest,
    entry: Activity | SpendingEntry,
    form_class: type[pforms.ActivityForm] | type[pforms.SpendingForm],
    fields: tuple[str, ...],
    update: Callable[..., Any],
    delete: Callable[..., Any],
) -> HttpResponse:
    programme = entry.programme
    _require(request, "programs.record_entry", entry.measure)
    measures = measures_of(programme)
    initial = {f: getattr(entry, f) for f in fields}
    form = form_class(request.POST or None, measures=measures, initial=initial)
    back = redirect("programs:measure", programme_id=programme.pk, measure_id=entry.measure_id)
    if request.method == "POST":
        if "delete" in request.POST:
            try:
                delete(actor=_actor(request), **{_arg(entry): entry})
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Запис видалено."))
            return back
        if form.is_valid():
            try:
                update(actor=_actor(request), **{_arg(entry): entry}, **form.cleaned_data)
            except ApplicationError as exc:
                _apply_error(form, exc)
            else:
                messages.success(request, _("Запис виправлено."))
                return back
    return render(
        request,
        "programs/staff/entry_form.html",
        {"form": form, "entry": entry, "programme": programme},
        status=400 if form.is_bound and form.errors else 200,
    )


def _arg(entry: Activity | SpendingEntry) -> str:
    return "activity" if isinstance(entry, Activity) else "entry"


@staff_view
def activity_edit(request: HttpRequest, activity_id: int) -> HttpResponse:
    """Correct or delete an activity."""
    activity = get_object_or_404(Activity.objects.select_related("programme"), pk=activity_id)
    return _entry_edit(
        request,
        activity,
        pforms.ActivityForm,
        ("measure", "type", "date", "title", "place", "participants", "attendance", "by_mayor"),
        services.activity_update,
        services.activity_delete,
    )


@staff_view
def spending_edit(request: HttpRequest, entry_id: int) -> HttpResponse:
    """Correct or delete a spending entry."""
    entry = get_object_or_404(SpendingEntry.objects.select_related("programme"), pk=entry_id)
    return _entry_edit(
        request,
        entry,
        pforms.SpendingForm,
        ("measure", "date", "amount", "source", "purpose"),
        services.spending_update,
        services.spending_delete,
    )


@staff_view
def activities_list(request: HttpRequest, programme_id: int) -> HttpResponse:
    """List a programme's activities, filtered by period and measure."""
    programme = get_object_or_404(Programme, pk=programme_id)
    qs = activities_of(programme).order_by("-date", "-pk")
    period_key = request.GET.get("period", "")
    if period_key:
        try:
            qs = in_period(qs, Period.parse(period_key))
        except ApplicationError:
            period_key = ""
    measure_id = request.GET.get("measure", "")
    if measure_id.isdigit():
        qs = qs.filter(measure_id=int(measure_id))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "programs/staff/activities.html",
        {
            "programme": programme,
            "page": page,
            "measures": measures_of(programme),
            "periods": pforms.period_choices(programme),
            "period_key": period_key,
            "measure_id": measure_id,
        },
    )


# --- staff: reports ------------------------------------------------------------------------------
@staff_view
@require_POST
def report_new(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = get_object_or_404(Programme, pk=programme_id)
    _require(request, "programs.manage_report", programme)
    form = pforms.ReportCreateForm(request.POST, programme=programme)
    if not form.is_valid():
        messages.error(request, _("Оберіть звітний період."))
        return redirect("programs:staff_detail", programme_id=programme.pk)
    try:
        report = services.report_create(
            actor=_actor(request),
            programme=programme,
            period=Period.parse(form.cleaned_data["period"]),
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("programs:staff_detail", programme_id=programme.pk)
    return redirect("programs:report", programme_id=programme.pk, report_id=report.pk)


@staff_view
def report_view(request: HttpRequest, programme_id: int, report_id: int) -> HttpResponse:
    """Show a report as it will print, with downloads and the workflow buttons."""
    report = get_object_or_404(
        Report.objects.select_related("programme"), pk=report_id, programme_id=programme_id
    )
    document = document_for_report(report)
    can_manage = request.user.has_perm("programs.manage_report", report)
    return render(
        request,
        "programs/staff/report.html",
        {
            "programme": report.programme,
            "report": report,
            "doc": document,
            "chart_svg": document.chart_svg() if document.bars else "",
            "can_manage": can_manage,
            "can_approve": request.user.has_perm("programs.approve_report", report),
            "approve_form": pforms.ApproveForm(),
            "is_latest": not Report.objects.filter(
                programme_id=report.programme_id,
                year=report.year,
                quarter=report.quarter,
                version__gt=report.version,
            ).exists(),
        },
    )


@staff_view
@require_POST
def report_action(
    request: HttpRequest, programme_id: int, report_id: int, action: str
) -> HttpResponse:
    """Move a report through its workflow: submit, return, approve, publish, new version."""
    report = get_object_or_404(Report, pk=report_id, programme_id=programme_id)
    actor = _actor(request)
    target = report
    try:
        if action == "submit":
            services.report_submit(actor=actor, report=report)
            done = _("Звіт подано на затвердження.")
        elif action == "return":
            services.report_return(
                actor=actor, report=report, reason=request.POST.get("reason", "")
            )
            done = _("Звіт повернуто на доопрацювання.")
        elif action == "approve":
            form = pforms.ApproveForm(request.POST)
            if not form.is_valid():
                raise ApplicationError(_("Вкажіть номер і дату рішення міської ради."))
            services.report_approve(actor=actor, report=report, **form.cleaned_data)
            done = _("Звіт затверджено; його дані зафіксовано.")
        elif action == "publish":
            services.report_publish(actor=actor, report=report)
            done = _("Звіт оприлюднено на порталі.")
        elif action == "new-version":
            target = services.report_create(
                actor=actor, programme=report.programme, period=report.period
            )
            done = f"Створено версію {target.version} звіту."
        else:
            raise Http404
    except ApplicationError as exc:
        if exc.code == "permission_denied":
            raise PermissionDenied from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("programs:report", programme_id=programme_id, report_id=target.pk)


@staff_view
def report_download(
    request: HttpRequest, programme_id: int, report_id: int, fmt: str
) -> HttpResponse:
    report = get_object_or_404(
        Report.objects.select_related("programme"), pk=report_id, programme_id=programme_id
    )
    return _download(document_for_report(report), fmt)


# --- staff: progress ---------------------------------------------------------------------
@staff_view
def progress(request: HttpRequest) -> HttpResponse:
    """Show spending vs plan and indicators vs targets per measure, and who has not reported."""
    programmes = list(programmes_list())
    chosen = None
    if request.GET.get("programme", "").isdigit():
        chosen = next((p for p in programmes if p.pk == int(request.GET["programme"])), None)
    chosen = chosen or (programmes[0] if programmes else None)
    data = None
    quarters: list[Period] = []
    if chosen is not None:
        quarter = default_quarter(chosen)
        try:
            asked = Period.parse(request.GET.get("quarter", ""))
            if asked.quarter and chosen.covers(asked):
                quarter = asked
        except ApplicationError:
            pass
        quarters = [Period(y, q) for y in chosen.years for q in (1, 2, 3, 4)]
        data = programme_progress(programme=chosen, quarter=quarter)
    return render(
        request,
        "programs/staff/progress.html",
        {"programmes": programmes, "chosen": chosen, "progress": data, "quarters": quarters},
    )


def progress_panel(request: HttpRequest) -> str | None:
    """Render the dashboard panel: this quarter's progress of the programmes running now,
    or, when none runs this year, the latest programmes and their reports."""
    from django.utils import timezone

    today = timezone.localdate()
    running = list(
        Programme.objects.filter(year_from__lte=today.year, year_to__gte=today.year).order_by(
            "title"
        )[:5]
    )
    rows = [programme_progress(programme=p, quarter=Period.quarter_of(today)) for p in running]
    latest = []
    if not rows:
        for programme in Programme.objects.order_by("-year_to", "title")[:3]:
            report = programme.reports.order_by("-year", "-quarter", "-version").first()
            latest.append({"programme": programme, "report": report})
    return render_to_string(
        "programs/staff/_progress_panel.html",
        {"rows": rows, "latest": latest, "today": today},
        request=request,
    )


# --- public ---------------------------------------------------------------------------------------
def public_list(request: HttpRequest) -> HttpResponse:
    """List the programmes' published reports."""
    return render(request, "programs/public/list.html", {"reports": published_reports()})


def _published(code: str, period_key: str) -> Report:
    try:
        period = Period.parse(period_key)
    except ApplicationError:
        raise Http404 from None
    report = (
        Report.objects.filter(
            programme__code=code,
            year=period.year,
            quarter=period.quarter,
            status=Report.Status.PUBLISHED,
        )
        .select_related("programme")
        .order_by("-version")
        .first()
    )
    if report is None:
        raise Http404
    return report


def public_report(request: HttpRequest, code: str, period_key: str) -> HttpResponse:
    """Show a published report."""
    report = _published(code, period_key)
    document = document_for_report(report)
    return render(
        request,
        "programs/public/report.html",
        {
            "report": report,
            "programme": report.programme,
            "doc": document,
            "chart_svg": document.chart_svg() if document.bars else "",
        },
    )


def public_download(request: HttpRequest, code: str, period_key: str, fmt: str) -> HttpResponse:
    report = _published(code, period_key)
    return _download(document_for_report(report), fmt)
