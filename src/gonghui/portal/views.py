"""The worker portal (网上职工之家): a worker's own record and membership."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy

from gonghui.membership.selectors import own_memberships


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


@login_required(login_url=reverse_lazy("portal:login"))
def me(request: HttpRequest) -> HttpResponse:
    person = getattr(request.user, "person", None)
    memberships = own_memberships(person=person) if person else []
    return render(request, "portal/me.html", {"person": person, "memberships": memberships})


class PortalLoginView(auth_views.LoginView):
    template_name = "portal/login.html"
    redirect_authenticated_user = True
    next_page = reverse_lazy("portal:me")  # type: ignore[assignment]
