"""What the assistance domain puts on the workbench: aid applications to decide, payments to
approve and to make, hardship files whose yearly review is overdue or near. Each to-do counts
with the same selector its list's filter uses, so the link lists exactly the records counted."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.db.models import Sum
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core.backoffice import Panel, Todo
from gonghui.core.numbers import count, yuan
from gonghui.core.scope import Actor

from . import selectors
from .models import DisbursementState

if TYPE_CHECKING:
    from gonghui.organisation.models import Union


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


def union_panel(request: HttpRequest, union: Union) -> Panel:
    """On a union's page: its hardship families on file, its aid programmes and what its
    subtree has paid (not reversed), each counted in the reader's scope."""
    actor = request.user
    files = selectors.hardship_file_list(actor=actor).filter(union=union, left_on__isnull=True)
    programmes = selectors.programme_list(actor=actor).filter(union=union)
    paid = selectors.disbursement_list(actor=actor, union=union).filter(
        state=DisbursementState.PAID
    )
    total = paid.aggregate(s=Sum("amount"))["s"]
    return Panel(
        title=_("帮扶救助"),
        rows=[
            (
                _("在档困难职工家庭"),
                _("%(n)s 户") % {"n": count(files.count())},
                reverse("admin:assistance_hardshipfile_changelist")
                + f"?union__id__exact={union.pk}&on_file=1",
            ),
            (
                _("本级帮扶项目"),
                _("%(n)s 项") % {"n": count(programmes.count())},
                reverse("admin:assistance_programme_changelist") + f"?union__id__exact={union.pk}",
            ),
            (
                _("已发放帮扶（含下级）"),
                _("%(n)s 笔，%(amount)s 元")
                % {"n": count(paid.count()), "amount": yuan(total or 0)},
                "",
            ),
        ],
        order=50,
    )
