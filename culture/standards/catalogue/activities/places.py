"""Activities counted by where they were held: S27 performances delivered to the subdistricts,
and the venue-level S28 (state-owned theatre), S30 (main/branch joint services), S31
(exhibitions)."""

from __future__ import annotations

from culture.standards.calculators.activities import venues
from culture.standards.catalogue.activities.common import notes, yearly
from culture.standards.catalogue.types import (
    COUNT,
    DISTRICT,
    SUBDISTRICT,
    VENUE,
    Indicator,
    ReportField,
)

ROLL_UP_ZH = "场馆级指标：各区、街道、社区显示其辖区内（按场馆所在社区）适用场馆中达标的比例。"
ROLL_UP_EN = (
    "A venue-level rule: each district, subdistrict and community shows the share of the "
    "venues it applies to, located in the unit, that meet it."
)

S27_NOTES = notes(
    "“平均”按全区平均读：区级结果（全区送演出总场数÷街道数）是政策的判定；街道结果把送到本街道的"
    "场数对照同一个5场，显示哪些街道拉低了平均。每场计入举办地：活动场馆所在社区的街道（场馆无"
    "位置时按场馆运营单位），没有场馆的按主办单位；区本级主办又没有场馆的只计入全区合计。",
    "'On average' is read across the district: the district result (every delivered "
    "performance / number of subdistricts) is the policy's verdict; each subdistrict's own count "
    "is shown against the same 5 to show which pull the average down. A performance counts "
    "where it was held: the subdistrict of its venue's location (else of the venue's operator), "
    "else of its organiser; one organised by the district unit with no venue counts only in the "
    "district total.",
)
S28_NOTES = notes(
    "适用于开放、登记为国有的剧院。在该剧院举办的“剧院公益演出”类活动都计入，不论主办单位。"
    + ROLL_UP_ZH,
    "Applies to open theatres registered as state-owned. Every activity of kind 'public-benefit "
    "event at the theatre' held at the theatre counts, whoever organised it. " + ROLL_UP_EN,
)
S30_NOTES = notes(
    "“各不少于6次”读作图书馆总分馆、文化馆总分馆两个体系各自每年不少于6次，按活动登记的“总分馆"
    "体系”区分，在各体系的总馆（区运营的图书馆、文化馆）上判定。月汇总表按体系分列，与其他活动"
    "一样计到评估截止日所在月末。" + ROLL_UP_ZH,
    "'At least 6 each' is read as the library system and the culture-centre system each at "
    "least 6 a year, told apart by the activity's branch system and judged at the system's main "
    "venue (the district library, the district culture centre). The month summaries keep the "
    "system apart; like every activity, counted to the end of the month of the evaluation "
    "date. " + ROLL_UP_EN,
)
S31_NOTES = notes(
    "“区级公共文化场馆”为区运营的四馆一院（图书馆、文化馆、博物馆、非遗馆、大剧院，大剧院按字面"
    "也计入）及区运营的美术馆；街道综合文化站不论运营单位。在该场馆举办的“展览”类活动都计入，"
    "不论主办单位；流动展览不计（见S45）。" + ROLL_UP_ZH,
    "District-level venues are the five district venues run by the district (library, culture "
    "centre, museum, heritage hall and, by the letter, the theatre) and art galleries run by "
    "the district; every culture station counts whoever runs it. Every activity of kind "
    "'exhibition' held at the venue counts, whoever organised it; mobile exhibitions do not "
    "(S45). " + ROLL_UP_EN,
)

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        id="S27",
        clause="附件 27",
        quote_zh="每年为每个街道送演出平均5场以上",
        title_zh="每年为每个街道送演出平均5场以上",
        title_en="At least 5 performances delivered to each subdistrict a year on average",
        levels=(DISTRICT, SUBDISTRICT),
        unit=COUNT,
        thresholds={DISTRICT: yearly(5), SUBDISTRICT: yearly(5)},
        owner_zh="区文旅局、区文化馆",
        owner_en="District culture and tourism bureau, district culture centre",
        definition_zh="类型为“送演出”的活动。区：全区当年送演出总场数÷街道数；街道：当年送到本街道"
        "（按举办地）的场数。",
        definition_en="Activities of kind 'performance delivered'. District: all of the year "
        "divided by the number of subdistricts; subdistrict: those held in it in the year.",
        calculator=venues.performances_delivered,
        report_fields=(
            ReportField(
                "value",
                "送演出场次（区填：各街道平均）",
                "Performances delivered (district: average per subdistrict)",
            ),
        ),
        notes_zh=S27_NOTES[0],
        notes_en=S27_NOTES[1],
    ),
    Indicator(
        id="S28",
        clause="附件 28",
        quote_zh="国有剧院每年举办公益性活动12场以上",
        title_zh="国有剧院每年举办公益性活动12场以上",
        title_en="State-owned theatres: at least 12 public-benefit events a year",
        levels=(VENUE,),
        unit=COUNT,
        thresholds={"theatre": yearly(12)},
        owner_zh="运河大剧院（国有剧院）",
        owner_en="Canal grand theatre (state-owned theatres)",
        definition_zh="每个开放的国有剧院当年在该剧院举办的“剧院公益演出”类活动场数。",
        definition_en="Per open state-owned theatre: activities of kind 'public-benefit event at "
        "the theatre' held there in the year.",
        calculator=venues.theatre_public_benefit,
        notes_zh=S28_NOTES[0],
        notes_en=S28_NOTES[1],
    ),
    Indicator(
        id="S30",
        clause="附件 30",
        quote_zh="图书馆、文化馆总分馆开展联动服务每年各不少于 6次",
        title_zh="图书馆、文化馆总分馆联动服务每年各不少于6次",
        title_en="Library and culture-centre main/branch systems: at least 6 joint services "
        "each a year",
        levels=(VENUE,),
        unit=COUNT,
        thresholds={"library": yearly(6), "culture_centre": yearly(6)},
        owner_zh="区图书馆、区文化馆",
        owner_en="District library, district culture centre",
        definition_zh="图书馆总分馆、文化馆总分馆体系各自当年的“总分馆联动服务”次数，在体系总馆上"
        "判定。",
        definition_en="Joint services of the year of the library system and of the "
        "culture-centre system, each judged at its main venue.",
        calculator=venues.joint_services,
        notes_zh=S30_NOTES[0],
        notes_en=S30_NOTES[1],
    ),
    Indicator(
        id="S31",
        clause="附件 31",
        quote_zh="区级公共文化场馆每年举办展览展示6次以上，街道综合文化站每年举办展览展示2次以上",
        title_zh="展览展示：区级场馆每年6次以上，街道综合文化站每年2次以上",
        title_en="Exhibitions: district venues at least 6 a year, culture stations at least 2",
        levels=(VENUE,),
        unit=COUNT,
        thresholds={"district_venue": yearly(6), "culture_station": yearly(2)},
        owner_zh="区级公共文化场馆、各街道综合文化站",
        owner_en="District-level venues, subdistrict culture stations",
        definition_zh="每个开放场馆当年在该场馆举办的“展览”类活动次数：区级公共文化场馆不少于6次，"
        "街道综合文化站不少于2次。",
        definition_en="Per open venue: activities of kind 'exhibition' held there in the year; "
        "district-level venues at least 6, culture stations at least 2.",
        calculator=venues.exhibitions,
        notes_zh=S31_NOTES[0],
        notes_en=S31_NOTES[1],
    ),
)
