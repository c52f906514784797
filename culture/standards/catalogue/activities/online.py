"""Online and digital services: T01, T02 (二、（一）3), S13, S14 (annex 13, 14)."""

from __future__ import annotations

from culture.standards.calculators.activities import counts
from culture.standards.catalogue.activities.common import (
    DISTRICT_LEVEL_EN,
    DISTRICT_LEVEL_ZH,
    notes,
    yearly,
)
from culture.standards.catalogue.types import (
    COUNT,
    DISTRICT,
    PERSON_TIMES,
    Indicator,
    ReportField,
)

ONLINE_ZH = (
    "线上活动：任何类型中标记为线上的活动（“线上服务”“主题数字服务项目”总是线上），"
    "即政策所说的云阅读、云展览、云演出、云培训、云讲座等。全区当年没有任何线上活动记录时为无数据。"
)
ONLINE_EN = (
    "Online activities: any activity marked online ('online service' and 'thematic digital "
    "project' always are), the policy's cloud reading, exhibitions, performances, training and "
    "lectures. No online activity recorded in the district for the year gives no data."
)
SESSIONS_NOT_ABOVE_ZH = "统计填报时，线上服务场次不得多于同一单位同年的线上服务人次（T02）。"
SESSIONS_NOT_ABOVE_EN = (
    "A reported number of sessions may not exceed the same unit's reported person-times (T02) "
    "of the year."
)

T01_NOTES = notes(
    "“年均”读作每年：每个年度单独不少于800场次（到期前无法计算多年平均）。"
    + ONLINE_ZH
    + SESSIONS_NOT_ABOVE_ZH,
    "'On average each year' is read as every year (a several-year average cannot be judged "
    "before the period ends). " + ONLINE_EN + " " + SESSIONS_NOT_ABOVE_EN,
    kind_records=False,
)
T02_NOTES = notes(
    "全区口径：全区各级主办单位的线上活动都计入（S13只计区级公共文化机构）。“年均”读作每年。"
    + ONLINE_ZH
    + SESSIONS_NOT_ABOVE_ZH,
    "The whole district: online activities of every organiser count (S13 counts the "
    "district-level institutions only). 'On average each year' is read as every year. "
    + ONLINE_EN
    + " "
    + SESSIONS_NOT_ABOVE_EN,
    kind_records=False,
)
S13_NOTES = notes(
    DISTRICT_LEVEL_ZH
    + "街道、社区主办且不在四馆一院举办的线上活动只计入全区口径的T02。"
    + ONLINE_ZH,
    DISTRICT_LEVEL_EN + " Online activities of subdistricts and communities not held at one of "
    "those venues count only for the whole-district T02. " + ONLINE_EN,
    kind_records=False,
)
S14_NOTES = notes(
    "“公共图书馆、文化馆、博物馆等”按全区合计：全区各级主办单位登记的项目都计入。"
    "一条“主题数字服务项目”记录为一个项目。",
    "'Public libraries, culture centres, museums and others' is read as the whole district: "
    "projects recorded by any organiser count. One 'thematic digital project' record is one "
    "project.",
)

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        id="T01",
        clause="二、（一）3",
        quote_zh="全区年均开展线上服务不少于800场次",
        title_zh="全区线上服务每年不少于800场次",
        title_en="At least 800 online service sessions a year in the district",
        levels=(DISTRICT,),
        unit=COUNT,
        thresholds={DISTRICT: yearly(800)},
        owner_zh="区文旅局（区图书馆、区文化馆、区博物馆、非遗馆）",
        owner_en="District culture and tourism bureau (district library, culture centre, "
        "museums, heritage hall)",
        definition_zh="当年全区各级主办单位的线上服务场次：“线上服务”记录按其“服务场次”计"
        "（一条记录可为一个系列），其他线上活动每条计1场。",
        definition_en="Online service sessions of the year, organised by any unit in the "
        "district: an 'online service' record counts its number of sessions (a record may be "
        "a series), any other online activity counts one.",
        calculator=counts.online_sessions,
        report_fields=(ReportField("value", "线上服务场次", "Online service sessions"),),
        notes_zh=T01_NOTES[0],
        notes_en=T01_NOTES[1],
    ),
    Indicator(
        id="T02",
        clause="二、（一）3",
        quote_zh="线上服务群众不少于100万人次",
        title_zh="全区线上服务群众每年不少于100万人次",
        title_en="At least 1,000,000 online person-times a year in the district",
        levels=(DISTRICT,),
        unit=PERSON_TIMES,
        thresholds={DISTRICT: yearly(1_000_000)},
        owner_zh="区文旅局",
        owner_en="District culture and tourism bureau",
        definition_zh="当年全区各级主办单位全部线上活动的参与人次之和（线上服务按其模块的计数规则"
        "填报人次）。",
        definition_en="Person-times of every online activity of the year organised by any unit "
        "in the district (online services count person-times by their module's rule).",
        calculator=counts.online_person_times,
        report_fields=(ReportField("value", "线上服务人次", "Online person-times", PERSON_TIMES),),
        notes_zh=T02_NOTES[0],
        notes_en=T02_NOTES[1],
    ),
    Indicator(
        id="S13",
        clause="附件 13",
        quote_zh="区级公共文化机构年线上服务群众100万人次以上",
        title_zh="区级公共文化机构年线上服务群众100万人次以上",
        title_en="District-level public culture institutions: 1,000,000 online person-times a year",
        levels=(DISTRICT,),
        unit=PERSON_TIMES,
        thresholds={DISTRICT: yearly(1_000_000)},
        owner_zh="区级公共文化机构（区图书馆、区文化馆、京杭大运河博物馆、非遗文献馆、运河大剧院）",
        owner_en="District-level public culture institutions (district library, culture centre, "
        "Grand Canal Museum, heritage literature hall, canal grand theatre)",
        definition_zh="当年区级公共文化机构线上活动的参与人次之和：主办单位为区本级，或活动场馆为"
        "区运营的四馆一院的线上活动。",
        definition_en="Person-times of the year's online activities of the district-level "
        "institutions: organised by the district unit itself, or held at one of the five "
        "district venues run by the district.",
        calculator=counts.district_online_person_times,
        report_fields=(
            ReportField(
                "value",
                "区级公共文化机构线上服务人次",
                "District-level online person-times",
                PERSON_TIMES,
            ),
        ),
        notes_zh=S13_NOTES[0],
        notes_en=S13_NOTES[1],
    ),
    Indicator(
        id="S14",
        clause="附件 14",
        quote_zh="公共图书馆、文化馆、博物馆等每年开展主题性数字服务项目24项以上",
        title_zh="主题性数字服务项目每年24项以上",
        title_en="At least 24 thematic digital service projects a year",
        levels=(DISTRICT,),
        unit=COUNT,
        thresholds={DISTRICT: yearly(24)},
        owner_zh="区图书馆、区文化馆、区博物馆",
        owner_en="District library, culture centre and museums",
        definition_zh="当年全区各级主办单位类型为“主题数字服务项目”的活动项数。",
        definition_en="Activities of kind 'thematic digital project' of the year, organised by "
        "any unit in the district.",
        calculator=counts.digital_projects,
        report_fields=(ReportField("value", "主题性数字服务项目数", "Thematic digital projects"),),
        notes_zh=S14_NOTES[0],
        notes_en=S14_NOTES[1],
    ),
)
