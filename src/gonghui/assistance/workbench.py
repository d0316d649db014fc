"""What the assistance domain puts on the workbench: aid applications to decide, payments to
approve and to make, hardship files whose yearly review is overdue or near. Each to-do counts
with the same selector its list's filter uses, so the link lists exactly the records counted."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core.backoffice import Todo
from gonghui.core.scope import Actor

from . import selectors
from .models import DisbursementState


def todos(actor: Actor) -> Iterator[Todo]:
    today = timezone.localdate()
    yield Todo(
        _("待受理的帮扶申请"),
        selectors.applications_submitted(actor=actor).count(),
        reverse("admin:assistance_aidapplication_changelist") + "?status__exact=submitted",
        area="assistance",
    )
    disbursements = reverse("admin:assistance_disbursement_changelist")
    yield Todo(
        _("待审批的帮扶发放"),
        selectors.disbursements_in_state(actor=actor, state=DisbursementState.PROPOSED).count(),
        f"{disbursements}?state={DisbursementState.PROPOSED.value}",
        area="assistance",
    )
    yield Todo(
        _("已审批待发放的帮扶"),
        selectors.disbursements_in_state(actor=actor, state=DisbursementState.APPROVED).count(),
        f"{disbursements}?state={DisbursementState.APPROVED.value}",
        area="assistance",
    )
    files = reverse("admin:assistance_hardshipfile_changelist")
    yield Todo(
        _("年度复核已逾期的困难职工档案"),
        selectors.files_review_overdue(actor=actor, on=today).count(),
        f"{files}?review=overdue",
        area="assistance",
        urgent=True,
    )
    yield Todo(
        _("30 天内到期复核的困难职工档案"),
        selectors.files_review_due_soon(actor=actor, on=today).count(),
        f"{files}?review=due",
        area="assistance",
    )
