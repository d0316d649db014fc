"""The labour-relations figures of the annual report, the three rates, the domain's logic
check and the default paragraphs of the report's draft."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from gonghui.core.metrics import (
    CatalogueEntry,
    CheckResult,
    MetricQuery,
    MetricResult,
    logic_check,
    metric,
    register_figure,
    register_paragraph,
)
from gonghui.organisation.models import Coverage

from . import rates
from .models import (
    TOOK_EFFECT,
    Assessment,
    CollectiveContract,
    ContractEnterprise,
    CsrLevel,
    CsrParticipation,
    CsrRating,
    DemoSite,
    SiteLevel,
    TripartiteMeeting,
)
from .selectors import in_force_q


def _within(q: MetricQuery, field: str) -> Q:
    return Q(**{f"{field}__gte": q.period.start, f"{field}__lte": q.period.end})


@metric("relations.harmony_demo_sites")
def harmony_demo_sites(q: MetricQuery) -> MetricResult:
    """District-level demonstration sites designated within the period."""
    qs = q.scoped(DemoSite.objects.all()).filter(
        _within(q, "designated_on"), level=SiteLevel.DISTRICT
    )
    return MetricResult(qs.count(), qs)


@metric("relations.csr_a_level_reviewed")
def csr_a_level_reviewed(q: MetricQuery) -> MetricResult:
    """Re-reviews made within the period of CSR ratings of level A."""
    qs = q.scoped(CsrRating.objects.all()).filter(
        _within(q, "rated_on"), reviews__isnull=False, reviews__level=CsrLevel.A
    )
    return MetricResult(qs.count(), qs)


@metric("relations.csr_sme_joined")
def csr_sme_joined(q: MetricQuery) -> MetricResult:
    """Small and medium enterprises enrolled in CSR building within the period."""
    qs = q.scoped(CsrParticipation.objects.all()).filter(_within(q, "joined_on"), sme=True)
    return MetricResult(qs.count(), qs)


@metric("relations.tripartite_meetings")
def tripartite_meetings(q: MetricQuery) -> MetricResult:
    """Tripartite meetings held within the period."""
    qs = q.scoped(TripartiteMeeting.objects.all()).filter(_within(q, "held_on"))
    return MetricResult(qs.count(), qs)


@metric("relations.harmony_index_samples")
def harmony_index_samples(q: MetricQuery) -> MetricResult:
    """Sampled enterprises whose data were collected on site within the period."""
    qs = q.scoped(Assessment.objects.all()).filter(_within(q, "collected_on"))
    return MetricResult(qs.values("enterprise").distinct().count(), qs)


@metric("relations.contracts_renewed")
def contracts_renewed(q: MetricQuery) -> MetricResult:
    """Contracts signed within the period that renew a contract of the same enterprise(s)
    and kind (``renews``)."""
    qs = q.scoped(CollectiveContract.objects.all()).filter(
        _within(q, "signed_on"), renews__isnull=False
    )
    return MetricResult(qs.count(), qs)


# --- the three rates on the period's last day ----------------------------------------------


def _rate_metric(key: str):
    def compute(q: MetricQuery) -> MetricResult:
        result = rates.rate(key, actor=q.actor, union=q.union, on=q.period.end)
        return MetricResult(result.value, result.counted, result.not_counted)

    compute.__doc__ = f"The {rates.DEFINITIONS[key].en} on the period's last day (rates.py)."
    return compute


for _key, _rate in rates.DEFINITIONS.items():
    register_figure(
        CatalogueEntry(
            id=_rate.figure_id,
            area="labour relations",
            owner="relations",
            zh=_rate.zh,
            en=_rate.en,
            unit="percent",
            unit_zh="%",
            value="",
            bound="",
            definition=f"on the period's last day: {_rate.definition}",
            definition_zh=f"报告期末：{_rate.definition_zh}",
        )
    )
    metric(_rate.figure_id)(_rate_metric(_key))


# --- the logic check -------------------------------------------------------------------------


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


# --- the report's draft --------------------------------------------------------------------------
# The default text of the labour-relations paragraphs, written from the seed report; the
# report engine fills the placeholders with the figures and the federation edits the rest.

register_paragraph(
    "relations.harmony",
    area="labour relations",
    order=10,
    template=(
        "深化和谐劳动关系。周密组织省、市对区和谐劳动关系指数测评工作，加强和谐劳动关系"
        "示范点建设，建立区级“和谐示范点”{relations.harmony_demo_sites}家。以企业社会责任"
        "建设为工作载体，积极构建和谐劳动关系，促进企业健康发展，深化“双爱”活动，切实提高"
        "和谐劳动关系创建质量。复核审查了第一轮企业社会责任建设{relations.csr_a_level_reviewed}"
        "家A级企业，并根据企业社会责任建设向中小企业延伸这一工作要求，调查摸底企业经营状况，"
        "有针对性地进行宣传发动，提高中小企业主参与企业社会责任建设的积极性，全年新增"
        "{relations.csr_sme_joined}家中小企业参与。同时，及时调整充实区构建办成员及单位职责"
        "分工，按季召开协调劳动关系三方会议{relations.tripartite_meetings}次，研究部署年度和谐"
        "指数测评工作相关事宜，先后完成了{relations.harmony_index_samples}家抽样企业的数据报送"
        "和实地采集工作。"
    ),
)
register_paragraph(
    "relations.bargaining",
    area="labour relations",
    order=20,
    template=(
        "抓实工资集体协商。进一步巩固扩大工资集体协商覆盖面、提升实效性，规范推进平等协商"
        "工作。对照集体合同数据库对签订集体合同（工资协议）的企业进行梳理，到期续签集体合同"
        "（工资协议）{relations.contracts_renewed}份。开展了“百日要约”行动，通过开展工资"
        "集体协商“集中要约行动”，继续推进工资集体协商“提质增效”，积极开展工资集体协商"
        "“三率”提升工作，年末集体合同建制率{relations.establishment_rate}、覆盖率"
        "{relations.coverage_rate}、履约率{relations.fulfilment_rate}。"
    ),
)
