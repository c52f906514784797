"""The activity programme: T10 training classes, T11 canal brand series, T12 一街一品, T17
special groups, S29 mass activities (district, subdistrict, community per week)."""

from __future__ import annotations

from culture.standards.calculators.activities import counts
from culture.standards.catalogue.activities.common import notes, yearly
from culture.standards.catalogue.types import (
    COMMUNITY,
    COUNT,
    DISTRICT,
    SUBDISTRICT,
    Indicator,
    ReportField,
)

T10_NOTES = notes(
    "全区各级主办单位的培训班都计入。",
    "Training classes of every organiser in the district count.",
)
T11_NOTES = notes(
    "政策点名的三项系列每年都要举办（“等”表示还可以有其他活动）：品牌为“运河文化四季歌”"
    "“运河文化节”（长三角水上运动节暨京杭大运河文旅嘉年华登记在此品牌下）“社区文化月”的活动，"
    "当年各至少1场即算该系列已举办；全区各级主办单位的都计入。全区当年没有任何活动记录时为无数据。",
    "The three series the policy names must each be held every year ('and others' allows more): "
    "an activity of the brand 'canal four seasons', 'canal culture festival' (where the Yangtze "
    "Delta water sports festival and Grand Canal carnival is recorded) or 'community culture "
    "month' in the year means the series was held; any organiser in the district counts. No "
    "activity recorded in the district for the year gives no data.",
    kind_records=False,
)
T12_NOTES = notes(
    "品牌是否“打造”成功无法由记录判断，这里以当年举办标记为“一街一品”的活动为准：街道或其下属"
    "社区主办的都计入该街道。全区当年没有任何活动记录时为无数据。",
    "Whether a brand has been 'built' cannot be read from records: a subdistrict meets this "
    "with at least one activity of the year flagged 一街一品, organised by the subdistrict or "
    "one of its communities. No activity recorded in the district for the year gives no data.",
    kind_records=False,
)
T17_NOTES = notes(
    "政策未设数量目标，仅供参考。农民工登记为“外来务工人员”，部队官兵登记为“军人及退役军人”；"
    "一场活动可面向多个群体，故各群体占比之和可超过100%。",
    "The policy sets no number: information only. Migrant workers (农民工) and servicemen "
    "(部队官兵) are the activity flags of those names; one activity may be aimed at several "
    "groups, so the shares may add up to more than 100 %.",
    kind_records=False,
)
S29_NOTES = notes(
    "三级各按“本级组织”计：区级只计区本级主办的，街道只计街道本级主办的（社区主办的计入社区），"
    "否则社区每周的演出会让街道轻易达标。区、街道计“群众文化活动”和“文艺演出”两类；社区的"
    "“文艺赋美演出”为类型“文艺演出”、由该社区主办的活动（街道在演艺点主办的演出计入街道）。"
    "每周的判断：一周从周一到周日，属于其周一所在的年度（1月初不满一周的几天属于上一年最后一周）；"
    "周日在统计日之前（含）的周才评判，年度结束后该年最后一周整体评判（含次年1月的几天）；"
    "社区的数值为评判周中场次最少的一周的场数，每周都不少于2场才达标。",
    "Each level counts what it organises itself: the district only what the district unit "
    "organises, a subdistrict only its own (its communities' count for them), else the "
    "communities' weekly performances would carry every subdistrict. District and subdistrict "
    "count 'mass cultural activity' and 'performance'; a community's 文艺赋美 performances are "
    "activities of kind 'performance' organised by the community (a subdistrict's show at a "
    "performance spot counts for the subdistrict). Weeks: Monday to Sunday, belonging to the "
    "year of their Monday (the first days of January before the first Monday belong to the last "
    "week of the year before); a week is judged once its Sunday is on or before the day "
    "counted, and when the year is over its last week is judged whole (with its days in "
    "January). A community's value is the count of its weakest judged week: the rule is met "
    "when every week has at least two.",
)

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        id="T10",
        clause="二、（五）2",
        quote_zh="深化全民艺术普及，每年开展艺术普及培训班100场",
        title_zh="艺术普及培训班每年不少于100场",
        title_en="At least 100 arts training classes a year",
        levels=(DISTRICT,),
        unit=COUNT,
        thresholds={DISTRICT: yearly(100)},
        owner_zh="区文化馆",
        owner_en="District culture centre",
        definition_zh="当年开始、未取消、类型为“培训班”的活动场数（全区各级主办单位合计）。",
        definition_en="Activities of kind 'training class' that started in the year and were "
        "not cancelled, organised by any unit in the district.",
        calculator=counts.training_classes,
        report_fields=(ReportField("value", "培训班场数", "Training classes"),),
        notes_zh=T10_NOTES[0],
        notes_en=T10_NOTES[1],
    ),
    Indicator(
        id="T11",
        clause="二、（五）1",
        quote_zh="举办“运河文化四季歌”“长三角水上运动节暨京杭大运河文旅嘉年华”“社区文化月”"
        "等大运河系列文化活动",
        title_zh="每年举办大运河系列品牌文化活动（运河文化四季歌、运河文旅嘉年华、社区文化月）",
        title_en="The Grand Canal brand series held every year (canal four seasons, canal "
        "carnival, community culture month)",
        levels=(DISTRICT,),
        unit=COUNT,
        thresholds={DISTRICT: yearly(3)},
        owner_zh="区文旅局",
        owner_en="District culture and tourism bureau",
        definition_zh="当年举办了的点名品牌系列数（0至3）：每个系列当年至少有1场该品牌的活动。",
        definition_en="How many of the three named series were held in the year (0 to 3): a "
        "series is held when at least one activity of its brand took place.",
        calculator=counts.canal_brands,
        report_fields=(ReportField("value", "举办的运河系列品牌数", "Canal series held"),),
        notes_zh=T11_NOTES[0],
        notes_en=T11_NOTES[1],
    ),
    Indicator(
        id="T12",
        clause="二、（五）3",
        quote_zh="各街道要联动社会机构创新开展创意市集、街区展览、音乐角、嘉年华等活动，"
        "打造“一街一品”品牌活动",
        title_zh="每个街道打造“一街一品”品牌活动",
        title_en="One signature brand activity in every subdistrict (一街一品)",
        levels=(SUBDISTRICT,),
        unit=COUNT,
        thresholds={SUBDISTRICT: yearly(1)},
        owner_zh="各街道",
        owner_en="Each subdistrict",
        definition_zh="当年由该街道或其下属社区主办、标记为“一街一品”的活动场数，至少1场。",
        definition_en="Activities of the year flagged 一街一品 organised by the subdistrict or "
        "its communities: at least one.",
        calculator=counts.signature_activities,
        report_fields=(ReportField("value", "“一街一品”活动场数", "Signature brand activities"),),
        notes_zh=T12_NOTES[0],
        notes_en=T12_NOTES[1],
    ),
    Indicator(
        id="T17",
        clause="二、（四）1",
        quote_zh="提高对老年人、未成年人、残疾人、农民工、部队官兵等特殊群体文化供给的精准性",
        title_zh="面向特殊群体的文化供给（老年人、未成年人、残疾人、农民工、部队官兵）",
        title_en="Services for special groups (elderly, minors, disabled, migrant workers, "
        "servicemen)",
        levels=(DISTRICT, SUBDISTRICT, COMMUNITY),
        unit=COUNT,
        thresholds={},
        informational=True,
        owner_zh="区文旅局、各街道、各社区",
        owner_en="District culture and tourism bureau, subdistricts, communities",
        definition_zh="该单位及其下级当年主办的活动中，面向每一类特殊群体的场数及其占全部活动的比例；"
        "数值为当年覆盖到的群体类数（0至5）。",
        definition_en="Of the year's activities organised by the unit and the units below it: "
        "per special group, how many were aimed at it and their share of all; the value is how "
        "many of the five groups were reached (0 to 5).",
        calculator=counts.target_groups,
        notes_zh=T17_NOTES[0],
        notes_en=T17_NOTES[1],
    ),
    Indicator(
        id="S29",
        clause="附件 29",
        quote_zh="区级每年组织群众文化活动24次以上，每街道每年组织群众性文体活动12次以上，"
        "每社区每周开展文艺赋美演出不少于2场",
        title_zh="群众文化活动：区级每年24次以上，街道每年12次以上，社区每周演出不少于2场",
        title_en="Mass cultural activities: district 24 a year, subdistrict 12 a year, community "
        "2 performances every week",
        levels=(DISTRICT, SUBDISTRICT, COMMUNITY),
        unit=COUNT,
        thresholds={
            DISTRICT: yearly(24),
            SUBDISTRICT: yearly(12),
            COMMUNITY: yearly(2),
        },
        owner_zh="区文化馆（区级）、各街道、各社区",
        owner_en="District culture centre (district level), subdistricts, communities",
        definition_zh="区、街道：当年由本单位自身主办的“群众文化活动”和“文艺演出”次数；社区：每个"
        "评判周内该社区主办的“文艺演出”场数，数值为最少的一周的场数（每周都不少于2场才达标）。",
        definition_en="District and subdistrict: mass cultural activities and performances of "
        "the year organised by the unit itself. Community: performances it organised in each "
        "judged week; the value is the weakest week's count (met when every week has two).",
        calculator=counts.mass_activities,
        report_fields=(
            ReportField(
                "value",
                "群众文化活动次数（社区填：最少一周的演出场数）",
                "Mass cultural activities (community: performances in its weakest week)",
            ),
        ),
        notes_zh=S29_NOTES[0],
        notes_en=S29_NOTES[1],
    ),
)
