from axes.models import AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from metrics.models import DataLoad, SecurityEvent, Trust, User
from metrics.services import two_factor_reset

# NOTE: roles replace groups, and second factors are reset from the user list, so these
# admin pages would only be ways around the service's own rules.
# The axes attempt list stays: deleting an attempt there lifts a lock-out early.
for model in (Group, TOTPDevice, StaticDevice, AccessLog, AccessFailureLog):
    admin.site.unregister(model)


@admin.register(Trust)
class TrustAdmin(admin.ModelAdmin):
    list_display = ["ods_code", "name", "trust_type", "region", "foundation_trust", "active"]
    list_filter = ["trust_type", "region", "foundation_trust", "active"]
    search_fields = ["ods_code", "name"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "full_name", "email", "role", "trust", "is_active", "last_login"]
    list_filter = ["role", "is_trust_contact", "is_active"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Role and organisation", {"fields": ("full_name", "role", "trust", "is_trust_contact")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        ("Role and organisation", {"fields": ("full_name", "role", "trust", "is_trust_contact")}),
    )
    actions = ["reset_second_factor"]

    @admin.action(description="Reset second factor (they enrol again at next sign-in)")
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            two_factor_reset(user=user, actor=request.user, request=request)
        messages.success(request, f"Second factor reset for {queryset.count()} user(s).")


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "username", "ip_address", "path"]
    list_filter = ["kind"]
    search_fields = ["username", "path"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DataLoad)
class DataLoadAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "file_name", "status", "uploaded_by"]
    list_filter = ["kind", "status"]
    exclude = ["content"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
