"""Default paragraphs of the work report's draft for the organisation's figures (the seed
report's sentences; the federation edits its own wording on the draft page)."""

from gonghui.core.metrics import register_paragraph

register_paragraph(
    "organisation.building",
    area="organisation",
    order=10,
    template=(
        "着力攻坚工会组织建设。完善街道总工会组织体系，推动以街道总工会为龙头、社区工会为衔接、"
        "企业工会为基础的“小三级”工会组织网络建设。对小微企业依照地域相邻、行业相近的要求，"
        "建立基层行业联合工会、一条街工会、项目工会等。全年新建工会组织{org.unions_founded}家，"
        "涵盖企业{org.enterprises_covered_new}家。"
    ),
)
register_paragraph(
    "organisation.staff",
    area="organisation",
    order=30,
    template=(
        "着力加强工会队伍建设。科学优化队伍年龄和知识结构，不断增强执行力和战斗力。通过公开招考，"
        "新增工会工作者{org.staff_recruited}名，将专职工会干部队伍扩大至"
        "{org.fulltime_staff_total}人，做到梯次配备、动态管理、干事有人。"
    ),
)
