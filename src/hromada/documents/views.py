"""Staff screens of the document workflow."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from hromada.accounts.models import OrgUnit, User
from hromada.accounts.permissions import has_role, scope_q
from hromada.accounts.roles import Role
from hromada.control.http import (
    actor,
    int_param,
    require_or_403,
    require_or_404,
    staff_view,
)
from hromada.control.selectors import resolutions_for_item
from hromada.core.audit import audit_view
from hromada.core.exceptions import ApplicationError
from hromada.documents import selectors, services
from hromada.documents.forms import (
    AnswerForm,
    AttachForm,
    CardForm,
    CaseForm,
    CorrespondentForm,
    JournalForm,
    RegisterForm,
    SearchForm,
    VersionForm,
    correspondent_label,
)
from hromada.documents.models import (
    Approval,
    CaseFile,
    Correspondent,
    DestructionAct,
    Document,
    DocumentFile,
    DocumentLink,
    FileVersion,
    Journal,
)
from hromada.documents.pagination import COUNT_CAP, CappedPaginator

PAGE_SIZE = 50
INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "image/webp"})


def _heads() -> Any:
    return (
        User.objects.filter(role_assignments__role=Role.HEAD, is_active=True)
        .distinct()
        .order_by("surname", "given_name")
    )


def _visible_document(request: HttpRequest, document_id: int) -> Document:
    document = selectors.document_for_page(document_id)
    if document is None:
        raise Http404
    require_or_404(request, "documents.view_document", document)
    return document


# --- list and search --------------------------------------------------------------------------
@staff_view
@require_GET
def document_list(request: HttpRequest) -> HttpResponse:
    """List and search the documents the user may see."""
    form = SearchForm(request.GET or None, journals=selectors.journals_visible(request.user))
    criteria = selectors.DocumentFilter()
    if form.is_valid():
        data = form.cleaned_data
        criteria = selectors.DocumentFilter(
            query=data["q"] or "",
            journal_id=data["journal"].pk if data["journal"] else None,
            direction=data["direction"] or "",
            start=data["start"],
            end=data["end"],
            correspondent_id=data["correspondent"],
            executor_id=data["executor"],
            case_id=data["case"],
            control=data["control"] or "",
        )
    items = selectors.documents_list(user=request.user, criteria=criteria)
    page = CappedPaginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "documents/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_register": request.user.has_perm("documents.register"),
            "can_manage_journals": request.user.has_perm("documents.manage_journals"),
            "count_cap": COUNT_CAP,
        },
    )


# --- registration -------------------------------------------------------------------------------
def _register_form(request: HttpRequest, data: Any = None, files: Any = None) -> RegisterForm:
    journals = selectors.journals_for_registration(request.user).exclude(kind=Journal.Kind.OUTGOING)
    bodies = list({j.body_id for j in journals})
    year = timezone.localdate().year
    cases = CaseFile.objects.filter(
        body_id__in=bodies, year=year, state=CaseFile.State.OPEN
    ).order_by("index")
    initial: dict[str, Any] = {
        "received_date": timezone.localdate(),
        "channel": Document.Channel.POST,
        "doc_kind": "лист",
        "access": Document.Access.PUBLIC,
        "pages": 1,
        "attachments_count": 0,
    }
    if (journal_id := int_param(request, "journal")) is not None:
        initial["journal"] = journal_id
    return RegisterForm(
        data, files, journals=journals, addressees=_heads(), cases=cases, initial=initial
    )


def _linked_document(request: HttpRequest, index: str) -> Document | None:
    return (
        selectors.visible_documents(request.user)
        .filter(reg_index__iexact=index.strip())
        .order_by("-reg_date", "-pk")
        .first()
    )


@staff_view
def register(request: HttpRequest) -> HttpResponse:
    """Register an incoming or internal document (keyboard-first: one form, Enter submits)."""
    require_or_403(request, "documents.register")
    if request.method != "POST":
        return render(request, "documents/register.html", _register_context(request))
    form = _register_form(request, request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        linked = None
        if data.get("link_kind"):
            linked = _linked_document(request, data["link_index"])
            if linked is None:
                form.add_error("link_index", _("Документ з таким індексом не знайдено."))
        if not form.errors:
            try:
                document = _register(request, data, linked)
            except ApplicationError as exc:
                form.add_application_error(exc)
            else:
                messages.success(
                    request,
                    _("Документ зареєстровано: № %(index)s від %(date)s.")
                    % {"index": document.reg_index, "date": f"{document.reg_date:%d.%m.%Y}"},
                )
                return redirect(
                    f"{reverse('documents:register')}?journal={document.journal_id}"
                    f"&last={document.pk}"
                )
    return render(request, "documents/register.html", _register_context(request, form), status=400)


@transaction.atomic
def _register(request: HttpRequest, data: dict[str, Any], linked: Document | None) -> Document:
    correspondent = data["correspondent"]
    if isinstance(correspondent, str):
        correspondent = services.correspondent_create(
            actor=actor(request), kind=data["new_correspondent"], name=correspondent
        )
    card = services.Card(
        summary=data["summary"],
        doc_kind=data["doc_kind"],
        correspondent=correspondent,
        correspondent_number=data["correspondent_number"],
        correspondent_date=data["correspondent_date"],
        received_date=data["received_date"],
        channel=data["channel"],
        pages=data["pages"] or 0,
        attachments_count=data["attachments_count"] or 0,
        access=data["access"],
        case_file=data["case_file"],
        addressee=data["addressee"],
        answer_to=linked if data.get("link_kind") == DocumentLink.Kind.ANSWER_TO else None,
        follow_up_of=linked if data.get("link_kind") == DocumentLink.Kind.FOLLOW_UP else None,
    )
    return services.document_register(
        journal=data["journal"],
        actor=actor(request),
        card=card,
        files=request.FILES.getlist("files"),
    )


def _register_context(request: HttpRequest, form: RegisterForm | None = None) -> dict[str, Any]:
    last = None
    if (last_id := int_param(request, "last")) is not None:
        last = Document.objects.filter(pk=last_id, registered_by_id=request.user.pk).first()
    frequent = Correspondent.objects.filter(is_active=True).order_by("-updated_at")[:30]
    return {
        "form": form or _register_form(request),
        "last": last,
        "options": [correspondent_label(c) for c in frequent],
    }


@staff_view
@require_GET
def correspondent_suggest(request: HttpRequest) -> HttpResponse:
    """Return <option>s of correspondents matching ?correspondent= (htmx datalist)."""
    query = (request.GET.get("correspondent") or request.GET.get("q") or "")[:100]
    found = selectors.correspondents_search(query) if query.strip() else []
    return render(
        request,
        "documents/_correspondent_options.html",
        {"options": [correspondent_label(c) for c in found]},
    )


# --- the card ------------------------------------------------------------------------------------
@staff_view
@require_GET
def document_detail(request: HttpRequest, document_id: int) -> HttpResponse:
    """Render a document's card: files, links, resolutions, approvals and actions (audited)."""
    document = _visible_document(request, document_id)
    audit_view(request=request, target=document)
    return render(request, "documents/detail.html", _detail_context(request, document))


def _detail_context(request: HttpRequest, document: Document, **extra: Any) -> dict[str, Any]:
    user = request.user
    resolutions = resolutions_for_item(document)
    pending = [a for a in document.approvals.all() if a.state == Approval.State.PENDING]
    next_approval = pending[0] if pending else None
    today = timezone.localdate()
    can_register_out = document.state == Document.State.SIGNED and user.has_perm(
        "documents.register", document.journal
    )
    return {
        "doc": document,
        "resolutions": resolutions,
        "today": today,
        "can_resolve": document.reg_date is not None
        and document.direction != Journal.Kind.OUTGOING
        and document.state not in (Document.State.EXECUTED,)
        and user.has_perm("control.add_resolution", document)
        and has_role(user, Role.HEAD, Role.OPERATOR),
        "can_attach": user.has_perm("documents.attach_file", document),
        "can_edit_card": document.reg_date is not None
        and user.has_perm("documents.change_document", document),
        "can_answer": document.direction == Journal.Kind.INCOMING
        and document.state != Document.State.EXECUTED
        and user.has_perm("documents.prepare_answer", document),
        "can_submit": document.state == Document.State.DRAFT
        and user.has_perm("documents.edit_draft", document),
        "my_approval": next_approval
        if next_approval is not None
        and document.state == Document.State.ON_APPROVAL
        and user.has_perm("documents.approve", next_approval)
        else None,
        "can_sign": document.state == Document.State.APPROVED
        and user.has_perm("documents.sign", document),
        "can_register_out": can_register_out,
        "can_dispatch": document.state == Document.State.REGISTERED
        and document.direction == Journal.Kind.OUTGOING
        and user.has_perm("documents.register", document.journal),
        "can_file": document.reg_date is not None
        and user.has_perm("documents.manage_cases", document.unit),
        "open_cases": selectors.open_cases(document.unit_id, (document.reg_date or today).year)
        if document.reg_date or can_register_out
        else [],
        "attach_form": extra.get("attach_form") or AttachForm(),
        "channels": Document.Channel.choices,
        "type_key": "documents.document",
    }


def _card_form(document: Document, data: Any = None) -> CardForm:
    year = document.reg_date.year if document.reg_date else timezone.localdate().year
    cases = CaseFile.objects.filter(body_id=document.unit_id, year=year).filter(
        Q(state=CaseFile.State.OPEN) | Q(pk=document.case_file_id or 0)
    )
    initial = {
        "correspondent": correspondent_label(document.correspondent)
        if document.correspondent
        else "",
        **{
            name: getattr(document, name)
            for name in services.CARD_FIELDS
            if name not in ("correspondent", "addressee", "case_file")
        },
        "addressee": document.addressee_id,
        "case_file": document.case_file_id,
    }
    return CardForm(data, addressees=_heads(), cases=cases.order_by("index"), initial=initial)


@staff_view
def edit_card(request: HttpRequest, document_id: int) -> HttpResponse:
    """Correct a registered document's card (the registering office; audited)."""
    document = _visible_document(request, document_id)
    # Not found, as for a document one cannot see: the id tells an outsider nothing.
    require_or_404(request, "documents.change_document", document)
    if document.reg_date is None:
        raise Http404
    if request.method != "POST":
        form = _card_form(document)
        return render(request, "documents/card_edit.html", {"doc": document, "form": form})
    form = _card_form(document, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        data["pages"] = data["pages"] or 0
        data["attachments_count"] = data["attachments_count"] or 0
        try:
            services.document_update_card(document_id=document.pk, actor=actor(request), **data)
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Картку документа виправлено."))
            return redirect("documents:detail", document_id=document.pk)
    return render(request, "documents/card_edit.html", {"doc": document, "form": form}, status=400)


@staff_view
@require_POST
def attach(request: HttpRequest, document_id: int) -> HttpResponse:
    """Attach a file to a document."""
    document = _visible_document(request, document_id)
    require_or_403(request, "documents.attach_file", document)
    form = AttachForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_attach_file(
                document_id=document.pk,
                actor=actor(request),
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
            )
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Файл додано."))
            return redirect("documents:detail", document_id=document.pk)
    return render(
        request,
        "documents/detail.html",
        _detail_context(request, document, attach_form=form),
        status=400,
    )


@staff_view
@require_POST
def new_version(request: HttpRequest, file_id: int) -> HttpResponse:
    """Upload a new version of a document's file."""
    doc_file = get_object_or_404(DocumentFile, pk=file_id)
    document = _visible_document(request, doc_file.document_id)
    require_or_403(request, "documents.attach_file", document)
    form = VersionForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Оберіть файл."))
    else:
        try:
            services.document_file_new_version(
                file_id=doc_file.pk, actor=actor(request), upload=form.cleaned_data["file"]
            )
        except ApplicationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Нову версію файлу збережено."))
    return redirect("documents:detail", document_id=document.pk)


@staff_view
@require_GET
@xframe_options_sameorigin
def file_version(request: HttpRequest, version_id: int) -> HttpResponseBase:
    """Serve a file version after a permission check (PDF and images inline; audited)."""
    version = get_object_or_404(FileVersion.objects.select_related("file__document"), pk=version_id)
    document = version.file.document
    require_or_404(request, "documents.view_document", document)
    if version.destroyed_at is not None or not version.blob:
        raise Http404
    audit_view(request=request, target=document, what=f"file:{version.pk}")
    inline = version.mime in INLINE_TYPES and request.GET.get("download") != "1"
    response = FileResponse(version.blob.open("rb"), content_type=version.mime)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(version.name)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if not inline:
        response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


# --- resolutions (the control engine's screen) ----------------------------------------------------
# The resolution form is control's generic view: /staff/control/resolve/documents.document/<id>/.


# --- answers -------------------------------------------------------------------------------------
@staff_view
def answer_create(request: HttpRequest, document_id: int) -> HttpResponse:
    """Prepare an outgoing answer to an incoming document (a DOCX draft is generated)."""
    incoming = _visible_document(request, document_id)
    require_or_403(request, "documents.prepare_answer", incoming)
    journals = Journal.objects.filter(kind=Journal.Kind.OUTGOING, is_active=True).select_related(
        "body"
    )
    preferred = journals.filter(body_id=incoming.unit_id)
    staff = User.objects.filter(is_active=True, is_staff=True, employments__isnull=False).distinct()
    form = AnswerForm(
        request.POST or None,
        journals=journals.order_by("body__path", "order"),
        heads=_heads(),
        staff=staff.order_by("surname", "given_name"),
        initial={
            "journal": preferred.first(),
            "summary": incoming.summary[:200],
            "signer": incoming.addressee,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        order = {int(v): i for i, v in enumerate(request.POST.getlist("approvers")) if v.isdigit()}
        approvers = sorted(data["approvers"], key=lambda u: order.get(u.pk, 0))
        try:
            answer = services.answer_create(
                incoming=incoming,
                actor=actor(request),
                journal=data["journal"],
                summary=data["summary"],
                body_text=data["body_text"],
                signer=data["signer"],
                approvers=approvers,
            )
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Проєкт відповіді створено."))
            return redirect("documents:detail", document_id=answer.pk)
    return render(
        request,
        "control/form_page.html",
        {
            "form": form,
            "title": _("Проєкт відповіді"),
            "lead": incoming.control_title,
            "cancel": incoming.get_absolute_url(),
            "submit": _("Створити проєкт"),
        },
        status=400 if form.errors else 200,
    )


def _action(request: HttpRequest, document: Document, call: Any, success: str) -> HttpResponse:
    try:
        call()
    except ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect("documents:detail", document_id=document.pk)


@staff_view
@require_POST
def answer_submit(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _visible_document(request, document_id)
    require_or_403(request, "documents.edit_draft", document)
    return _action(
        request,
        document,
        lambda: services.answer_submit(document_id=document.pk, actor=actor(request)),
        _("Проєкт надіслано на погодження."),
    )


@staff_view
@require_POST
def approval_decide(request: HttpRequest, approval_id: int) -> HttpResponse:
    approval = get_object_or_404(Approval, pk=approval_id)
    document = _visible_document(request, approval.document_id)
    require_or_403(request, "documents.approve", approval)
    approve = request.POST.get("decision") == "approve"
    return _action(
        request,
        document,
        lambda: services.approval_decide(
            approval_id=approval.pk,
            actor=actor(request),
            approve=approve,
            comment=request.POST.get("comment", "")[:5000],
        ),
        _("Погоджено.") if approve else _("Проєкт повернуто автору."),
    )


@staff_view
@require_POST
def sign(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _visible_document(request, document_id)
    require_or_403(request, "documents.sign", document)
    return _action(
        request,
        document,
        lambda: services.document_sign(document_id=document.pk, actor=actor(request)),
        _("Документ підписано."),
    )


def _case_from_post(request: HttpRequest) -> CaseFile | None:
    case_id = request.POST.get("case_file", "")
    return CaseFile.objects.filter(pk=int(case_id)).first() if case_id.isdigit() else None


@staff_view
@require_POST
def register_outgoing(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _visible_document(request, document_id)
    require_or_403(request, "documents.register", document.journal)
    case = _case_from_post(request)
    return _action(
        request,
        document,
        lambda: services.document_register_outgoing(
            document_id=document.pk, actor=actor(request), case_file=case
        ),
        _("Вихідний документ зареєстровано."),
    )


@staff_view
@require_POST
def dispatch(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _visible_document(request, document_id)
    require_or_403(request, "documents.register", document.journal)
    channel = request.POST.get("channel", "")
    return _action(
        request,
        document,
        lambda: services.document_dispatch(
            document_id=document.pk, actor=actor(request), channel=channel
        ),
        _("Документ надіслано; вхідний документ позначено виконаним."),
    )


@staff_view
@require_POST
def file_to_case(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _visible_document(request, document_id)
    require_or_403(request, "documents.manage_cases", document.unit)
    case = _case_from_post(request)
    if case is None:
        messages.error(request, _("Оберіть справу."))
        return redirect("documents:detail", document_id=document.pk)
    return _action(
        request,
        document,
        lambda: services.document_file_to_case(
            document_id=document.pk, actor=actor(request), case_file=case
        ),
        _("Документ підшито до справи %(index)s.") % {"index": case.index},
    )


def approvals_panel(request: HttpRequest) -> str | None:
    """Render the dashboard panel: drafts waiting for my approval or signature."""
    approvals = selectors.my_approvals(request.user)
    from hromada.accounts.permissions import acting_for_ids

    to_sign = Document.objects.filter(
        state=Document.State.APPROVED, signer_id__in=acting_for_ids(request.user)
    ).order_by("created_at")[:20]
    return render_to_string(
        "documents/_panel_approvals.html",
        {"approvals": approvals, "to_sign": to_sign},
        request=request,
    )


# --- correspondents ------------------------------------------------------------------------------
@staff_view
def correspondents(request: HttpRequest) -> HttpResponse:
    """Search the correspondent directory; add one (operators)."""
    query = request.GET.get("q", "")[:100]
    items = (
        selectors.correspondents_search(query, limit=100)
        if query
        else (Correspondent.objects.filter(is_active=True).order_by("name")[:100])
    )
    can_add = request.user.has_perm("documents.manage_correspondents")
    form = CorrespondentForm(request.POST or None) if can_add else None
    if request.method == "POST":
        require_or_403(request, "documents.manage_correspondents")
        assert form is not None
        if form.is_valid():
            try:
                services.correspondent_create(actor=actor(request), **form.cleaned_data)
            except ApplicationError as exc:
                form.add_application_error(exc)
            else:
                messages.success(request, _("Кореспондента додано."))
                return redirect("documents:correspondents")
    return render(
        request,
        "documents/correspondents.html",
        {"items": items, "q": query, "form": form},
        status=400 if form is not None and form.errors else 200,
    )


# --- nomenclature, archive, destruction ----------------------------------------------------------
def _case_bodies(request: HttpRequest) -> list[OrgUnit]:
    return list(
        OrgUnit.objects.filter(
            scope_q(request.user, [Role.OPERATOR, Role.ADMIN], "path"),
            is_active=True,
            journals__isnull=False,
        )
        .distinct()
        .order_by("path")
    )


@staff_view
def cases(request: HttpRequest) -> HttpResponse:
    """The nomenclature of case files of a year: add, close, inventory; destruction acts."""
    require_or_403(request, "documents.manage_cases")
    bodies = _case_bodies(request)
    body = next((b for b in bodies if b.pk == int_param(request, "body")), None) or (
        bodies[0] if bodies else None
    )
    year = int_param(request, "year") or timezone.localdate().year
    form = CaseForm(request.POST or None, initial={"year": year})
    if request.method == "POST" and body is not None and form.is_valid():
        try:
            services.case_create(actor=actor(request), body=body, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Справу додано до номенклатури."))
            return redirect(f"{reverse('documents:cases')}?body={body.pk}&year={year}")
    return render(
        request,
        "documents/cases.html",
        {
            "bodies": bodies,
            "body": body,
            "year": year,
            "cases": selectors.nomenclature(body_ids=[body.pk], year=year) if body else [],
            "acts": selectors.acts(body_ids=[body.pk]) if body else [],
            "candidates": services.destruction_candidates(body=body) if body else [],
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@staff_view
@require_POST
def case_close(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_object_or_404(CaseFile, pk=case_id)
    require_or_404(request, "documents.manage_cases", case)
    try:
        services.case_close(case_id=case.pk, actor=actor(request))
    except ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Справу закрито."))
    return redirect(f"{reverse('documents:cases')}?body={case.body_id}&year={case.year}")


@staff_view
@require_POST
def act_propose(request: HttpRequest, body_id: int) -> HttpResponse:
    body = get_object_or_404(OrgUnit, pk=body_id)
    require_or_404(request, "documents.manage_cases", body)
    try:
        act = services.destruction_act_propose(body=body, actor=actor(request))
    except ApplicationError as exc:
        messages.error(request, str(exc))
        return redirect(f"{reverse('documents:cases')}?body={body.pk}")
    messages.success(request, _("Складено акт № %(n)s.") % {"n": act.number})
    return redirect("documents:act_detail", act_id=act.pk)


@staff_view
@require_GET
def act_detail(request: HttpRequest, act_id: int) -> HttpResponse:
    act = get_object_or_404(DestructionAct.objects.select_related("body"), pk=act_id)
    if not (
        request.user.has_perm("documents.manage_cases", act)
        or request.user.has_perm("documents.approve_destruction", act)
    ):
        raise Http404
    return render(
        request,
        "documents/act_detail.html",
        {
            "act": act,
            "cases": act.proposed.order_by("year", "index"),
            "can_approve": act.state == DestructionAct.State.DRAFT
            and request.user.has_perm("documents.approve_destruction", act),
            "can_execute": act.state == DestructionAct.State.APPROVED
            and request.user.has_perm("documents.manage_cases", act),
        },
    )


@staff_view
@require_POST
def act_approve(request: HttpRequest, act_id: int) -> HttpResponse:
    act = get_object_or_404(DestructionAct, pk=act_id)
    require_or_403(request, "documents.approve_destruction", act)
    try:
        services.destruction_act_approve(act_id=act.pk, actor=actor(request))
    except ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Акт затверджено."))
    return redirect("documents:act_detail", act_id=act.pk)


@staff_view
@require_POST
def act_execute(request: HttpRequest, act_id: int) -> HttpResponse:
    act = get_object_or_404(DestructionAct, pk=act_id)
    require_or_403(request, "documents.manage_cases", act)
    try:
        count = services.destruction_act_execute(act_id=act.pk, actor=actor(request))
    except ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Знищено файлів: %(n)s.") % {"n": count})
    return redirect("documents:act_detail", act_id=act.pk)


# --- journals -----------------------------------------------------------------------------------
@staff_view
@require_GET
def journals(request: HttpRequest) -> HttpResponse:
    """List the journals of the bodies the user administers or registers for."""
    require_or_403(request, "documents.manage_journals")
    return render(
        request,
        "documents/journals.html",
        {"journals": list(selectors.journals_manageable(request.user))},
    )


@staff_view
def journal_create(request: HttpRequest) -> HttpResponse:
    """Open a new registration journal."""
    require_or_403(request, "documents.manage_journals")
    bodies = selectors.bodies_for_journals(request.user)
    if request.method != "POST":
        form = JournalForm(bodies=bodies, initial={"kind": Journal.Kind.INCOMING})
        return render(request, "documents/journal_form.html", {"form": form})
    form = JournalForm(request.POST, bodies=bodies)
    if form.is_valid():
        data = form.cleaned_data
        try:
            journal = services.journal_create(
                actor=actor(request),
                body=data["body"],
                kind=data["kind"],
                code=data["code"],
                name=data["name"],
                index_template=data["index_template"],
                doc_kind=data["doc_kind"],
                order=data["order"] or 0,
                is_active=data["is_active"],
            )
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Журнал «%(name)s» створено.") % {"name": journal.name})
            return redirect("documents:journals")
    return render(request, "documents/journal_form.html", {"form": form}, status=400)


@staff_view
def journal_edit(request: HttpRequest, journal_id: int) -> HttpResponse:
    """Change a journal (its kind and body only while it holds no documents)."""
    journal = get_object_or_404(selectors.journals_manageable(request.user), pk=journal_id)
    bodies = selectors.bodies_for_journals(request.user) | OrgUnit.objects.filter(
        pk=journal.body_id
    )
    initial = {
        "body": journal.body_id,
        "kind": journal.kind,
        "code": journal.code,
        "name": journal.name,
        "index_template": journal.index_template,
        "doc_kind": journal.doc_kind,
        "order": journal.order,
        "is_active": journal.is_active,
    }
    if request.method != "POST":
        form = JournalForm(bodies=bodies, editing=True, initial=initial)
        return render(request, "documents/journal_form.html", {"form": form, "journal": journal})
    form = JournalForm(request.POST, bodies=bodies, editing=True, initial=initial)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.journal_update(
                journal_id=journal.pk,
                actor=actor(request),
                name=data["name"],
                index_template=data["index_template"],
                doc_kind=data["doc_kind"],
                order=data["order"] or 0,
                is_active=data["is_active"],
                kind=data["kind"],
                body=data["body"],
            )
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Журнал «%(name)s» змінено.") % {"name": data["name"]})
            return redirect("documents:journals")
    return render(
        request, "documents/journal_form.html", {"form": form, "journal": journal}, status=400
    )
