from django.contrib import admin

from programmes.models import Cohort, Programme, SkillArea


@admin.register(SkillArea)
class SkillAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "category", "is_active"]
    list_filter = ["category", "is_active"]
    search_fields = ["name", "name_en"]


class CohortInline(admin.TabularInline):
    model = Cohort
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "status", "starts_on", "ends_on"]
    list_filter = ["status"]
    search_fields = ["name"]
    filter_horizontal = ["skill_areas"]
    inlines = [CohortInline]
