"""The worker portal's assistance pages (applications for aid), mounted at /aid/."""

from django.urls import path

from . import portal_views as views

app_name = "assistance_portal"
urlpatterns = [
    path("", views.index, name="index"),
    path("apply/<id:programme_id>/", views.apply, name="apply"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/withdraw/", views.withdraw, name="withdraw"),
]
