"""Forms of the document workflow (the services check the domain rules)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hromada.accounts.models import OrgUnit, User
from hromada.control.forms import (
    ApplicationErrorMixin,
    DateInput,
    PeopleChoiceField,
    PersonChoiceField,
)
from hromada.documents.models import (
    CaseFile,
    Correspondent,
    Document,
    DocumentFile,
    DocumentLink,
    Journal,
)

_REF = re.compile(r"\[#(\d{1,12})\]\s*$")


class JournalChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.body.short_name or obj.body.name})"


class CaseChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.index} {obj.title}"


def correspondent_label(correspondent: Correspondent) -> str:
    """The text shown for a correspondent in the search box; ends with its id."""
    return f"{correspondent.name} [#{correspondent.pk}]"


class RegisterForm(ApplicationErrorMixin, forms.Form):
    journal = JournalChoiceField(
        label=_("Журнал"),
        queryset=Journal.objects.none(),
        error_messages={"required": _("Оберіть журнал.")},
    )
    correspondent = forms.CharField(
        label=_("Кореспондент"),
        max_length=320,
        required=False,
        help_text=_("Почніть вводити назву, код або ЄДРПОУ і оберіть зі списку."),
        widget=forms.TextInput(attrs={"list": "correspondent-options", "autocomplete": "off"}),
    )
    new_correspondent = forms.ChoiceField(
        label=_("Якщо кореспондента немає в довіднику — додати як"),
        choices=[("", _("не додавати")), *Correspondent.Kind.choices],
        required=False,
    )
    correspondent_number = forms.CharField(
        label=_("Вихідний номер кореспондента"), max_length=50, required=False
    )
    correspondent_date = forms.DateField(
        label=_("Дата документа кореспондента"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Невірна дата.")},
    )
    received_date = forms.DateField(
        label=_("Дата надходження"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Невірна дата.")},
    )
    channel = forms.ChoiceField(
        label=_("Спосіб надходження"),
        choices=[("", "—"), *Document.Channel.choices],
        required=False,
    )
    doc_kind = forms.ChoiceField(
        label=_("Вид документа"), choices=[(k, k) for k in Document.KINDS], initial="лист"
    )
    summary = forms.CharField(
        label=_("Короткий зміст"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Введіть короткий зміст.")},
    )
    pages = forms.IntegerField(label=_("Аркушів"), min_value=0, max_value=10000, initial=1)
    attachments_count = forms.IntegerField(
        label=_("Аркушів додатків"), min_value=0, max_value=10000, initial=0
    )
    access = forms.ChoiceField(
        label=_("Доступ"),
        choices=Document.Access.choices,
        initial=Document.Access.PUBLIC,
        widget=forms.RadioSelect,
    )
    addressee = PersonChoiceField(
        label=_("Адресат (керівник)"), queryset=User.objects.none(), required=False
    )
    case_file = CaseChoiceField(
        label=_("Справа за номенклатурою"), queryset=CaseFile.objects.none(), required=False
    )
    link_kind = forms.ChoiceField(
        label=_("Пов'язаний документ"),
        choices=[
            ("", _("немає")),
            (DocumentLink.Kind.FOLLOW_UP, _("на продовження документа")),
            (DocumentLink.Kind.ANSWER_TO, _("відповідь на документ")),
        ],
        required=False,
    )
    link_index = forms.CharField(
        label=_("Реєстраційний індекс пов'язаного документа"), max_length=100, required=False
    )

    def __init__(
        self,
        *args: Any,
        journals: QuerySet[Journal],
        addressees: QuerySet[User],
        cases: QuerySet[CaseFile],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["journal"].queryset = journals  # type: ignore[attr-defined]
        self.fields["addressee"].queryset = addressees  # type: ignore[attr-defined]
        self.fields["case_file"].queryset = cases  # type: ignore[attr-defined]
        self.fields["journal"].widget.attrs["autofocus"] = True

    def clean_correspondent(self) -> Correspondent | str | None:
        text = (self.cleaned_data.get("correspondent") or "").strip()
        if not text:
            return None
        match = _REF.search(text)
        if match:
            found = Correspondent.objects.filter(pk=int(match.group(1)), is_active=True).first()
            if found is None:
                raise forms.ValidationError(_("Такого кореспондента в довіднику немає."))
            return found
        exact = list(Correspondent.objects.filter(is_active=True, name__iexact=text)[:2])
        if len(exact) == 1:
            return exact[0]
        # Not in the directory: kept as text, added when the clerk asked for it (see clean()).
        return text

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        correspondent = data.get("correspondent")
        if isinstance(correspondent, str) and not data.get("new_correspondent"):
            self.add_error(
                "correspondent",
                _(
                    "Кореспондента «%(name)s» немає в довіднику: оберіть зі списку або "
                    "позначте, що його треба додати."
                )
                % {"name": correspondent[:100]},
            )
        if data.get("link_kind") and not data.get("link_index"):
            self.add_error("link_index", _("Вкажіть індекс пов'язаного документа."))
        return data


class CardForm(ApplicationErrorMixin, forms.Form):
    """Correct a registered document's card: the registration form without journal and links."""

    correspondent = RegisterForm.base_fields["correspondent"]
    correspondent_number = RegisterForm.base_fields["correspondent_number"]
    correspondent_date = RegisterForm.base_fields["correspondent_date"]
    received_date = RegisterForm.base_fields["received_date"]
    channel = RegisterForm.base_fields["channel"]
    doc_kind = RegisterForm.base_fields["doc_kind"]
    summary = RegisterForm.base_fields["summary"]
    pages = RegisterForm.base_fields["pages"]
    attachments_count = RegisterForm.base_fields["attachments_count"]
    access = RegisterForm.base_fields["access"]
    addressee = RegisterForm.base_fields["addressee"]
    case_file = RegisterForm.base_fields["case_file"]

    def __init__(
        self,
        *args: Any,
        addressees: QuerySet[User],
        cases: QuerySet[CaseFile],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["addressee"].queryset = addressees  # type: ignore[attr-defined]
        self.fields["case_file"].queryset = cases  # type: ignore[attr-defined]
        self.fields["summary"].widget.attrs["autofocus"] = True

    def clean_correspondent(self) -> Correspondent | None:
        text = (self.cleaned_data.get("correspondent") or "").strip()
        if not text:
            return None
        match = _REF.search(text)
        found = (
            Correspondent.objects.filter(pk=int(match.group(1))).first()
            if match
            else Correspondent.objects.filter(is_active=True, name__iexact=text).first()
        )
        if found is None:
            raise forms.ValidationError(
                _("Такого кореспондента в довіднику немає: оберіть зі списку.")
            )
        return found


class BodyChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class JournalForm(ApplicationErrorMixin, forms.Form):
    """A registration journal in the staff workspace (the service checks the template)."""

    body = BodyChoiceField(
        label=_("Орган (підрозділ)"),
        queryset=OrgUnit.objects.none(),
        error_messages={"required": _("Оберіть орган.")},
    )
    kind = forms.ChoiceField(
        label=_("Вид журналу"), choices=Journal.Kind.choices, widget=forms.RadioSelect
    )
    code = forms.CharField(
        label=_("Код журналу"),
        max_length=30,
        help_text=_("Короткий і незмінний, напр. ВХ або VK-IN; поле {journal} індексу."),
    )
    name = forms.CharField(label=_("Назва"), max_length=200)
    index_template = forms.CharField(
        label=_("Шаблон індексу"),
        max_length=100,
        initial="{seq}",
        help_text=_(
            "Напр. {seq}, {case}/{seq}, 01-15/{seq}, {seq}/{unit}, {seq:04}. Доступні поля: "
            "{seq} — порядковий номер, {year} — рік, {case} — індекс справи, {unit} — код "
            "підрозділу, {journal} — код журналу, {correspondent} — код кореспондента."
        ),
    )
    doc_kind = forms.CharField(
        label=_("Вид документів (для внутрішніх журналів)"), max_length=50, required=False
    )
    order = forms.IntegerField(label=_("Порядок у списку"), min_value=0, initial=0)
    is_active = forms.BooleanField(
        label=_("Журнал діє (відкритий для реєстрації)"), required=False, initial=True
    )

    def __init__(
        self, *args: Any, bodies: QuerySet[OrgUnit], editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies  # type: ignore[attr-defined]
        if editing:
            self.fields["code"].disabled = True
            self.fields["code"].required = False
        self.fields["name"].widget.attrs["autofocus"] = True


class AttachForm(ApplicationErrorMixin, forms.Form):
    file = forms.FileField(label=_("Файл"), error_messages={"required": _("Оберіть файл.")})
    kind = forms.ChoiceField(
        label=_("Вид"), choices=[c for c in DocumentFile.Kind.choices if c[0] != "draft"]
    )
    title = forms.CharField(label=_("Назва"), max_length=200, required=False)


class VersionForm(ApplicationErrorMixin, forms.Form):
    file = forms.FileField(label=_("Нова версія"), error_messages={"required": _("Оберіть файл.")})


class AnswerForm(ApplicationErrorMixin, forms.Form):
    journal = JournalChoiceField(
        label=_("Журнал вихідних"),
        queryset=Journal.objects.none(),
        error_messages={"required": _("Оберіть журнал.")},
    )
    summary = forms.CharField(label=_("Короткий зміст"), max_length=2000)
    body_text = forms.CharField(
        label=_("Текст відповіді"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )
    signer = PersonChoiceField(label=_("Підписує"), queryset=User.objects.none())
    approvers = PeopleChoiceField(
        label=_("Погоджують (у порядку вибору)"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(
        self,
        *args: Any,
        journals: QuerySet[Journal],
        heads: QuerySet[User],
        staff: QuerySet[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["journal"].queryset = journals  # type: ignore[attr-defined]
        self.fields["signer"].queryset = heads  # type: ignore[attr-defined]
        self.fields["approvers"].queryset = staff  # type: ignore[attr-defined]


class CaseForm(ApplicationErrorMixin, forms.Form):
    index = forms.CharField(label=_("Індекс справи"), max_length=30)
    title = forms.CharField(label=_("Заголовок справи"), max_length=500)
    storage = forms.ChoiceField(
        label=_("Строк зберігання"), choices=CaseFile.Storage.choices, widget=forms.RadioSelect
    )
    storage_years = forms.IntegerField(
        label=_("Років зберігання"), required=False, min_value=1, max_value=100
    )
    article = forms.CharField(label=_("Стаття переліку"), max_length=50, required=False)
    year = forms.IntegerField(
        label=_("Рік"), min_value=2000, max_value=2100, initial=lambda: timezone.localdate().year
    )


class CorrespondentForm(ApplicationErrorMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Вид"), choices=Correspondent.Kind.choices, widget=forms.RadioSelect
    )
    name = forms.CharField(label=_("Назва / ПІБ"), max_length=300)
    code = forms.CharField(label=_("Код"), max_length=30, required=False)
    edrpou = forms.CharField(label=_("Код ЄДРПОУ"), max_length=10, required=False)
    address = forms.CharField(label=_("Адреса"), max_length=300, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Телефон"), max_length=30, required=False)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Пошук"), max_length=200, required=False)
    journal = forms.ModelChoiceField(
        label=_("Журнал"), queryset=Journal.objects.none(), required=False
    )
    direction = forms.ChoiceField(
        label=_("Вид"), choices=[("", _("усі")), *Journal.Kind.choices], required=False
    )
    start = forms.DateField(label=_("Зареєстровано з"), required=False, widget=DateInput())
    end = forms.DateField(label=_("по"), required=False, widget=DateInput())
    control = forms.ChoiceField(
        label=_("Контроль"),
        choices=[
            ("", _("усі")),
            ("on_control", _("на контролі")),
            ("overdue", _("прострочені")),
            ("removed", _("знято з контролю")),
            ("none", _("без резолюції")),
        ],
        required=False,
    )
    correspondent = forms.IntegerField(widget=forms.HiddenInput, required=False)
    executor = forms.IntegerField(widget=forms.HiddenInput, required=False)
    case = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, journals: QuerySet[Journal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["journal"].queryset = journals  # type: ignore[attr-defined]
