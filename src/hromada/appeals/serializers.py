"""REST representations of appeals (/api/v1/appeals/); input validation with Ukrainian messages.

Serializers only parse and shape: every rule (codes, terms, anonymous, duplicates, answers)
is checked by the services, whose ApplicationError the API turns into a 400.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from hromada.appeals.models import Answer, Appeal, AppealEvent, Channel

_DATE_ERRORS: dict[str, Any] = {"invalid": _("Невірна дата, очікується РРРР-ММ-ДД.")}
# The channels a contact-centre / hotline integration registers through.
API_CHANNELS = (Channel.API, Channel.HOTLINE, Channel.DIRECT_PHONE, Channel.DUTY_SERVICE)


class AppealRegisterSerializer(serializers.Serializer[Any]):
    """A call or message to register (the Instruction 348 card)."""

    body = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=50,
        help_text=_("Код органу, у журналі якого реєструється звернення; типово — виконком."),
    )
    channel = serializers.ChoiceField(
        choices=[(c.value, c.label) for c in API_CHANNELS], default=Channel.API
    )
    surname = serializers.CharField(required=False, allow_blank=True, max_length=100)
    given_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    patronymic = serializers.CharField(required=False, allow_blank=True, max_length=100)
    address = serializers.CharField(required=False, allow_blank=True, max_length=300)
    district = serializers.CharField(required=False, allow_blank=True, max_length=3)
    email = serializers.CharField(required=False, allow_blank=True, max_length=254)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=30)
    sex = serializers.CharField(required=False, allow_blank=True, max_length=10)
    category = serializers.CharField(required=False, allow_blank=True, max_length=10)
    social_status = serializers.CharField(required=False, allow_blank=True, max_length=10)
    subject = serializers.ChoiceField(
        choices=Appeal.Subject.choices, default=Appeal.Subject.INDIVIDUAL
    )
    signatories = serializers.IntegerField(default=1, min_value=1, max_value=100000)
    kind = serializers.ChoiceField(choices=Appeal.Kind.choices, default=Appeal.Kind.APPLICATION)
    summary = serializers.CharField(required=False, allow_blank=True, max_length=500)
    text = serializers.CharField(
        max_length=20000, error_messages={"required": _("Вкажіть суть звернення.")}
    )
    topics = serializers.ListField(
        child=serializers.CharField(max_length=30),
        max_length=20,
        error_messages={"required": _("Вкажіть хоча б одне питання за класифікатором.")},
    )
    needs_study = serializers.BooleanField(
        default=True, help_text=_("false — строк 15 днів; true — один місяць.")
    )
    written_date = serializers.DateField(
        required=False, allow_null=True, error_messages=_DATE_ERRORS
    )
    consent = serializers.BooleanField(default=False)
    source_ref = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text=_("Номер картки контакт-центру або запису дзвінка."),
    )
    confirm_anonymous = serializers.BooleanField(default=False)
    confirm_not_duplicate = serializers.BooleanField(default=False)


class AppealEventSerializer(serializers.ModelSerializer[AppealEvent]):
    class Meta:
        model = AppealEvent
        fields = ["kind", "at", "public_note", "citizen_notified"]
        read_only_fields = fields


class AnswerSerializer(serializers.ModelSerializer[Answer]):
    signer_name = serializers.SerializerMethodField()

    class Meta:
        model = Answer
        fields = [
            "id",
            "kind",
            "state",
            "result",
            "grounds",
            "next_date",
            "text",
            "template",
            "signer_name",
            "signed_at",
            "signature_kind",
            "delivery",
            "sent_at",
            "created_at",
        ]
        read_only_fields = fields

    def get_signer_name(self, answer: Answer) -> str:
        return answer.signer.full_name if answer.signer else ""


class AppealSerializer(serializers.ModelSerializer[Appeal]):
    """An appeal in a list: the card without the text."""

    body = serializers.CharField(source="unit.code", read_only=True)
    topics = serializers.SerializerMethodField()

    class Meta:
        model = Appeal
        fields = [
            "id",
            "reg_index",
            "reg_date",
            "state",
            "channel",
            "body",
            "surname",
            "given_name",
            "patronymic",
            "kind",
            "sign",
            "subject",
            "summary",
            "topics",
            "priority",
            "due_date",
            "result",
            "answered_at",
            "closed_at",
            "source_ref",
        ]
        read_only_fields = fields

    def get_topics(self, appeal: Appeal) -> list[str]:
        return [t.code for t in appeal.topics.all()]


_DATE = serializers.DateField()
_DATETIME = serializers.DateTimeField()


def appeal_data(appeal: Appeal, *, topics: list[str]) -> dict[str, Any]:
    """Return what `AppealSerializer(appeal).data` returns, for an appeal just registered.

    A registration answers with the card it wrote: built from the instance in memory (with
    its topic codes given), it needs neither a second read of the row and its topics nor
    the ModelSerializer's fields, which DRF builds anew for every instance (≈ 2 ms). The
    API tests compare it with AppealSerializer field by field.
    """

    def day(value: Any) -> Any:
        return None if value is None else _DATE.to_representation(value)

    def moment(value: Any) -> Any:
        return None if value is None else _DATETIME.to_representation(value)

    return {
        "id": appeal.pk,
        "reg_index": appeal.reg_index,
        "reg_date": day(appeal.reg_date),
        "state": appeal.state,
        "channel": appeal.channel,
        "body": appeal.unit.code,
        "surname": appeal.surname,
        "given_name": appeal.given_name,
        "patronymic": appeal.patronymic,
        "kind": appeal.kind,
        "sign": appeal.sign,
        "subject": appeal.subject,
        "summary": appeal.summary,
        "topics": list(topics),
        "priority": appeal.priority,
        "due_date": day(appeal.due_date),
        "result": appeal.result,
        "answered_at": moment(appeal.answered_at),
        "closed_at": moment(appeal.closed_at),
        "source_ref": appeal.source_ref,
    }


class AppealDetailSerializer(AppealSerializer):
    """The whole card, its history and its answers."""

    events = AppealEventSerializer(many=True, read_only=True)
    answers = AnswerSerializer(many=True, read_only=True)

    class Meta(AppealSerializer.Meta):
        fields = [
            *AppealSerializer.Meta.fields,
            "address",
            "district",
            "email",
            "phone",
            "sex",
            "category",
            "social_status",
            "signatories",
            "how_received",
            "appeal_type",
            "text",
            "needs_study",
            "first_due_date",
            "not_considered_reason",
            "forwarded_to",
            "events",
            "answers",
        ]
        read_only_fields = fields


class RegisteredSerializer(serializers.Serializer[Any]):
    """What a registration answers: the card, the tracking code, what the lookup found."""

    appeal = AppealSerializer()
    tracking_code = serializers.CharField(
        allow_null=True,
        help_text=_(
            "Секретний код для перевірки стану без облікового запису; повідомте його "
            "заявникові. У повторі запиту з тим самим Idempotency-Key — null (код не "
            "зберігається)."
        ),
    )
    replayed = serializers.BooleanField()
    repeated_of = serializers.ListField(child=serializers.CharField())


class AnswerCreateSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=Answer.Kind.choices, default=Answer.Kind.FINAL)
    text = serializers.CharField(
        max_length=20000, error_messages={"required": _("Введіть текст відповіді.")}
    )
    result = serializers.CharField(required=False, allow_blank=True, max_length=10)
    grounds = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    next_date = serializers.DateField(required=False, allow_null=True, error_messages=_DATE_ERRORS)
    template = serializers.CharField(required=False, allow_blank=True, max_length=20)


class AnswerSignSerializer(serializers.Serializer[Any]):
    signature_kind = serializers.ChoiceField(
        choices=[("manual", "manual"), ("qes", "qes")], default="manual"
    )
    signature_data = serializers.CharField(required=False, allow_blank=True, max_length=200000)


class AnswerSendSerializer(serializers.Serializer[Any]):
    delivery = serializers.ChoiceField(choices=Answer.Delivery.choices)


class AppealStatusSerializer(serializers.Serializer[Any]):
    """The status of an appeal by its index: no personal data."""

    id = serializers.IntegerField()
    reg_index = serializers.CharField()
    reg_date = serializers.DateField(allow_null=True)
    body = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField()
    due_date = serializers.DateField(allow_null=True)
    result = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
