"""Default paragraphs of the work report's draft for the activity figures (the seed report's
sentences, with the platform's numbers)."""

from gonghui.core.metrics import register_paragraph

register_paragraph(
    "activities.mayday",
    area="May Day",
    order=10,
    template=(
        "营造崇尚劳动大氛围。在全区营造弘扬工人阶级伟大品格和劳模精神的浓厚氛围，精心组织"
        "“五一”系列庆祝活动{mayday.celebration_activities}项。召开全区先进表彰大会，开展"
        "“弘扬劳动、关爱劳模”系列宣传，集中宣传先进、劳模和基层职工。"
    ),
)
register_paragraph(
    "activities.culture",
    area="culture",
    order=10,
    template=(
        "统筹加强职工文化建设。丰富职工文化生活，举办区职工运动会，吸引"
        "{culture.sports_meet_participants}名职工参加。开展四季人文讲座、诗歌征文等文化活动"
        "{culture.cultural_activities}场次。举办女职工素质讲堂{culture.women_lectures}场，"
        "女职工参加{culture.women_lecture_participants}人次。"
    ),
)
register_paragraph(
    "activities.services",
    area="services",
    order=10,
    template=(
        "务实推进服务职工活动。打造普惠化服务模式，分别在楼宇、企业、社区、火车站及市场、超市等地"
        "开展了{services.mobile_service_days}场“五湖四海、一起同行”工会流动服务日活动，"
        "接待职工咨询{services.consultations|万}人次。"
    ),
)
register_paragraph(
    "activities.employment",
    area="employment",
    order=10,
    template=(
        "推进就业创业服务。以职业介绍、技能培训、创业扶持为平台，联合区人力社保局等单位举办"
        "人力资源交流会，提供{employment.hr_fair_jobs}个就业岗位。各街道总工会组织招聘会"
        "{employment.street_job_fairs}场，提供就业岗位数{employment.street_job_fair_jobs}个。"
    ),
)
register_paragraph(
    "activities.migrants",
    area="migrant workers",
    order=10,
    template=(
        "真心关爱外来民工。积极开展“真情关爱外来民工”活动，安排{migrant.free_health_checks}名"
        "重点项目、重点工程、重点领域及特殊岗位工作的外来务工人员免费体检。举办交友联谊活动"
        "{migrant.friendship_events}场，青年职工参加{migrant.friendship_participants}人次。"
        "举办各类“小候鸟”暑期夏令营活动{migrant.summer_camps}期，"
        "{migrant.summer_camp_children}名外来务工人员子女参加活动。"
    ),
)
