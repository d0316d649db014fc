"""Every read of hardship files, aid and donations, scoped to the actor (metrics pass the
report's reader, and a ``union`` whose subtree they count)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Count, Exists, Model, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from gonghui.core.errors import CoreError, DomainError
from gonghui.core.metrics import Period
from gonghui.core.money import ZERO
from gonghui.core.scope import Actor, scope_queryset, subtree_queryset, user_scope
from gonghui.organisation.models import PATH_SEGMENT, Union

from .models import (
    AidApplication,
    AidDocument,
    ApplicationStatus,
    Campaign,
    CondolenceVisit,
    Disbursement,
    DisbursementState,
    Donation,
    DonorCommendation,
    HardshipFile,
    Programme,
    ProgrammeKind,
)

if TYPE_CHECKING:
    from gonghui.membership.models import Person

M = TypeVar("M", bound=Model)


def _scoped(actor: Actor, qs: QuerySet[M], union: Union | None = None) -> QuerySet[M]:
    qs = scope_queryset(actor, qs)
    if union is not None:
        qs = subtree_queryset(qs, union)
    return qs


def _get(qs: QuerySet[M], id: Any, what: Any) -> M:
    try:
        return qs.get(pk=id)
    except (qs.model.DoesNotExist, ValueError, TypeError):  # type: ignore[attr-defined]
        raise DomainError(
            CoreError.NOT_FOUND, _("找不到该%s，或不在您的管辖范围内。") % what
        ) from None


def _year(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


# --- hardship files ---------------------------------------------------------------------------
def hardship_file_list(*, actor: Actor, union: Union | None = None) -> QuerySet[HardshipFile]:
    return _scoped(actor, HardshipFile.objects.select_related("union", "head"), union)


def hardship_file_get(*, actor: Actor, id: Any) -> HardshipFile:
    return _get(hardship_file_list(actor=actor), id, _("困难档案"))


def on_file_q(on: dt.date) -> Q:
    return Q(filed_on__lte=on) & (Q(left_on__isnull=True) | Q(left_on__gt=on))


def files_on_file(
    *, actor: Actor, union: Union | None = None, on: dt.date
) -> QuerySet[HardshipFile]:
    """Families on file on day ``on`` (filed by then, not yet left)."""
    return hardship_file_list(actor=actor, union=union).filter(on_file_q(on))


def files_due_for_review(
    *, actor: Actor, on: dt.date, within_days: int = 30
) -> QuerySet[HardshipFile]:
    """Files on file whose yearly review is overdue or falls due within ``within_days``."""
    return files_on_file(actor=actor, on=on).filter(
        review_due_on__lte=on + dt.timedelta(days=within_days)
    )


def files_review_overdue(*, actor: Actor, on: dt.date) -> QuerySet[HardshipFile]:
    """Files still open whose yearly review was due before ``on`` (urgent on the workbench)."""
    return hardship_file_list(actor=actor).filter(left_on__isnull=True, review_due_on__lt=on)


def files_review_due_soon(
    *, actor: Actor, on: dt.date, within_days: int = 30
) -> QuerySet[HardshipFile]:
    """Files on file whose yearly review falls due from ``on`` to ``within_days`` later."""
    return files_due_for_review(actor=actor, on=on, within_days=within_days).filter(
        review_due_on__gte=on
    )


def disbursements_in_state(*, actor: Actor, state: str) -> QuerySet[Disbursement]:
    """Disbursements waiting in ``state`` (proposed: to approve; approved: to pay)."""
    return disbursement_list(actor=actor).filter(state=state)


def applications_submitted(*, actor: Actor) -> QuerySet[AidApplication]:
    """Aid applications from the portal that no cadre has accepted or rejected yet."""
    return application_list(actor=actor).filter(status=ApplicationStatus.SUBMITTED)


def files_never_helped(*, actor: Actor, on: dt.date) -> QuerySet[HardshipFile]:
    """Files on file to whom nothing has been paid, to the family or to its head."""
    paid = Disbursement.objects.filter(
        Q(family=OuterRef("pk")) | Q(person=OuterRef("head")), state=DisbursementState.PAID
    )
    return files_on_file(actor=actor, on=on).filter(~Exists(paid))


def files_left(*, actor: Actor, year: int | None = None) -> QuerySet[HardshipFile]:
    """Families that left the file (in ``year``, if given), with when and why."""
    qs = hardship_file_list(actor=actor).filter(left_on__isnull=False)
    if year is not None:
        first, last = _year(year)
        qs = qs.filter(left_on__range=(first, last))
    return qs


def documents_of(*, actor: Actor, file: HardshipFile | None = None, application: Any = None):
    qs = scope_queryset(actor, AidDocument.objects.select_related("union"))
    if file is not None:
        qs = qs.filter(hardship_file=file)
    if application is not None:
        qs = qs.filter(application=application)
    return qs


def document_get(*, actor: Actor, id: Any) -> AidDocument:
    qs = scope_queryset(
        actor,
        AidDocument.objects.select_related("union", "hardship_file__head", "application__person"),
    )
    return _get(qs, id, _("材料"))


# --- programmes and disbursements --------------------------------------------------------------
def programme_list(*, actor: Actor) -> QuerySet[Programme]:
    return scope_queryset(actor, Programme.objects.select_related("union"))


def programmes_serving(*, union: Union, year: int | None = None) -> QuerySet[Programme]:
    """Programmes that serve ``union``: those of the union itself or of any union above it
    (a district programme serves every street). Names and rules only: no one's records."""
    qs = Programme.objects.select_related("union").filter(union__path__in=union.ancestor_paths())
    if year is not None:
        qs = qs.filter(year=year)
    return qs


def _serving_q(actor: Actor) -> Q | None:
    """Records run by a union the actor may write to, by a union above it, or inside its
    subtree (``None``: everything)."""
    paths = user_scope(actor).write
    if paths is None:
        return None
    q = Q(pk__in=[])
    for path in paths:
        parts = path.split(".")
        above = [".".join(parts[: i + 1]) for i in range(len(parts))]
        q |= Q(union__path__in=above) | Q(union__path__startswith=path)
    return q


def programmes_proposable(*, actor: Actor) -> QuerySet[Programme]:
    """Programmes the actor may propose under: those serving any union it may write to."""
    q = _serving_q(actor)
    qs = Programme.objects.select_related("union")
    return qs if q is None else qs.filter(q)


def campaigns_recordable(*, actor: Actor) -> QuerySet[Campaign]:
    """Campaigns the actor may record donations to (run by its unions or above them)."""
    q = _serving_q(actor)
    qs = Campaign.objects.select_related("union")
    return qs if q is None else qs.filter(q)


def disbursement_list(*, actor: Actor, union: Union | None = None) -> QuerySet[Disbursement]:
    return _scoped(
        actor,
        Disbursement.objects.select_related("union", "programme", "person", "family__head"),
        union,
    )


def disbursement_get(*, actor: Actor, id: Any) -> Disbursement:
    return _get(disbursement_list(actor=actor), id, _("发放记录"))


def benefits_of(
    *, actor: Actor, person: Person | None = None, family: HardshipFile | None = None
) -> QuerySet[Disbursement]:
    """Everything a person or a family received or was proposed, across all programmes:
    the person's own disbursements, and for a family also those of its head and to the
    family itself. The cadre reads it before approving, to see double benefits."""
    q = Q(pk__in=[])
    if person is not None:
        q |= Q(person=person)
    if family is not None:
        q |= Q(family=family) | Q(person_id=family.head_id)
    return disbursement_list(actor=actor).filter(q).order_by("-programme__year", "-proposed_at")


def benefit_totals(qs: QuerySet[Disbursement]) -> dict[str, Decimal]:
    """Paid and pending (proposed or approved) totals of a set of disbursements."""
    row = qs.aggregate(
        paid=Sum("amount", filter=Q(state=DisbursementState.PAID)),
        pending=Sum(
            "amount",
            filter=Q(state__in=[DisbursementState.PROPOSED, DisbursementState.APPROVED]),
        ),
    )
    return {k: v or ZERO for k, v in row.items()}


def paid_in(
    *,
    actor: Actor,
    union: Union,
    period: Period,
    kind: str | None = None,
    recipient_kind: str | None = None,
) -> QuerySet[Disbursement]:
    """Paid, not reversed disbursements handled in ``union``'s subtree and paid within
    ``period`` (optionally of one programme kind and recipient kind)."""
    qs = disbursement_list(actor=actor, union=union).filter(
        state=DisbursementState.PAID, paid_on__range=(period.start, period.end)
    )
    if kind is not None:
        qs = qs.filter(programme__kind=kind)
    if recipient_kind is not None:
        qs = qs.filter(programme__recipient_kind=recipient_kind)
    return qs


def festival_visits(*, actor: Actor, union: Union, period: Period) -> QuerySet[CondolenceVisit]:
    """Enterprise visits under festival condolence programmes within ``period``."""
    return _scoped(
        actor, CondolenceVisit.objects.select_related("union", "enterprise", "programme"), union
    ).filter(programme__kind=ProgrammeKind.FESTIVAL, visited_on__range=(period.start, period.end))


def bank_payment_list(*, actor: Actor) -> QuerySet[Disbursement]:
    """Approved bank-transfer disbursements waiting to be paid: the bank's list."""
    return disbursement_list(actor=actor).filter(state=DisbursementState.APPROVED, method="bank")


# --- applications ---------------------------------------------------------------------------
def application_list(*, actor: Actor) -> QuerySet[AidApplication]:
    return scope_queryset(
        actor, AidApplication.objects.select_related("union", "person", "programme")
    )


def own_applications(*, person: Person) -> QuerySet[AidApplication]:
    """A worker's own applications (the portal shows nothing else)."""
    return (
        AidApplication.objects.filter(person=person)
        .select_related("programme", "disbursement")
        .order_by("-submitted_at", "-id")
    )


def own_application_get(*, person: Person, id: Any) -> AidApplication:
    return _get(own_applications(person=person), id, _("帮扶申请"))


def own_application_documents(*, person: Person, application: AidApplication):
    """The documents a worker sent with one of their own applications."""
    return AidDocument.objects.filter(application=application, application__person=person)


def programmes_accepting_on(on: dt.date) -> Q:
    """The programmes taking online applications on day ``on``: ticked "接受网上申请" and within
    their application window, which without dates of its own is the programme's year (so last
    year's 春风助学 is not offered this year)."""
    opened = Q(applications_open_on__lte=on) | Q(
        applications_open_on__isnull=True, year__lte=on.year
    )
    not_closed = Q(applications_close_on__gte=on) | Q(
        applications_close_on__isnull=True, year__gte=on.year
    )
    return Q(portal_open=True) & opened & not_closed


def programmes_open_to(*, person: Person, on: dt.date) -> QuerySet[Programme]:
    """Programmes a worker may apply for online on ``on``: open to applications then (see
    ``programmes_accepting_on``) and serving the worker's union."""
    return programmes_serving(union=person.union).filter(programmes_accepting_on(on))


# --- donations ---------------------------------------------------------------------------------
def campaign_list(*, actor: Actor) -> QuerySet[Campaign]:
    return scope_queryset(actor, Campaign.objects.select_related("union"))


def donation_list(*, actor: Actor, union: Union | None = None) -> QuerySet[Donation]:
    return _scoped(actor, Donation.objects.select_related("union", "campaign"), union)


def donations_in_year(*, actor: Actor, union: Union, year: int) -> QuerySet[Donation]:
    """Donations (not voided) to campaigns of ``year`` collected in ``union``'s subtree."""
    return donation_list(actor=actor, union=union).filter(
        campaign__year=year, voided_at__isnull=True
    )


def donation_totals_by_kind(qs: QuerySet[Donation]) -> list[dict[str, Any]]:
    rows = (
        qs.order_by()
        .values("donor_kind")
        .annotate(total=Sum("amount"), n=Count("id"))
        .order_by("-total")
    )
    return [dict(r) for r in rows]


def donation_totals_by_street(qs: QuerySet[Donation], federation: Any) -> list[dict[str, Any]]:
    """Totals by the union one level below ``federation`` (the street) that collected them;
    donations collected by the federation itself form their own line."""
    width = len(federation.path) + 1 + PATH_SEGMENT
    rows = (
        qs.order_by()
        .annotate(street_path=Substr("union__path", 1, width))
        .values("street_path")
        .annotate(total=Sum("amount"), n=Count("id"))
        .order_by("street_path")
    )
    names = dict(
        Union.objects.filter(path__in=[r["street_path"] for r in rows]).values_list("path", "name")
    )
    return [
        {"street": names.get(r["street_path"], r["street_path"]), "total": r["total"], "n": r["n"]}
        for r in rows
    ]


def campaign_donations(*, campaign: Campaign) -> QuerySet[Donation]:
    """A campaign's donations, voided ones left out (the campaign page's summary; whoever may
    see the campaign sees what it raised)."""
    return campaign.donations.filter(voided_at__isnull=True)


def campaign_commendations(*, campaign: Campaign) -> QuerySet[DonorCommendation]:
    return campaign.commendations.order_by("rank")


def commendations_in_year(*, actor: Actor, union: Union, year: int) -> QuerySet[DonorCommendation]:
    return _scoped(
        actor, DonorCommendation.objects.select_related("campaign", "union"), union
    ).filter(campaign__year=year)


def person_on_hardship_file(*, person: Person, on: dt.date) -> bool:
    """Whether ``person`` heads a family on the hardship file on ``on`` (activities ask this
    for their hardship-only places and the lottery's priority group)."""
    return HardshipFile.objects.filter(on_file_q(on), head=person).exists()
