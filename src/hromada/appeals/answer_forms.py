"""Forms of the answer screens (input parsing only; the rules live in appeals.answers)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hromada.appeals.answers import FINAL_RESULTS, SIGNATURE_KINDS, TEMPLATES
from hromada.appeals.models import Answer
from hromada.control.forms import ApplicationErrorMixin

DATE_FORMATS = ["%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y"]


class AnswerForm(ApplicationErrorMixin, forms.Form):
    """The draft of an answer: kind, text, result (final) or the new date (interim)."""

    template = forms.ChoiceField(
        label=_("Шаблон"),
        required=False,
        choices=[("", _("без шаблону"))] + [(t.key, t.label) for t in TEMPLATES.values()],
        widget=forms.HiddenInput,
    )
    kind = forms.ChoiceField(
        label=_("Вид відповіді"),
        choices=Answer.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Оберіть вид відповіді.")},
    )
    result = forms.ChoiceField(
        label=_("Результат розгляду (для остаточної відповіді)"),
        required=False,
        choices=[(code, f"{code} {label}") for code, label in FINAL_RESULTS.items()],
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("Текст відповіді"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 14}),
        error_messages={"required": _("Введіть текст відповіді.")},
    )
    grounds = forms.CharField(
        label=_("Підстави відмови (обов'язково для відмови, ст. 15 Закону)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    next_date = forms.DateField(
        label=_("Новий строк (для проміжної відповіді), ДД.ММ.РРРР"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d.%m.%Y", attrs={"autocomplete": "off"}),
        error_messages={"invalid": _("Вкажіть дату у форматі ДД.ММ.РРРР.")},
    )

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "text": data["text"],
            "result": data.get("result") or "",
            "grounds": data.get("grounds") or "",
            "next_date": data.get("next_date"),
            "template": data.get("template") or "",
        }


class SignForm(ApplicationErrorMixin, forms.Form):
    """The head's signature: recorded by hand, or a qualified e-signature container."""

    signature_kind = forms.ChoiceField(
        label=_("Вид підпису"),
        choices=[
            (k, label)
            for k, label in zip(
                SIGNATURE_KINDS,
                (_("власноручний (фіксується в системі)"), _("кваліфікований електронний підпис")),
                strict=True,
            )
        ],
        initial="manual",
        widget=forms.RadioSelect,
    )
    signature_data = forms.CharField(
        label=_("Контейнер підпису (для КЕП)"), required=False, widget=forms.HiddenInput
    )


class SendForm(ApplicationErrorMixin, forms.Form):
    delivery = forms.ChoiceField(
        label=_("Спосіб надсилання"),
        choices=Answer.Delivery.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Оберіть спосіб надсилання відповіді.")},
    )
