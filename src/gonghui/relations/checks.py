"""The labour-relations logic check of the report: contracts in force for enterprises that no
union covers."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from gonghui.core.metrics import CheckResult, MetricQuery, logic_check
from gonghui.organisation.models import Coverage

from .models import TOOK_EFFECT, ContractEnterprise
from .selectors import in_force_q


@logic_check(
    "relations.contract_without_union",
    area="labour relations",
    owner="relations",
    title="有效期内的集体合同所覆盖的企业须有工会组织（由企业工会或联合工会覆盖）",
)
def contract_without_union(q: MetricQuery) -> CheckResult:
    """Enterprises covered by a contract in force on the period's last day that no union
    covers on that day."""
    on = q.period.end
    covered = Coverage.objects.filter(enterprise=OuterRef("enterprise"), started_on__lte=on).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=on)
    )
    rows = (
        q.scoped(ContractEnterprise.objects.select_related("contract", "enterprise"))
        .filter(in_force_q(on), contract__status__in=TOOK_EFFECT)
        .exclude(Exists(covered))
    )
    n = rows.count()
    return CheckResult(
        n,
        _("%(n)s 家企业在 %(on)s 有生效的集体合同，但当日没有工会组织覆盖。") % {"n": n, "on": on},
        rows,
    )
