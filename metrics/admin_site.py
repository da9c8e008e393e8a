"""Django admin that signs people in through the service's own sign-in (with its second step)."""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from metrics.policies import may_use_django_admin


class UorAdminSite(admin.AdminSite):
    site_header = "Use of Resources administration"
    site_title = "UoR admin"
    index_title = "Administration"

    def has_permission(self, request):
        return may_use_django_admin(request.user)

    def login(self, request, extra_context=None):
        # NOTE: admin's own login form would skip the second factor, so send people to ours.
        next_url = request.GET.get("next") or reverse("admin:index")
        return redirect_to_login(next_url, reverse("accounts:login"))
