"""Admin of the resource centre: rubrics and resources with their attribute schemas."""

from __future__ import annotations

from django.contrib import admin

from hromada.portal.models import BuildingPassport, BuildingRepair, Resource, Rubric


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin[Rubric]):
    list_display = ["name", "slug", "order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin[Resource]):
    list_display = ["name", "rubric", "unit", "updated_at"]
    list_filter = ["rubric"]
    search_fields = ["name", "slug"]
    raw_id_fields = ["unit"]


class RepairInline(admin.TabularInline[BuildingRepair, BuildingPassport]):
    model = BuildingRepair
    extra = 0


@admin.register(BuildingPassport)
class BuildingPassportAdmin(admin.ModelAdmin[BuildingPassport]):
    list_display = ["address", "district", "year_built", "manager_name"]
    list_filter = ["district", "manager_kind"]
    search_fields = ["street", "number"]
    inlines = [RepairInline]
