"""Django admin of the document workflow: journals (through the services, audited)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from hromada.core.exceptions import ApplicationError
from hromada.core.numbering import validate_index_template
from hromada.documents import services
from hromada.documents.models import Journal


class JournalForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Journal
        fields = [
            "body",
            "kind",
            "code",
            "name",
            "index_template",
            "doc_kind",
            "order",
            "is_active",
        ]

    def clean_index_template(self) -> str:
        template = str(self.cleaned_data["index_template"])
        try:
            validate_index_template(template)
        except ApplicationError as exc:
            raise ValidationError(exc.message) from exc
        return template


@admin.register(Journal)
class JournalAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = JournalForm
    list_display = ["code", "name", "kind", "body", "index_template", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]
    raw_id_fields = ["body"]

    def _allowed(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm("documents.manage_journals"))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.has_perm("documents.manage_journals", obj))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a journal with documents is kept; close it (is_active) instead

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["body", "kind", "code"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            services.journal_update(
                journal_id=obj.pk,
                actor=request.user,  # type: ignore[arg-type]
                name=obj.name,
                index_template=obj.index_template,
                doc_kind=obj.doc_kind,
                order=obj.order,
                is_active=obj.is_active,
            )
            return
        saved = services.journal_create(
            actor=request.user,  # type: ignore[arg-type]
            body=obj.body,
            kind=obj.kind,
            code=obj.code,
            name=obj.name,
            index_template=obj.index_template,
            doc_kind=obj.doc_kind,
            order=obj.order,
        )
        obj.pk = saved.pk
