"""Admin of the resource centre: rubrics, resources with their attribute schemas, passports.

Objects are edited through the API and imports (the services); the admin's writes of
resources and passports also go through checks and the audit trail.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import F
from django.http import HttpRequest

from hromada.core.audit import audit_record
from hromada.portal.models import BuildingPassport, BuildingRepair, Resource, Rubric
from hromada.portal.schema import parse_schema
from hromada.portal.services import PASSPORT_FIELDS, passport_save


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin[Rubric]):
    list_display = ["name", "slug", "order"]
    prepopulated_fields = {"slug": ["name"]}


class ResourceForm(forms.ModelForm[Resource]):
    class Meta:
        model = Resource
        fields = ["rubric", "name", "slug", "description", "unit", "attribute_schema", "order"]

    def clean_attribute_schema(self) -> Any:
        schema = self.cleaned_data["attribute_schema"]
        try:
            parse_schema(schema)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return schema


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin[Resource]):
    form = ResourceForm
    list_display = ["name", "rubric", "unit", "updated_at"]
    list_filter = ["rubric"]
    search_fields = ["name", "slug"]
    raw_id_fields = ["unit"]

    def save_model(self, request: HttpRequest, obj: Resource, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        Resource.objects.filter(pk=obj.pk).update(version=F("version") + 1)
        audit_record(
            actor=request.user,
            action="portal.resource.changed" if change else "portal.resource.created",
            target=obj,
            data={"fields": list(form.changed_data)},
        )


class RepairInline(admin.TabularInline[BuildingRepair, BuildingPassport]):
    model = BuildingRepair
    extra = 0


@admin.register(BuildingPassport)
class BuildingPassportAdmin(admin.ModelAdmin[BuildingPassport]):
    list_display = ["address", "district", "year_built", "manager_name"]
    list_filter = ["district", "manager_kind"]
    search_fields = ["street", "number"]
    inlines = [RepairInline]

    def save_model(
        self, request: HttpRequest, obj: BuildingPassport, form: Any, change: bool
    ) -> None:
        data = {name: getattr(obj, name) for name in PASSPORT_FIELDS}
        saved = passport_save(passport_id=obj.pk if change else None, data=data, actor=request.user)
        obj.pk = saved.pk
