"""Films (S32), mobile services (S45), cultural exchange visits (S46) and international
exchange (S49)."""

from __future__ import annotations

from typing import Any

from culture.standards.calculators.activities import counts, outreach
from culture.standards.catalogue.activities.common import (
    DISTRICT_LEVEL_EN,
    DISTRICT_LEVEL_ZH,
    notes,
    share_of_reported,
    yearly,
)
from culture.standards.catalogue.types import (
    BOOKS,
    COUNT,
    DISTRICT,
    SHARE,
    Indicator,
    ReportField,
    always,
)


def s32_from_reported(fields: dict[str, float], unit: Any) -> float | None:
    return share_of_reported(
        fields,
        {
            "patriotic_fewest_per_term": outreach.PATRIOTIC_PER_TERM,
            "new_domestic_share": outreach.NEW_DOMESTIC_SHARE,
        },
    )


def s45_from_reported(fields: dict[str, float], unit: Any) -> float | None:
    return share_of_reported(
        fields,
        {
            "books": outreach.BOOKS,
            "mobile_performances": outreach.MOBILE_PERFORMANCES,
            "mobile_exhibitions": outreach.MOBILE_EXHIBITIONS,
        },
        {"fewest_circulations_per_branch": outreach.CIRCULATIONS_PER_BRANCH},
    )


S32_NOTES = notes(
    "两项要求，数值为达到的比例（两项都达到为100%）。“每学期2次”按全区合计读（平台不记录每所学校、"
    "每名学生）。学期按“中小学学期”定义：每个学期在其结束的年度评判一次，学期内（可跨年）的放映都"
    "计入；本年度尚无已结束的学期时只评判第二项；没有覆盖本年度的学期定义时为无数据。新片按"
    "“新片：上映后年数”（默认2年）：国产影片且放映日不晚于院线上映日后满该年数之日（首映、点映等"
    "早于上映日的也算）；电影放映与其他活动一样计到评估截止日所在月末。当年没有电影放映时第二项"
    "不达标。全区在已评判学期内没有爱国主义电影放映、当年也没有电影放映时为无数据。",
    "Two requirements; the value is the share met (100 % when both are). 'Two per term' is "
    "read for the whole district (the platform keeps no record per school or pupil). Terms come "
    "from the 'school terms' definition: each term is judged once, in the year it ends, "
    "counting its screenings even across the new year; while no term of the year has ended "
    "only the second requirement is judged; no term covering the year gives no data. A new "
    "film is a domestic one shown no later than the 'new film years' (default 2) after its "
    "cinema release (premieres before release count); like every activity, screenings count "
    "to the end of the month of the evaluation date. No community screening in the year fails "
    "the second requirement. No patriotic screening in the judged terms and no community "
    "screening in the year gives no data.",
    kind_records=False,
)
S45_NOTES = notes(
    "四项要求，数值为达到的比例（四项都达到为100%）。"
    + DISTRICT_LEVEL_ZH
    + "城区的“送书下乡”读作送书下基层（与二、（五）2“年送图书下基层1.3万册以上”一致），"
    "“册次”为区级“送书下基层”活动登记的册数之和；区级“送书下基层”活动登记在某个开放的图书馆"
    "分馆，计为对该街道图书馆流通一次（数值为最少的一个分馆）；流动演出由文化馆指导街道分馆开展，"
    "全区各级主办的都计入；流动展览只计区级。没有登记图书馆分馆时第二项不适用。"
    "全区当年没有这三类活动的任何记录时为无数据。",
    "Four requirements; the value is the share met (100 % when all are). "
    + DISTRICT_LEVEL_EN
    + " In the city 'books to the countryside' is read as books to the grassroots (as in "
    "2.5.2, 13,000 books a year): the books of district-level 'books to grassroots' activities "
    "are summed; such an activity recorded at an open branch library is one circulation to that "
    "subdistrict library (the value is the branch with the fewest); mobile performances are "
    "given by the subdistrict branches under the culture centre's guidance, so every organiser "
    "counts; mobile exhibitions count at district level only. With no branch library "
    "registered the second requirement does not apply. No activity of the three kinds in the "
    "year gives no data.",
    kind_records=False,
)
S46_NOTES = notes(DISTRICT_LEVEL_ZH, DISTRICT_LEVEL_EN)
S49_NOTES = notes(
    "“培育……不少于2个（项）”是存量要求，自2023年起评判：开放的“国际文化交流基地”场馆（按登记册"
    "当前状态），加上当年“国际文化交流”活动，每条活动记录计一个项目（同一项目的多次活动请登记为"
    "一条或只登记一次）。两者都没有记录时为无数据。",
    "'Cultivate at least 2 bases or projects' is a stock, judged from 2023: open venues of kind "
    "'international exchange base' (as the registry stands) plus the year's international "
    "exchange activities, each record one project (record a project's several events once). "
    "Neither recorded gives no data.",
    yearly_count=False,
    kind_records=False,
)

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        id="S32",
        clause="附件 32",
        quote_zh="为中小学生每学期提供2次爱国主义教育影片观影。为社区群众提供数字电影放映服务，"
        "其中国产新片（院线上映不超过两年）比例不少于1/3",
        title_zh="中小学生每学期2次爱国主义教育观影；社区电影放映国产新片不少于1/3",
        title_en="Two patriotic films per school term for pupils; at least 1/3 new domestic "
        "films in community screenings",
        levels=(DISTRICT,),
        unit=SHARE,
        thresholds={DISTRICT: yearly(1.0)},
        owner_zh="区文旅局",
        owner_en="District culture and tourism bureau",
        definition_zh="两项要求中达到的比例：(1) 在本年度结束的每个学期内，全区“中小学生爱国主义"
        "电影放映”不少于2场；(2) 当年“电影放映”中国产新片的占比不少于1/3。",
        definition_en="The share of two requirements met: (1) in every school term ending in "
        "the year, at least 2 patriotic film screenings for pupils in the district; (2) of the "
        "year's community film screenings, at least 1/3 new domestic films.",
        uses_definitions=("school_terms", "new_film_years"),
        calculator=outreach.films,
        report_fields=(
            ReportField(
                "patriotic_fewest_per_term",
                "爱国主义教育影片放映场次（最少的一个学期）",
                "Patriotic screenings in the term with the fewest",
            ),
            ReportField(
                "new_domestic_share", "国产新片放映占比", "Share of new domestic films", SHARE
            ),
        ),
        value_from_reported=s32_from_reported,
        notes_zh=S32_NOTES[0],
        notes_en=S32_NOTES[1],
    ),
    Indicator(
        id="S45",
        clause="附件 45",
        quote_zh="区级图书馆每年组织送书下乡不少于1.3万册次，对街道图书馆每年图书流通不少于4次。"
        "文化馆每年指导街道分馆开展流动演出不少于24场，区级文化场馆开展流动展览不少于12场",
        title_zh="流动服务：送书1.3万册次、每个街道图书馆流通4次、流动演出24场、流动展览12场",
        title_en="Mobile services: 13,000 books out, 4 circulations per subdistrict library, 24 "
        "mobile performances, 12 mobile exhibitions",
        levels=(DISTRICT,),
        unit=SHARE,
        thresholds={DISTRICT: yearly(1.0)},
        owner_zh="区图书馆、区文化馆、区级文化场馆",
        owner_en="District library, district culture centre, district-level venues",
        definition_zh="四项要求中达到的比例：(1) 区级送书下基层不少于13000册次；(2) 每个图书馆分馆"
        "当年接收区级送书不少于4次；(3) 全区流动演出不少于24场；(4) 区级流动展览不少于12场。",
        definition_en="The share of four requirements met: (1) at least 13,000 books sent to "
        "the grassroots by the district level; (2) every branch library supplied by the district "
        "level at least 4 times; (3) at least 24 mobile performances in the district; (4) at "
        "least 12 mobile exhibitions by the district level.",
        calculator=outreach.mobile_services,
        report_fields=(
            ReportField("books", "区级送书下基层册次", "Books sent to the grassroots", BOOKS),
            ReportField(
                "fewest_circulations_per_branch",
                "街道图书馆图书流通次数（最少的一个分馆）",
                "Circulations to the branch library with the fewest",
            ),
            ReportField("mobile_performances", "流动演出场次", "Mobile performances"),
            ReportField("mobile_exhibitions", "区级流动展览场次", "Mobile exhibitions"),
        ),
        value_from_reported=s45_from_reported,
        notes_zh=S45_NOTES[0],
        notes_en=S45_NOTES[1],
    ),
    Indicator(
        id="S46",
        clause="附件 46",
        quote_zh="区级文化场馆每年组织开展文化走亲10次以上",
        title_zh="区级文化场馆每年组织文化走亲10次以上",
        title_en="District venues: at least 10 cultural exchange visits a year",
        levels=(DISTRICT,),
        unit=COUNT,
        thresholds={DISTRICT: yearly(10)},
        owner_zh="区级文化场馆（区文化馆、区图书馆等）",
        owner_en="District-level venues (culture centre, library and others)",
        definition_zh="当年区级（区本级主办或在区运营的四馆一院举办）的“文化走亲”活动次数。",
        definition_en="Activities of kind 'cultural exchange visit' of the year at district "
        "level (organised by the district unit or held at a district venue).",
        calculator=counts.exchange_visits,
        report_fields=(ReportField("value", "文化走亲次数", "Cultural exchange visits"),),
        notes_zh=S46_NOTES[0],
        notes_en=S46_NOTES[1],
    ),
    Indicator(
        id="S49",
        clause="附件 49",
        quote_zh="培育国际交流基地或国际交流项目不少于2个（项）",
        title_zh="国际交流基地或国际交流项目不少于2个（项）",
        title_en="At least 2 international exchange bases or projects",
        levels=(DISTRICT,),
        unit=COUNT,
        thresholds={DISTRICT: always(2)},
        owner_zh="区文旅局",
        owner_en="District culture and tourism bureau",
        definition_zh="开放的“国际文化交流基地”场馆数，加上当年“国际文化交流”活动数（每条计一个"
        "项目）。",
        definition_en="Open venues of kind 'international exchange base' plus the year's "
        "international exchange activities (each one project).",
        calculator=counts.international_exchange,
        report_fields=(
            ReportField(
                "value", "国际交流基地和项目数", "International exchange bases and projects"
            ),
        ),
        notes_zh=S49_NOTES[0],
        notes_en=S49_NOTES[1],
    ),
)
