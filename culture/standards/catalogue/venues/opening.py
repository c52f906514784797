"""Opening-hours rules: weekly hours by venue tier (S20, S21), off-peak, evening and holiday
opening (S22), the off-peak share (S23), public sports facilities (S25)."""

from __future__ import annotations

from culture.standards.calculators.venues import opening as calc
from culture.standards.catalogue.types import (
    FLAG,
    HOURS,
    SHARE,
    VENUE,
    Indicator,
    always,
)
from culture.standards.catalogue.venues.facilities import BUREAU_EN, BUREAU_ZH
from culture.standards.catalogue.venues.records import ROLLUP_EN, ROLLUP_ZH
from culture.venues.models import VenueKind as K

HOURS_ZH = (
    "开放时间按场馆登记的开放时间（OpenStreetMap 格式）以评估年份的真实日历（含法定节假日、调休）重新计算；"
    "未登记开放时间的场馆为“无数据”。"
)
HOURS_EN = (
    "Hours are recomputed from the venue's opening hours (OpenStreetMap syntax) on the "
    "evaluated year's real calendar (public holidays, adjusted working days); a venue with no "
    "opening hours has no data."
)
WEEK_ZH = "每周开放时间取该年 3 月起第一个无节假日、无调休的完整周（周一至周日）。"
WEEK_EN = (
    "Weekly hours are those of the year's first ordinary week from March (Monday to Sunday, "
    "no holiday, no adjusted working day)."
)
OFFPEAK_ZH = (
    "错时开放按命名定义“工作日核心时段”（默认 09:00–17:00）计算：工作日核心时段之外的开放时间，"
    "以及周末、法定节假日的全部开放时间；调休上班日按工作日。"
)
OFFPEAK_EN = (
    "Off-peak follows the named definition of the working-day core hours (default "
    "09:00-17:00): open time outside them on working days, and all open time on weekends and "
    "public holidays; adjusted working days count as working days."
)

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        id="S20",
        clause="附件 20",
        quote_zh="区图书馆、街道分馆、社区阅览室每周开放时间分别达到60小时、48小时和40小时以上。",
        title_zh="图书馆每周开放：区馆60小时、分馆48小时、社区阅览室40小时",
        title_en="Weekly opening: district library 60 h, branches 48 h, reading rooms 40 h",
        levels=(VENUE,),
        unit=HOURS,
        thresholds={
            K.LIBRARY.value: always(60),
            K.BRANCH_LIBRARY.value: always(48),
            K.READING_ROOM.value: always(40),
        },
        owner_zh="区图书馆、各街道办事处、各社区",
        owner_en="District library; subdistrict offices; communities",
        definition_zh="每个开放的图书馆、图书馆分馆、社区阅览室的每周开放小时数，按场馆类型对照 60、48、40 小时。",
        definition_en="Weekly open hours of each open library, library branch and community "
        "reading room, against 60, 48 and 40 hours by kind.",
        calculator=calc.weekly_hours_libraries,
        notes_zh=f"“以上”读作不少于。{WEEK_ZH}{HOURS_ZH}{ROLLUP_ZH}",
        notes_en=f"'Above' is read as at least. {WEEK_EN} {HOURS_EN} {ROLLUP_EN}",
    ),
    Indicator(
        id="S21",
        clause="附件 21",
        quote_zh="文化馆、街道综合文化站和社区文化服务中心（社区文化家园）每周开放时间分别达到60小时、"
        "48小时和40小时以上。",
        title_zh="每周开放：文化馆60小时、文化站48小时、社区文化家园40小时",
        title_en="Weekly opening: culture centre 60 h, culture stations 48 h, community centres "
        "40 h",
        levels=(VENUE,),
        unit=HOURS,
        thresholds={
            K.CULTURE_CENTRE.value: always(60),
            K.CULTURE_STATION.value: always(48),
            K.COMMUNITY_CENTRE.value: always(40),
        },
        owner_zh="区文化馆、各街道办事处、各社区",
        owner_en="District culture centre; subdistrict offices; communities",
        definition_zh="每个开放的文化馆、综合文化站、社区文化家园的每周开放小时数，按场馆类型对照 60、48、40 小时。",
        definition_en="Weekly open hours of each open culture centre, culture station and "
        "community culture centre, against 60, 48 and 40 hours by kind.",
        calculator=calc.weekly_hours_culture,
        notes_zh=f"“以上”读作不少于。{WEEK_ZH}{HOURS_ZH}{ROLLUP_ZH}",
        notes_en=f"'Above' is read as at least. {WEEK_EN} {HOURS_EN} {ROLLUP_EN}",
    ),
    Indicator(
        id="S22",
        clause="附件 22",
        quote_zh="公共文化场馆实现错时开放、延时开放、夜间开放。国家法定节假日和寒暑假期间应适当延长开放时间。",
        title_zh="错时、延时、夜间开放；节假日和寒暑假延长开放",
        title_en="Off-peak, extended and evening opening; longer hours on holidays",
        levels=(VENUE,),
        unit=FLAG,
        thresholds={VENUE: always(1)},
        owner_zh=BUREAU_ZH,
        owner_en=BUREAU_EN,
        definition_zh="每个开放的公共文化场馆（图书馆、文化馆、博物馆、非遗馆、剧院、综合文化站、社区文化家园）"
        "同时满足四项为“是”：①全年有错时开放时间；②工作日有核心时段结束之后的开放时间（延时、夜间）；"
        "③休息日（周末、法定节假日）平均每天开放时长不少于工作日；④寒暑假中每个星期几的平均开放时长"
        "不少于学期中同一星期几（只比普通日子：周一至周五的工作日、周六周日的休息日；节假日和调休日"
        "由第③项评判）。",
        definition_en="Each open public culture venue (library, culture centre, museum, heritage "
        "hall, theatre, culture station, community culture centre) meets it when all four hold: "
        "(1) some off-peak opening in the year; (2) working-day opening after the core hours "
        "end (extended, evening); (3) rest days (weekends, public holidays) open at least as "
        "long per day on average as working days; (4) in school holidays each weekday opens at "
        "least as long on average as the same weekday in term (ordinary days only: working "
        "Monday-Friday, weekend Saturday-Sunday; public holidays and adjusted working days are "
        "judged by (3)).",
        calculator=calc.offpeak_and_holidays,
        uses_definitions=("offpeak_start", "offpeak_end", "school_terms"),
        notes_zh=f"{OFFPEAK_ZH}“适当延长”读作不短于平日（平日已长时间开放的不强求更长）。寒暑假为命名定义"
        "“中小学学期”之外的日子；该年没有学期数据时第④项无法判断，其余三项都满足时为“无数据”。"
        "博物馆、非遗馆（及美术馆）的夜间服务按附件 23 以定期推出的服务项目为准，第②项不要求。"
        f"{HOURS_ZH}{ROLLUP_ZH}",
        notes_en=f"{OFFPEAK_EN} 'Extend appropriately' is read as not shorter than ordinary "
        "days (a venue already open long hours need not open longer). School holidays are the "
        "days outside the named school terms; with no term for the year check (4) cannot be "
        "judged, and a venue passing the other three has no data. Museums and heritage halls "
        "offer evening service as periodic projects (annex 23), so (2) does not apply to them. "
        f"{HOURS_EN} {ROLLUP_EN}",
    ),
    Indicator(
        id="S23",
        clause="附件 23",
        quote_zh="图书馆（含分馆、城市书房）、文化馆错时（夜间）开放时间占比不低于三分之一。",
        title_zh="图书馆（含分馆、城市书房）、文化馆错时开放占比不低于1/3",
        title_en="Libraries (branches, bookrooms) and culture centre: off-peak share at least 1/3",
        levels=(VENUE,),
        unit=SHARE,
        thresholds={VENUE: always(1 / 3)},
        owner_zh="区图书馆、区文化馆",
        owner_en="District library; district culture centre",
        definition_zh="每个开放的图书馆、图书馆分馆、城市书房、文化馆：全年错时开放小时 ÷ 全年开放小时。",
        definition_en="Each open library, library branch, city bookroom and culture centre: "
        "off-peak open hours of the year / open hours of the year.",
        calculator=calc.offpeak_share,
        uses_definitions=("offpeak_start", "offpeak_end"),
        notes_zh=f"{OFFPEAK_ZH}按当前定义重新计算，不用场馆保存时的旧值。博物馆、美术馆“定期推出错时（夜间）服务项目”"
        f"无门槛，不在此评判。{HOURS_ZH}{ROLLUP_ZH}",
        notes_en=f"{OFFPEAK_EN} Recomputed with the current definition, not the value stored at "
        "the venue's last save. Museums' and galleries' periodic evening projects have no "
        f"threshold and are not judged here. {HOURS_EN} {ROLLUP_EN}",
    ),
    Indicator(
        id="S25",
        clause="附件 25",
        quote_zh="公共体育设施应当免费或低收费向公众开放，每周不少于70小时，全年不少于330天（低收费指不高于"
        "当地市场价格的70%）；公休日、学校寒暑假期间，平均每天免费或低收费开放时间不少于12小时；"
        "法定节假日和全民健身日应当免费向社会开放。",
        title_zh="公共体育设施每周70小时、全年330天、休息日和寒暑假每天12小时",
        title_en="Public sports facilities: 70 h a week, 330 days a year, 12 h a day on rest days "
        "and school holidays",
        levels=(VENUE,),
        unit=FLAG,
        thresholds={VENUE: always(1)},
        owner_zh=f"{BUREAU_ZH}（体育）、各街道办事处",
        owner_en=f"{BUREAU_EN} (sports); subdistrict offices",
        definition_zh="每个开放的全民健身中心、球场、社区运动场地、健身房、百姓健身房同时满足为“是”：免费或低收费；"
        "每周开放不少于 70 小时；全年开放不少于 330 天；休息日（周末、法定节假日）平均每天不少于 12 小时；"
        "寒暑假平均每天不少于 12 小时；收费的须在法定节假日和全民健身日免费。",
        definition_en="Each open fitness centre, court, sports ground, gym and public gym meets "
        "it when all hold: free or low fee; at least 70 open hours a week; open at least 330 "
        "days a year; at least 12 hours a day on average on rest days (weekends, public "
        "holidays) and in school holidays; if it charges, free on public holidays and National "
        "Fitness Day.",
        calculator=calc.sports_opening,
        uses_definitions=("school_terms",),
        notes_zh="低收费以场馆登记为准（登记时校验不高于市场价的 70%）。学校体育场地另由附件 26 评判。"
        "寒暑假为命名定义“中小学学期”之外的日子；该年没有学期数据时该项无法判断，其余都满足时为“无数据”。"
        f"{WEEK_ZH}{HOURS_ZH}{ROLLUP_ZH}",
        notes_en="Low fee is the registry's fee policy (checked at entry: at most 70 % of the "
        "market price). School grounds are judged by annex 26. School holidays are the days "
        "outside the named school terms; with no term for the year that check cannot be "
        f"judged, and a facility passing the rest has no data. {WEEK_EN} {HOURS_EN} "
        f"{ROLLUP_EN}",
    ),
)
