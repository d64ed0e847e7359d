"""Staff screens of answers: prepare from a template, sign, send, DOCX/PDF, the signing queue.

Thin views: parse, check permission, call one service of appeals.answers, render. Someone
who may not see the appeal gets 404 on every URL here, whatever the ids.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hromada.appeals import answers
from hromada.appeals.answer_forms import AnswerForm, SendForm, SignForm
from hromada.appeals.models import Answer, Appeal
from hromada.control.http import actor, require_or_403, require_or_404, staff_view
from hromada.core.audit import audit_view
from hromada.core.exceptions import ApplicationError

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
QUEUE_LIMIT = 200


def _appeal(request: HttpRequest, pk: int) -> Appeal:
    appeal = Appeal.objects.select_related("unit", "applicant").filter(pk=pk).first()
    if appeal is None:
        raise Http404
    require_or_404(request, "appeals.view_appeal", appeal)
    return appeal


def _answer(request: HttpRequest, pk: int, answer_id: int) -> tuple[Appeal, Answer]:
    appeal = _appeal(request, pk)
    answer = answers.answers_of(appeal).filter(pk=answer_id).first()
    if answer is None:
        raise Http404
    return appeal, answer


def _back(appeal: Appeal) -> HttpResponse:
    return redirect(appeal.get_absolute_url() + "#answers")


def section_context(request: HttpRequest, appeal: Appeal) -> dict[str, Any]:
    """What the answer section of the staff card shows (used by the {% answers_section %} tag)."""
    user = request.user
    items = list(answers.answers_of(appeal))
    return {
        "appeal": appeal,
        "answers": items,
        "templates": answers.TEMPLATES.values(),
        "results": answers.FINAL_RESULTS,
        "answerable": answers.answerable(appeal),
        "can_prepare": user.has_perm("appeals.prepare_answer", appeal),
        "can_sign": user.has_perm("appeals.sign_answer", appeal),
        "can_send": user.has_perm("appeals.send_answer", appeal),
        "sign_form": SignForm(),
        "send_form": SendForm(
            initial={"delivery": Answer.Delivery.EMAIL if appeal.email else Answer.Delivery.POST}
        ),
        "has_draft": any(a.state == Answer.State.DRAFT for a in items),
    }


def _form_page(
    request: HttpRequest, appeal: Appeal, form: AnswerForm, answer: Answer | None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "appeals/answers/form.html",
        {
            "appeal": appeal,
            "form": form,
            "answer": answer,
            "templates": answers.TEMPLATES.values(),
            "due_date": appeal.due_date,
        },
        status=status,
    )


def _prefill(request: HttpRequest, appeal: Appeal) -> dict[str, Any]:
    key = request.GET.get("template", "")
    chosen = answers.TEMPLATES.get(key)
    if chosen is None:
        return {"kind": Answer.Kind.FINAL}
    return {
        "template": chosen.key,
        "kind": chosen.kind,
        "result": chosen.result,
        "text": answers.template_text(appeal=appeal, template=chosen.key),
    }


@staff_view
@require_http_methods(["GET", "POST"])
def answer_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Prepare the draft of an answer, starting from a standard template (?template=...)."""
    appeal = _appeal(request, pk)
    require_or_403(request, "appeals.prepare_answer", appeal)
    return _save(request, appeal, None)


@staff_view
@require_http_methods(["GET", "POST"])
def answer_edit(request: HttpRequest, pk: int, answer_id: int) -> HttpResponse:
    """Rewrite an unsigned draft."""
    appeal, answer = _answer(request, pk, answer_id)
    require_or_403(request, "appeals.prepare_answer", appeal)
    return _save(request, appeal, answer)


def _save(request: HttpRequest, appeal: Appeal, answer: Answer | None) -> HttpResponse:
    if request.method != "POST":
        audit_view(request=request, target=appeal, what="answer")
        if answer is not None:
            initial = {
                "template": answer.template,
                "kind": answer.kind,
                "result": answer.result,
                "text": answer.text,
                "grounds": answer.grounds,
                "next_date": answer.next_date,
            }
        else:
            initial = _prefill(request, appeal)
        return _form_page(request, appeal, AnswerForm(initial=initial), answer)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _form_page(request, appeal, form, answer, status=400)
    try:
        answers.answer_prepare(
            actor=actor(request),
            appeal_id=appeal.pk,
            answer_id=answer.pk if answer else None,
            **form.service_kwargs(),
        )
    except ApplicationError as exc:
        form.add_application_error(exc)
        return _form_page(request, appeal, form, answer, status=400)
    messages.success(request, _("Проєкт відповіді збережено. Він чекає на підпис керівника."))
    return _back(appeal)


@staff_view
@require_POST
def answer_sign(request: HttpRequest, pk: int, answer_id: int) -> HttpResponse:
    """The head signs the draft (the PDF of the letter is made now)."""
    appeal, answer = _answer(request, pk, answer_id)
    require_or_403(request, "appeals.sign_answer", appeal)
    form = SignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Оберіть вид підпису."))
        return _back(appeal)
    try:
        answers.answer_sign(
            actor=actor(request),
            answer_id=answer.pk,
            signature_kind=form.cleaned_data["signature_kind"],
            signature_data=form.cleaned_data.get("signature_data") or "",
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Відповідь підписано."))
    return _back(appeal)


@staff_view
@require_POST
def answer_send(request: HttpRequest, pk: int, answer_id: int) -> HttpResponse:
    """Send a signed answer by e-mail, or record it sent by post / handed in person."""
    appeal, answer = _answer(request, pk, answer_id)
    require_or_403(request, "appeals.send_answer", appeal)
    form = SendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Оберіть спосіб надсилання відповіді."))
        return _back(appeal)
    try:
        answers.answer_send(
            actor=actor(request), answer_id=answer.pk, delivery=form.cleaned_data["delivery"]
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Відповідь надіслано заявникові."))
    return _back(appeal)


@staff_view
@require_POST
def answer_delete(request: HttpRequest, pk: int, answer_id: int) -> HttpResponse:
    """Withdraw an unsigned draft."""
    appeal, answer = _answer(request, pk, answer_id)
    require_or_403(request, "appeals.prepare_answer", appeal)
    try:
        answers.answer_delete(actor=actor(request), answer_id=answer.pk)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Проєкт відповіді видалено."))
    return _back(appeal)


@staff_view
@require_GET
def answer_docx(request: HttpRequest, pk: int, answer_id: int) -> HttpResponse:
    """Download the answer as an editable DOCX letter."""
    appeal, answer = _answer(request, pk, answer_id)
    audit_view(request=request, target=appeal, what="answer.docx")
    response = HttpResponse(answers.render_answer_docx(answer), content_type=DOCX)
    response["Content-Disposition"] = (
        f'attachment; filename="vidpovid-{appeal.pk}-{answer.pk}.docx"'
    )
    return response


@staff_view
@require_GET
def answer_pdf(request: HttpRequest, pk: int, answer_id: int) -> HttpResponse:
    """The signed PDF of an answer, or a preview of a draft (marked as such)."""
    appeal, answer = _answer(request, pk, answer_id)
    audit_view(request=request, target=appeal, what="answer.pdf")
    if answer.pdf is not None:
        with answer.pdf.blob.open("rb") as fh:
            content = fh.read()
    else:
        content = answers.render_answer_pdf(answer)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="vidpovid-{appeal.pk}-{answer.pk}.pdf"'
    return response


@staff_view
@require_GET
def sign_queue(request: HttpRequest) -> HttpResponse:
    """Render "Відповіді на підпис": drafts waiting for this head, and signed ones to send."""
    to_sign = list(answers.answers_to_sign(request.user)[:QUEUE_LIMIT])
    to_send = list(answers.answers_to_send(request.user)[:QUEUE_LIMIT])
    return render(
        request,
        "appeals/answers/queue.html",
        {"to_sign": to_sign, "to_send": to_send, "today": timezone.localdate()},
    )


def sign_panel(request: HttpRequest) -> str | None:
    """Render the dashboard panel "Відповіді на підпис" (hidden when nothing waits)."""
    to_sign = answers.answers_to_sign(request.user)
    count = to_sign.count()
    if not count:
        return None
    return render_to_string(
        "appeals/answers/_panel.html",
        {"count": count, "items": list(to_sign[:5])},
        request=request,
    )


def register_panels(registry: Any) -> None:
    """Put "Відповіді на підпис" on the staff dashboard (heads) and in the navigation."""
    from typing import cast

    from django.utils.translation import gettext_lazy

    from hromada.core.registry import DashboardPanel, NavItem

    registry.add_panel(
        DashboardPanel(
            key="appeals-answers-to-sign",
            title=cast(str, gettext_lazy("Відповіді на підпис")),
            render=sign_panel,
            perm="appeals.sign_answer",
            order=15,
        )
    )
    registry.add_nav(
        NavItem(
            key="appeals-answers-to-sign",
            label=cast(str, gettext_lazy("Відповіді на підпис")),
            url_name="appeals:answers_to_sign",
            perm="appeals.sign_answer",
            order=38,
        )
    )
