"""The assistance's logic checks of the annual report (registered from ``apps.py``)."""

from __future__ import annotations

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from gonghui.core.metrics import CheckResult, MetricQuery, logic_check

from .models import Disbursement, DisbursementState


@logic_check(
    "assistance.paid_after_file_closed",
    area="assistance",
    owner="assistance",
    title=_("困难家庭退出档案后不得再向该家庭发放帮扶"),
)
def paid_after_file_closed(q: MetricQuery) -> CheckResult:
    """Disbursements paid in the period to a hardship family on or after the day its file
    was closed (a family is on file until the day before it leaves)."""
    qs = q.scoped(
        Disbursement.objects.select_related("union", "programme", "person", "family__head")
    ).filter(
        state=DisbursementState.PAID,
        paid_on__range=(q.period.start, q.period.end),
        family__left_on__isnull=False,
        paid_on__gte=F("family__left_on"),
    )
    n = qs.count()
    message = _("%(n)s 笔帮扶在困难家庭退出档案当日或之后发放。") % {"n": n}
    return CheckResult(n, str(message) if n else "", qs)
