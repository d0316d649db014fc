from django.contrib import admin
from django.urls import include, path

from gonghui.api.api import api
from gonghui.core.health import health_view

urlpatterns = [
    path("healthz", health_view, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("aid/", include("gonghui.assistance.portal_urls")),
    path("", include("gonghui.portal.urls")),
]
