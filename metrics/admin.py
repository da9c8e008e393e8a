from axes.models import AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from metrics.models import DataLoad, PeerGroup, SecurityEvent, Trust, User
from metrics.policies import may_manage_peer_groups, may_reset_second_factor
from metrics.services import peer_group_delete, peer_group_save, two_factor_reset
from metrics.services.peer_groups import (
    peer_groups_rules_apply,
    peer_recompute_if_changed,
    trust_cohorts,
)
from metrics.services.two_factor import has_second_factor

# NOTE: roles replace groups, and second factors are reset from the user list, so these
# admin pages would only be ways around the service's own rules.
# The axes attempt list stays: deleting an attempt there lifts a lock-out early.
for model in (Group, TOTPDevice, StaticDevice, AccessLog, AccessFailureLog):
    admin.site.unregister(model)


class RecomputeRedirectMixin:
    """After a save that changed anyone's cohort, send the admin to the recompute's page."""

    def _recompute_redirect(self, request, response):
        job = getattr(request, "peer_recompute", None)
        if job is None:
            return response
        messages.info(request, "Cohorts changed: every month's benchmarks are being recomputed.")
        return redirect("metrics:peer_recompute_detail", pk=job.pk)

    def response_add(self, request, obj, post_url_continue=None):
        return self._recompute_redirect(request, super().response_add(request, obj))

    def response_change(self, request, obj):
        return self._recompute_redirect(request, super().response_change(request, obj))

    def response_delete(self, request, obj_display, obj_id):
        return self._recompute_redirect(
            request, super().response_delete(request, obj_display, obj_id)
        )


@admin.register(Trust)
class TrustAdmin(RecomputeRedirectMixin, admin.ModelAdmin):
    list_display = [
        "ods_code",
        "name",
        "trust_type",
        "region",
        "teaching",
        "pfi",
        "income_millions",
        "cohort",
        "system",
        "active",
    ]
    list_filter = [
        "trust_type",
        "region",
        "teaching",
        "pfi",
        "cohort",
        "system",
        "foundation_trust",
        "active",
    ]
    search_fields = ["ods_code", "name", "system"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A trust is assigned by hand only to a group without rules; blank is its type's.
        if db_field.name == "cohort":
            kwargs["queryset"] = PeerGroup.objects.filter(is_type_default=False)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        before = trust_cohorts()
        super().save_model(request, obj, form, change)
        peer_groups_rules_apply()
        request.peer_recompute = peer_recompute_if_changed(
            before=before, reason=f"Trust {obj.ods_code} changed", actor=request.user
        )


@admin.register(PeerGroup)
class PeerGroupAdmin(RecomputeRedirectMixin, admin.ModelAdmin):
    """Peer cohorts (docs/peer_cohorts.md): saving one that moves a trust recomputes every
    month's benchmarks in the background, and the admin is sent to its progress."""

    list_display = ["name", "code", "is_type_default", "trust_type", "region", "teaching", "pfi"]
    fieldsets = (
        (None, {"fields": ("name", "code", "description", "is_type_default", "members")}),
        (
            "Rules (blank: any; a group with no rule holds the trusts assigned to it by hand)",
            {"fields": ("trust_type", "region", "teaching", "pfi", "income_min", "income_below")},
        ),
    )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["is_type_default", "members"]
        if obj.is_type_default:
            return [
                "code",
                "is_type_default",
                "members",
                "trust_type",
                "region",
                "teaching",
                "pfi",
                "income_min",
                "income_below",
            ]
        return ["code", "is_type_default", "members"]

    def has_add_permission(self, request):
        return bool(may_manage_peer_groups(request.user))

    def has_change_permission(self, request, obj=None):
        return bool(may_manage_peer_groups(request.user))

    def has_delete_permission(self, request, obj=None):
        allowed = bool(may_manage_peer_groups(request.user))
        return allowed and not (obj is not None and obj.is_type_default)

    def save_model(self, request, obj, form, change):
        request.peer_recompute = peer_group_save(group=obj, actor=request.user)

    def delete_model(self, request, obj):
        request.peer_recompute = peer_group_delete(group=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for group in queryset.filter(is_type_default=False):
            peer_group_delete(group=group, actor=request.user)

    @admin.display(description="trusts in this cohort")
    def members(self, obj):
        """The trusts benchmarked within this cohort, by ODS code."""
        if obj.pk is None:
            return "none yet (saved with the group)"
        if obj.is_type_default:
            trusts = Trust.objects.filter(trust_type=obj.trust_type, cohort__isnull=True)
        else:
            trusts = obj.assigned_trusts.all()
        codes = list(trusts.order_by("ods_code").values_list("ods_code", flat=True))
        return f"{len(codes)}: {', '.join(codes)}" if codes else "none"


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
