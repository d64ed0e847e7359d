"""Forms of the organisation and people screens of the staff workspace."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from hromada.accounts import selectors
from hromada.accounts.models import OrgUnit, Position, User
from hromada.accounts.roles import Role
from hromada.core.exceptions import ApplicationError
from hromada.core.validators import validate_person_name, validate_phone

_ORDER_HELP = _("Менше число — вище у списку.")
_MAX_LENGTH_MESSAGE = _("Не більше %(limit_value)d знаків.")


class GovukFormMixin:
    """Give widgets GOV.UK classes; tie hints and errors to fields for screen readers."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "govuk-checkboxes__input"
            elif isinstance(widget, forms.Select):
                css = "govuk-select"
            elif isinstance(widget, forms.Textarea):
                css = "govuk-textarea"
            elif isinstance(widget, forms.FileInput):
                css = "govuk-file-upload"
            elif isinstance(widget, forms.RadioSelect):
                css = "govuk-radios__input"
            else:
                css = "govuk-input"
            widget.attrs["class"] = f"{css} {widget.attrs.get('class', '')}".strip()
        form: Any = self
        self._limit_lengths(form)
        for name, field in self.fields.items():
            if field.help_text and not isinstance(field.widget, forms.RadioSelect):
                field.widget.attrs["aria-describedby"] = f"{form[name].auto_id}-hint"

    def _limit_lengths(self, form: Any) -> None:
        # A 10 MB name must be refused without echoing 10 MB back into the page.
        data = form.data.copy() if form.is_bound else None
        for name, field in self.fields.items():
            if not isinstance(field, forms.CharField) or not field.max_length:
                continue
            limit = field.max_length
            field.validators = [
                MaxLengthValidator(limit, message=_MAX_LENGTH_MESSAGE)
                if isinstance(v, MaxLengthValidator)
                else v
                for v in field.validators
            ]
            key = form.add_prefix(name)
            if data is not None and len(data.get(key) or "") > limit:
                data[key] = data[key][: limit + 1]
        if data is not None:
            form.data = data

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)  # type: ignore[misc]
        form: Any = self
        names = [field] if field else list(getattr(error, "error_dict", {}))
        for name in names:
            if name in form.fields:
                self._mark_invalid(name)

    def _mark_invalid(self, name: str) -> None:
        form: Any = self
        attrs = form.fields[name].widget.attrs
        css = attrs.get("class", "")
        if css and not css.split()[0].endswith("--error"):
            attrs["class"] = f"{css} {css.split()[0]}--error"
        auto_id = form[name].auto_id
        described = attrs.get("aria-describedby", "").split()
        if f"{auto_id}-error" not in described:
            attrs["aria-describedby"] = " ".join([*described, f"{auto_id}-error"])

    def add_application_error(self, exc: ApplicationError) -> None:
        """Show a service's refusal next to its field (or above the form)."""
        form: Any = self
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class OrgUnitForm(GovukFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Код"),
        max_length=30,
        help_text=_("Напр. 01-15; використовується в реєстраційних індексах."),
    )
    name = forms.CharField(label=_("Повна назва"), max_length=300)
    short_name = forms.CharField(label=_("Скорочена назва"), max_length=120, required=False)
    kind = forms.ChoiceField(label=_("Вид"), choices=OrgUnit.Kind.choices)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(
        label=_("Телефон"), max_length=60, required=False, validators=[validate_phone]
    )
    address = forms.CharField(label=_("Адреса"), max_length=300, required=False)
    order = forms.IntegerField(
        label=_("Порядок"), min_value=0, max_value=1_000_000, initial=0, help_text=_ORDER_HELP
    )


class OrgUnitCreateForm(OrgUnitForm):
    parent = forms.ModelChoiceField(
        label=_("Входить до"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("— верхній рівень —"),
    )
    field_order = ["parent"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent: Any = self.fields["parent"]
        parent.queryset = selectors.orgunit_choices()
        parent.label_from_instance = _unit_label


def _unit_label(unit: OrgUnit) -> str:
    return f"{'— ' * unit.depth}{unit.code} {unit}"


class OrgUnitMoveForm(GovukFormMixin, forms.Form):
    parent = forms.ModelChoiceField(
        label=_("Новий батьківський підрозділ"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("— верхній рівень —"),
    )

    def __init__(self, *args: Any, unit: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent: Any = self.fields["parent"]
        parent.queryset = selectors.orgunit_choices().exclude(path__startswith=unit.path)
        parent.label_from_instance = _unit_label


class PositionForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label=_("Назва посади"), max_length=300)
    is_head = forms.BooleanField(label=_("Керівна посада"), required=False)
    order = forms.IntegerField(
        label=_("Порядок"), min_value=0, max_value=1_000_000, initial=0, help_text=_ORDER_HELP
    )


class PersonForm(GovukFormMixin, forms.Form):
    surname = forms.CharField(
        label=_("Прізвище"), max_length=100, validators=[validate_person_name]
    )
    given_name = forms.CharField(label=_("Ім'я"), max_length=100, validators=[validate_person_name])
    patronymic = forms.CharField(
        label=_("По батькові"), max_length=100, required=False, validators=[validate_person_name]
    )
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    phone = forms.CharField(
        label=_("Телефон"),
        max_length=30,
        required=False,
        validators=[validate_phone],
        help_text=_("Формат: +380 56 123 45 67"),
    )


class PersonEditForm(PersonForm):
    preferred_language = forms.ChoiceField(
        label=_("Мова інтерфейсу"), choices=User.Language.choices
    )
    is_active = forms.BooleanField(
        label=_("Обліковий запис активний"),
        required=False,
        help_text=_("Зніміть позначку, щоб закрити доступ (напр. після звільнення)."),
    )


class StaffCreateForm(PersonForm):
    position = forms.ModelChoiceField(
        label=_("Посада"),
        queryset=Position.objects.none(),
        required=False,
        empty_label=_("— без посади —"),
        help_text=_("Працівника буде призначено на посаду з сьогоднішньої дати."),
    )

    def __init__(self, *args: Any, unit: OrgUnit | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        position: Any = self.fields["position"]
        position.queryset = selectors.positions_choices(unit)
        position.label_from_instance = lambda p: f"{p.unit.code} {p.unit} — {p.title}"


class RoleAssignForm(GovukFormMixin, forms.Form):
    role = forms.ChoiceField(
        label=_("Роль"), choices=[(v, lbl) for v, lbl in Role.choices if v != Role.CITIZEN]
    )
    unit = forms.ModelChoiceField(
        label=_("Підрозділ"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("— уся громада —"),
    )
    include_subunits = forms.BooleanField(
        label=_("Разом з підпорядкованими підрозділами"), required=False, initial=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit: Any = self.fields["unit"]
        unit.queryset = selectors.orgunit_choices()
        unit.label_from_instance = _unit_label


class SubstitutionForm(GovukFormMixin, forms.Form):
    substitute = forms.ModelChoiceField(
        label=_("Хто виконуватиме обов'язки"), queryset=User.objects.none()
    )
    start = forms.DateField(label=_("З"), widget=DateInput())
    end = forms.DateField(label=_("По"), widget=DateInput())
    reason = forms.CharField(
        label=_("Підстава"),
        max_length=300,
        required=False,
        help_text=_("Напр. щорічна відпустка, наказ № 12-к від 01.07.2025"),
    )

    def __init__(self, *args: Any, absent: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        substitute: Any = self.fields["substitute"]
        substitute.queryset = selectors.staff_choices().exclude(pk=absent.pk)
        substitute.label_from_instance = lambda u: f"{u.full_name} ({u.email})"


class EmploymentForm(GovukFormMixin, forms.Form):
    position = forms.ModelChoiceField(label=_("Посада"), queryset=Position.objects.none())
    start = forms.DateField(label=_("З дати"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        position: Any = self.fields["position"]
        position.queryset = selectors.positions_choices()
        position.label_from_instance = lambda p: f"{p.unit.code} {p.unit} — {p.title}"


class ImportForm(GovukFormMixin, forms.Form):
    KIND_CHOICES = [
        ("units", _("Підрозділи (code, parent_code, kind, name, …)")),
        ("staff", _("Працівники (email, surname, given_name, unit_code, position, …)")),
    ]
    kind = forms.ChoiceField(
        label=_("Що імпортувати"), choices=KIND_CHOICES, widget=forms.RadioSelect, initial="units"
    )
    file = forms.FileField(
        label=_("Файл CSV (UTF-8) або XLSX"),
        help_text=_("Перший рядок — назви стовпців. Будь-яка помилка скасовує весь імпорт."),
    )
    send_invitations = forms.BooleanField(
        label=_("Надіслати новим працівникам посилання для встановлення пароля"),
        required=False,
        initial=True,
    )
