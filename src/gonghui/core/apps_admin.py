from django.contrib.admin.apps import AdminConfig


class GonghuiAdminConfig(AdminConfig):
    """The Django admin, with Gonghui's scoped, Unfold-themed site as ``admin.site``."""

    default_site = "gonghui.core.admin_site.GonghuiAdminSite"
