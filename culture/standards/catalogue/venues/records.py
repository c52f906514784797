"""Rules on each venue's record: grades and titles, boards of trustees, platforms, Wi-Fi, the
social-security card, blind reading, ticket waivers, school grounds, special groups; the
culture centre's digital resources (attested) and the annual reports (reported)."""

from __future__ import annotations

from culture.standards.calculators.venues import flags as calc
from culture.standards.catalogue.types import (
    ATTEST,
    DISTRICT,
    FLAG,
    VENUE,
    Indicator,
    ReportField,
    always,
    steps,
)
from culture.standards.catalogue.venues.facilities import BUREAU_EN, BUREAU_ZH

ROLLUP_ZH = "每个场馆判“是/否”；区、街道、社区显示其辖区内（按所在社区）适用场馆的达标比例，全部达标才算达标。"
ROLLUP_EN = (
    "Each venue is judged yes or no; the district, subdistricts and communities show the share "
    "of the applicable venues standing in them that meet it, and meet it only when all do."
)
OPEN_ONLY_ZH = "只计状态为“开放”的场馆。"
OPEN_ONLY_EN = "Only venues with status open count."
DISTRICT_INST_ZH = (
    "“区级”读作运营单位为区本级。区一级：每类场馆都已登记且全部达标为“是”，任一不达标为“否”；"
    "某类场馆尚未登记而其余达标时为“无数据”（S01 报告缺失的场馆）。"
)
DISTRICT_INST_EN = (
    "'District' is read as run by the district unit itself. District row: yes when every "
    "kind is registered and all meet it, no when any fails; no data when none fails but a "
    "kind is not registered (S01 reports the missing venue)."
)


def _annual_reports(fields: dict[str, float], unit: object) -> float | None:
    keys = ("library_report", "culture_centre_report", "museum_report")
    if any(k not in fields for k in keys):
        return None
    return 1.0 if all(fields[k] >= 1 for k in keys) else 0.0


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        id="T05",
        clause="二、（三）2",
        quote_zh="2025年，区文化馆、区图书馆复评达到国家一级馆标准，文化馆达“幸福文化馆”标准，"
        "图书馆达“满意图书馆”标准。",
        title_zh="区文化馆、图书馆国家一级馆，“幸福文化馆”“满意图书馆”",
        title_en="District culture centre and library national grade 1; 'happy culture centre' "
        "and 'satisfying library'",
        levels=(DISTRICT, VENUE),
        unit=FLAG,
        thresholds={DISTRICT: steps((2025, 1)), VENUE: steps((2025, 1))},
        owner_zh="区图书馆、区文化馆",
        owner_en="District library; district culture centre",
        definition_zh="区运营的开放图书馆：等级为国家一级且为“满意图书馆”；区运营的开放文化馆：等级为国家一级"
        "且为“幸福文化馆”。每馆判“是/否”，区一级两馆都达标为“是”。",
        definition_en="The open library run by the district: national grade 1 and 'satisfying "
        "library'; the open culture centre run by the district: national grade 1 and 'happy "
        "culture centre'. Each venue yes or no; the district yes when both are.",
        calculator=calc.grade_one_and_titles,
        notes_zh=f"2025 年起评判，此前只显示进度。{DISTRICT_INST_ZH}与 S02 部分重合，各自保留。",
        notes_en=f"Judged from 2025; earlier years show progress. {DISTRICT_INST_EN} Overlaps "
        "S02 in part; each keeps its own.",
    ),
    Indicator(
        id="T09",
        clause="二、（四）3",
        quote_zh="到2025年，公共文化场馆实现社保卡一卡通全覆盖。",
        title_zh="公共文化场馆社保卡一卡通全覆盖",
        title_en="The social-security card accepted at every public culture venue by 2025",
        levels=(VENUE,),
        unit=FLAG,
        thresholds={VENUE: steps((2025, 1))},
        owner_zh=f"{BUREAU_ZH}、区人力资源和社会保障局",
        owner_en=f"{BUREAU_EN}; District Human Resources and Social Security Bureau",
        definition_zh="图书馆、文化馆、博物馆、非遗馆、剧院、街道综合文化站、社区文化家园（公共文化场馆）"
        "中，登记为“社保卡一卡通”的比例。",
        definition_en="Of the public culture venues (library, culture centre, museum, heritage "
        "hall, theatre, culture stations, community culture centres), the share that accept "
        "the social-security card.",
        calculator=calc.ssc_card,
        notes_zh=f"“公共文化场馆”取平台的公共文化场馆类型（十五分钟文化圈的必备场馆）。2025 年起评判。"
        f"{ROLLUP_ZH}{OPEN_ONLY_ZH}",
        notes_en="'Public culture venues' are the platform's public-culture-venue kinds (the "
        f"essential venues of the 15-minute circle). Judged from 2025. {ROLLUP_EN} "
        f"{OPEN_ONLY_EN}",
    ),
    Indicator(
        id="T13",
        clause="二、（六）1",
        quote_zh="文化馆、图书馆、博物馆、美术馆理事会实现全覆盖。",
        title_zh="文化馆、图书馆、博物馆、美术馆理事会全覆盖",
        title_en="Boards of trustees at every library, culture centre, museum and gallery",
        levels=(VENUE,),
        unit=FLAG,
        thresholds={VENUE: always(1)},
        owner_zh=BUREAU_ZH,
        owner_en=BUREAU_EN,
        definition_zh="区运营的开放文化馆、图书馆、博物馆、美术馆中，登记有理事会的比例。",
        definition_en="Of the open culture centres, libraries, museums and galleries run by "
        "the district, the share with a board of trustees.",
        calculator=calc.boards_of_trustees,
        notes_zh="条款属“公共机构法人治理改革”，读作区级公共文化机构（运营单位为区本级）；图书馆分馆、"
        f"社区办的小型博物馆不计。条文未写年份，按政策施行起评判。{ROLLUP_ZH}",
        notes_en="The clause is about the governance of public institutions: read as the "
        "district's own institutions (run by the district unit); library branches and small "
        "museums run by communities do not count. No year in the clause: judged from the "
        f"policy's start. {ROLLUP_EN}",
    ),
    Indicator(
        id="S02",
        clause="附件 2",
        quote_zh="区级公共图书馆、文化馆达到国家一级馆标准。",
        title_zh="区级公共图书馆、文化馆国家一级馆",
        title_en="District library and culture centre national grade 1",
        levels=(DISTRICT, VENUE),
        unit=FLAG,
        thresholds={DISTRICT: always(1), VENUE: always(1)},
        owner_zh="区图书馆、区文化馆",
        owner_en="District library; district culture centre",
        definition_zh="区运营的开放图书馆、文化馆，等级为国家一级为“是”；区一级两馆都达标为“是”。",
        definition_en="The open library and culture centre run by the district: yes when "
        "national grade 1; the district yes when both are.",
        calculator=calc.national_grade_one,
        notes_zh=DISTRICT_INST_ZH,
        notes_en=DISTRICT_INST_EN,
    ),
    Indicator(
        id="S10",
        clause="附件 10",
        quote_zh="公共图书馆、文化馆等入驻全省“浙里基本公共服务”数字化平台。",
        title_zh="图书馆、文化馆等入驻“浙里基本公共服务”平台",
        title_en="Libraries, culture centres etc. on the provincial basic-public-service platform",
        levels=(VENUE,),
        unit=FLAG,
        thresholds={VENUE: always(1)},
        owner_zh="区图书馆、区文化馆、区博物馆、区非遗馆",
        owner_en="District library, culture centre, museum and heritage hall",
        definition_zh="开放的图书馆、文化馆、博物馆、非遗馆中，登记为已接入“浙里基本公共服务”的比例。",
        definition_en="Of the open libraries, culture centres, museums and heritage halls, the "
        "share onboarded to 浙里基本公共服务.",
        calculator=calc.zheli_platform,
        notes_zh="“等”读作正文二、（一）1 列出的区级馆：图书馆、文化馆、博物馆、非遗馆；分馆随总馆入驻，"
        f"不单独计。{ROLLUP_ZH}{OPEN_ONLY_ZH}",
        notes_en="'Etc.' is read as the district institutions listed in the main text (2.1.1): "
        "library, culture centre, museum, heritage hall; branches join with their main "
        f"venue. {ROLLUP_EN} {OPEN_ONLY_EN}",
    ),
    Indicator(
        id="S11",
        clause="附件 11",
        quote_zh="公共文化场馆入驻“浙江智慧文化云”平台，公共文化服务数据实现无缝对接。",
        title_zh="公共文化场馆入驻“浙江智慧文化云”",
        title_en="Public culture venues on 浙江智慧文化云, data connected",
        levels=(VENUE,),
        unit=FLAG,
        thresholds={VENUE: always(1)},
        owner_zh=BUREAU_ZH,
        owner_en=BUREAU_EN,
        definition_zh="开放的公共文化场馆（图书馆、文化馆、博物馆、非遗馆、剧院、综合文化站、社区文化家园）中，"
        "登记为已接入“浙江智慧文化云”的比例。",
        definition_en="Of the open public culture venues (library, culture centre, museum, "
        "heritage hall, theatre, culture stations, community culture centres), the share on "
        "浙江智慧文化云.",
        calculator=calc.culture_cloud,
        notes_zh=f"“数据无缝对接”无法单独核对，与“入驻”合为一个登记项。{ROLLUP_ZH}{OPEN_ONLY_ZH}",
        notes_en="'Data connected' cannot be checked on its own: one registry flag covers "
        f"onboarding and connection. {ROLLUP_EN} {OPEN_ONLY_EN}",
    ),
    Indicator(
        id="S12",
        clause="附件 12",
        quote_zh="图书馆接入全国智慧图书馆管理系统平台、入驻“一键借阅”一体化平台、融媒体一体化平台，"
        "入驻率100%。",
        title_zh="图书馆接入智慧图书馆、一键借阅、融媒体平台",
        title_en="Libraries on the national smart-library, one-click-borrowing and media platforms",
        levels=(VENUE,),
        unit=FLAG,
        thresholds={VENUE: always(1)},
        owner_zh="区图书馆",
        owner_en="District library",
        definition_zh="开放的图书馆及图书馆分馆中，三个平台（全国智慧图书馆、一键借阅、融媒体）都已接入的比例。",
        definition_en="Of the open libraries and library branches, the share on all three "
        "platforms (national smart library, one-click borrowing, media platform).",
        calculator=calc.library_platforms,
        notes_zh=f"城市书房、社区阅览室为服务点，不单独计。{ROLLUP_ZH}{OPEN_ONLY_ZH}",
        notes_en="City bookrooms and reading rooms are service points and do not count on their "
        f"own. {ROLLUP_EN} {OPEN_ONLY_EN}",
    ),
    Indicator(
        id="S15",
        clause="附件 15",
        quote_zh="文化馆实现省市数字文化资源建设要求。",
        title_zh="文化馆数字文化资源达到省市要求",
        title_en="Culture centre digital resources meet the provincial and city requirements",
        levels=(DISTRICT,),
        unit=FLAG,
        thresholds={DISTRICT: always(1)},
        kind=ATTEST,
        owner_zh="区文化馆",
        owner_en="District culture centre",
        definition_zh="区文化馆上传当年数字资源建设达标的证明材料，经区文旅局审核通过为“是”。",
        definition_en="Yes when the district culture centre's evidence for the year (digital "
        "resources meeting the provincial and city requirements) is accepted by the bureau.",
        notes_zh="平台不保存数字资源目录，只能凭证明材料认定；证明按区一级提交（区文化馆为区级机构）。",
        notes_en="The platform holds no catalogue of digital resources: evidence only, filed "
        "for the district (the culture centre is a district institution).",
    ),
    Indicator(
        id="S16",
        clause="附件 16",
        quote_zh="街道、社区公共文化场馆免费提供 Wi-Fi服务。",
        title_zh="街道、社区公共文化场馆免费Wi-Fi",
        title_en="Free Wi-Fi at every subdistrict and community venue",
        levels=(VENUE,),
        unit=FLAG,
        thresholds={VENUE: always(1)},
        owner_zh="各街道办事处、各社区",
        owner_en="Subdistrict offices; communities",
        definition_zh="开放的综合文化站、社区文化家园、图书馆分馆、文化馆分馆、社区阅览室、城市书房、文化驿站"
        "中，登记有免费 Wi-Fi 的比例。",
        definition_en="Of the open culture stations, community culture centres, library and "
        "culture centre branches, reading rooms, city bookrooms and culture posts, the share "
        "with free Wi-Fi.",
        calculator=calc.free_wifi,
        notes_zh="“街道、社区公共文化场馆”按场馆类型取基层室内场馆；露天演艺点、体育场地不计。"
        f"{ROLLUP_ZH}{OPEN_ONLY_ZH}",
        notes_en="'Subdistrict and community venues' are the local indoor venue kinds; outdoor "
        f"performance spots and sports grounds do not count. {ROLLUP_EN} {OPEN_ONLY_EN}",
    ),
    Indicator(
        id="S18",
        clause="附件 18",
        quote_zh="区级公共图书馆建立盲人阅览区域，配备盲文图书、有声读物及有关阅读设备。",
        title_zh="区图书馆设盲人阅览区",
        title_en="A blind reading area at the district library",
        levels=(DISTRICT, VENUE),
        unit=FLAG,
        thresholds={DISTRICT: always(1), VENUE: always(1)},
        owner_zh="区图书馆",
        owner_en="District library",
        definition_zh="区运营的开放图书馆登记有盲人阅读区为“是”。",
        definition_en="Yes when the open library run by the district has a blind reading area.",
        calculator=calc.blind_reading,
        notes_zh="盲文图书、有声读物、阅读设备包含在“盲人阅读区”登记项内，不单独核对。"
        + DISTRICT_INST_ZH,
        notes_en="Braille books, audio books and devices are part of the blind-reading-area "
        f"flag, not checked one by one. {DISTRICT_INST_EN}",
    ),
    Indicator(
        id="S24",
        clause="附件 24",
        quote_zh="未成年人、老年人、现役军人、残疾人和低收入人群参观文物建筑实施门票减免，"
        "文化和自然遗产日免费参观。",
        title_zh="特殊人群门票减免，文化和自然遗产日免费",
        title_en="Ticket waivers for minors, elderly, servicemen, disabled and low-income; free "
        "on heritage day",
        levels=(VENUE,),
        unit=FLAG,
        thresholds={VENUE: always(1)},
        owner_zh=f"{BUREAU_ZH}、各博物馆",
        owner_en=f"{BUREAU_EN}; the museums",
        definition_zh="开放的博物馆、非遗馆：免费开放为“是”；收费或低收费的，须对五类人群全部减免且"
        "“文化和自然遗产日”免费，才为“是”。",
        definition_en="Open museums and heritage halls: yes when free; when charging, yes only "
        "when all five groups get a waiver and Cultural and Natural Heritage Day is free.",
        calculator=calc.ticket_waivers,
        notes_zh="登记中没有“文物建筑”类型，读作博物馆和非遗馆。免费场馆对所有人免费，视为达标。"
        f"{ROLLUP_ZH}{OPEN_ONLY_ZH}",
        notes_en="The registry has no 'heritage building' kind: read as museums and heritage "
        f"halls. A free venue is free for everyone and meets it. {ROLLUP_EN} {OPEN_ONLY_EN}",
    ),
    Indicator(
        id="S26",
        clause="附件 26",
        quote_zh="符合条件的学校体育场地100%向社会开放",
        title_zh="符合条件的学校体育场地100%向社会开放",
        title_en="Every eligible school sports ground open to the public",
        levels=(VENUE,),
        unit=FLAG,
        thresholds={VENUE: always(1)},
        owner_zh=f"区教育局、{BUREAU_ZH}（体育）",
        owner_en=f"District Education Bureau; {BUREAU_EN} (sports)",
        definition_zh="登记为“具备开放条件”的开放学校体育场地中，“向社会开放”的比例；区一级即全区开放率。",
        definition_en="Of the school sports grounds registered as eligible, the share open to "
        "the public; the district row is the district's rate.",
        calculator=calc.school_grounds,
        notes_zh="“符合条件”取登记的“具备开放条件”；机关企事业单位设施为鼓励项，不评判。"
        + ROLLUP_ZH,
        notes_en="'Eligible' is the registry's eligibility flag; institutions' facilities are "
        f"only encouraged and not judged. {ROLLUP_EN}",
    ),
    Indicator(
        id="S37",
        clause="附件 37",
        quote_zh="文化馆、图书馆设置特殊群体活动区域和服务项目。",
        title_zh="文化馆、图书馆设特殊群体活动区域和服务项目",
        title_en="Special-groups areas and services at the library and culture centre",
        levels=(VENUE,),
        unit=FLAG,
        thresholds={VENUE: always(1)},
        owner_zh="区图书馆、区文化馆",
        owner_en="District library; district culture centre",
        definition_zh="开放的图书馆、文化馆：登记有特殊群体服务区，且当年在本馆举办过至少一场面向老年人、"
        "未成年人、残疾人、农民工或部队官兵的活动，为“是”。",
        definition_en="Open libraries and culture centres: yes when the venue has a "
        "special-groups area AND held at least one activity in the year for the elderly, "
        "minors, disabled people, migrant workers or servicemen.",
        calculator=calc.special_groups,
        notes_zh="“服务项目”读作当年在本馆举办的面向特殊群体的活动（活动月汇总）；平台当年没有任何活动记录时"
        f"为“无数据”。{ROLLUP_ZH}",
        notes_en="'Services' are the year's activities held at the venue for a special group "
        "(the activity month summaries); with no activity records at all for the year the "
        f"result is no data. {ROLLUP_EN}",
    ),
    Indicator(
        id="S51",
        clause="附件 51",
        quote_zh="图书馆、文化馆、博物馆每年发布年度报告。",
        title_zh="图书馆、文化馆、博物馆每年发布年度报告",
        title_en="Library, culture centre and museum publish an annual report every year",
        levels=(DISTRICT,),
        unit=FLAG,
        thresholds={DISTRICT: always(1)},
        owner_zh="区图书馆、区文化馆、区博物馆",
        owner_en="District library, culture centre and museum",
        definition_zh="区一级填报三馆当年是否已发布年度报告（是=1，否=0）；三馆都已发布为“是”。",
        definition_en="The district reports for each of the three venues whether its annual "
        "report for the year is published (1 yes, 0 no); yes when all three are.",
        report_fields=(
            ReportField(
                "library_report", "图书馆年度报告已发布（1/0）", "Library report (1/0)", FLAG
            ),
            ReportField(
                "culture_centre_report",
                "文化馆年度报告已发布（1/0）",
                "Culture centre report (1/0)",
                FLAG,
            ),
            ReportField(
                "museum_report", "博物馆年度报告已发布（1/0）", "Museum report (1/0)", FLAG
            ),
        ),
        value_from_reported=_annual_reports,
        notes_zh="场馆登记没有“年度报告”字段，故由区一级统计填报（经审核），不新增登记字段；三项须都填报。",
        notes_en="The venue registry has no annual-report field, so the district reports it "
        "(approved by review) rather than adding fields; all three figures are needed.",
    ),
)
