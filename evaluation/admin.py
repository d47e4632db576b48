from django.contrib import admin

from evaluation.models import EngagementSnapshot


@admin.register(EngagementSnapshot)
class EngagementSnapshotAdmin(admin.ModelAdmin):
    list_display = ["taken_on", "programme", "cohort", "computed_at"]
    list_filter = ["programme"]
    date_hierarchy = "taken_on"
