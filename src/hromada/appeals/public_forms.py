"""Forms of the citizen side: the web form, follow-ups and complaints, tracking.

The web form defends itself against robots without locking people out: a hidden field people
never fill in (a honeypot) and a signed start time (a form sent within seconds of being shown
is refused with a request to send it again). No CAPTCHA service.
"""

from __future__ import annotations

import secrets
import time
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hromada.appeals import citizen, services
from hromada.appeals.models import Appeal
from hromada.core.districts import District
from hromada.core.uploads import DOCUMENTS, validate_upload

_SIGNING_SALT = "hromada.appeals.webform"
# A form page older than this is refused (the visitor sends it again with a fresh one).
FORM_MAX_AGE_SECONDS = 24 * 3600
MAX_TEXT = services.MAX_TEXT

KIND_CHOICES = [
    (
        Appeal.Kind.APPLICATION,
        gettext_lazy("Заява — прошу вирішити питання, надати допомогу чи послугу"),
    ),
    (
        Appeal.Kind.PROPOSAL,
        gettext_lazy("Пропозиція — пропоную, як щось покращити"),
    ),
    (
        Appeal.Kind.COMPLAINT,
        gettext_lazy("Скарга — порушено мої права чи законні інтереси"),
    ),
]


def form_token() -> str:
    """Return a signed start time and nonce for a fresh form (the nonce is the idempotency key)."""
    return signing.dumps({"t": time.time(), "n": secrets.token_hex(12)}, salt=_SIGNING_SALT)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by content, size and name."""

    widget = MultipleFileInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        limit = settings.HROMADA_APPEALS_MAX_FILES
        if len(files) > limit:
            raise ValidationError(
                _(
                    "Можна додати не більше %(max)s файлів, а ви обрали %(count)s. "
                    "Об'єднайте файли або залиште найважливіші."
                )
                % {"max": limit, "count": len(files)},
                code="too_many_files",
            )
        errors = []
        for upload in files:
            try:
                checked = validate_upload(
                    upload, allowed=DOCUMENTS, max_bytes=settings.HROMADA_APPEALS_MAX_FILE_BYTES
                )
            except ValidationError as exc:
                errors.append(f"«{upload.name}»: {' '.join(exc.messages)}")
                continue
            upload.name = checked.name
        if errors:
            raise ValidationError(errors)
        return files


def _max_size_label() -> str:
    size = settings.HROMADA_APPEALS_MAX_FILE_BYTES
    return f"{size / (1024 * 1024):.0f} МБ" if size >= 1024 * 1024 else f"{size // 1024} КБ"


class AppealForm(forms.Form):
    """The public web form (the Instruction 348 card in a resident's words)."""

    surname = forms.CharField(
        label=gettext_lazy("Прізвище"),
        max_length=100,
        error_messages={"required": gettext_lazy("Вкажіть прізвище.")},
        widget=forms.TextInput(attrs={"autocomplete": "family-name", "spellcheck": "false"}),
    )
    given_name = forms.CharField(
        label=gettext_lazy("Ім'я"),
        max_length=100,
        error_messages={"required": gettext_lazy("Вкажіть ім'я.")},
        widget=forms.TextInput(attrs={"autocomplete": "given-name", "spellcheck": "false"}),
    )
    patronymic = forms.CharField(
        label=gettext_lazy("По батькові"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "additional-name", "spellcheck": "false"}),
    )
    address = forms.CharField(
        label=gettext_lazy("Адреса: вулиця і номер будинку"),
        help_text=gettext_lazy(
            "Почніть вводити назву вулиці — підкажемо адреси з переліку будинків міста. "
            "Якщо вашої адреси немає в переліку, напишіть її повністю (для іншого населеного "
            "пункту — з його назвою)."
        ),
        max_length=250,
        error_messages={
            "required": gettext_lazy(
                "Вкажіть адресу: без неї звернення вважається анонімним і не розглядається "
                "(ст. 8 Закону «Про звернення громадян»)."
            )
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "street-address", "list": "address-suggestions"}
        ),
    )
    flat = forms.CharField(
        label=gettext_lazy("Квартира"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    district = forms.ChoiceField(
        label=gettext_lazy("Район міста"),
        help_text=gettext_lazy("Якщо не знаєте, залиште порожнім — визначимо за адресою."),
        choices=[("", gettext_lazy("— не знаю —")), *District.choices],
        required=False,
    )
    email = forms.EmailField(
        label=gettext_lazy("E-mail"),
        max_length=254,
        required=False,
        error_messages={
            "invalid": gettext_lazy(
                "Вкажіть правильну адресу електронної пошти, наприклад ivan@example.com."
            )
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label=gettext_lazy("Телефон"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Що ви подаєте"),
        choices=KIND_CHOICES,
        initial=Appeal.Kind.APPLICATION,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Оберіть, що ви подаєте.")},
    )
    topic = forms.ChoiceField(
        label=gettext_lazy("Тема"),
        error_messages={
            "required": gettext_lazy("Оберіть тему звернення."),
            "invalid_choice": gettext_lazy("Оберіть тему зі списку."),
        },
    )
    text = forms.CharField(
        label=gettext_lazy("Суть звернення"),
        help_text=gettext_lazy(
            "Опишіть питання, пропозицію чи скаргу: що сталося, де, з якого часу, чого ви просите."
        ),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": gettext_lazy("Опишіть суть звернення.")},
    )
    attachments = MultipleFileField(label=gettext_lazy("Додатки"))
    consent = forms.BooleanField(
        label=gettext_lazy(
            "Я даю згоду на обробку моїх персональних даних для розгляду цього звернення "
            "(Закон України «Про захист персональних даних»)"
        ),
        error_messages={
            "required": gettext_lazy(
                "Без згоди на обробку персональних даних звернення не можна розглянути."
            )
        },
    )
    # Anti-robot fields: a honeypot people never see, and the signed start time.
    website = forms.CharField(
        label=gettext_lazy("Не заповнюйте це поле"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)
    room = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        needs_email: bool = True,
        too_large: list[str] | None = None,
        skipped_files: int = 0,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.needs_email = needs_email
        self.too_large = too_large or []
        self.skipped_files = skipped_files
        self.nonce = ""
        self.robot = False
        cast(forms.ChoiceField, self.fields["topic"]).choices = citizen.topic_choices()
        # Suggestions from the city's address list as one types (htmx); plain text without JS.
        self.fields["address"].widget.attrs.update(
            {
                "hx-get": reverse("appeals:addresses"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#address-suggestions",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
            }
        )
        limit = settings.HROMADA_APPEALS_MAX_FILES
        self.fields["attachments"].help_text = _(
            "Фото, скани, документи: до %(max)s файлів, кожен до %(size)s "
            "(PDF, JPEG, PNG, Word, Excel, ODT, TXT)."
        ) % {"max": limit, "size": _max_size_label()}
        if needs_email:
            self.fields["email"].required = True
            self.fields["email"].error_messages["required"] = _(
                "Вкажіть e-mail: на нього ми надішлемо посилання для підтвердження звернення."
            )
            self.fields["email"].help_text = _(
                "Надішлемо посилання для підтвердження, а потім — номер звернення і відповідь."
            )
        else:
            self.fields["email"].help_text = _("Вкажіть e-mail або телефон для відповіді.")
        if not self.is_bound:
            self.initial.setdefault("started", form_token())

    def clean_started(self) -> str:
        value = self.cleaned_data.get("started") or ""
        try:
            data = signing.loads(value, salt=_SIGNING_SALT, max_age=FORM_MAX_AGE_SECONDS)
        except signing.SignatureExpired as exc:
            raise ValidationError(
                _("Сторінка з формою застаріла. Перевірте дані й надішліть форму ще раз."),
                code="expired",
            ) from exc
        except signing.BadSignature as exc:
            raise ValidationError(
                _("Не вдалося прийняти форму. Перевірте дані й надішліть її ще раз."),
                code="bad_token",
            ) from exc
        elapsed = time.time() - float(data.get("t", 0))
        if elapsed < settings.HROMADA_APPEALS_MIN_FILL_SECONDS:
            raise ValidationError(
                _(
                    "Форму надіслано надто швидко — так роблять програми-роботи. Перевірте "
                    "дані й натисніть «Надіслати звернення» ще раз."
                ),
                code="too_fast",
            )
        self.nonce = str(data.get("n", ""))[:40]
        return value

    def clean_website(self) -> str:
        value = self.cleaned_data.get("website") or ""
        if value.strip():
            self.robot = True
        return value

    def clean_attachments(self) -> list[Any]:
        files: list[Any] = self.cleaned_data.get("attachments") or []
        limit = settings.HROMADA_APPEALS_MAX_FILES
        count = len(files) + self.skipped_files + len(self.too_large)
        if count > limit:
            raise ValidationError(
                _(
                    "Можна додати не більше %(max)s файлів, а ви обрали %(count)s. "
                    "Об'єднайте файли або залиште найважливіші."
                )
                % {"max": limit, "count": count},
                code="too_many_files",
            )
        if self.too_large:
            raise ValidationError(
                [
                    _("«%(name)s»: файл завеликий. Найбільший дозволений розмір — %(size)s.")
                    % {"name": name, "size": _max_size_label()}
                    for name in self.too_large
                ],
                code="file_too_large",
            )
        return files

    def clean_phone(self) -> str:
        from hromada.appeals.selectors import phone_digits

        phone = (self.cleaned_data.get("phone") or "").strip()
        if phone and len(phone_digits(phone)) < 9:
            raise ValidationError(
                _("Вкажіть номер телефону повністю, наприклад 067 123 45 67."), code="phone"
            )
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        missing_contact = not (data.get("email") or data.get("phone"))
        clean_so_far = not (self.has_error("email") or self.has_error("phone"))
        if not self.needs_email and missing_contact and clean_so_far:
            self.add_error("email", _("Вкажіть e-mail або телефон, щоб ми могли відповісти."))
        return data

    def full_address(self) -> str:
        address = " ".join(self.cleaned_data["address"].split())
        flat = " ".join((self.cleaned_data.get("flat") or "").split())
        return f"{address}, кв. {flat}" if flat else address

    def card(self, *, addressee: Any = None) -> services.AppealCard:
        """Return the Instruction 348 card of what was entered."""
        data = self.cleaned_data
        district = data.get("district") or citizen.district_of_address(data["address"])
        return services.AppealCard(
            text=data["text"],
            surname=data["surname"],
            given_name=data["given_name"],
            patronymic=data.get("patronymic") or "",
            address=self.full_address(),
            district=district,
            email=data.get("email") or "",
            phone=data.get("phone") or "",
            kind=data["kind"],
            topics=[data["topic"]],
            addressee=addressee,
            consent=bool(data.get("consent")),
        )


class FollowUpForm(forms.Form):
    """A follow-up of, or a complaint about the answer to, the citizen's own appeal."""

    text = forms.CharField(
        label=gettext_lazy("Текст"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": gettext_lazy("Напишіть текст звернення.")},
    )
    attachments = MultipleFileField(label=gettext_lazy("Додатки"))
    consent = forms.BooleanField(
        label=AppealForm.base_fields["consent"].label,
        error_messages=AppealForm.base_fields["consent"].error_messages,
    )


class TrackForm(forms.Form):
    """Registration index and the secret code from the registration e-mail."""

    index = forms.CharField(
        label=gettext_lazy("Реєстраційний номер звернення"),
        max_length=100,
        error_messages={"required": gettext_lazy("Вкажіть реєстраційний номер.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    code = forms.CharField(
        label=gettext_lazy("Код для перевірки"),
        help_text=gettext_lazy("8 символів з листа про реєстрацію звернення."),
        max_length=20,
        error_messages={"required": gettext_lazy("Вкажіть код з листа.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "autocapitalize": "characters",
                "class": "govuk-input--width-10",
            }
        ),
    )
