"""Default paragraph of the work report's draft for the membership figures."""

from gonghui.core.metrics import register_paragraph

register_paragraph(
    "membership.members",
    area="organisation",
    order=20,
    template=(
        "扩大工会会员覆盖面。开展网上职工之家建设，运用“双措并举、二次覆盖”模式，"
        "把职工最大限度地组织到工会中来，全年新增会员{org.members_joined|万}名。"
    ),
)
