"""Staff, teams and volunteers: T06, T15, S39-S44."""

from __future__ import annotations

from culture.standards.calculators.people import reported
from culture.standards.calculators.people import staff as staff_calc
from culture.standards.calculators.people import teams as team_calc
from culture.standards.catalogue.types import (
    COMMUNITY,
    COUNT,
    DAYS,
    DISTRICT,
    FLAG,
    PER_THOUSAND,
    SHARE,
    SUBDISTRICT,
    Indicator,
    ReportField,
    always,
    steps,
)

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        id="T06",
        clause="二、（四）1",
        quote_zh="建设以 “三团三社” (合唱团、民乐团、艺术团,文学社、摄影社、书画社)为核心的基层文艺团队"
        "800支以上",
        title_zh="基层文艺团队800支以上",
        title_en="At least 800 grassroots arts teams",
        levels=(DISTRICT,),
        unit=COUNT,
        thresholds={DISTRICT: steps((2025, 800))},
        owner_zh="区文化馆、各街道",
        owner_en="District culture centre; every subdistrict",
        definition_zh="团队登记中标为“活跃”、成立日期不晚于统计日（或未填）的文艺团队数，各类别合计"
        "（“三团三社”六类单独列出）。",
        definition_en="Registered arts teams marked active and founded by the day counted (or "
        "with no founding date), all kinds (the six core kinds shown apart).",
        calculator=team_calc.teams_total,
        report_fields=(ReportField("value", "基层文艺团队数", "Grassroots arts teams"),),
        notes_zh="政策未写明年份，按实施意见“到2025年”的总体期限理解：2025年前显示进度（未到期）。"
        "“以三团三社为核心”理解为各类群众文艺团队都计入，三团三社单列。",
        notes_en="No year in the clause: read with the opinion's horizon 'by 2025' (not due "
        "before). 'With 三团三社 at the core' is read as every kind of team counting, the core "
        "kinds shown apart.",
    ),
    Indicator(
        id="T15",
        clause="二、（六）3",
        quote_zh="成立拱墅区文化志愿服务总队、街道分队、社区小队三级结构，推动志愿服务标准化、规范化发展",
        title_zh="文化志愿服务总队、街道分队、社区小队三级结构",
        title_en="Volunteer corps, subdistrict teams and community squads",
        levels=(DISTRICT, SUBDISTRICT, COMMUNITY),
        unit=FLAG,
        thresholds={
            DISTRICT: steps((2025, 1)),
            SUBDISTRICT: steps((2025, 1)),
            COMMUNITY: steps((2025, 1)),
        },
        owner_zh="区文旅局（文化志愿服务总队）、各街道、各社区",
        owner_en="District culture and tourism bureau (volunteer corps); every subdistrict and "
        "community",
        definition_zh="区：已成立文化志愿服务总队；街道：已成立分队；社区：已成立小队（1=是，0=否）。",
        definition_en="District: the volunteer corps exists; subdistrict: its team; community: "
        "its squad (1 = yes, 0 = no).",
        report_fields=(
            ReportField("value", "已成立（1=是，0=否）", "Established (1 = yes, 0 = no)", FLAG),
        ),
        notes_zh="志愿者功能上线前由各单位填报是否已成立。政策未写明年份，按“到2025年”的总体期限理解，"
        "2025年前未到期。",
        notes_en="Reported by each unit until the volunteers feature exists. No year in the "
        "clause: read as 'by 2025' (not due before).",
    ),
    Indicator(
        id="S39",
        clause="附件 39",
        quote_zh="区级公共文化机构要配备与履职相适应的人员力量，业务人员占职工总数比例达到85%以上。",
        title_zh="区级公共文化机构业务人员占比85%以上",
        title_en="Professional staff >= 85 % of district culture institutions' staff",
        levels=(DISTRICT,),
        unit=SHARE,
        thresholds={DISTRICT: always(0.85)},
        owner_zh="区文旅局（区级公共文化机构）",
        owner_en="District culture and tourism bureau (district institutions)",
        definition_zh="区级单位在岗工作人员中“专业技术人员”人数 ÷ 在岗人数。",
        definition_en="Staff on post of the district unit marked professional / all its staff "
        "on post.",
        calculator=staff_calc.professional_share,
        notes_zh="工作人员按所属单位登记，区级公共文化机构的人员即所属单位为区的人员；“业务人员”按"
        "“专业技术人员”标记计算。",
        notes_en="Staff are registered by org unit: the district institutions' staff are those "
        "of the district unit; 'business staff' is the 'professional' flag.",
    ),
    Indicator(
        id="S40",
        clause="附件 40",
        quote_zh="街道综合文化站按照规定配备专职文化工作人员。",
        title_zh="街道综合文化站配备专职文化工作人员",
        title_en="Every culture station has full-time culture staff",
        levels=(SUBDISTRICT,),
        unit=COUNT,
        thresholds={SUBDISTRICT: always(1)},
        owner_zh="各街道",
        owner_en="Every subdistrict",
        definition_zh="所属单位为该街道、标为“专职文化员”的在岗工作人员数。",
        definition_en="Staff on post of the subdistrict marked full-time culture staff.",
        calculator=staff_calc.fulltime_culture_staff,
        notes_zh="“按照规定”的人数政策未列明，按至少1名判定。街道没有任何在岗人员记录时为无数据。",
        notes_en="The clause gives no number: at least one. A subdistrict with no staff on "
        "record: no data.",
    ),
    Indicator(
        id="S41",
        clause="附件 41",
        quote_zh="根据需要，区政府可向人口5万以上的街道配备文化工作人员，有条件的社区配备专职文化员。",
        title_zh="人口5万以上街道配备文化工作人员，有条件的社区配备专职文化员（鼓励）",
        title_en="Culture staff for subdistricts of 50,000+ people; full-time culture staff in "
        "communities that can (encouraged)",
        levels=(SUBDISTRICT, COMMUNITY),
        unit=COUNT,
        thresholds={},
        informational=True,
        owner_zh="区政府（区文旅局）、各街道、各社区",
        owner_en="District government (culture and tourism bureau); subdistricts; communities",
        definition_zh="街道（常住人口5万及以上）：在岗文化工作人员数；社区：在岗专职文化员数。",
        definition_en="Subdistricts of 50,000 residents or more: culture staff on post; "
        "communities: full-time culture staff on post.",
        calculator=staff_calc.culture_staff_info,
        notes_zh="政策用“可”“有条件的”，属鼓励性条款，只显示不判定。人口不足5万的街道不适用。",
        notes_en="The clause says 'may' and 'where possible': shown, not judged. Subdistricts "
        "under 50,000 people: not applicable.",
    ),
    Indicator(
        id="S42",
        clause="附件 42",
        quote_zh="区级以上公共文化机构从业人员每年参加脱产培训时间达到15天以上。街道、社区两级文化专兼职"
        "人员每年参加集中培训时间达到5天以上。",
        title_zh="培训：区级人员每年15天以上，街道、社区人员每年5天以上",
        title_en="Training: district staff >= 15 days a year, subdistrict and community staff >= 5",
        levels=(DISTRICT, SUBDISTRICT, COMMUNITY),
        unit=DAYS,
        thresholds={DISTRICT: always(15), SUBDISTRICT: always(5), COMMUNITY: always(5)},
        owner_zh="区文旅局（组织培训）、区级公共文化机构、各街道、各社区",
        owner_en="District culture and tourism bureau (training); district institutions; "
        "subdistricts; communities",
        definition_zh="该单位在岗工作人员当年培训天数的最小值（每人都须达到：区级15天，街道、社区5天）。"
        "明细列出每人天数和平均数。",
        definition_en="The fewest training days of the year among the unit's staff on post "
        "(every one must reach it: 15 days at the district, 5 at subdistricts and communities). "
        "The details list each person's days and the average.",
        calculator=staff_calc.training_days,
        notes_zh="条文要求每名人员达到，故取最小值而非平均值。人员按所属单位的层级适用门槛。当年有培训"
        "记录的单位中，无记录的人员按0天；单位当年没有任何培训记录时为无数据。",
        notes_en="The clause binds every person, so the lowest counts, not the average. The "
        "threshold follows the level of the staff member's unit. Where a unit has training "
        "records for the year, staff without one count 0 days; a unit with none: no data.",
    ),
    Indicator(
        id="S43",
        clause="附件 43",
        quote_zh="每个街道组建相对稳定并经常性开展活动的“三团三社”6类以上。每个社区建立2支以上经常性开展"
        "活动的群众文体团队。",
        title_zh="每街道“三团三社”6类以上，每社区2支以上活跃团队",
        title_en="Each subdistrict all six core team kinds; each community >= 2 active teams",
        levels=(SUBDISTRICT, COMMUNITY),
        unit=COUNT,
        thresholds={SUBDISTRICT: always(6), COMMUNITY: always(2)},
        owner_zh="各街道、各社区（区文化馆指导）",
        owner_en="Every subdistrict and community (guided by the district culture centre)",
        definition_zh="街道：本街道及所属社区的活跃团队覆盖的“三团三社”类别数（合唱团、民乐团、艺术团、"
        "文学社、摄影社、书画社）；社区：本社区的活跃团队数（各类别）。活跃：标为活跃且最近活动日期在"
        "统计日前“活跃团队：统计窗口”天内。",
        definition_en="Subdistrict: how many of the six core kinds (choir, folk orchestra, art "
        "troupe, literature, photography, calligraphy-and-painting societies) have an active "
        "team of the subdistrict or its communities. Community: its own active teams of any "
        "kind. Active: marked active and last active within the named window before the day "
        "counted.",
        uses_definitions=("active_team_window_days",),
        calculator=team_calc.active_teams,
        notes_zh="“相对稳定并经常性开展活动”按团队登记的活跃规则（命名定义“活跃团队：统计窗口”）判定；"
        "活动记录尚未关联团队，“窗口内最少活动次数”暂不使用。团队只记最近活动日期：评估往年时，"
        "统计日前已成立、最近活动在统计日之后的团队也计入（明细列出其数量）。",
        notes_en="'Stable and regularly active' is the teams registry's active rule with the "
        "named window; activities do not name their team yet, so the minimum-activities "
        "definition is not used. Teams keep only their last active date: for a past year a team "
        "founded by the day counted and last active after it also counts (the details say how "
        "many).",
    ),
    Indicator(
        id="S44",
        clause="附件 44",
        quote_zh="区、街道、社区分别建立一定数量的文化志愿者队伍，文化志愿者数量达到总人口的千分之三以上。"
        "每社区培育文化示范户不少于1户、社区文化能人不少于2人。",
        title_zh="文化志愿者达人口千分之三以上；每社区文化示范户≥1户、文化能人≥2人",
        title_en="Volunteers >= 3 per 1,000 residents; each community >= 1 culture household and "
        ">= 2 culture talents",
        levels=(DISTRICT, SUBDISTRICT, COMMUNITY),
        unit=PER_THOUSAND,
        thresholds={DISTRICT: always(3), SUBDISTRICT: always(3)},
        owner_zh="区文旅局（文化志愿服务总队）、各街道、各社区",
        owner_en="District culture and tourism bureau (volunteer corps); subdistricts; communities",
        definition_zh="区、街道：注册文化志愿者人数 × 1000 ÷ 常住人口（填报）。社区：有效的文化示范户"
        "不少于1户且社区文化能人不少于2人（由登记记录计算，数值栏留空，明细列出户数和人数）。",
        definition_en="District and subdistricts: registered culture volunteers x 1,000 / "
        "residents (reported). Communities: at least 1 culture household and 2 culture talents "
        "on record (computed; no single value, the counts are in the details).",
        calculator=team_calc.households_and_talents,
        report_fields=(ReportField("volunteers", "注册文化志愿者人数", "Registered volunteers"),),
        value_from_reported=reported.volunteers_per_thousand,
        notes_zh="志愿者功能上线前，志愿者人数由区、街道填报。“总人口的千分之三”对区按全区常住人口，"
        "对街道按本街道常住人口分解判定。",
        notes_en="Volunteers are reported by the district and subdistricts until the volunteers "
        "feature exists. The 3 per 1,000 applies to the district's population and, broken down, "
        "to each subdistrict's.",
    ),
)
