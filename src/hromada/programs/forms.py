"""Forms of the programme screens: they parse input; services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from hromada.accounts.models import OrgUnit
from hromada.programs.metrics import metric_choices
from hromada.programs.models import (
    ActivityType,
    FundingSource,
    Indicator,
    Measure,
    Programme,
)
from hromada.programs.periods import Period


def period_choices(programme: Programme) -> list[tuple[str, str]]:
    """Return the report periods of a programme: each year, then its cumulative quarters."""
    choices = []
    for year in programme.years:
        choices.append((str(year), Period(year).label))
        choices.extend((Period(year, q).key, Period(year, q).label) for q in (1, 2, 3))
    return choices


def _units() -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(is_active=True).order_by("path")


class UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} — {obj.short_name or obj.name}"


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} — {obj.short_name or obj.name}"


class ProgrammeForm(forms.Form):
    code = forms.SlugField(label=_("Код"), max_length=50, help_text=_("Напр. msv-2015; латиницею."))
    title = forms.CharField(label=_("Назва програми"), max_length=500)
    title_genitive = forms.CharField(
        label=_("Назва в родовому відмінку"),
        max_length=500,
        required=False,
        help_text=_("Для заголовка звіту: «з виконання заходів Програми …»."),
    )
    year_from = forms.IntegerField(label=_("Рік початку"), min_value=1990, max_value=2100)
    year_to = forms.IntegerField(label=_("Рік завершення"), min_value=1990, max_value=2100)
    decision_number = forms.CharField(label=_("Номер рішення про затвердження"), max_length=50)
    decision_date = forms.DateField(
        label=_("Дата рішення"), widget=forms.DateInput(attrs={"type": "date"})
    )
    coordinator_unit = UnitChoiceField(label=_("Відповідальний виконавець"), queryset=_units())
    description = forms.CharField(label=_("Опис"), widget=forms.Textarea, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Файл програми (JSON або YAML)"))


class MeasureForm(forms.Form):
    number = forms.IntegerField(label=_("Номер заходу"), min_value=1, max_value=999)
    title = forms.CharField(label=_("Назва заходу"), widget=forms.Textarea(attrs={"rows": 3}))
    responsible_units = UnitMultipleChoiceField(
        label=_("Відповідальні підрозділи"),
        queryset=_units(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )


class FundingForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Рік"), coerce=int)
    source = forms.ChoiceField(label=_("Джерело"), choices=FundingSource.choices)
    amount = forms.CharField(label=_("Сума, грн"), help_text=_("0 — прибрати план."))

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in programme.years]  # type: ignore[attr-defined]


class IndicatorForm(forms.Form):
    code = forms.SlugField(label=_("Код показника"), max_length=60)
    name = forms.CharField(label=_("Назва показника"), max_length=500)
    unit_of_measure = forms.CharField(label=_("Одиниця виміру"), max_length=50)
    metric_key = forms.ChoiceField(label=_("Обчислювати з даних платформи"), required=False)
    planned = forms.CharField(label=_("Планове значення на перший рік програми"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["metric_key"].choices = [("", _("— ні, вводити вручну —")), *metric_choices()]  # type: ignore[attr-defined]


class _EntryForm(forms.Form):
    measure = forms.ModelChoiceField(label=_("Захід"), queryset=Measure.objects.none())

    def __init__(self, *args: Any, measures: QuerySet[Measure], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["measure"]
        field.queryset = measures  # type: ignore[attr-defined]
        field.label_from_instance = lambda m: f"{m.number}. {m.title[:90]}"  # type: ignore[attr-defined]


class ActivityForm(_EntryForm):
    type = forms.ChoiceField(label=_("Вид заходу"), choices=ActivityType.choices)
    date = forms.DateField(label=_("Дата"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("Назва"), max_length=500)
    place = forms.CharField(label=_("Місце"), max_length=300, required=False)
    participants = forms.CharField(label=_("Учасники"), max_length=500, required=False)
    attendance = forms.IntegerField(label=_("Кількість учасників"), min_value=0, required=False)
    by_mayor = forms.BooleanField(label=_("Проведено міським головою"), required=False)


class SpendingForm(_EntryForm):
    date = forms.DateField(label=_("Дата"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.CharField(label=_("Сума, грн"), help_text=_("Напр. 18990 або 18 990,00."))
    source = forms.ChoiceField(label=_("Джерело"), choices=FundingSource.choices)
    purpose = forms.CharField(label=_("Призначення"), max_length=500)


class IndicatorValueForm(forms.Form):
    indicator = forms.ModelChoiceField(label=_("Показник"), queryset=Indicator.objects.none())
    period = forms.ChoiceField(label=_("Період"))
    actual = forms.CharField(label=_("Фактичне значення"))
    evidence = forms.CharField(
        label=_("Підтвердження"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(
        self, *args: Any, indicators: QuerySet[Indicator], programme: Programme, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators  # type: ignore[attr-defined]
        self.fields["period"].choices = period_choices(programme)  # type: ignore[attr-defined]


class NarrativeForm(forms.Form):
    period = forms.ChoiceField(label=_("Період"))
    text = forms.CharField(
        label=_("Текст звіту за заходом"),
        widget=forms.Textarea(attrs={"rows": 12}),
        required=False,
        help_text=_(
            "Кожен рядок — окремий абзац. Цифри з даних: {activities:press_conference}, "
            "{spending}, {indicator:код} (див. документацію)."
        ),
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = period_choices(programme)  # type: ignore[attr-defined]


class ReportCreateForm(forms.Form):
    period = forms.ChoiceField(label=_("Звітний період"))

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = period_choices(programme)  # type: ignore[attr-defined]


class ApproveForm(forms.Form):
    decision_number = forms.CharField(label=_("Номер рішення міської ради"), max_length=50)
    decision_date = forms.DateField(
        label=_("Дата рішення"), widget=forms.DateInput(attrs={"type": "date"})
    )
