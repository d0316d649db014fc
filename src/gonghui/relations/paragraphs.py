"""The default paragraphs of the report's draft for the labour-relations area."""

from __future__ import annotations

from gonghui.core.metrics import register_paragraph

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
