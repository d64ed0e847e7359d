"""Forms of the staff workspace for appeals (input parsing only; the rules live in services)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hromada.accounts.models import OrgUnit
from hromada.appeals import services
from hromada.appeals.models import Appeal, Channel
from hromada.control.forms import ApplicationErrorMixin
from hromada.core.classifiers import classifier_choices
from hromada.core.districts import District

DATE_FORMATS = ["%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y"]
CLASSIFIER = "858"

# The channels an operator enters by hand (the others come through their own screens).
OPERATOR_CHANNELS = (
    Channel.HOTLINE,
    Channel.DIRECT_PHONE,
    Channel.DUTY_SERVICE,
    Channel.POST,
    Channel.IN_PERSON,
    Channel.MEETING,
    Channel.RECEPTION,
    Channel.VISITING_RECEPTION,
    Channel.REPRESENTATIVE,
    Channel.OTHER_BODY,
    Channel.MEDIA,
)

EARLIER_KEYS = ("surname", "given_name", "patronymic", "phone")

NEEDS_STUDY_CHOICES = (
    ("yes", _("Так — строк один місяць")),
    ("no", _("Ні — не пізніше 15 днів")),
)


def _blank(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


class BodyChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.short_name or obj.name)


def _date_field(
    label: Any, *, required: bool = True, error_messages: dict[str, Any] | None = None
) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d.%m.%Y", attrs={"autocomplete": "off"}),
        error_messages={
            "invalid": _("Вкажіть дату у форматі ДД.ММ.РРРР."),
            **(error_messages or {}),
        },
    )


def parse_codes(value: str) -> list[str]:
    """Split "109, 110 125" into codes."""
    return [c for c in value.replace(";", ",").replace(",", " ").split() if c]


class CardFieldsMixin(forms.Form):
    """The Instruction 348 card fields shared by operator entry and the correction form."""

    surname = forms.CharField(label=_("Прізвище"), max_length=100, required=False)
    given_name = forms.CharField(label=_("Ім'я"), max_length=100, required=False)
    patronymic = forms.CharField(label=_("По батькові"), max_length=100, required=False)
    phone = forms.CharField(
        label=_("Телефон"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    address = forms.CharField(label=_("Місце проживання"), max_length=300, required=False)
    district = forms.ChoiceField(label=_("Район"), required=False)
    email = forms.CharField(
        label=_("E-mail"),
        max_length=254,
        required=False,
        widget=forms.TextInput(attrs={"type": "email", "autocomplete": "off"}),
    )
    text = forms.CharField(
        label=_("Суть звернення"),
        max_length=services.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Запишіть суть звернення.")},
    )
    summary = forms.CharField(
        label=_("Короткий зміст"),
        max_length=services.MAX_SUMMARY,
        required=False,
        help_text=_("Порожньо — перший рядок суті звернення."),
    )
    topic_main = forms.ChoiceField(
        label=_("Основне питання (тематика 858)"),
        error_messages={"required": _("Оберіть основне питання за класифікатором.")},
    )
    topics_more = forms.CharField(
        label=_("Інші питання (коди через кому)"),
        max_length=200,
        required=False,
        help_text=_("Напр. 110, 125."),
    )
    kind = forms.ChoiceField(
        label=_("Вид (3.x)"), choices=Appeal.Kind.choices, initial=Appeal.Kind.APPLICATION
    )
    needs_study = forms.ChoiceField(
        label=_("Потребує додаткового вивчення"), choices=NEEDS_STUDY_CHOICES, initial="yes"
    )
    subject = forms.ChoiceField(label=_("Суб'єкт (5.x)"), choices=Appeal.Subject.choices)
    signatories = forms.IntegerField(
        label=_("Кількість підписантів"),
        min_value=1,
        max_value=100000,
        initial=1,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    sex = forms.ChoiceField(label=_("Стать (4.x)"), required=False)
    category = forms.ChoiceField(label=_("Категорія заявника (7.x)"), required=False)
    social_status = forms.ChoiceField(label=_("Соціальний стан (8.x)"), required=False)
    written_date = _date_field(_("Дата написання / дзвінка"), required=False)
    sent_from = forms.CharField(label=_("Звідки надійшло (орган)"), max_length=300, required=False)
    sent_from_index = forms.CharField(
        label=_("Індекс документа органу"), max_length=100, required=False
    )
    sent_from_date = _date_field(_("Дата документа органу"), required=False)

    def setup_choices(self, on: date | None = None) -> None:
        on = on or timezone.localdate()
        fields = self.fields
        cast_choice = forms.ChoiceField
        for name, section, empty in (
            ("sex", "4", _("— не вказано —")),
            ("category", "7", _("— немає пільгової категорії —")),
            ("social_status", "8", _("— не вказано —")),
            ("topic_main", "topics", _("— оберіть —")),
        ):
            field = fields[name]
            assert isinstance(field, cast_choice)
            field.choices = _blank(empty) + classifier_choices(CLASSIFIER, section, on)
        district = fields["district"]
        assert isinstance(district, cast_choice)
        district.choices = _blank(_("— не вказано —")) + list(District.choices)

    def topics(self) -> list[str]:
        data = self.cleaned_data
        return [data["topic_main"], *parse_codes(data.get("topics_more") or "")]

    def card_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "surname": data["surname"],
            "given_name": data["given_name"],
            "patronymic": data["patronymic"],
            "phone": data["phone"],
            "address": data["address"],
            "district": data["district"],
            "email": data["email"],
            "text": data["text"],
            "summary": data["summary"],
            "kind": data["kind"],
            "subject": data["subject"],
            "signatories": data["signatories"] or 1,
            "sex": data["sex"],
            "category": data["category"],
            "social_status": data["social_status"],
            "written_date": data["written_date"],
            "sent_from": data["sent_from"],
            "sent_from_index": data["sent_from_index"],
            "sent_from_date": data["sent_from_date"],
        }


class EntryForm(ApplicationErrorMixin, CardFieldsMixin):
    """Operator entry of an appeal received by phone, post, in person or at a meeting."""

    channel = forms.ChoiceField(label=_("Канал надходження"))
    body = BodyChoiceField(
        label=_("Орган (журнал реєстрації)"),
        queryset=OrgUnit.objects.none(),
        empty_label=None,
    )
    how_received = forms.ChoiceField(
        label=_("Як надійшло (1.x)"),
        required=False,
        help_text=_("Порожньо — за каналом."),
    )
    confirm_anonymous = forms.BooleanField(
        label=_("Так, зареєструвати як анонімне (не підлягає розгляду, ст. 8 Закону)"),
        required=False,
    )
    duplicate = forms.CharField(required=False, widget=forms.HiddenInput)
    token = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    field_order = [
        "channel",
        "body",
        "surname",
        "given_name",
        "patronymic",
        "phone",
        "address",
        "district",
        "email",
        "text",
        "summary",
        "topic_main",
        "topics_more",
        "kind",
        "needs_study",
        "subject",
        "signatories",
        "sex",
        "category",
        "social_status",
        "how_received",
        "written_date",
        "sent_from",
        "sent_from_index",
        "sent_from_date",
    ]

    def __init__(
        self,
        *args: Any,
        bodies: list[OrgUnit],
        channels: tuple[str, ...] = OPERATOR_CHANNELS,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.setup_choices()
        body = self.fields["body"]
        assert isinstance(body, BodyChoiceField)
        body.queryset = OrgUnit.objects.filter(pk__in=[b.pk for b in bodies]).order_by("name")
        labels = dict(Channel.choices)
        channel = self.fields["channel"]
        assert isinstance(channel, forms.ChoiceField)
        channel.choices = [(c, labels[c]) for c in channels]
        how = self.fields["how_received"]
        assert isinstance(how, forms.ChoiceField)
        how.choices = _blank(_("— за каналом —")) + classifier_choices(CLASSIFIER, "1")
        self.fields["surname"].widget.attrs["autofocus"] = True
        # As the operator types the caller's name or phone, htmx refreshes the panel of the
        # caller's earlier appeals (without JavaScript: the "check" button does the same).
        for name in EARLIER_KEYS:
            self.fields[name].widget.attrs.update(
                {
                    "hx-get": reverse("appeals:earlier"),
                    "hx-trigger": "input changed delay:300ms",
                    "hx-target": "#earlier-panel",
                    "hx-include": ",".join(f"#id_{key}" for key in EARLIER_KEYS),
                    "hx-sync": "#earlier-panel:replace",
                }
            )

    def needs_study_value(self) -> bool:
        return bool(self.cleaned_data["needs_study"] != "no")

    def duplicate_decision(self) -> tuple[bool, int | None]:
        """Return (confirmed not a duplicate, id of the appeal it duplicates)."""
        value = (self.cleaned_data.get("duplicate") or "").strip()
        if value == "new":
            return True, None
        if value.isdigit() and len(value) < 18:
            return False, int(value)
        return False, None


class DuplicateChoiceForm(forms.Form):
    """The operator's answer to the possible-duplicate warning (radio buttons)."""

    duplicate = forms.CharField(required=False)


class DiscardForm(ApplicationErrorMixin, forms.Form):
    reason = forms.CharField(
        label=_("Причина відхилення"),
        max_length=300,
        help_text=_("Напр. спам, порожній лист, не є зверненням."),
        error_messages={"required": _("Вкажіть причину відхилення.")},
    )


class CorrectionForm(ApplicationErrorMixin, CardFieldsMixin):
    """Correct the card of a registered appeal (not its index, journal or registration date)."""

    how_received = forms.ChoiceField(label=_("Як надійшло (1.x)"))
    case_index = forms.CharField(label=_("Справа (індекс)"), max_length=30, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_choices()
        how = self.fields["how_received"]
        assert isinstance(how, forms.ChoiceField)
        how.choices = classifier_choices(CLASSIFIER, "1")
        del self.fields["needs_study"]

    @staticmethod
    def initial_for(appeal: Appeal) -> dict[str, Any]:
        topics = [t.code for t in appeal.topics.all()]
        values = {name: getattr(appeal, name) for name in services.CORRECTABLE_FIELDS}
        values["topic_main"] = topics[0] if topics else ""
        values["topics_more"] = ", ".join(topics[1:])
        return values

    def changes(self) -> dict[str, Any]:
        values = self.card_values()
        values["topics"] = self.topics()
        values["how_received"] = self.cleaned_data["how_received"]
        values["case_index"] = self.cleaned_data["case_index"]
        return values


class ExtendForm(ApplicationErrorMixin, forms.Form):
    new_due_date = _date_field(
        _("Новий строк розгляду"),
        error_messages={"required": _("Вкажіть новий строк.")},
    )
    reason = forms.CharField(
        label=_("Підстава продовження"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Вкажіть підставу продовження строку.")},
    )


class ForwardForm(ApplicationErrorMixin, forms.Form):
    to_body = forms.CharField(
        label=_("Орган, до компетенції якого належить звернення"),
        max_length=300,
        error_messages={"required": _("Вкажіть орган, до якого надсилається звернення.")},
    )
    covering_letter = forms.CharField(
        label=_("Текст супровідного листа"),
        max_length=services.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Напишіть текст супровідного листа.")},
    )


class ReturnForm(ApplicationErrorMixin, forms.Form):
    explanation = forms.CharField(
        label=_("Пояснення причин повернення"),
        max_length=services.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Що саме не відповідає вимогам ст. 5 Закону і як це виправити."),
        error_messages={"required": _("Поясніть заявникові причини повернення.")},
    )


class NotConsiderForm(ApplicationErrorMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("Підстава (ст. 8 Закону)"),
        choices=services.NotConsideredReason.CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Оберіть підставу зі ст. 8 Закону.")},
    )
    note = forms.CharField(
        label=_("Пояснення"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("Індекс, прізвище або телефон"), max_length=100, required=False)
    state = forms.ChoiceField(label=_("Стан"), required=False)
    unit = forms.ModelChoiceField(
        label=_("Орган"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("— усі —"),
    )
    topic = forms.ChoiceField(label=_("Питання"), required=False)
    channel = forms.ChoiceField(label=_("Канал"), required=False)
    due_from = _date_field(_("Строк з"), required=False)
    due_to = _date_field(_("Строк по"), required=False)
    clock = forms.ChoiceField(
        label=_("Строки"),
        required=False,
        choices=[
            ("", _("— усі —")),
            ("overdue", _("прострочені")),
            ("due_soon", _("спливає строк")),
        ],
    )
    priority = forms.BooleanField(label=_("Лише пільгові категорії"), required=False)
    mass = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        state = self.fields["state"]
        assert isinstance(state, forms.ChoiceField)
        state.choices = [
            ("", _("— усі —")),
            ("open", _("на розгляді (усі відкриті)")),
            *[c for c in Appeal.State.choices if c[0] not in ("draft", "discarded")],
        ]
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = units
        topic = self.fields["topic"]
        assert isinstance(topic, forms.ChoiceField)
        topic.choices = _blank(_("— усі —")) + classifier_choices(CLASSIFIER, "topics")
        channel = self.fields["channel"]
        assert isinstance(channel, forms.ChoiceField)
        channel.choices = _blank(_("— усі —")) + list(Channel.choices)


class MassForm(ApplicationErrorMixin, forms.Form):
    title = forms.CharField(label=_("Проблема"), max_length=300, required=False)
    place = forms.CharField(label=_("Місце"), max_length=300, required=False)
    group = forms.IntegerField(label=_("Додати до групи №"), required=False, min_value=1)
