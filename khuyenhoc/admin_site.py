from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class SuperuserAdminSite(AdminSite):
    site_header = _("Study promotion portal: administration")
    site_title = _("Administration")

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser


class SuperuserAdminConfig(AdminConfig):
    """The Django admin is a tool for superusers only, never the daily tool of staff."""

    default_site = "khuyenhoc.admin_site.SuperuserAdminSite"
