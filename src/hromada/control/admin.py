from django.contrib import admin

from hromada.control.models import Assignment, ExtensionRequest, ReminderLog, Resolution


@admin.register(Resolution)
class ResolutionAdmin(admin.ModelAdmin[Resolution]):
    list_display = ["item_title", "author", "resolution_date", "due_date", "control_state"]
    list_filter = ["control_state", "control_type"]
    search_fields = ["item_title", "text"]
    raw_id_fields = ["author", "entered_by", "controller", "removed_by", "unit"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin[Assignment]):
    list_display = ["resolution", "executor", "due_date", "state"]
    list_filter = ["state"]
    raw_id_fields = ["resolution", "parent", "executor", "unit", "assigned_by", "reviewer"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(ExtensionRequest, ReminderLog)
class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
