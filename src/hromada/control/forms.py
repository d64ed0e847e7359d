"""Forms of execution control (the services validate the domain rules)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hromada.accounts.models import User
from hromada.control.models import TermKind
from hromada.core.exceptions import ApplicationError


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class PersonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name or obj.email)


class PeopleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name or obj.email)


class ApplicationErrorMixin:
    """Show a service's ApplicationError on its field (or on the form)."""

    def add_application_error(self, exc: ApplicationError) -> None:
        field = exc.field if exc.field in getattr(self, "fields", {}) else None
        self.add_error(field, exc.message)  # type: ignore[attr-defined]


class ResolutionForm(ApplicationErrorMixin, forms.Form):
    author = PersonChoiceField(
        label=_("Автор резолюції"),
        queryset=User.objects.none(),
        help_text=_("Керівник, від імені якого дається резолюція."),
    )
    text = forms.CharField(
        label=_("Зміст резолюції"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Введіть зміст резолюції.")},
    )
    responsible = PersonChoiceField(
        label=_("Відповідальний виконавець"),
        queryset=User.objects.none(),
        error_messages={"required": _("Оберіть відповідального виконавця.")},
    )
    co_executors = PeopleChoiceField(
        label=_("Співвиконавці"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Утримуйте Ctrl, щоб обрати кількох."),
    )
    due_date = forms.DateField(
        label=_("Строк виконання (дата)"),
        required=False,
        widget=DateInput(),
        help_text=_("Або залиште порожнім і вкажіть строк у днях."),
    )
    term_days = forms.IntegerField(
        label=_("Строк у днях"),
        required=False,
        min_value=1,
        max_value=366,
        help_text=_("Від дати реєстрації; порожньо — типовий строк."),
    )
    term_kind = forms.ChoiceField(
        label=_("Вид строку"),
        choices=TermKind.choices,
        initial=TermKind.CALENDAR,
        widget=forms.RadioSelect,
    )
    on_control = forms.BooleanField(label=_("Поставити на контроль"), required=False, initial=True)
    controller = PersonChoiceField(
        label=_("Контролер"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Порожньо — звіт приймає автор резолюції."),
    )

    def __init__(
        self,
        *args: Any,
        authors: QuerySet[User],
        executors: QuerySet[User],
        controllers: QuerySet[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["author"].queryset = authors  # type: ignore[attr-defined]
        self.fields["responsible"].queryset = executors  # type: ignore[attr-defined]
        self.fields["co_executors"].queryset = executors  # type: ignore[attr-defined]
        self.fields["controller"].queryset = controllers  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        responsible = data.get("responsible")
        others = list(data.get("co_executors") or [])
        if responsible is not None:
            data["executors"] = [responsible, *[u for u in others if u.pk != responsible.pk]]
        return data


class ReportForm(ApplicationErrorMixin, forms.Form):
    text = forms.CharField(
        label=_("Звіт про виконання"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Опишіть, що зроблено.")},
    )


class ReviewForm(ApplicationErrorMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Рішення"),
        choices=[("accept", _("Прийняти звіт")), ("return", _("Повернути на доопрацювання"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Оберіть рішення.")},
    )
    note = forms.CharField(
        label=_("Зауваження"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Обов'язково, якщо повертаєте."),
    )


class DelegateForm(ApplicationErrorMixin, forms.Form):
    executors = PeopleChoiceField(
        label=_("Виконавці"),
        queryset=User.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        error_messages={"required": _("Оберіть хоча б одного виконавця.")},
        help_text=_("Перший обраний — відповідальний."),
    )
    due_date = forms.DateField(
        label=_("Строк виконання"),
        widget=DateInput(),
        error_messages={"required": _("Вкажіть строк."), "invalid": _("Невірна дата.")},
    )
    text = forms.CharField(
        label=_("Доручення"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, executors: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["executors"].queryset = executors  # type: ignore[attr-defined]


class ExtensionForm(ApplicationErrorMixin, forms.Form):
    new_due_date = forms.DateField(
        label=_("Новий строк"),
        widget=DateInput(),
        error_messages={"required": _("Вкажіть новий строк."), "invalid": _("Невірна дата.")},
    )
    reason = forms.CharField(
        label=_("Обґрунтування"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Поясніть, чому потрібно більше часу.")},
    )


class DecideExtensionForm(ApplicationErrorMixin, forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Продовжити")), ("reject", _("Відмовити"))],
        error_messages={"required": _("Оберіть рішення.")},
    )
    note = forms.CharField(label=_("Примітка"), required=False, max_length=5000)


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("З"), widget=DateInput(), required=False)
    end = forms.DateField(label=_("По"), widget=DateInput(), required=False)

    def period(self) -> tuple[Any, Any]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        start = data.get("start") or today.replace(month=1, day=1)
        end = data.get("end") or today.replace(month=12, day=31)
        if end < start:
            start, end = end, start
        return start, end
