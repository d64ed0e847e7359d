"""REST representations of the document workflow; input validation with Ukrainian messages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from hromada.documents.models import Correspondent, Document, DocumentFile, FileVersion, Journal

_DATE_ERRORS: dict[str, Any] = {"invalid": _("Невірна дата, очікується РРРР-ММ-ДД.")}


class JournalSerializer(serializers.ModelSerializer[Journal]):
    body_code = serializers.CharField(source="body.code", read_only=True)

    class Meta:
        model = Journal
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "body",
            "body_code",
            "index_template",
            "doc_kind",
            "is_active",
        ]
        read_only_fields = fields


class CorrespondentSerializer(serializers.ModelSerializer[Correspondent]):
    class Meta:
        model = Correspondent
        fields = ["id", "kind", "name", "code", "edrpou", "address", "email", "phone", "is_active"]
        read_only_fields = ["id", "is_active"]
        extra_kwargs = {
            "name": {"error_messages": {"required": _("Вкажіть назву або ПІБ.")}},
        }


class FileVersionSerializer(serializers.ModelSerializer[FileVersion]):
    class Meta:
        model = FileVersion
        fields = [
            "id",
            "number",
            "name",
            "mime",
            "size",
            "sha256",
            "uploaded_at",
            "ocr_state",
            "destroyed_at",
        ]
        read_only_fields = fields


class DocumentFileSerializer(serializers.ModelSerializer[DocumentFile]):
    versions = FileVersionSerializer(many=True, read_only=True)

    class Meta:
        model = DocumentFile
        fields = ["id", "kind", "title", "created_at", "versions"]
        read_only_fields = fields


class DocumentSerializer(serializers.ModelSerializer[Document]):
    journal_code = serializers.CharField(source="journal.code", read_only=True)
    correspondent_name = serializers.CharField(
        source="correspondent.name", read_only=True, default=None
    )
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "journal",
            "journal_code",
            "direction",
            "reg_index",
            "reg_date",
            "state",
            "state_display",
            "doc_kind",
            "correspondent",
            "correspondent_name",
            "correspondent_number",
            "correspondent_date",
            "received_date",
            "channel",
            "summary",
            "pages",
            "attachments_count",
            "access",
            "case_file",
            "addressee",
            "executed_at",
        ]
        read_only_fields = fields


class DocumentDetailSerializer(DocumentSerializer):
    files = DocumentFileSerializer(many=True, read_only=True)

    class Meta(DocumentSerializer.Meta):
        fields = [*DocumentSerializer.Meta.fields, "files"]
        read_only_fields = fields


class DocumentRegisterSerializer(serializers.Serializer[Any]):
    journal = serializers.IntegerField(min_value=1)
    summary = serializers.CharField(
        max_length=2000, error_messages={"required": _("Вкажіть короткий зміст.")}
    )
    doc_kind = serializers.ChoiceField(choices=[(k, k) for k in Document.KINDS], default="лист")
    correspondent = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    correspondent_number = serializers.CharField(
        max_length=50, required=False, allow_blank=True, default=""
    )
    correspondent_date = serializers.DateField(
        required=False, allow_null=True, error_messages=_DATE_ERRORS
    )
    received_date = serializers.DateField(
        required=False, allow_null=True, error_messages=_DATE_ERRORS
    )
    channel = serializers.ChoiceField(
        choices=Document.Channel.choices, required=False, allow_blank=True, default=""
    )
    pages = serializers.IntegerField(min_value=0, max_value=10000, default=1)
    attachments_count = serializers.IntegerField(min_value=0, max_value=10000, default=0)
    access = serializers.ChoiceField(
        choices=Document.Access.choices, default=Document.Access.PUBLIC
    )
    case_file = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    addressee = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    answer_to = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    follow_up_of = serializers.IntegerField(min_value=1, required=False, allow_null=True)


class DocumentCardSerializer(serializers.Serializer[Any]):
    """The card fields a PATCH may correct; fields left out keep their values."""

    summary = serializers.CharField(max_length=2000)
    doc_kind = serializers.ChoiceField(choices=[(k, k) for k in Document.KINDS])
    correspondent = serializers.IntegerField(min_value=1, allow_null=True)
    correspondent_number = serializers.CharField(max_length=50, allow_blank=True)
    correspondent_date = serializers.DateField(allow_null=True, error_messages=_DATE_ERRORS)
    received_date = serializers.DateField(allow_null=True, error_messages=_DATE_ERRORS)
    channel = serializers.ChoiceField(choices=Document.Channel.choices, allow_blank=True)
    pages = serializers.IntegerField(min_value=0, max_value=10000)
    attachments_count = serializers.IntegerField(min_value=0, max_value=10000)
    access = serializers.ChoiceField(choices=Document.Access.choices)
    case_file = serializers.IntegerField(min_value=1, allow_null=True)
    addressee = serializers.IntegerField(min_value=1, allow_null=True)


class FileUploadSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(error_messages={"required": _("Додайте файл.")})
    kind = serializers.ChoiceField(
        choices=[c for c in DocumentFile.Kind.choices if c[0] != "draft"],
        default=DocumentFile.Kind.IMAGE,
    )
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
