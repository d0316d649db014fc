"""The worker portal's activities: what is open to me, register, cancel, my registrations,
my messages. Every write goes through ``gonghui.activities.services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from gonghui.activities import selectors, services
from gonghui.activities.models import ACTIVE_STATUSES, Registration, RegistrationStatus
from gonghui.core.errors import DomainError
from gonghui.core.notify import notifications_mark_read, own_notifications
from gonghui.membership.selectors import own_person

from .forms import ChildForm

LOGIN = reverse_lazy("portal:login")


def _person(request: HttpRequest):
    person = own_person(user=request.user)
    if person is None:
        raise Http404
    return person


def _registered_message(reg: Registration) -> str:
    """What the worker is told right after registering: a place, the waitlist or the draw."""
    title = reg.activity.title
    if reg.status == RegistrationStatus.WAITLISTED:
        position = selectors.waitlist_position(reg)
        return str(
            _("名额已满，您已加入“%(title)s”的候补，目前排第 %(n)s 位。")
            % {"title": title, "n": position}
        )
    if reg.status == RegistrationStatus.APPLIED:
        return str(_("已报名“%(title)s”，报名截止后抽签，结果会通知您。") % {"title": title})
    return str(_("报名成功：“%(title)s”已为您保留名额。") % {"title": title})


@login_required(login_url=LOGIN)
def activity_list(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    activities = list(selectors.activities_open_to(person=person)[:100])
    mine = selectors.active_registrations(person=person)
    now = timezone.now()
    rows = [
        {
            "activity": a,
            "mine": mine.get(a.pk, []),
            "open": services.registration_open(a, now),
        }
        for a in activities
    ]
    return render(request, "portal/activities.html", {"rows": rows})


@login_required(login_url=LOGIN)
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request)
    try:
        activity = selectors.portal_activity_get(person=person, id=pk)
    except DomainError as err:
        raise Http404 from err
    form = ChildForm(request.POST or None) if activity.for_children else None
    error = None
    if request.method == "POST":
        if form is not None and not form.is_valid():
            error = None  # the form shows its own field errors
        else:
            child = form.cleaned_data if form is not None else {}
            try:
                reg = services.registration_create(
                    actor=request.user, activity=activity, person=person, **child
                )
            except DomainError as err:
                error = err.message
            else:
                messages.success(request, _registered_message(reg))
                return redirect("portal:activity", pk=activity.pk)
    regs = list(selectors.own_registrations(person=person, activity=activity))
    for r in regs:
        r.position = selectors.waitlist_position(r)  # type: ignore[attr-defined]
    open_now = services.registration_open(activity)
    problem = services.eligibility_problem(activity, person) if not activity.for_children else None
    context = {
        "activity": activity,
        "registrations": regs,
        "active": [r for r in regs if r.status in ACTIVE_STATUSES],
        "open": open_now,
        "problem": problem,
        "form": form,
        "error": error,
    }
    return render(request, "portal/activity.html", context)


@login_required(login_url=LOGIN)
@require_POST
def registration_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request)
    try:
        reg = selectors.own_registration_get(person=person, id=pk)
    except DomainError as err:
        raise Http404 from err
    try:
        services.registration_cancel(actor=request.user, registration=reg)
    except DomainError as err:
        regs = list(selectors.own_registrations(person=person, activity=reg.activity))
        return render(
            request,
            "portal/activity.html",
            {
                "activity": reg.activity,
                "registrations": regs,
                "active": [r for r in regs if r.status in ACTIVE_STATUSES],
                "open": services.registration_open(reg.activity),
                "error": err.message,
            },
            status=409,
        )
    messages.success(
        request,
        _("已取消“%(title)s”的报名。") % {"title": reg.activity.title},
    )
    return redirect("portal:activity", pk=reg.activity_id)


@login_required(login_url=LOGIN)
def my_registrations(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    regs = list(selectors.own_registrations(person=person)[:100])
    for r in regs:
        r.position = selectors.waitlist_position(r)  # type: ignore[attr-defined]
    return render(request, "portal/registrations.html", {"registrations": regs})


@login_required(login_url=LOGIN)
def notifications(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    notes = own_notifications(person=person)
    notifications_mark_read(person=person)
    return render(request, "portal/notifications.html", {"notes": notes})
