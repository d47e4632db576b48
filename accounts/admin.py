from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import EmployeeImport, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["last_name", "first_name"]
    list_display = [
        "email",
        "first_name",
        "last_name",
        "department",
        "direction",
        "role",
        "seniority_years",
    ]
    list_filter = ["role", "direction", "department", "is_active"]
    search_fields = ["email", "first_name", "last_name", "department", "direction"]
    raw_id_fields = ["manager"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Profile"),
            {
                "fields": (
                    "first_name",
                    "last_name",
                    "department",
                    "direction",
                    "job_title",
                    "manager",
                    "seniority_years",
                    "language",
                )
            },
        ),
        (_("Rights"), {"fields": ("role", "is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "password1", "password2", "role")}),
    )


@admin.register(EmployeeImport)
class EmployeeImportAdmin(admin.ModelAdmin):
    list_display = [
        "filename",
        "uploaded_by",
        "created_at",
        "applied_at",
        "created_count",
        "updated_count",
    ]
    list_select_related = ["uploaded_by"]
    readonly_fields = [
        "uploaded_by",
        "created_at",
        "filename",
        "content",
        "applied_at",
        "applied_by",
        "created_count",
        "updated_count",
    ]

    def has_add_permission(self, request):
        # Imports go through the upload page, which checks size and encoding.
        return False

    def has_change_permission(self, request, obj=None):
        # Read-only: a changed content would no longer be the file HR checked.
        return False
