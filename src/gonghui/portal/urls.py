from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import activity_views, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.me, name="me"),
    path("card/", views.card, name="card"),
    path("apply/", views.apply, name="apply"),
    path("activities/", activity_views.activity_list, name="activities"),
    path("activities/<id:pk>/", activity_views.activity_detail, name="activity"),
    path(
        "registrations/<id:pk>/cancel/",
        activity_views.registration_cancel,
        name="registration_cancel",
    ),
    path("registrations/", activity_views.my_registrations, name="registrations"),
    path("messages/", activity_views.notifications, name="notifications"),
    path("login/", views.PortalLoginView.as_view(), name="login"),
    path("claim/", views.claim_start, name="claim_start"),
    path("claim/verify/", views.claim_finish, name="claim_finish"),
    path(
        "logout/",
        auth_views.LogoutView.as_view(next_page=reverse_lazy("portal:home")),
        name="logout",
    ),
]
