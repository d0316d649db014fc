"""The membership's logic checks of the annual report (registered from ``apps.py``)."""

from __future__ import annotations

from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from gonghui.core.metrics import CheckResult, MetricQuery, logic_check

from .models import Membership


@logic_check(
    "membership.joined_before_union_founded",
    area="organisation",
    owner="membership",
    title=_("入会（转入）日期不得早于所在工会的成立日期"),
)
def joined_before_union_founded(q: MetricQuery) -> CheckResult:
    """Memberships in force during the period that began before their union was founded
    (a founding date corrected afterwards, or an import of old rosters)."""
    qs = (
        q.scoped(Membership.objects.select_related("person", "union"))
        .filter(union__founded_on__isnull=False, started_on__lt=F("union__founded_on"))
        .filter(started_on__lte=q.period.end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=q.period.start))
    )
    n = qs.count()
    message = _("%(n)s 条会籍的入会（转入）日期早于所在工会的成立日期。") % {"n": n}
    return CheckResult(n, str(message) if n else "", qs)
