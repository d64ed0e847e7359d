"""Answers to appeals (відповідь на звернення): drafting from templates, signing, sending.

The path of an answer: an executor (or the registering office, or a head) prepares a draft
from one of the standard templates, whose placeholders are filled from the appeal; the head
signs it (a PDF is rendered then, with the signer and the time); it is sent to the citizen by
e-mail (the PDF goes with the notice) or marked sent by post / handed in person.

- A **final** answer (остаточна) records the result (9.1 positive, 9.2 refused — with the
  grounds, Law 393/96 art. 15 — or 9.3 explained); once sent, the appeal is ANSWERED and the
  controller removes it from control through the control engine (`services.on_completed`
  refuses to close it before).
- An **interim** answer (проміжна, e.g. "роботи заплановано на травень") keeps the appeal on
  control with a new date. That date may not pass the appeal's current term: a later date
  needs the head's extension of the term first (never beyond 45 days in all, art. 20).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hromada.accounts.models import User
from hromada.accounts.permissions import require, scope_q
from hromada.accounts.roles import Role
from hromada.appeals import terms
from hromada.appeals.models import Answer, Appeal, AppealEvent, AppealFile
from hromada.appeals.services import event, move, notify_citizen
from hromada.core.audit import audit_record
from hromada.core.exceptions import ApplicationError

MAX_TEXT = 20000
MAX_GROUNDS = 5000
# The results a final answer may record (classifier 858, section 9).
FINAL_RESULTS: dict[str, Any] = {
    "9.1": gettext_lazy("вирішено позитивно"),
    "9.2": gettext_lazy("відмовлено у задоволенні"),
    "9.3": gettext_lazy("дано роз'яснення"),
}
REFUSED = "9.2"
# Appeal states in which an answer may be prepared, signed and sent.
ANSWERABLE = frozenset({Appeal.State.REGISTERED, Appeal.State.IN_WORK})
SIGNATURE_KINDS = ("manual", "qes")

_PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")


@dataclass(frozen=True)
class AnswerTemplate:
    """A standard answer: its kind, the result it records, and a text with placeholders."""

    key: str
    label: Any
    kind: str
    result: str
    text: Any


_OPENING = gettext_lazy(
    "Шановний(а) {{ given_name }} {{ patronymic }}!\n\n"
    "Ваше звернення від {{ reg_date }} № {{ index }} щодо «{{ summary }}» розглянуто."
)

TEMPLATES: dict[str, AnswerTemplate] = {
    t.key: t
    for t in (
        AnswerTemplate(
            key="positive",
            label=gettext_lazy("Вирішено позитивно"),
            kind=Answer.Kind.FINAL,
            result="9.1",
            text=gettext_lazy(
                "{{ opening }}\n\n"
                "Повідомляємо, що порушене вами питання вирішено позитивно: "
                "[опишіть, що зроблено і коли].\n\n"
                "Дякуємо за небайдужість до життя громади."
            ),
        ),
        AnswerTemplate(
            key="explained",
            label=gettext_lazy("Роз'яснення"),
            kind=Answer.Kind.FINAL,
            result="9.3",
            text=gettext_lazy(
                "{{ opening }}\n\n"
                "Надаємо роз'яснення: [викладіть роз'яснення з посиланням на норми "
                "законодавства]."
            ),
        ),
        AnswerTemplate(
            key="refused",
            label=gettext_lazy("Відмова з підставами"),
            kind=Answer.Kind.FINAL,
            result=REFUSED,
            text=gettext_lazy(
                "{{ opening }}\n\n"
                "За результатами розгляду у задоволенні вашого звернення відмовлено. "
                "Підстави відмови наведено нижче.\n\n"
                "Відповідно до статей 15 і 16 Закону України «Про звернення громадян» це "
                "рішення ви можете оскаржити до органу вищого рівня або до суду протягом "
                "одного року з дня його прийняття, але не пізніше одного місяця з дня "
                "ознайомлення з ним."
            ),
        ),
        AnswerTemplate(
            key="interim",
            label=gettext_lazy("Проміжна відповідь"),
            kind=Answer.Kind.INTERIM,
            result="",
            text=gettext_lazy(
                "Шановний(а) {{ given_name }} {{ patronymic }}!\n\n"
                "Ваше звернення від {{ reg_date }} № {{ index }} щодо «{{ summary }}» "
                "розглядається.\n\n"
                "Повідомляємо, що [роботи заплановано / питання вивчається]. Звернення "
                "залишається на контролі до {{ next_date }}; остаточну відповідь буде надано "
                "не пізніше цієї дати."
            ),
        ),
    )
}


def _fmt(day: date | datetime | None) -> str:
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = timezone.localtime(day).date()
    return day.strftime("%d.%m.%Y")


def placeholders(appeal: Appeal, *, next_date: date | None = None) -> dict[str, str]:
    """Return the values a template's placeholders take from the appeal."""
    values = {
        "given_name": appeal.given_name,
        "patronymic": appeal.patronymic,
        "surname": appeal.surname,
        "applicant": appeal.full_name,
        "address": appeal.address,
        "index": appeal.reg_index or "—",
        "reg_date": _fmt(appeal.reg_date),
        "summary": appeal.summary or appeal.text[:200],
        "body": appeal.unit.name,
        "city": str(settings.HROMADA_CITY_NAME),
        "due_date": _fmt(appeal.due_date),
        "next_date": _fmt(next_date) or "[дата]",
    }
    values["opening"] = fill(str(_OPENING), values)
    return values


def fill(text: str, values: dict[str, str]) -> str:
    """Replace the {{ name }} placeholders of a text; unknown names are left as they are."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def template_text(*, appeal: Appeal, template: str, next_date: date | None = None) -> str:
    """Return a standard template's text filled from the appeal (the start of a draft)."""
    chosen = TEMPLATES.get(template)
    if chosen is None:
        raise ApplicationError(_("Оберіть шаблон відповіді зі списку."), field="template")
    return fill(str(chosen.text), placeholders(appeal, next_date=next_date))


# --- reads --------------------------------------------------------------------------------


def answers_of(appeal: Appeal) -> QuerySet[Answer]:
    """Return an appeal's answers, oldest first, with who prepared and signed them."""
    return Answer.objects.filter(appeal=appeal).select_related("prepared_by", "signer", "pdf")


def sent_answers(appeal: Appeal) -> QuerySet[Answer]:
    """The answers the citizen may read (sent ones)."""
    return answers_of(appeal).filter(state=Answer.State.SENT)


def answers_to_sign(user: Any) -> QuerySet[Answer]:
    """Return the drafts waiting for this head's signature (appeals of the bodies they head)."""
    heads = scope_q(user, [Role.HEAD], path_field="appeal__unit__path")
    return (
        Answer.objects.filter(heads, state=Answer.State.DRAFT, appeal__state__in=ANSWERABLE)
        .select_related("appeal", "prepared_by")
        .order_by("-appeal__priority", "appeal__due_date", "created_at", "pk")
    )


def answers_to_send(user: Any) -> QuerySet[Answer]:
    """Return the signed answers waiting to be sent (for the office and heads of their bodies)."""
    scope = scope_q(user, [Role.OPERATOR, Role.HEAD], path_field="appeal__unit__path")
    return (
        Answer.objects.filter(scope, state=Answer.State.SIGNED)
        .select_related("appeal")
        .order_by("signed_at", "pk")
    )


# --- writes -------------------------------------------------------------------------------


def _clean(value: str, *, field: str, label: str, limit: int, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ApplicationError(_("Заповніть поле «%(label)s».") % {"label": label}, field=field)
    if len(value) > limit:
        raise ApplicationError(
            _("Поле «%(label)s» задовге: не більше %(max)s знаків.")
            % {"label": label, "max": limit},
            field=field,
        )
    return value


def _lock_appeal(appeal_id: int) -> Appeal:
    appeal = Appeal.objects.select_for_update().select_related("unit").filter(pk=appeal_id).first()
    if appeal is None:
        raise ApplicationError(_("Звернення не знайдено."), code="not_found")
    return appeal


def _lock_answer(answer_id: int) -> tuple[Answer, Appeal]:
    # Lock the appeal first, then the answer: the same order as every other write here.
    appeal_id = Answer.objects.filter(pk=answer_id).values_list("appeal_id", flat=True).first()
    if appeal_id is None:
        raise ApplicationError(_("Відповідь не знайдено."), code="not_found")
    appeal = _lock_appeal(appeal_id)
    answer = Answer.objects.select_for_update().get(pk=answer_id)
    return answer, appeal


def _check_answerable(appeal: Appeal) -> None:
    if appeal.state not in ANSWERABLE:
        raise ApplicationError(
            _("Звернення у стані «%(state)s»: відповідь на нього вже не готують.")
            % {"state": appeal.get_state_display()},
            code="invalid_state",
        )


def check_interim_date(appeal: Appeal, next_date: date | None, *, today: date) -> date:
    """Validate the new control date of an interim answer (within the current term)."""
    if next_date is None:
        raise ApplicationError(
            _("Вкажіть новий строк, до якого звернення залишається на контролі."),
            field="next_date",
        )
    if next_date <= today:
        raise ApplicationError(
            _("Новий строк має бути пізніше сьогоднішнього дня."), field="next_date"
        )
    assert appeal.reg_date is not None
    latest = terms.latest_due_date(appeal.reg_date)
    if next_date > latest:
        raise ApplicationError(
            _(
                "Новий строк не може бути пізніше %(latest)s: загальний строк розгляду — не "
                "більше 45 днів (ст. 20 Закону «Про звернення громадян»)."
            )
            % {"latest": _fmt(latest)},
            field="next_date",
        )
    if appeal.due_date is not None and next_date > appeal.due_date:
        raise ApplicationError(
            _(
                "Новий строк пізніше строку розгляду (%(due)s). Спершу керівник має продовжити "
                "строк розгляду звернення (не більше 45 днів загалом)."
            )
            % {"due": _fmt(appeal.due_date)},
            field="next_date",
        )
    return next_date


@transaction.atomic
def answer_prepare(
    *,
    actor: User,
    appeal_id: int,
    kind: str,
    text: str,
    result: str = "",
    grounds: str = "",
    next_date: date | None = None,
    template: str = "",
    answer_id: int | None = None,
) -> Answer:
    """Write (or rewrite) the draft of an answer: final with its result, or interim with a date."""
    appeal = _lock_appeal(appeal_id)
    require(actor, "appeals.prepare_answer", appeal)
    _check_answerable(appeal)
    if kind not in Answer.Kind.values:
        raise ApplicationError(_("Оберіть вид відповіді."), field="kind")
    if template and template not in TEMPLATES:
        raise ApplicationError(_("Оберіть шаблон відповіді зі списку."), field="template")
    text = _clean(text, field="text", label=_("Текст відповіді"), limit=MAX_TEXT, required=True)
    grounds = _clean(
        grounds, field="grounds", label=_("Підстави відмови"), limit=MAX_GROUNDS, required=False
    )
    today = timezone.localdate()
    if kind == Answer.Kind.FINAL:
        if result not in FINAL_RESULTS:
            raise ApplicationError(
                _("Оберіть результат розгляду: вирішено позитивно, відмовлено або роз'яснено."),
                field="result",
            )
        if result == REFUSED and not grounds:
            raise ApplicationError(
                _("Відмова має бути вмотивованою: вкажіть підстави відмови (ст. 15 Закону)."),
                field="grounds",
            )
        if result != REFUSED:
            grounds = ""
        next_date = None
    else:
        result, grounds = "", ""
        next_date = check_interim_date(appeal, next_date, today=today)
    if (
        kind == Answer.Kind.FINAL
        and appeal.answers.filter(kind=Answer.Kind.FINAL, state=Answer.State.SENT).exists()
    ):
        raise ApplicationError(_("Остаточну відповідь уже надіслано."), code="invalid_state")

    if answer_id is not None:
        answer = Answer.objects.select_for_update().filter(pk=answer_id, appeal=appeal).first()
        if answer is None:
            raise ApplicationError(_("Відповідь не знайдено."), code="not_found")
        if answer.state != Answer.State.DRAFT:
            raise ApplicationError(
                _("Підписану відповідь змінювати не можна."), code="invalid_state"
            )
        action = "appeals.answer.changed"
    else:
        answer = Answer(appeal=appeal, prepared_by=actor)
        action = "appeals.answer.prepared"
    answer.kind = kind
    answer.text = text
    answer.result = result
    answer.grounds = grounds
    answer.next_date = next_date
    answer.template = template
    answer.save()
    audit_record(
        actor=actor,
        action=action,
        target=answer,
        data={
            "appeal": appeal.pk,
            "kind": kind,
            "result": result,
            "next_date": next_date,
            "template": template,
        },
    )
    _notify_signers(answer, appeal)
    return answer


def _notify_signers(answer: Answer, appeal: Appeal) -> None:
    """Tell the heads of the appeal's body that a draft waits for their signature."""
    from hromada.accounts.models import RoleAssignment
    from hromada.core.notifications import notify

    heads = (
        User.objects.filter(
            pk__in=RoleAssignment.objects.filter(role=Role.HEAD, unit=appeal.unit).values("user")
        )
        .exclude(pk=answer.prepared_by_id)
        .order_by("pk")[:5]
    )
    for head in heads:
        notify(
            recipient=head,
            key=f"appeals:answer:{answer.pk}:to-sign",
            title=_("Відповідь на підпис: %(appeal)s") % {"appeal": appeal.notice_title},
            url=appeal.get_absolute_url() + "#answers",
        )


@transaction.atomic
def answer_sign(
    *, actor: User, answer_id: int, signature_kind: str = "manual", signature_data: str = ""
) -> Answer:
    """Record the head's signature on a draft (who and when) and render its PDF.

    ``signature_kind="qes"`` with the signature container in ``signature_data`` is the
    integration point for a qualified electronic signature (not verified here yet), as in
    the document workflow.
    """
    answer, appeal = _lock_answer(answer_id)
    require(actor, "appeals.sign_answer", appeal)
    _check_answerable(appeal)
    if signature_kind not in SIGNATURE_KINDS:
        raise ApplicationError(_("Невідомий вид підпису."), field="signature_kind")
    if answer.state != Answer.State.DRAFT:
        raise ApplicationError(_("Цю відповідь уже підписано."), code="invalid_state")
    if answer.kind == Answer.Kind.INTERIM:
        check_interim_date(appeal, answer.next_date, today=timezone.localdate())
    answer.state = Answer.State.SIGNED
    answer.signer = actor
    answer.signed_at = timezone.now()
    answer.signature_kind = signature_kind
    answer.signature_data = signature_data
    pdf = AppealFile(
        appeal=appeal,
        kind=AppealFile.Kind.ANSWER,
        name=f"vidpovid-{appeal.pk}-{answer.pk}.pdf",
        mime="application/pdf",
        size=0,
    )
    content = render_answer_pdf(answer)
    pdf.size = len(content)
    pdf.blob.save(pdf.name, ContentFile(content), save=False)
    pdf.save()
    answer.pdf = pdf
    answer.save(
        update_fields=[
            "state",
            "signer",
            "signed_at",
            "signature_kind",
            "signature_data",
            "pdf",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action="appeals.answer.signed",
        target=answer,
        data={"appeal": appeal.pk, "kind": signature_kind, "pdf_bytes": pdf.size},
    )
    return answer


@transaction.atomic
def answer_send(*, actor: User, answer_id: int, delivery: str) -> Answer:
    """Send a signed answer (e-mail with the PDF) or record it sent by post / handed in person.

    A final answer moves the appeal to ANSWERED with its result; an interim one keeps it on
    control with the answer's new date.
    """
    answer, appeal = _lock_answer(answer_id)
    require(actor, "appeals.send_answer", appeal)
    _check_answerable(appeal)
    if delivery not in Answer.Delivery.values:
        raise ApplicationError(_("Оберіть спосіб надсилання відповіді."), field="delivery")
    if answer.state == Answer.State.DRAFT:
        raise ApplicationError(
            _("Відповідь ще не підписано: надіслати можна лише підписану."), code="invalid_state"
        )
    if answer.state == Answer.State.SENT:
        raise ApplicationError(_("Цю відповідь уже надіслано."), code="invalid_state")
    email = appeal.email or (appeal.applicant.email if appeal.applicant else "")
    if delivery == Answer.Delivery.EMAIL and not email:
        raise ApplicationError(
            _("Заявник не вказав e-mail: надішліть відповідь поштою або вручіть особисто."),
            field="delivery",
        )
    now = timezone.now()
    answer.state = Answer.State.SENT
    answer.delivery = delivery
    answer.sent_at = now
    answer.save(update_fields=["state", "delivery", "sent_at", "updated_at"])
    how = Answer.Delivery(delivery).label
    if answer.kind == Answer.Kind.FINAL:
        move(appeal, Appeal.State.ANSWERED)
        appeal.result = answer.result
        appeal.answered_at = now
        appeal.save(update_fields=["state", "result", "answered_at", "updated_at"])
        public = _("Надано відповідь (%(how)s). Результат: %(result)s.") % {
            "how": how,
            "result": FINAL_RESULTS[answer.result],
        }
        notice = event(appeal, AppealEvent.Kind.ANSWERED, actor=actor, public_note=public)
    else:
        assert answer.next_date is not None
        old_due = appeal.due_date
        appeal.due_date = answer.next_date
        appeal.save(update_fields=["due_date", "updated_at"])
        public = _(
            "Надано проміжну відповідь (%(how)s). Звернення залишається на контролі до %(date)s."
        ) % {"how": how, "date": _fmt(answer.next_date)}
        notice = event(
            appeal,
            AppealEvent.Kind.INTERIM,
            actor=actor,
            public_note=public,
            note=f"строк: {_fmt(old_due)} → {_fmt(answer.next_date)}",
        )
    audit_record(
        actor=actor,
        action="appeals.answer.sent",
        target=answer,
        data={
            "appeal": appeal.pk,
            "kind": answer.kind,
            "delivery": delivery,
            "result": answer.result,
            "next_date": answer.next_date,
        },
    )
    # The citizen is told after commit; an e-mail carries the answer's PDF.
    notify_citizen(appeal, notice)
    return answer


@transaction.atomic
def answer_delete(*, actor: User, answer_id: int) -> None:
    """Withdraw an unsigned draft (signed and sent answers stay on record)."""
    answer, appeal = _lock_answer(answer_id)
    require(actor, "appeals.prepare_answer", appeal)
    if answer.state != Answer.State.DRAFT:
        raise ApplicationError(_("Підписану відповідь видалити не можна."), code="invalid_state")
    audit_record(
        actor=actor,
        action="appeals.answer.deleted",
        target=answer,
        data={"appeal": appeal.pk, "kind": answer.kind},
    )
    answer.delete()


# --- rendering ------------------------------------------------------------------------------


def _position(user: User | None) -> str:
    if user is None:
        return ""
    from hromada.accounts.models import Employment

    employment = (
        Employment.objects.current()
        .filter(user=user)
        .select_related("position", "position__unit")
        .order_by("pk")
        .first()
    )
    if employment is None:
        return ""
    return f"{employment.position.title.capitalize()} ({employment.position.unit.name})"


def letter_context(answer: Answer) -> dict[str, Any]:
    """Return what the answer's letter (PDF, DOCX, screen) shows, formatted once."""
    appeal = answer.appeal
    signed = answer.signed_at is not None
    return {
        "answer": answer,
        "appeal": appeal,
        "city": str(settings.HROMADA_CITY_NAME),
        "body": appeal.unit.name,
        "addressee": appeal.full_name,
        "address": appeal.address,
        "email": appeal.email,
        "reference": _("На звернення від %(date)s № %(index)s")
        % {"date": _fmt(appeal.reg_date), "index": appeal.reg_index or "—"},
        "paragraphs": list(answer.text.split("\n")),
        "grounds": answer.grounds,
        "result_label": FINAL_RESULTS.get(answer.result, ""),
        "next_date": _fmt(answer.next_date),
        "signer": answer.signer.short_name if answer.signer else "",
        "signer_position": _position(answer.signer),
        "signed_on": _fmt(answer.signed_at),
        "signed": signed,
        "qes": answer.signature_kind == "qes",
        "author": answer.prepared_by.short_name,
        "author_phone": getattr(answer.prepared_by, "phone", ""),
    }


def render_answer_pdf(answer: Answer) -> bytes:
    """Return the answer letter as PDF (WeasyPrint; DejaVu fonts carry the Cyrillic)."""
    from weasyprint import HTML

    html = render_to_string("appeals/answers/letter.html", letter_context(answer))
    pdf: bytes = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    return pdf


def render_answer_docx(answer: Answer) -> bytes:
    """Return the answer letter as a DOCX draft the executor can edit (python-docx).

    ``HROMADA_APPEALS_ANSWER_TEMPLATE`` may point to the council's own letterhead (a DOCX
    whose paragraphs hold {{ placeholders }}: city, body, addressee, address, reference,
    text, grounds, next_date, signer, signer_position, author, author_phone); otherwise a
    built-in layout is used.
    """
    from docx import Document as DocxDocument
    from docx.shared import Pt

    context = letter_context(answer)
    values = {
        key: str(context[key])
        for key in (
            "city",
            "body",
            "addressee",
            "address",
            "reference",
            "grounds",
            "next_date",
            "signer",
            "signer_position",
            "author",
            "author_phone",
        )
    }
    values["text"] = answer.text
    path = getattr(settings, "HROMADA_APPEALS_ANSWER_TEMPLATE", "")
    if path:
        doc = DocxDocument(path)
        for paragraph in doc.paragraphs:
            joined = "".join(run.text for run in paragraph.runs)
            if "{{" in joined:
                for index, run in enumerate(paragraph.runs):
                    run.text = fill(joined, values) if index == 0 else ""
    else:
        doc = DocxDocument()
        style = doc.styles["Normal"]
        style.font.name = "Times New Roman"
        style.font.size = Pt(14)

        def add(text: str, *, bold: bool = False) -> None:
            run = doc.add_paragraph().add_run(text)
            run.bold = bold

        add(values["city"], bold=True)
        add(values["body"], bold=True)
        add("")
        add(values["addressee"])
        add(values["address"])
        add("")
        add(values["reference"])
        add("")
        for line in answer.text.split("\n"):
            add(line)
        if answer.grounds:
            add("")
            add(_("Підстави відмови:"), bold=True)
            for line in answer.grounds.split("\n"):
                add(line)
        add("")
        add(f"{values['signer_position']}    {values['signer']}".strip())
        add("")
        add(f"{values['author']} {values['author_phone']}".strip())
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def answerable(appeal: Appeal) -> bool:
    return appeal.state in ANSWERABLE
