"""Forms of the portal's staff pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hromada.portal.importing import MAX_BYTES
from hromada.portal.models import District
from hromada.portal.schema import Attribute


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Файл CSV або XLSX"))
    replace = forms.BooleanField(
        label=_("Замінити всі наявні об'єкти ресурсу об'єктами з файлу"), required=False
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("Файл завеликий: не більше 10 МБ."))
        name = (upload.name or "").lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Підтримуються лише файли CSV і XLSX."))
        return upload


_BOOL_CHOICES = [("", "—"), ("так", _("так")), ("ні", _("ні"))]


class ObjectForm(forms.Form):
    """An object's fields and its resource's attributes (the service checks them all)."""

    name = forms.CharField(label=_("Назва"), max_length=300)
    address = forms.CharField(label=_("Адреса"), max_length=300)
    district = forms.ChoiceField(label=_("Район"), required=False)
    latitude = forms.CharField(label=_("Широта"), required=False, max_length=30)
    longitude = forms.CharField(label=_("Довгота"), required=False, max_length=30)
    phone = forms.CharField(label=_("Телефон"), required=False, max_length=100)
    email = forms.CharField(label=_("E-mail"), required=False, max_length=200)
    website = forms.CharField(label=_("Вебсайт"), required=False, max_length=200)
    opening_hours = forms.CharField(label=_("Години роботи"), required=False, max_length=300)
    last_checked = forms.CharField(
        label=_("Дата перевірки (РРРР-ММ-ДД)"), required=False, max_length=10
    )

    def __init__(self, *args: Any, attributes: list[Attribute], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        district = self.fields["district"]
        assert isinstance(district, forms.ChoiceField)
        district.choices = [("", "—"), *District.choices]
        self.attribute_names = []
        for attr in attributes:
            key = f"attr_{attr.name}"
            self.attribute_names.append(key)
            if attr.type == "boolean":
                self.fields[key] = forms.ChoiceField(
                    label=attr.label, choices=_BOOL_CHOICES, required=False
                )
            elif attr.type == "choice":
                self.fields[key] = forms.ChoiceField(
                    label=attr.label,
                    choices=[("", "—"), *((c, c) for c in attr.choices)],
                    required=False,
                )
            else:
                self.fields[key] = forms.CharField(
                    label=attr.label, required=False, max_length=2000
                )

    def service_data(self) -> dict[str, Any]:
        """Return the cleaned data in the shape the services take."""
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("attr_")}
        data["attributes"] = {
            k.removeprefix("attr_"): v
            for k, v in self.cleaned_data.items()
            if k.startswith("attr_") and v not in ("", None)
        }
        return data

    @staticmethod
    def initial_for(obj: Any) -> dict[str, Any]:
        initial = {
            name: getattr(obj, name)
            for name in (
                "name",
                "address",
                "district",
                "latitude",
                "longitude",
                "phone",
                "email",
                "website",
                "opening_hours",
                "last_checked",
            )
        }
        for key, value in (obj.attributes or {}).items():
            initial[f"attr_{key}"] = (
                ("так" if value else "ні") if isinstance(value, bool) else value
            )
        return {k: ("" if v is None else v) for k, v in initial.items()}


class PollForm(forms.Form):
    """A visitor poll as an editor writes it: the options one a line."""

    question = forms.CharField(label=_("Питання"), max_length=300)
    description = forms.CharField(
        label=_("Пояснення (необов'язково)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "govuk-textarea"}),
    )
    options = forms.CharField(
        label=_("Варіанти відповіді"),
        help_text=_("Кожен варіант — з нового рядка; від 2 до 20."),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6, "class": "govuk-textarea"}),
    )
    opens_at = forms.DateTimeField(
        label=_("Відкрите з"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    closes_at = forms.DateTimeField(
        label=_("Відкрите до"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    is_published = forms.BooleanField(label=_("Опублікувати"), required=False)
    on_home = forms.BooleanField(label=_("Показувати на головній сторінці"), required=False)

    def option_lines(self) -> list[str]:
        return [line for line in self.cleaned_data["options"].splitlines() if line.strip()]


class PollVoteForm(forms.Form):
    """A visitor's choice; anonymous visitors also give the e-mail that confirms the vote."""

    option = forms.TypedChoiceField(label=_("Ваша відповідь"), coerce=int, widget=forms.RadioSelect)
    email = forms.EmailField(
        label=_("Ваша електронна пошта"),
        help_text=_(
            "Ми надішлемо посилання для підтвердження: голос зараховується після переходу за "
            "ним. Адресу не показуємо і не зберігаємо у відкритому вигляді."
        ),
        required=False,
        max_length=254,
    )

    def __init__(self, *args: Any, options: list[Any], needs_email: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        option_field = self.fields["option"]
        assert isinstance(option_field, forms.TypedChoiceField)
        option_field.choices = [(o.pk, o.text) for o in options]
        option_field.error_messages["required"] = _("Оберіть один із варіантів відповіді.")
        option_field.error_messages["invalid_choice"] = _("Оберіть один із варіантів відповіді.")
        if needs_email:
            self.fields["email"].required = True
            self.fields["email"].error_messages["required"] = _(
                "Вкажіть адресу електронної пошти, щоб підтвердити голос."
            )
        else:
            del self.fields["email"]


class AttachmentForm(forms.Form):
    """A photo or a document added to an object or a building passport."""

    kind = forms.ChoiceField(
        label=_("Вид"),
        choices=[("photo", _("Фото (JPEG, PNG, WebP)")), ("document", _("Документ"))],
        widget=forms.RadioSelect,
        initial="photo",
    )
    title = forms.CharField(label=_("Назва (необов'язково)"), max_length=200, required=False)
    file = forms.FileField(label=_("Файл"))
