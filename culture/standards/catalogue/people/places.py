"""Places: 15-minute circles (T03), culture stewards (T14, S48), fitness coverage (S09), future
communities and new residential areas (S08, S36)."""

from __future__ import annotations

from culture.standards.calculators.people import places as calc
from culture.standards.calculators.people import reported
from culture.standards.catalogue.types import (
    COMMUNITY,
    DISTRICT,
    SHARE,
    SUBDISTRICT,
    Indicator,
    ReportField,
    always,
    steps,
)

_STEWARD_DEFINITION_ZH = (
    "文化管家记录在场馆上：街道以其综合文化站、社区以其文化家园（文体活动中心）是否配有文化管家为准"
    "（开放中的场馆；场馆计入运营单位和所在社区）。街道：有文化管家记 100%，否则 0%。"
    "区：有文化管家的社区数 ÷ 社区总数；任一街道未覆盖即不达标。社区行仅显示是否覆盖（供参考）。"
)
_STEWARD_DEFINITION_EN = (
    "The steward is recorded on the venue: a subdistrict is covered when its culture station "
    "has a culture steward, a community when its culture centre has one (open venues; a venue "
    "counts for the unit that runs it and the community it stands in). Subdistrict: 100 % when "
    "covered, else 0 %. District: communities covered / all communities, and not met while any "
    "subdistrict is uncovered. Community rows show coverage for information."
)

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        id="T03",
        clause="二、（二）3",
        quote_zh="以建设“15分钟品质文化生活圈”为抓手……家门口辐射半径1.5公里内，至少拥有1个公共"
        "文化场馆和2个及以上公益性公共文化空间。……2025年，……“15分钟品质文化生活圈”覆盖率达100%。",
        title_zh="15分钟品质文化生活圈覆盖率2025年达100%",
        title_en="15-minute culture circle coverage 100 % by 2025",
        levels=(DISTRICT, SUBDISTRICT, COMMUNITY),
        unit=SHARE,
        thresholds={
            DISTRICT: steps((2025, 1.0)),
            SUBDISTRICT: steps((2025, 1.0)),
            COMMUNITY: steps((2025, 1.0)),
        },
        owner_zh="区文旅局、各街道",
        owner_en="District culture and tourism bureau; every subdistrict",
        definition_zh="已覆盖的居住人口 ÷ 居住人口（另列居住点数口径）。覆盖：居住点1.5公里（直线距离，"
        "CGCS2000高斯投影）内至少有1个开放的公共文化场馆和2个及以上开放的公益性公共文化空间。"
        "居住点为导入的小区坐标与人口；未导入的社区按常住人口在边界内每250米网格均布生成。",
        definition_en="Residents covered / residents (points covered / points shown beside). "
        "Covered: at least one open public culture venue and two open public-welfare cultural "
        "spaces within 1.5 km in a straight line (CGCS2000 Gauss-Kruger). Residential points are "
        "the imported compounds with their residents; a community without any has its population "
        "spread over a 250 m grid inside its boundary.",
        calculator=calc.circle_coverage,
        report_fields=(
            ReportField("residential_points", "居民点总数", "Residential points"),
            ReportField("covered_points", "已覆盖居民点数", "Residential points covered"),
        ),
        value_from_reported=reported.circle_coverage,
        notes_zh="由“15分钟文化生活圈”覆盖测算计算（与 /circles/ 页面同一算法）；全区尚无居住点或尚无"
        "公共文化场馆和空间时，由各单位填报居民点总数和已覆盖数。无法定位的社区（无居住点、边界和中心点）"
        "所在单位暂无数据。按当前场馆和居住点计算。政策写明2025年达100%，2025年前显示进度（未到期）。",
        notes_en="Computed by the culture circles' coverage engine (the same as the /circles/ "
        "page); while the district has no residential points or no venues and spaces at all, "
        "units report the counts. A unit with a community that cannot be placed (no points, "
        "boundary or centroid) has no data. Uses the current venues and points. The policy "
        "sets 100 % for 2025: earlier years show progress (not due).",
    ),
    Indicator(
        id="T14",
        clause="二、（六）2",
        quote_zh="推广“文化管家”模式，截至2025年，18个街道实现全覆盖，社区覆盖率达80%以上",
        title_zh="文化管家：2025年街道全覆盖、社区覆盖率80%以上",
        title_en="Culture stewards: all subdistricts and >= 80 % of communities by 2025",
        levels=(DISTRICT, SUBDISTRICT, COMMUNITY),
        unit=SHARE,
        thresholds={DISTRICT: steps((2025, 0.8)), SUBDISTRICT: steps((2025, 1.0))},
        owner_zh="各街道（区文旅局推广）",
        owner_en="Every subdistrict (promoted by the district culture and tourism bureau)",
        definition_zh=_STEWARD_DEFINITION_ZH,
        definition_en=_STEWARD_DEFINITION_EN,
        calculator=calc.culture_steward,
        notes_zh="与附件第48条（S48）为同一口径，驾驶舱只计一次；本条期限为2025年，2025年前未到期。"
        "社区覆盖率按全区计算（“社区覆盖率达80%”为全区指标），不逐个社区判定。",
        notes_en="Same measure as annex 48 (S48), counted once in the cockpit; this clause's "
        "deadline is 2025 (not due before). Community coverage is a district-wide rate, not "
        "judged community by community.",
    ),
    Indicator(
        id="S48",
        clause="附件 48",
        quote_zh="按照文化管家市级标准，全区推广文化管家模式，到2023年实现街道全覆盖，社区覆盖50%以上，"
        "到2025年实现社区覆盖80%以上。",
        title_zh="文化管家：2023年街道全覆盖、社区50%以上，2025年社区80%以上",
        title_en="Culture stewards: all subdistricts and 50 % of communities by 2023, 80 % by 2025",
        levels=(DISTRICT, SUBDISTRICT, COMMUNITY),
        unit=SHARE,
        thresholds={DISTRICT: steps((2023, 0.5), (2025, 0.8)), SUBDISTRICT: always(1.0)},
        owner_zh="各街道（区文旅局推广）",
        owner_en="Every subdistrict (promoted by the district culture and tourism bureau)",
        definition_zh=_STEWARD_DEFINITION_ZH,
        definition_en=_STEWARD_DEFINITION_EN,
        calculator=calc.culture_steward,
        same_measure_as="T14",
        notes_zh="与T14同一口径。门槛随年度提高：2023、2024年社区覆盖50%，2025年起80%；街道自2023年起"
        "全覆盖。“文化管家市级标准”的具体内容由场馆登记时核定（场馆的“文化管家”项）。",
        notes_en="Same measure as T14. The bar rises: 50 % of communities in 2023 and 2024, 80 % "
        "from 2025; every subdistrict from 2023. Whether a steward meets the city standard is "
        "checked when the venue's 'culture steward' flag is recorded.",
    ),
    Indicator(
        id="S09",
        clause="附件 9",
        quote_zh="建设“10分钟健身圈”，实现“一场两馆”全覆盖，街道实现或共享健身中心街道覆盖率达到50%"
        "以上，社区实现多功能运动场（百姓健身房）覆盖率达50%以上。",
        title_zh="健身中心街道覆盖率、多功能运动场（百姓健身房）社区覆盖率均达50%以上",
        title_en="Fitness centres in >= 50 % of subdistricts; sports grounds or public gyms in "
        ">= 50 % of communities",
        levels=(DISTRICT, SUBDISTRICT, COMMUNITY),
        unit=SHARE,
        thresholds={DISTRICT: always(0.5), SUBDISTRICT: always(0.5)},
        owner_zh="区文旅局（体育）、各街道",
        owner_en="District culture and tourism bureau (sports); every subdistrict",
        definition_zh="由开放中的体育场馆计算：街道有（运营或坐落的）全民健身中心即覆盖；社区有社区运动场地、"
        "百姓健身房或健身房即覆盖。区：取街道覆盖率与社区覆盖率中较低者（两项均需达到50%）。"
        "街道：本街道社区覆盖率。社区行仅显示是否覆盖（供参考）。",
        definition_en="From open sports venues: a subdistrict is covered when a fitness centre "
        "is run by it or stands in it; a community when a sports ground, public gym or gym is. "
        "District: the lower of the subdistrict and community coverage rates (both must reach "
        "50 %). Subdistrict: the coverage of its communities. Community rows for information.",
        calculator=calc.fitness_coverage,
        notes_zh="“共享”健身中心：由街道运营、坐落在别处的健身中心计入运营街道。“一场两馆”（体育场、"
        "体育馆、游泳馆）和“10分钟健身圈”平台暂无对应数据，本指标只判定两项覆盖率。",
        notes_en="A shared fitness centre counts for the subdistrict that runs it. The district "
        "stadium, gymnasium and pool ('一场两馆') and the 10-minute fitness circle have no "
        "records here yet: only the two coverage rates are judged.",
    ),
    Indicator(
        id="S08",
        clause="附件 8",
        quote_zh="未来社区按省市标准建设公共文化空间。",
        title_zh="未来社区按省市标准建设公共文化空间",
        title_en="Future communities build culture space to the provincial and city standard",
        levels=(DISTRICT, SUBDISTRICT, COMMUNITY),
        unit=SHARE,
        thresholds={DISTRICT: always(1.0), SUBDISTRICT: always(1.0), COMMUNITY: always(1.0)},
        owner_zh="区发改局（未来社区建设）、区文旅局",
        owner_en="District development and reform bureau (future communities); culture and "
        "tourism bureau",
        definition_zh="达标的未来社区数 ÷ 登记的未来社区数（当年及以前建成或未填建成年份）。达标："
        "公共文化空间面积 ÷ 居住人口 ≥ 命名定义“未来社区公共文化空间人均面积下限”。",
        definition_en="Future communities meeting the standard / future communities registered "
        "(completed by the year or with no completion year). Meeting: culture space / residents "
        ">= the named definition 'future community culture space per resident'.",
        uses_definitions=("future_community_culture_m2_per_person",),
        calculator=calc.future_community_culture_space,
        notes_zh="政策未写明省市标准的数值，按人均面积判定，下限为命名定义（默认0.1平方米/人），区文旅局"
        "可按省市标准修改。无未来社区的单位不适用；未填居住人口的小区不参与判定。",
        notes_en="The policy does not state the standard's figure: judged per resident against "
        "a named definition (default 0.1 m2), which the bureau sets to the provincial or city "
        "figure. Units with no future community: not applicable; developments with no "
        "population entered are not judged.",
    ),
    Indicator(
        id="S36",
        clause="附件 36",
        quote_zh="新建居住区要按室内人均建筑面积不低于0.1平方米或室外人均用地不低于0.3平方米的标准配建"
        "公共健身设施，纳入施工图纸审查，验收未达标不得交付使用。",
        title_zh="新建居住区健身设施：室内人均≥0.1平方米或室外人均≥0.3平方米",
        title_en="New residential areas: >= 0.1 m2 indoor or >= 0.3 m2 outdoor fitness space "
        "per resident",
        levels=(DISTRICT, SUBDISTRICT, COMMUNITY),
        unit=SHARE,
        thresholds={DISTRICT: always(1.0), SUBDISTRICT: always(1.0), COMMUNITY: always(1.0)},
        owner_zh="区住建局（施工图审查、验收）、区文旅局（体育）",
        owner_en="District housing and construction bureau (plan review, acceptance); culture "
        "and tourism bureau (sports)",
        definition_zh="达标的新建居住区数 ÷ 登记的新建居住区数（含未来社区；当年及以前建成或未填建成年份）。"
        "达标：室内健身面积 ≥ 居住人口 × 0.1平方米，或室外健身面积 ≥ 居住人口 × 0.3平方米。",
        definition_en="New residential developments meeting the rule / those registered "
        "(future communities included; completed by the year or with no completion year). "
        "Meeting: indoor fitness area >= residents x 0.1 m2, or outdoor >= residents x 0.3 m2.",
        calculator=calc.new_residential_fitness,
        notes_zh="0.1和0.3为政策数值，直接用于判定。未填居住人口的小区不参与判定（列在明细中）；"
        "无新建居住区的单位不适用。",
        notes_en="0.1 and 0.3 are the policy's figures. Developments with no population entered "
        "are not judged (listed in the details); units with none: not applicable.",
    ),
)
