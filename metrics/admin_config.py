from django.contrib.admin.apps import AdminConfig


class UorAdminConfig(AdminConfig):
    """Django admin on our own site class: our sign-in page and admins only."""

    default_site = "metrics.admin_site.UorAdminSite"
