"""Forms of the staff workspace for appeals (input parsing only; the rules live in services)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import get_language
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


# --- the queue's filters: widgets written without Django's widget templates ---------------


@lru_cache(maxsize=64)
def _options(choices: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str, str], ...]:
    """(value, '<option value="…"', '>label</option>') of a flat choice list, escaped once.

    Keyed by the choices themselves (values and labels as shown, in the current language),
    so a changed list — a new body, a renamed topic, another language — is a new entry and
    nothing needs invalidating; the few lists of the queue's form stay in the cache.
    """
    return tuple(
        (value, f'\n  <option value="{escape(value)}"', f">{escape(label)}</option>\n")
        for value, label in choices
    )


class QuickSelect(forms.Select):
    """A `<select>` written in Python, with the HTML of Django's widget templates.

    Django renders each option through two templates (the option and its attributes): for
    the queue's filters (57 options: the 25 topics of classifier 858, bodies, states,
    channels) that was 5–10 ms of a page's CPU. Flat lists of plain-text choices take the
    quick path; anything else (option groups, labels marked safe) renders as Django renders
    it. Tested against `Select` (`tests/test_queue_page.py`).
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        choices = [(_str(v), label) for v, label in self.choices]
        if any(isinstance(label, (list, tuple, SafeData)) for _value, label in choices):
            return super().render(name, value, attrs, renderer)
        options = _options(tuple((v, str(label)) for v, label in choices))
        selected = set(self.format_value(value))
        attributes = _attrs_html(self.build_attrs(self.attrs, attrs))
        parts = [f'<select name="{conditional_escape(name)}"{attributes}>']
        pending = True
        for option_value, opening, closing in options:
            parts.append(opening)
            if pending and option_value in selected:
                parts.append(" selected")
                pending = False
            parts.append(closing)
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value and label escaped above


class QuickInputMixin:
    """An `<input>` widget written in Python, with the HTML of django/forms/widgets/input.html.

    The widget's own `get_context` decides type, value (dates formatted, a checkbox's
    `checked`) and attributes; only the template is skipped.
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]  # type: ignore[attr-defined]
        shown = widget["value"]
        value_html = "" if shown is None else f' value="{conditional_escape(str(shown))}"'
        return mark_safe(  # noqa: S308 - every part escaped
            f'<input type="{conditional_escape(widget["type"])}"'
            f' name="{conditional_escape(widget["name"])}"{value_html}'
            f"{_attrs_html(widget['attrs'])}>"
        )


class QuickTextInput(QuickInputMixin, forms.TextInput):
    pass


class QuickDateInput(QuickInputMixin, forms.DateInput):
    pass


class QuickHiddenInput(QuickInputMixin, forms.HiddenInput):
    pass


class QuickNumberInput(QuickInputMixin, forms.NumberInput):
    pass


class QuickCheckboxInput(QuickInputMixin, forms.CheckboxInput):
    pass


def _str(value: Any) -> str:
    return "" if value is None else str(value)


def _attrs_html(attrs: dict[str, Any]) -> str:
    """The attributes as django/forms/widgets/attrs.html writes them."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def _choice_field(label: Any, **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, required=False, widget=QuickSelect, **kwargs)


def _queue_date_field(label: Any) -> forms.DateField:
    field = _date_field(label, required=False)
    field.widget = QuickDateInput(format="%d.%m.%Y", attrs={"autocomplete": "off"})
    return field


@lru_cache(maxsize=16)
def _fixed_choices(language: str | None) -> dict[str, list[tuple[str, str]]]:
    """The filter's choices that come from the code (states, channels), translated once per
    language: their lazy labels cost a `gettext` each on every page otherwise."""
    every = ("", str(_("— усі —")))
    states = [c for c in Appeal.State.choices if c[0] not in ("draft", "discarded")]
    return {
        "state": [
            every,
            ("open", str(_("на розгляді (усі відкриті)"))),
            *[(value, str(label)) for value, label in states],
        ],
        "channel": [every, *[(value, str(label)) for value, label in Channel.choices]],
        "clock": [every, ("overdue", str(_("прострочені"))), ("due_soon", str(_("спливає строк")))],
    }


class QueueFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Індекс, прізвище або телефон"),
        max_length=100,
        required=False,
        widget=QuickTextInput,
    )
    state = _choice_field(_("Стан"))
    unit = forms.TypedChoiceField(
        label=_("Орган"), required=False, coerce=int, empty_value=None, widget=QuickSelect
    )
    topic = _choice_field(_("Питання"))
    channel = _choice_field(_("Канал"))
    due_from = _queue_date_field(_("Строк з"))
    due_to = _queue_date_field(_("Строк по"))
    clock = _choice_field(_("Строки"))
    priority = forms.BooleanField(
        label=_("Лише пільгові категорії"), required=False, widget=QuickCheckboxInput
    )
    mass = forms.IntegerField(required=False, widget=QuickHiddenInput, min_value=1)

    def __init__(
        self,
        *args: Any,
        units: list[tuple[int, str]],
        topics: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        """`units`: (id, label) of the bodies to filter by; `topics`: (code, "code label") of
        classifier 858's topics (`staff_selectors.queue_units`, `queue_topics`)."""
        super().__init__(*args, **kwargs)
        fixed = _fixed_choices(get_language())
        every = fixed["state"][0]
        for name, choices in (
            ("state", fixed["state"]),
            ("clock", fixed["clock"]),
            ("channel", fixed["channel"]),
            ("unit", [every, *[(str(pk), label) for pk, label in units]]),
            ("topic", [every, *topics]),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = list(choices)


class MassForm(ApplicationErrorMixin, forms.Form):
    # Quick widgets: the form is drawn on every queue page of a user who may mark mass appeals.
    title = forms.CharField(
        label=_("Проблема"), max_length=300, required=False, widget=QuickTextInput
    )
    place = forms.CharField(label=_("Місце"), max_length=300, required=False, widget=QuickTextInput)
    group = forms.IntegerField(
        label=_("Додати до групи №"), required=False, min_value=1, widget=QuickNumberInput
    )
