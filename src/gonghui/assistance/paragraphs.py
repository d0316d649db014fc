"""Default paragraphs of the work report's draft for the assistance figures (the seed
report's sentences, with the platform's numbers)."""

from gonghui.core.metrics import register_paragraph

register_paragraph(
    "assistance.mayday_condolences",
    area="May Day",
    order=20,
    template=(
        "重大节日期间，深入劳模工作一线和退休劳模家庭，为{mayday.model_worker_condolences}名劳模"
        "送去慰问金和慰问品。"
    ),
)
register_paragraph(
    "assistance.hardship",
    area="assistance",
    order=10,
    template=(
        "加强困难职工帮扶。做好困难职工的调查摸底和动态管理工作，共有建档困难职工家庭"
        "{assistance.hardship_families}户。节前，全区各级工会走访企业"
        "{assistance.festival_enterprises_visited}家，慰问一线职工、困难职工及劳模"
        "{assistance.festival_persons}人，慰问职工家庭及外来务工人员家庭"
        "{assistance.festival_families}户，慰问金额达{assistance.festival_amount_wan}万元。"
    ),
)
register_paragraph(
    "assistance.aid",
    area="assistance",
    order=20,
    template=(
        "高温送清凉{assistance.summer_cooling_households}户，慰问金"
        "{assistance.summer_cooling_amount_wan}万元；爱心透析特殊疾病救助"
        "{assistance.dialysis_persons}名，救助金额{assistance.dialysis_amount_wan}万元；"
        "企业出资助医{assistance.corporate_medical_aid_persons}人，救助金"
        "{assistance.corporate_medical_aid_amount_wan}万元；职工意外伤害补助"
        "{assistance.accident_subsidy_persons}名，补助金额"
        "{assistance.accident_subsidy_amount_wan|元}元。各类助学援助"
        "{assistance.education_aid_persons}名，援助金额{assistance.education_aid_amount_wan}万元。"
        "职工医疗互助获补助{assistance.medical_mutual_aid_persons}人，补助金额"
        "{assistance.medical_mutual_aid_amount_wan}万元，为{assistance.cancer_screening_women}名"
        "困难女职工开展免费“两癌”筛查活动。"
    ),
)
register_paragraph(
    "assistance.spring_breeze",
    area="assistance",
    order=30,
    template=(
        "全区共募集“春风行动”资金{assistance.spring_breeze_funds_wan}万元，表彰了"
        "{assistance.donor_units_commended}家捐款先进单位。"
    ),
)
