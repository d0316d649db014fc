"""The organisation's logic checks of the annual report (registered from ``apps.py``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gonghui.core.metrics import CheckResult, MetricQuery, logic_check

from .metrics import enterprises_covered_new
from .models import Enterprise


@logic_check(
    "organisation.covered_beyond_enterprises_on_record",
    area="organisation",
    owner="organisation",
    title=_("新建工会涵盖企业数不得多于在册企业数"),
)
def covered_beyond_enterprises_on_record(q: MetricQuery) -> CheckResult:
    """The figure "enterprises covered by the unions founded" counts more enterprises than
    the subtree has on record: the enterprises at fault are those it counted that are kept
    by no union of the subtree (covered across a street boundary, or moved away since)."""
    covered = enterprises_covered_new(q)
    on_record = q.scoped(Enterprise.objects.all())
    n_on_record = on_record.count()
    if covered.records is None or covered.value <= n_on_record:
        return CheckResult(0, "")
    outside = covered.records.exclude(pk__in=on_record.values("pk"))
    message = _(
        "新建工会涵盖企业 %(covered)s 家，多于本级及下级工会在册的企业 %(on_record)s 家；"
        "以下企业不在本级及下级工会的企业名录中。"
    ) % {"covered": covered.value, "on_record": n_on_record}
    return CheckResult(outside.count(), str(message), outside)
