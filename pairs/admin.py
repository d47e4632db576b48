from django.contrib import admin

from pairs.models import AgendaTemplate, GoalTemplate


@admin.register(GoalTemplate)
class GoalTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "skill_area", "target_value", "unit", "weeks"]
    list_filter = ["skill_area"]
    search_fields = ["title", "title_en"]


@admin.register(AgendaTemplate)
class AgendaTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "skill_area", "minutes"]
    list_filter = ["minutes", "skill_area"]
    search_fields = ["title", "title_en"]
