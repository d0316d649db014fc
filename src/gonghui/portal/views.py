"""The worker portal (网上职工之家): a worker's own record and membership."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from gonghui.accounts.selectors import portal_session_seconds
from gonghui.core.errors import DomainError
from gonghui.core.http import client_ip
from gonghui.membership.cards import card_qr_svg
from gonghui.membership.claim import portal_claim_finish, portal_claim_start
from gonghui.membership.selectors import open_membership, own_memberships
from gonghui.membership.services import application_submit
from gonghui.organisation.selectors import union_open_for_joining

from .forms import ApplyForm, ClaimFinishForm, ClaimStartForm, MobileLoginForm


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


@login_required(login_url=reverse_lazy("portal:login"))
def me(request: HttpRequest) -> HttpResponse:
    person = getattr(request.user, "person", None)
    memberships = own_memberships(person=person) if person else []
    applications = person.applications.select_related("union")[:5] if person else []
    context = {
        "person": person,
        "memberships": memberships,
        "applications": applications,
        # a member transfers through the union instead of applying: no join form to offer
        "may_apply": person is not None and open_membership(person=person) is None,
    }
    return render(request, "portal/me.html", context)


@login_required(login_url=reverse_lazy("portal:login"))
def card(request: HttpRequest) -> HttpResponse:
    """The digital membership card with its QR code, for a worker with an open membership."""
    person = getattr(request.user, "person", None)
    current = open_membership(person=person) if person else None
    context = {
        "person": person,
        "membership": current,
        "qr": mark_safe(card_qr_svg(person)) if person else "",  # noqa: S308 - our own SVG
    }
    return render(request, "portal/card.html", context)


@login_required(login_url=reverse_lazy("portal:login"))
def apply(request: HttpRequest) -> HttpResponse:
    """A worker applies to join a union; the union's cadre decides in the back office. A
    current member is not offered the form: they are sent back with the reason."""
    person = getattr(request.user, "person", None)
    if person is not None and open_membership(person=person) is not None:
        messages.info(
            request, _("您已是工会会员，无需申请入会；如需变更所在工会，请联系工会办理转会。")
        )
        return redirect("portal:me")
    form = ApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        union = union_open_for_joining(code_or_name=form.cleaned_data["union"])
        if union is None:
            form.add_error("union", _("找不到该工会，请核对组织代码或全称。"))
        else:
            try:
                application_submit(
                    actor=request.user, union=union, statement=form.cleaned_data["statement"]
                )
            except DomainError as err:
                form.add_error(err.field if err.field in form.fields else None, str(err.message))
            else:
                messages.success(request, _("入会申请已提交，请等待工会审核。"))
                return redirect("portal:me")
    return render(request, "portal/apply.html", {"form": form})


def _keep_worker_signed_in(request: HttpRequest, user: Any) -> None:
    """A worker stays signed in on their phone for days; anyone else keeps the back office's
    idle timeout (``accounts.selectors.portal_session_seconds``)."""
    # None: the settings' idle timeout, also when this browser's session held a longer one.
    request.session.set_expiry(portal_session_seconds(user=user))


class PortalLoginView(auth_views.LoginView):
    template_name = "portal/login.html"
    authentication_form = MobileLoginForm
    redirect_authenticated_user = True
    next_page = reverse_lazy("portal:me")  # type: ignore[assignment]

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)  # signs in (a new session key, same data)
        _keep_worker_signed_in(self.request, form.get_user())
        return response


CLAIM_SESSION_KEY = "portal_claim"


def claim_start(request: HttpRequest) -> HttpResponse:
    """First sign-in: prove who you are with your ID number and the mobile on record."""
    form = ClaimStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            attempt = portal_claim_start(
                ric=form.cleaned_data["ric"],
                mobile=form.cleaned_data["mobile"],
                address=client_ip(request),
            )
        except DomainError as err:
            form.add_error(err.field if err.field in form.fields else None, str(err.message))
        else:
            # Kept whether or not the pair matched: the session looks the same either way.
            request.session[CLAIM_SESSION_KEY] = attempt.pk
            return redirect("portal:claim_finish")
    return render(request, "portal/claim_start.html", {"form": form})


def claim_finish(request: HttpRequest) -> HttpResponse:
    form = ClaimFinishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = portal_claim_finish(
                attempt_id=request.session.get(CLAIM_SESSION_KEY) or 0,
                code=form.cleaned_data["code"],
                password=form.cleaned_data["password1"],
            )
        except DomainError as err:
            field = {"password": "password1"}.get(err.field or "", err.field)
            form.add_error(field if field in form.fields else None, str(err.message))
        else:
            request.session.pop(CLAIM_SESSION_KEY, None)
            login(request, user, backend=settings.AUTH_BACKEND)
            _keep_worker_signed_in(request, user)
            return redirect("portal:me")
    return render(request, "portal/claim_finish.html", {"form": form})
