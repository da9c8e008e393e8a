from axes.models import AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from metrics.models import DataLoad, SecurityEvent, Trust, User
from metrics.policies import may_reset_second_factor
from metrics.services import two_factor_reset
from metrics.services.two_factor import has_second_factor

# NOTE: roles replace groups, and second factors are reset from the user list, so these
# admin pages would only be ways around the service's own rules.
# The axes attempt list stays: deleting an attempt there lifts a lock-out early.
for model in (Group, TOTPDevice, StaticDevice, AccessLog, AccessFailureLog):
    admin.site.unregister(model)


@admin.register(Trust)
class TrustAdmin(admin.ModelAdmin):
    list_display = [
        "ods_code",
        "name",
        "trust_type",
        "region",
        "system",
        "foundation_trust",
        "active",
    ]
    list_filter = ["trust_type", "region", "system", "foundation_trust", "active"]
    search_fields = ["ods_code", "name", "system"]


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

    def get_urls(self):
        reset = self.admin_site.admin_view(self.reset_second_factor_view)
        return [
            path(
                "<path:object_id>/reset-second-factor/",
                reset,
                name="metrics_user_reset_second_factor",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        subject = self.get_object(request, unquote(object_id))
        if subject is not None:
            extra_context = {
                **(extra_context or {}),
                "has_second_factor": has_second_factor(subject),
                "may_reset_second_factor": may_reset_second_factor(request.user, subject),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def reset_second_factor_view(self, request, object_id):
        """GET asks the admin to confirm; POST removes the user's second factor."""
        subject = self.get_object(request, unquote(object_id))
        if subject is None:
            raise Http404
        may_reset_second_factor(request.user, subject).enforce()
        if request.method == "POST":
            ended = two_factor_reset(user=subject, actor=request.user, request=request)
            messages.success(
                request,
                f"Second factor reset for {subject.username}: they set up a new one at their "
                f"next sign-in. Sessions ended: {ended}.",
            )
            return redirect("admin:metrics_user_change", subject.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Reset the second factor of {subject.username}",
            "opts": self.opts,
            "subject": subject,
            "has_second_factor": has_second_factor(subject),
        }
        return TemplateResponse(request, "admin/metrics/user/reset_second_factor.html", context)

    @admin.action(description="Reset second factor (they enrol again at next sign-in)")
    def reset_second_factor(self, request, queryset):
        done = 0
        for user in queryset:
            decision = may_reset_second_factor(request.user, user)
            if not decision:
                messages.error(request, f"{user.username}: {decision.message}")
                continue
            two_factor_reset(user=user, actor=request.user, request=request)
            done += 1
        if done:
            messages.success(request, f"Second factor reset for {done} user(s).")


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
