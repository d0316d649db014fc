"""Default paragraphs of the work report's draft for the honours figures."""

from gonghui.core.metrics import register_paragraph

register_paragraph(
    "honours.yihui_yipin",
    area="organisation",
    order=15,
    template=(
        "开展工会组织规范化建设，全区新增“一会一品”精品工会项目{org.yihui_yipin_projects}个。"
    ),
)
register_paragraph(
    "honours.titles",
    area="honours",
    order=10,
    template=(
        "选树先进典型。选树全国工人先锋号{honours.pioneer_national}个、全省工人先锋号"
        "{honours.pioneer_provincial}个，市“工人先锋号”{honours.pioneer_municipal}个，"
        "区级“先进职工之家”{honours.advanced_worker_home_district}个。选树了全国先进工作者"
        "{honours.national_advanced_worker}名、省级五一劳动奖状{honours.provincial_mayday_award}家、"
        "市级五一劳动奖章(状){honours.municipal_mayday}个。"
    ),
)
