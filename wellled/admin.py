"""Admins maintain the priority-rating schemes of board self-reviews here.

Everything else in the well-led app is written through the service's own pages, where the
rules live (sign-off locking, due-date limits, who may record what).
"""

from django.contrib import admin

from .models import PriorityLevel, PriorityScheme


class PriorityLevelInline(admin.TabularInline):
    model = PriorityLevel
    extra = 0
    min_num = 2


@admin.register(PriorityScheme)
class PrioritySchemeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "active"]
    list_filter = ["active"]
    inlines = [PriorityLevelInline]
